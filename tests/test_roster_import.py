"""Roster import/export on a real SQLite file: identity by code, all or nothing, exact messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import copy_sample_roster, dump
from openpyxl import Workbook

from bot.core.config import Config
from bot.core.roster import Cell, Member
from bot.roster import export_roster_to, import_roster
from bot.roster.files import RosterFileError, read_tables
from bot.roster.parse import parse_roster
from bot.sample import SAMPLE_DIR
from storage.store import Store

NOW = datetime(2021, 11, 20, 1, 0, tzinfo=UTC)
LATER = datetime(2021, 11, 21, 1, 0, tzinfo=UTC)
PROBLEM_LINE = re.compile(r"^[^:]+:\d+: [^:]+: .+$")


# -- editing copies of the sample ----------------------------------------------------------


def read_lines(folder: Path, name: str) -> list[str]:
    return (folder / f"{name}.csv").read_text(encoding="utf-8").splitlines()


def write_lines(folder: Path, name: str, lines: list[str]) -> None:
    (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def append_row(folder: Path, name: str, row: str) -> int:
    """Append ROW to NAME.csv; return its line number."""
    lines = read_lines(folder, name)
    lines.append(row)
    write_lines(folder, name, lines)
    return len(lines)


def line_of(folder: Path, name: str, prefix: str) -> int:
    """The line number of the only line of NAME.csv starting with PREFIX."""
    found = [i for i, line in enumerate(read_lines(folder, name), 1) if line.startswith(prefix)]
    assert len(found) == 1, (name, prefix, found)
    return found[0]


def replace_row(folder: Path, name: str, prefix: str, row: str) -> int:
    """Replace the line starting with PREFIX by ROW; return its line number."""
    number = line_of(folder, name, prefix)
    lines = read_lines(folder, name)
    lines[number - 1] = row
    write_lines(folder, name, lines)
    return number


def drop_rows(folder: Path, name: str, keep: Callable[[str], bool]) -> int:
    """Keep the header and the lines for which KEEP is true; return how many were dropped."""
    header, *rows = read_lines(folder, name)
    kept = [row for row in rows if keep(row)]
    write_lines(folder, name, [header, *kept])
    return len(rows) - len(kept)


def problems_of(caught: pytest.ExceptionInfo[RosterFileError]) -> list[str]:
    return [str(problem) for problem in caught.value.problems]


async def imported(store: Store, config: Config, path: Path = SAMPLE_DIR):
    return await import_roster(store, config, path, NOW)


# -- the sample district -------------------------------------------------------------------


async def test_the_sample_district_has_the_documented_size(store: Store, config: Config) -> None:
    changes = await imported(store, config)

    roster = await store.roster.load()
    assert len(roster.members) == 20
    assert len(roster.organizations) == 16
    assert len(roster.cells) == 64
    assert sorted(c.code for c in roster.cells if c.implied) == ["O11", "O13", "O15"]
    assert len(roster.assignments) == 42
    assert len(roster.meetings) == 390
    assert sum(1 for m in roster.meetings if m.kind == "thematic") == 6
    assert dict(changes.added) == {
        "members": 20,
        "organizations": 16,
        "cells": 64,
        "assignments": 42,
        "meetings": 390,
    }
    assert sum(changes.updated.values()) == 0
    assert sum(changes.removed.values()) == 0


async def test_phones_are_stored_in_national_form(store: Store, config: Config) -> None:
    await imported(store, config)

    phones = {m.code: m.phone for m in (await store.roster.load()).members}
    assert phones["M05"] == "0835906900"  # "0835 906 900"
    assert phones["M08"] == "0980647202"  # "+84980647202"
    assert phones["M19"] == "0853197020"  # "84853197020"
    assert all(re.fullmatch(r"0\d{9}", phone) for phone in phones.values())


async def test_reimporting_the_same_roster_changes_nothing(store: Store, config: Config) -> None:
    await imported(store, config)
    before = await dump(store)

    changes = await import_roster(store, config, SAMPLE_DIR, LATER)

    assert changes.total == 0
    assert await dump(store) == before


async def test_export_then_import_is_the_identity(
    store: Store, config: Config, tmp_path: Path
) -> None:
    await imported(store, config)
    first = tmp_path / "export1"
    await export_roster_to(store, config, first)

    async with await Store.open(tmp_path / "second.sqlite3") as second:
        await import_roster(second, config, first, NOW)
        again = tmp_path / "export2"
        await export_roster_to(second, config, again)
        assert await second.roster.load() == await store.roster.load()

    names = sorted(p.name for p in first.iterdir())
    assert names == [
        "assignments.csv",
        "cells.csv",
        "meetings.csv",
        "members.csv",
        "organizations.csv",
    ]
    assert sorted(p.name for p in again.iterdir()) == names
    for name in names:
        assert (first / name).read_bytes() == (again / name).read_bytes(), name
    # what is stored is exactly what the files say, after normalising
    expected = parse_roster(read_tables(SAMPLE_DIR), config.committee.tz).sorted()
    assert await store.roster.load() == expected
    # the implied cells come back from the export too, but are not written as rows
    cells_csv = (first / "cells.csv").read_text(encoding="utf-8")
    assert len(cells_csv.splitlines()) == 1 + 61
    assert not re.search(r"^O11,", cells_csv, re.MULTILINE)


async def test_xlsx_export_then_import_is_the_identity(
    store: Store, config: Config, tmp_path: Path
) -> None:
    await imported(store, config)
    workbook = tmp_path / "out" / "roster.xlsx"
    await export_roster_to(store, config, workbook)
    assert workbook.is_file()

    async with await Store.open(tmp_path / "second.sqlite3") as second:
        changes = await import_roster(second, config, workbook, NOW)
        assert changes.added["meetings"] == 390
        assert await second.roster.load() == await store.roster.load()
    # and the workbook re-imported over the original changes nothing
    assert (await import_roster(store, config, workbook, LATER)).total == 0


# -- updates by code -----------------------------------------------------------------------


async def test_changed_name_and_phone_update_the_member_and_keep_the_person(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await imported(store, config)
    person = await store.people.by_member_code("M05")
    assert person is not None and person.phone == "0835906900"
    before = await dump(store)

    replace_row(
        sample_roster_dir, "members", "M05,", "M05,Đỗ Thị Thu Hằng,+84 901 234 567,standing,"
    )
    changes = await import_roster(store, config, sample_roster_dir, LATER)

    assert changes.updated["members"] == 1
    assert changes.total == 1
    after = await store.people.by_member_code("M05")
    assert after is not None
    assert after.id == person.id
    assert after.phone == "0901234567"
    assert after.name == "Đỗ Thị Thu Hằng"
    assert await store.people.by_phone("0835906900") is None
    # nothing else moved: only M05's members row and its people row differ
    now = await dump(store)
    changed_tables = {t for t in before if before[t] != now[t]}
    assert changed_tables == {"members", "people", "roster_version"}
    assert len(set(now["members"]) - set(before["members"])) == 1
    assert len(set(now["people"]) - set(before["people"])) == 1
    assert len(now["people"]) == len(before["people"])


async def test_removed_assignment_row_removes_one_assignment(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await imported(store, config)
    dropped = drop_rows(
        sample_roster_dir, "assignments", lambda row: not row.startswith("M19,O09,")
    )
    assert dropped == 1

    changes = await import_roster(store, config, sample_roster_dir, LATER)

    assert changes.removed["assignments"] == 1
    assert changes.total == 1
    roster = await store.roster.load()
    assert len(roster.assignments) == 41
    assert not [a for a in roster.assignments if (a.member, a.organization) == ("M19", "O09")]


async def test_removed_organization_is_retired_then_reactivated(
    store: Store, config: Config, sample_roster_dir: Path, tmp_path: Path
) -> None:
    await imported(store, config)
    original = await store.roster.load()
    org_id = await store.db.fetchval("SELECT id FROM organizations WHERE code = 'O02'")
    o02_cells = [c.code for c in original.cells if c.organization == "O02"]
    assert len(o02_cells) == 7

    def not_o02(row: str) -> bool:
        return not re.match(r"^(O02|C02\d\d),|^[^,]*,O02,", row)

    drop_rows(sample_roster_dir, "organizations", not_o02)
    assert drop_rows(sample_roster_dir, "cells", not_o02) == 7
    assert drop_rows(sample_roster_dir, "assignments", not_o02) == 2
    assert drop_rows(sample_roster_dir, "meetings", not_o02) > 0

    changes = await import_roster(store, config, sample_roster_dir, LATER)

    assert changes.removed["organizations"] == 1
    assert changes.removed["cells"] == 7
    assert changes.removed["assignments"] == 2
    assert changes.total == 10
    row = await store.db.fetchone("SELECT id, active FROM organizations WHERE code = 'O02'")
    assert tuple(row) == (org_id, 0)  # retired, not deleted
    assert (
        await store.db.fetchval(
            "SELECT count(*) FROM cells WHERE organization_id = ? AND active = 0", (org_id,)
        )
        == 7
    )
    exported = tmp_path / "export"
    await export_roster_to(store, config, exported)
    for name in ("organizations", "cells", "assignments", "meetings"):
        text = (exported / f"{name}.csv").read_text(encoding="utf-8")
        assert "O02" not in text and "C02" not in text, name

    # put it back: the same rows come back to life
    restored = copy_sample_roster(tmp_path / "restored")
    changes = await import_roster(store, config, restored, LATER)

    assert changes.updated["organizations"] == 1
    assert changes.updated["cells"] == 7
    assert changes.added["assignments"] == 2
    assert changes.added["organizations"] == 0
    assert changes.added["cells"] == 0
    assert changes.added["meetings"] == 0
    assert await store.db.fetchval("SELECT id FROM organizations WHERE code = 'O02'") == org_id
    assert await store.db.fetchval("SELECT count(*) FROM organizations") == 16
    assert await store.roster.load() == original


async def test_a_member_can_be_recoded(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    """Codes are the identity: M20 becoming M21 (same phone) retires M20 and adds M21."""
    await imported(store, config)
    for name in ("members", "assignments"):
        path = sample_roster_dir / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("M20,", "M21,"), "utf-8")

    changes = await import_roster(store, config, sample_roster_dir, LATER)

    assert changes.added["members"] == 1
    assert changes.removed["members"] == 1
    person = await store.people.by_phone("0976548136")
    assert person is not None and person.member_code == "M21"
    codes = {m.code for m in (await store.roster.load()).members}
    assert "M21" in codes and "M20" not in codes


# -- all or nothing, with exact messages ---------------------------------------------------

Edit = Callable[[Path], list[str]]


def _unknown_member(folder: Path) -> list[str]:
    line = replace_row(folder, "assignments", "M07,O05,", "M99,O05,follow,2020-11-01,")
    return [f'assignments.csv:{line}: member: unknown member "M99"']


def _duplicate_member_code(folder: Path) -> list[str]:
    line = append_row(folder, "members", "M01,Người Thứ Hai,0901111222,member,")
    return [f"members.csv:{line}: code: duplicate code (already on line 2)"]


def _duplicate_phone(folder: Path) -> list[str]:
    # the same number as M01's 0963106218, written another way
    line = append_row(folder, "members", "M21,Người Mới,+84 963 106 218,member,")
    return [f"members.csv:{line}: phone: duplicate phone (already on line 2)"]


def _bad_phone(folder: Path) -> list[str]:
    line = append_row(folder, "members", "M21,Người Mới,12345,member,")
    return [
        f'members.csv:{line}: phone: "12345" is not a Vietnamese phone number (e.g. 0912 345 678)'
    ]


def _bad_date(folder: Path) -> list[str]:
    line = append_row(folder, "assignments", "M21,O01,follow,2021-13-01,")
    append_row(folder, "members", "M21,Người Mới,0901111222,member,")
    return [
        f'assignments.csv:{line}: start: "2021-13-01" is not a date (use YYYY-MM-DD, e.g. 2021-12-05)'
    ]


def _end_before_start(folder: Path) -> list[str]:
    line = replace_row(folder, "assignments", "M19,O09,", "M19,O09,follow,2020-11-01,2020-10-31")
    return [f"assignments.csv:{line}: end: 2020-10-31 is before the start 2020-11-01"]


def _unknown_position(folder: Path) -> list[str]:
    line = append_row(folder, "members", "M21,Người Mới,0901111222,chair,")
    return [f'members.csv:{line}: position: "chair" is not one of: standing, member']


def _unknown_duty(folder: Path) -> list[str]:
    line = replace_row(folder, "assignments", "M19,O09,", "M19,O09,lead,2020-11-01,2021-11-15")
    return [f'assignments.csv:{line}: duty: "lead" is not one of: in_charge, follow']


def _unknown_kind(folder: Path) -> list[str]:
    line = append_row(folder, "organizations", "O17,Chi bộ mới,branch")
    return [f'organizations.csv:{line}: kind: "branch" is not one of: committee, cell']


def _missing_column(folder: Path) -> list[str]:
    lines = read_lines(folder, "members")
    write_lines(
        folder, "members", [",".join(line.split(",")[:2] + line.split(",")[3:]) for line in lines]
    )
    return ["members.csv:1: phone: missing column"]


def _empty_required_value(folder: Path) -> list[str]:
    line = append_row(folder, "members", "M21,,0901111222,member,")
    return [f"members.csv:{line}: full_name: empty (a value is required)"]


def _not_utf8(folder: Path) -> list[str]:
    raw = (folder / "members.csv").read_bytes()
    # M03's name as a Windows (cp1258 / latin-1 range) file would write "Lê": 0xEA, not UTF-8
    raw = raw.replace("Lê Quang Huy".encode(), "Lê Quang Huy".encode("cp1258"))
    (folder / "members.csv").write_bytes(raw)
    return ['members.csv:4: -: not UTF-8 text (in Excel: Save As "CSV UTF-8")']


def _too_many_values(folder: Path) -> list[str]:
    line = append_row(
        folder, "cells", "C0106,O01,Chi bộ Tổ dân phố số 9,,,Nhà văn hóa, phường Bồ Đề,no"
    )
    return [
        f"cells.csv:{line}: -: 8 values but the header has 7 columns"
        " (a comma inside a value needs quotes)"
    ]


def _missing_file(folder: Path) -> list[str]:
    (folder / "organizations.csv").unlink()
    return ["organizations.csv:0: -: missing (every roster needs this file)"]


def _unknown_column(folder: Path) -> list[str]:
    lines = read_lines(folder, "members")
    write_lines(folder, "members", [lines[0] + ",email", *lines[1:]])
    return [
        "members.csv:1: email: unknown column"
        " (expected: code, full_name, phone, position, language)"
    ]


def _overlapping_assignments(folder: Path) -> list[str]:
    first = line_of(folder, "assignments", "M01,O01,")
    line = append_row(folder, "assignments", "M01,O01,follow,2021-01-01,2021-06-30")
    return [
        f"assignments.csv:{line}: start: overlaps the assignment of the same member and"
        f" organization on line {first}"
    ]


def _meeting_of_unknown_cell(folder: Path) -> list[str]:
    line = append_row(folder, "meetings", "C9999,2021-12-05 08:00,,")
    return [f'meetings.csv:{line}: cell: unknown cell "C9999"']


def _duplicate_meeting(folder: Path) -> list[str]:
    # C0205's first meeting, 2021-07-04 08:00 (line 2), written the Vietnamese way
    line = append_row(folder, "meetings", "C0205,04/07/2021 08:00,Hội trường,")
    return [
        f"meetings.csv:{line}: starts_at: a second meeting of this cell at this time"
        " (already on line 2)"
    ]


def _two_rows_for_a_base_cell(folder: Path) -> list[str]:
    first = line_of(folder, "cells", "O10,")
    line = append_row(folder, "cells", "O10B,O10,Chi bộ thứ hai,,,,no")
    return [
        f"cells.csv:{line}: organization: O10 is a base cell (kind=cell) and already has its"
        f" cell on line {first}"
    ]


BAD_ROSTERS: dict[str, Edit] = {
    "unknown member": _unknown_member,
    "duplicate member code": _duplicate_member_code,
    "duplicate phone": _duplicate_phone,
    "bad phone": _bad_phone,
    "bad date": _bad_date,
    "end before start": _end_before_start,
    "unknown position": _unknown_position,
    "unknown duty": _unknown_duty,
    "unknown kind": _unknown_kind,
    "missing required column": _missing_column,
    "empty required value": _empty_required_value,
    "not UTF-8": _not_utf8,
    "too many values": _too_many_values,
    "missing required file": _missing_file,
    "unknown column": _unknown_column,
    "overlapping assignments": _overlapping_assignments,
    "meeting of unknown cell": _meeting_of_unknown_cell,
    "duplicate meeting": _duplicate_meeting,
    "two rows for a base cell": _two_rows_for_a_base_cell,
}


@pytest.mark.parametrize("edit", BAD_ROSTERS.values(), ids=BAD_ROSTERS.keys())
async def test_a_bad_roster_is_refused_whole_with_exact_problems(
    store: Store, config: Config, sample_roster_dir: Path, edit: Edit
) -> None:
    await imported(store, config)
    before = await dump(store)
    expected = edit(sample_roster_dir)

    with pytest.raises(RosterFileError) as caught:
        await import_roster(store, config, sample_roster_dir, LATER)

    assert problems_of(caught) == expected
    assert str(caught.value) == "\n".join(expected)
    assert await dump(store) == before


async def test_a_bad_roster_into_an_empty_database_leaves_it_empty(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    before = await dump(store)
    _unknown_member(sample_roster_dir)

    with pytest.raises(RosterFileError):
        await import_roster(store, config, sample_roster_dir, NOW)

    assert await dump(store) == before
    # Empty but for the schema's own bookkeeping.
    bookkeeping = {"schema_migrations", "roster_version"}
    assert all(rows == [] for table, rows in before.items() if table not in bookkeeping)


async def test_every_problem_is_reported_not_only_the_first(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await imported(store, config)
    before = await dump(store)
    expected = [
        *_bad_phone(sample_roster_dir),  # members.csv
        *_unknown_kind(sample_roster_dir),  # organizations.csv
        *_unknown_member(sample_roster_dir),  # assignments.csv
        *_end_before_start(sample_roster_dir),  # assignments.csv, an earlier line
        *_duplicate_meeting(sample_roster_dir),  # meetings.csv
    ]

    with pytest.raises(RosterFileError) as caught:
        await import_roster(store, config, sample_roster_dir, LATER)

    assert sorted(problems_of(caught)) == sorted(expected)
    assert all(PROBLEM_LINE.match(line) for line in problems_of(caught))
    assert await dump(store) == before


async def test_file_level_problems_of_several_files_are_all_reported(
    sample_roster_dir: Path,
) -> None:
    expected = [*_missing_column(sample_roster_dir), *_missing_file(sample_roster_dir)]
    expected += _not_utf8_cells(sample_roster_dir)

    with pytest.raises(RosterFileError) as caught:
        read_tables(sample_roster_dir)

    assert sorted(problems_of(caught)) == sorted(expected)


def _not_utf8_cells(folder: Path) -> list[str]:
    raw = (folder / "cells.csv").read_bytes()
    line = raw[: raw.index(b"C0301")].count(b"\n") + 1
    raw = raw.replace(b"C0301,O03,", b"C0301,O03,\xe9")
    (folder / "cells.csv").write_bytes(raw)
    return [f'cells.csv:{line}: -: not UTF-8 text (in Excel: Save As "CSV UTF-8")']


async def test_a_bad_member_row_does_not_make_its_assignments_unknown(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    """M03 is in members.csv (with a bad phone): only that line is the problem."""
    line = replace_row(sample_roster_dir, "members", "M03,", "M03,Lê Quang Huy,12345,standing,")

    with pytest.raises(RosterFileError) as caught:
        await import_roster(store, config, sample_roster_dir, NOW)

    assert problems_of(caught) == [
        f'members.csv:{line}: phone: "12345" is not a Vietnamese phone number (e.g. 0912 345 678)'
    ]


# -- what the office's tools write ---------------------------------------------------------


async def test_excel_bom_blank_lines_and_quoted_commas(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    members = sample_roster_dir / "members.csv"
    members.write_bytes(b"\xef\xbb\xbf" + members.read_bytes().replace(b"\n", b"\r\n"))
    lines = read_lines(sample_roster_dir, "cells")
    write_lines(
        sample_roster_dir, "cells", [lines[0], "", *lines[1:5], "   ", ",,,,,,", *lines[5:], ""]
    )
    venue = "Phòng họp tầng 2, UBND phường Bồ Đề"

    changes = await import_roster(store, config, sample_roster_dir, NOW)

    assert changes.added["members"] == 20
    assert changes.added["cells"] == 64
    roster = await store.roster.load()
    assert roster.members[0] == Member("M01", "Nguyễn Văn Thành", "0963106218", "standing", None)
    cells = {c.code: c for c in roster.cells}
    assert cells["C0101"].venue == venue
    # the BOM copy is the same roster as the sample
    assert (await import_roster(store, config, SAMPLE_DIR, LATER)).total == 0


async def test_problem_line_numbers_count_blank_lines(
    sample_roster_dir: Path, config: Config
) -> None:
    lines = read_lines(sample_roster_dir, "members")
    write_lines(sample_roster_dir, "members", [lines[0], "", "", *lines[1:], "M21,X,123,member,"])

    with pytest.raises(RosterFileError) as caught:
        parse_roster(read_tables(sample_roster_dir), config.committee.tz)

    assert problems_of(caught) == [
        'members.csv:24: phone: "123" is not a Vietnamese phone number (e.g. 0912 345 678)'
    ]


def _write_office_workbook(path: Path, tables: dict[str, list[list[object]]]) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in tables.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


async def test_xlsx_with_number_phones_and_date_cells(
    store: Store, config: Config, tmp_path: Path
) -> None:
    path = tmp_path / "office.xlsx"
    _write_office_workbook(
        path,
        {
            "members.csv": [
                ["code", "full_name", "phone", "position", "language"],
                ["M01", "Nguyễn Văn A", 912345678, "standing", None],
                ["M02", "Trần Thị B", 84987654321, "member", "en"],
            ],
            "Organizations": [
                ["code", "name", "kind"],
                ["O01", "Đảng bộ phường Bồ Đề", "committee"],
                ["O02", "Chi bộ Trường Mầm non", "cell"],
            ],
            "cells": [
                ["code", "organization", "name", "secretary_name", "secretary_phone", "venue"],
                ["C01", "O01", "Chi bộ số 1", "Lê Văn C", 988777666, "Nhà văn hóa, tổ 1"],
            ],
            "assignments": [
                ["member", "organization", "duty", "start", "end"],
                ["M01", "O01", "in_charge", datetime(2020, 11, 1), None],
                ["M02", "O02", "follow", datetime(2020, 11, 1), datetime(2021, 11, 15)],
            ],
            "meetings": [
                ["cell", "starts_at", "venue", "kind"],
                ["C01", datetime(2021, 12, 5, 8, 0), None, "regular"],
                ["O02", datetime(2021, 12, 31, 23, 30), "Phòng họp", "thematic"],
            ],
        },
    )

    changes = await import_roster(store, config, path, NOW)

    assert changes.added["members"] == 2
    roster = await store.roster.load()
    assert [(m.code, m.phone, m.language) for m in roster.members] == [
        ("M01", "0912345678", None),
        ("M02", "0987654321", "en"),
    ]
    assert [(c.code, c.secretary_phone, c.venue, c.implied) for c in roster.cells] == [
        ("C01", "0988777666", "Nhà văn hóa, tổ 1", False),
        ("O02", None, None, True),
    ]
    assert [(a.member, a.start, a.end) for a in roster.assignments] == [
        ("M01", date(2020, 11, 1), None),
        ("M02", date(2020, 11, 1), date(2021, 11, 15)),
    ]
    tz = config.committee.tz
    assert [
        (m.cell, m.starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")) for m in roster.meetings
    ] == [
        ("C01", "2021-12-05 08:00"),
        ("O02", "2021-12-31 23:30"),
    ]
    assert roster.meetings[1].starts_at == datetime(2021, 12, 31, 16, 30, tzinfo=UTC)
    # the same workbook again changes nothing
    assert (await import_roster(store, config, path, LATER)).total == 0


async def test_xlsx_problems_name_the_sheet(store: Store, config: Config, tmp_path: Path) -> None:
    path = tmp_path / "office.xlsx"
    _write_office_workbook(
        path,
        {
            "members": [["code", "full_name", "phone", "position"], ["M01", "A", 12, "standing"]],
            "organizations": [["code", "name", "kind"]],
            "cells": [["code", "organization", "name"]],
        },
    )
    before = await dump(store)

    with pytest.raises(RosterFileError) as caught:
        await import_roster(store, config, path, NOW)

    assert problems_of(caught) == [
        "office.xlsx[assignments]:0: -: missing (every roster needs this file)"
    ]
    assert await dump(store) == before


# -- base cells and people -----------------------------------------------------------------


async def test_a_base_cell_without_a_row_gets_an_implied_cell_that_is_not_exported(
    store: Store, config: Config, tmp_path: Path
) -> None:
    await imported(store, config)
    roster = await store.roster.load()
    cells = {c.code: c for c in roster.cells}

    assert cells["O11"] == Cell("O11", "O11", "Chi bộ Trạm Y tế phường Cự Khối", implied=True)
    assert cells["O10"].implied is False  # O10 has its row
    assert [m for m in roster.meetings if m.cell == "O11"]
    exported = tmp_path / "export"
    await export_roster_to(store, config, exported)
    cell_codes = [line.split(",")[0] for line in read_lines(exported, "cells")[1:]]
    assert "O10" in cell_codes
    assert not {"O11", "O13", "O15"} & set(cell_codes)
    assert any(line.startswith("O11,") for line in read_lines(exported, "meetings"))


async def test_a_member_who_is_also_a_secretary_is_one_person(store: Store, config: Config) -> None:
    await imported(store, config)

    person = await store.people.by_phone("0912626053")
    assert person is not None
    assert person.member_code == "M14"
    assert person.name == "Nguyễn Thị Hồng Nhung"
    secretary_id = await store.db.fetchval("SELECT secretary_id FROM cells WHERE code = 'C0603'")
    assert secretary_id == person.id
    assert await store.people.secretary_of_cell("C0603") == person
    assert await store.db.fetchval("SELECT count(*) FROM people WHERE phone = '0912626053'") == 1


async def test_reading_a_path_that_is_neither_folder_nor_workbook(tmp_path: Path) -> None:
    path = tmp_path / "roster.txt"
    path.write_text("hello", encoding="utf-8")

    with pytest.raises(RosterFileError) as caught:
        read_tables(path)

    assert problems_of(caught) == [f"{path}:0: -: not a folder of CSV files or an .xlsx workbook"]
