"""Roster files as the committee office's programs write them, each built here in the test.

Workbooks whose sheets claim a wrong size, Vietnamese typed decomposed (NFD), CSV saved by
Excel under Vietnamese regional settings (semicolons, day-first dates), date cells that hold a
time or date-and-time cells that hold no time, and files that are not what they claim.
"""

from __future__ import annotations

import csv
import re
import unicodedata
import zipfile
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from conftest import ROSTER_FILES, dump
from openpyxl import Workbook

from bot.core.config import Config
from bot.roster import import_roster
from bot.roster.files import RosterFileError
from bot.sample import SAMPLE_DIR
from storage.store import Store

NOW = datetime(2021, 11, 20, 1, 0, tzinfo=UTC)
LATER = datetime(2021, 11, 21, 1, 0, tzinfo=UTC)
DATE_COLUMNS = {"assignments": ("start", "end"), "meetings": ("starts_at",)}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def sample_rows(name: str) -> list[list[str]]:
    with (SAMPLE_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def office_cell(column: str, text: str) -> object:
    """TEXT as the office's spreadsheet holds it: dates and times are date cells."""
    if text and column in ("start", "end"):
        return datetime.fromisoformat(text)
    if text and column == "starts_at":
        return datetime.strptime(text, "%Y-%m-%d %H:%M")
    return text or None


def sample_sheets() -> dict[str, list[list[object]]]:
    """The sample district's roster as an office workbook's sheets."""
    sheets = {}
    for name in ROSTER_FILES:
        header, *rows = sample_rows(name)
        sheets[name] = [header] + [
            [office_cell(column, text) for column, text in zip(header, row, strict=True)]
            for row in rows
        ]
    return sheets


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def claim_size(path: Path, ref: str) -> None:
    """Make every sheet of the workbook at PATH claim the size REF in its <dimension> tag."""
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            if name.startswith("xl/worksheets/sheet"):
                data, count = re.subn(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data
                )
                assert count == 1, name
            package.writestr(name, data)


async def refused(store: Store, config: Config, path: Path) -> list[str]:
    """The problems importing PATH reports; the database is exactly as before."""
    before = await dump(store)
    with pytest.raises(RosterFileError) as caught:
        await import_roster(store, config, path, LATER)
    assert await dump(store) == before
    return [str(problem) for problem in caught.value.problems]


async def assert_is_the_sample(store: Store, config: Config) -> None:
    """The database holds exactly the sample roster: importing it again changes nothing."""
    assert (await import_roster(store, config, SAMPLE_DIR, LATER)).total == 0


# -- a workbook's claimed size -----------------------------------------------------------------


@pytest.mark.parametrize(
    "claimed",
    ["A1:C3", "A1", "A1:Z100000"],
    ids=["fewer rows and columns", "one cell", "more than there are"],
)
async def test_a_workbook_is_read_whatever_size_its_sheets_claim(
    store: Store, config: Config, tmp_path: Path, claimed: str
) -> None:
    path = write_workbook(tmp_path / "office.xlsx", sample_sheets())
    claim_size(path, claimed)

    changes = await import_roster(store, config, path, NOW)

    assert changes.added["members"] == 20
    assert changes.added["cells"] == 64  # 61 rows and 3 implied by base cells
    assert changes.added["meetings"] == 390
    await assert_is_the_sample(store, config)


# -- Vietnamese typed decomposed ------------------------------------------------------------------


def decompose_csv(folder: Path, name: str) -> None:
    path = folder / f"{name}.csv"
    path.write_text(nfd(path.read_text(encoding="utf-8")), encoding="utf-8")


async def test_names_typed_decomposed_are_the_same_names(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await import_roster(store, config, SAMPLE_DIR, NOW)
    before = await dump(store)
    for name in ROSTER_FILES:
        decompose_csv(sample_roster_dir, name)
    assert nfd("Nguyễn Văn Thành") in (sample_roster_dir / "members.csv").read_text("utf-8")

    changes = await import_roster(store, config, sample_roster_dir, LATER)

    assert changes.total == 0
    assert await dump(store) == before


async def test_a_decomposed_workbook_is_stored_composed(
    store: Store, config: Config, tmp_path: Path
) -> None:
    sheets = {
        name: [[nfd(v) if isinstance(v, str) else v for v in row] for row in rows]
        for name, rows in sample_sheets().items()
    }
    path = write_workbook(tmp_path / "office.xlsx", sheets)

    await import_roster(store, config, path, NOW)

    roster = await store.roster.load()
    assert roster.members[0].full_name == "Nguyễn Văn Thành"
    assert all(unicodedata.is_normalized("NFC", c.name) for c in roster.cells)
    await assert_is_the_sample(store, config)


@pytest.mark.parametrize(("typed", "flagged"), [("Không", False), ("Có", True), ("KHÔNG", False)])
async def test_flagged_yes_or_no_in_vietnamese_typed_decomposed(
    store: Store, config: Config, sample_roster_dir: Path, typed: str, flagged: bool
) -> None:
    path = sample_roster_dir / "cells.csv"
    text = path.read_text(encoding="utf-8")
    cell = "C0103" if not flagged else "C0101"  # C0103 is flagged in the sample, C0101 is not
    row = next(line for line in text.splitlines() if line.startswith(cell + ","))
    path.write_text(text.replace(row, row.rsplit(",", 1)[0] + "," + nfd(typed)), encoding="utf-8")
    assert nfd(typed) != typed

    await import_roster(store, config, sample_roster_dir, NOW)

    cells = {c.code: c for c in (await store.roster.load()).cells}
    assert cells[cell].flagged is flagged


# -- CSV saved by Excel under Vietnamese regional settings ----------------------------------------


def excel_vietnamese_csv(folder: Path) -> Path:
    """The sample as Excel's "CSV UTF-8" under Vietnamese settings writes it: a BOM, ";"
    between values, quotes only where a value holds ";", CRLF, dates shown day first."""
    folder.mkdir()
    for name in ROSTER_FILES:
        header, *rows = sample_rows(name)
        with (folder / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(
                    [
                        shown_day_first(text) if column in DATE_COLUMNS.get(name, ()) else text
                        for column, text in zip(header, row, strict=True)
                    ]
                )
    return folder


def shown_day_first(text: str) -> str:
    if not text:
        return text
    if " " in text:
        return datetime.strptime(text, "%Y-%m-%d %H:%M").strftime("%d/%m/%Y %H:%M")
    return datetime.fromisoformat(text).strftime("%d/%m/%Y")


async def test_a_semicolon_separated_roster_is_read(
    store: Store, config: Config, tmp_path: Path
) -> None:
    folder = excel_vietnamese_csv(tmp_path / "excel")
    cells = (folder / "cells.csv").read_text(encoding="utf-8-sig")
    assert "C0101;O01;Chi bộ Cơ quan UBND phường;" in cells
    assert ";Phòng họp tầng 2, UBND phường Bồ Đề;" in cells  # a comma needs no quotes
    assert "M01;O01;in_charge;01/11/2020;" in (folder / "assignments.csv").read_text("utf-8-sig")

    changes = await import_roster(store, config, folder, NOW)

    assert changes.added["members"] == 20
    assert changes.added["assignments"] == 42
    await assert_is_the_sample(store, config)


async def test_a_semicolon_too_many_is_one_line_naming_the_separator(
    store: Store, config: Config, tmp_path: Path
) -> None:
    folder = excel_vietnamese_csv(tmp_path / "excel")
    path = folder / "members.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = lines[3].replace("Lê Quang Huy", "Lê Quang; Huy")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")

    assert await refused(store, config, folder) == [
        "members.csv:4: -: 6 values but the header has 5 columns"
        " (a semicolon inside a value needs quotes)"
    ]


async def test_one_semicolon_file_among_comma_files(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    path = sample_roster_dir / "organizations.csv"
    rows = sample_rows("organizations")
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, delimiter=";").writerows(rows)

    await import_roster(store, config, sample_roster_dir, NOW)

    await assert_is_the_sample(store, config)


# -- date cells and times ---------------------------------------------------------------------------


def small_roster(assignment_start: object, assignment_end: object, meeting_at: object):
    return {
        "members": [
            ["code", "full_name", "phone", "position"],
            ["M01", "Nguyễn Văn A", "0912345678", "standing"],
        ],
        "organizations": [["code", "name", "kind"], ["O01", "Chi bộ Trường Mầm non", "cell"]],
        "cells": [["code", "organization", "name"]],
        "assignments": [
            ["member", "organization", "duty", "start", "end"],
            ["M01", "O01", "in_charge", assignment_start, assignment_end],
        ],
        "meetings": [["cell", "starts_at"], ["O01", meeting_at]],
    }


async def test_date_cells_a_hair_off_read_as_the_day_and_minute_meant(
    store: Store, config: Config, tmp_path: Path
) -> None:
    """Serial numbers stored a little early or late (by a formula, another program)."""
    path = write_workbook(
        tmp_path / "office.xlsx",
        small_roster(
            datetime(2020, 10, 31, 23, 59, 59, 990_000),
            datetime(2021, 11, 15, 0, 0, 0, 4_000),
            datetime(2021, 12, 5, 7, 59, 59, 712_000),
        ),
    )

    await import_roster(store, config, path, NOW)

    roster = await store.roster.load()
    assert [(a.start.isoformat(), a.end.isoformat()) for a in roster.assignments] == [
        ("2020-11-01", "2021-11-15")
    ]
    tz = config.committee.tz
    assert [m.starts_at.astimezone(tz).replace(tzinfo=None) for m in roster.meetings] == [
        datetime(2021, 12, 5, 8, 0)
    ]


@pytest.mark.parametrize(
    ("start", "end", "meeting_at", "expected"),
    [
        (
            time(8, 0),
            None,
            datetime(2021, 12, 5, 8, 0),
            [
                'assignments]:2: start: "08:00" is a time, not a date (use YYYY-MM-DD, e.g. 2021-12-05)'
            ],
        ),
        (
            datetime(2020, 11, 1),
            datetime(2021, 11, 15, 8, 30),
            datetime(2021, 12, 5, 8, 0),
            [
                'assignments]:2: end: "2021-11-15 08:30" is a date and a time; give the date'
                " alone (YYYY-MM-DD, e.g. 2021-12-05)"
            ],
        ),
        (
            datetime(2020, 11, 1),
            None,
            datetime(2021, 12, 5, 0, 0),
            [
                'meetings]:2: starts_at: "2021-12-05" is a date without the time of the meeting'
                " (use YYYY-MM-DD HH:MM, e.g. 2021-12-05 08:00)"
            ],
        ),
        (
            datetime(2020, 11, 1),
            None,
            time(19, 30),
            [
                'meetings]:2: starts_at: "19:30" is a time without the date'
                " (use YYYY-MM-DD HH:MM, e.g. 2021-12-05 08:00)"
            ],
        ),
    ],
    ids=[
        "a time in a date column",
        "a date and time in a date column",
        "a meeting's date cell without its time",
        "a meeting's time cell without its date",
    ],
)
async def test_a_date_cell_that_is_not_what_its_column_takes_is_refused_naming_its_value(
    store: Store,
    config: Config,
    tmp_path: Path,
    start: object,
    end: object,
    meeting_at: object,
    expected: list[str],
) -> None:
    path = write_workbook(tmp_path / "office.xlsx", small_roster(start, end, meeting_at))

    assert await refused(store, config, path) == [f"office.xlsx[{line}" for line in expected]


async def test_day_first_dates_as_excel_writes_them_in_csv(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    path = sample_roster_dir / "assignments.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",2020-11-01,", ",1/11/2020,"), encoding="utf-8")
    assert ",1/11/2020," in path.read_text(encoding="utf-8")

    await import_roster(store, config, sample_roster_dir, NOW)

    await assert_is_the_sample(store, config)


# -- files that are not what they claim -------------------------------------------------------------

SAVE_AGAIN = 'open it in Excel and save it again as "Excel Workbook (.xlsx)"'
NOT_A_WORKBOOK = (
    "office.xlsx:0: -: not an .xlsx workbook, or only part of one (an old .xls, a"
    f" password-protected file, a renamed file, a copy cut short?): {SAVE_AGAIN}"
)


def renamed_csv(path: Path) -> str:
    path.write_bytes((SAMPLE_DIR / "members.csv").read_bytes())
    return NOT_A_WORKBOOK


def old_xls_or_password_protected(path: Path) -> str:
    # Both are OLE compound files, not zips: this is how they start.
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    return NOT_A_WORKBOOK


def half_copied(path: Path) -> str:
    write_workbook(path, sample_sheets())
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return NOT_A_WORKBOOK


def sheet_cut_short(path: Path) -> str:
    """A zip whose members sheet's XML ends mid-way (a program that crashed while saving)."""
    write_workbook(path, sample_sheets())
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data[:500] if name == "xl/worksheets/sheet1.xml" else data)
    return "office.xlsx:0: -: cannot read the workbook (unclosed token: line 1, column"


def a_zip_of_something_else(path: Path) -> str:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", "<document/>")
    return (
        'office.xlsx:0: -: cannot read the workbook ("There is no item named'
        " '[Content_Types].xml' in the archive\"): " + SAVE_AGAIN
    )


@pytest.mark.parametrize(
    "make",
    [
        renamed_csv,
        old_xls_or_password_protected,
        half_copied,
        sheet_cut_short,
        a_zip_of_something_else,
    ],
    ids=lambda make: make.__name__.replace("_", " "),
)
async def test_a_file_named_xlsx_that_is_no_workbook_is_one_line(
    store: Store, config: Config, tmp_path: Path, make
) -> None:
    await import_roster(store, config, SAMPLE_DIR, NOW)
    path = tmp_path / "office.xlsx"
    expected = make(path)

    (problem,) = await refused(store, config, path)

    assert problem.startswith(expected)


async def test_a_quote_never_closed_is_one_line_where_it_opens(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    path = sample_roster_dir / "members.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[5].startswith("M05,")
    lines[5] = lines[5].replace("M05,", 'M05,"', 1)  # and the rest of a long file is one value
    rows = lines + ["M99,Nguyễn Văn X,0912000000,member,"] * 5000
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    assert await refused(store, config, sample_roster_dir) == [
        "members.csv:6: -: field larger than field limit (131072):"
        ' is the closing quote (") of a value missing?'
    ]
