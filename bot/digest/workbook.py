"""The digest's workbook: an Excel file the office can filter and print, one sheet per list.

Written directly as SpreadsheetML in a zip (see the note above _write_xlsx), every value
as text or a number, never a formula. Each sheet is named in the reader's language, has an
autofilter on its table, and prints landscape on A4, one page wide, its header row on every
page (bot.printing).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from bot.core.checkins import RATINGS
from bot.core.i18n import Translator
from bot.digest.model import Digest
from bot.digest.text import why_unreachable
from bot.digest.whole_file import write_whole
from bot.printing import PAGE, PAGES, SHEET_PROPERTIES, defined_names, print_setup

SHEETS = ("members", "organizations", "visits", "notes", "unreachable")
# Where the photos' files are, beside the database (storage.store): the notes sheet names them
# by their path from there.
PHOTOS_FOLDER = "photos"
DATE_FORMAT = "dd/mm/yyyy hh:mm"


def write_workbook(digest: Digest, path: Path, t: Translator) -> None:
    """Sheets members, organizations, visits, notes and unreachable (everyone the bot cannot
    write to: the chat text lists only the first of them), in that order; their names,
    headers and printed titles in T's language."""
    columns_and_rows = {
        "members": (_MEMBER_COLUMNS, _member_rows(digest, t)),
        "organizations": (_ORGANIZATION_COLUMNS, _organization_rows(digest, t)),
        "visits": (_VISIT_COLUMNS, _visit_rows(digest, t)),
        "notes": (_NOTE_COLUMNS, _note_rows(digest, t)),
        "unreachable": (_UNREACHABLE_COLUMNS, _unreachable_rows(digest, t)),
    }
    heading = f"{digest.committee} · {t.quarter(digest.quarter)}"
    sheets = [
        Sheet(
            sheet_title(name, t),
            f"{heading} · {sheet_title(name, t)}",
            [(t(key), width) for key, width in columns_and_rows[name][0]],
            columns_and_rows[name][1],
        )
        for name in SHEETS
    ]
    footer = t("workbook.page_of", page=PAGE, pages=PAGES)
    write_whole(path, lambda target: _write_xlsx(target, sheets, footer))


def sheet_title(name: str, t: Translator) -> str:
    """The name of the sheet NAME (one of SHEETS) in T's language."""
    return t(f"digest.sheet_{name}")


@dataclass(frozen=True)
class Sheet:
    title: str  # the sheet's name on its tab (at most 31 characters, none of []:*?/\\)
    heading: str  # printed at the top of each page
    columns: list[tuple[str, float]]  # (header, width in characters)
    rows: Iterable[list[Cell]]


# (header key, column width)
_MEMBER_COLUMNS = [
    ("digest.col_code", 10),
    ("digest.col_name", 28),
    ("digest.col_position", 22),
    ("digest.col_required", 9),
    ("digest.col_covered", 9),
    ("digest.col_pending", 12),
    ("digest.col_missed", 9),
    ("digest.col_missed_organizations", 28),
    ("digest.col_reachable", 16),
]
_ORGANIZATION_COLUMNS = [
    ("digest.col_code", 10),
    ("digest.col_organization_name", 40),
    ("digest.col_kind", 16),
    ("digest.col_cells", 10),
    ("digest.col_cells_visited", 12),
    ("digest.col_flagged", 12),
    ("digest.col_flagged_visited", 14),
    ("digest.col_flagged_not_visited", 28),
    ("digest.col_photos", 8),
]
_VISIT_COLUMNS = [
    ("digest.col_meeting", 17),
    ("digest.col_member", 10),
    ("digest.col_member_name", 28),
    ("digest.col_organization", 10),
    ("digest.col_organization_name", 36),
    ("digest.col_cell", 10),
    ("digest.col_cell_name", 30),
    ("digest.col_status", 16),
    ("digest.col_has_note", 10),
    ("digest.col_decided_by", 28),
    ("digest.col_decided_role", 18),
    ("digest.col_decided_at", 17),
]
_NOTE_COLUMNS = [
    ("digest.col_meeting", 17),
    ("digest.col_member", 10),
    ("digest.col_member_name", 28),
    ("digest.col_organization", 10),
    ("digest.col_cell", 10),
    ("digest.col_cell_name", 30),
    ("digest.col_rating", 12),
    ("digest.col_steps_kept", 10),
    ("digest.col_difficulties_raised", 12),
    ("digest.col_note", 60),
    ("digest.col_photo_files", 40),
]

_UNREACHABLE_COLUMNS = [
    ("digest.col_name", 28),
    ("digest.col_member", 10),
    ("digest.col_secretary_of", 24),
    ("digest.col_reason", 30),
]


def _member_rows(digest: Digest, t: Translator) -> Iterator[list[Cell]]:
    unreachable = digest.unreachable_members
    positions = {p: t(f"digest.position_{p}") for p in ("standing", "member")}
    reachability = {r: t(f"digest.reachable_{r}") for r in ("yes", "not_linked", "blocked")}
    for member in digest.coverage.members:
        counts = dict.fromkeys(("covered", "pending", "missed"), 0)
        for pair in member.organizations:
            counts[pair.status] += 1
        person = unreachable.get(member.code)
        yield [
            member.code,
            member.name,
            positions.get(digest.member_positions.get(member.code, ""), ""),
            len(member.organizations),
            counts["covered"],
            counts["pending"],
            counts["missed"],
            ", ".join(p.organization for p in member.organizations if p.status == "missed"),
            reachability["yes" if person is None else person.reason],
        ]


def _organization_rows(digest: Digest, t: Translator) -> Iterator[list[Cell]]:
    kinds = {k: t(f"digest.kind_{k}") for k in ("committee", "cell")}
    photos = digest.photos_by_organization
    for org in digest.coverage.organizations:
        yield [
            org.code,
            org.name,
            kinds.get(digest.organization_kinds.get(org.code, ""), ""),
            org.cells,
            org.cells_visited,
            len(org.flagged_cells),
            len(org.flagged_visited),
            ", ".join(c for c in org.flagged_cells if c not in org.flagged_visited),
            photos[org.code],
        ]


def _visit_rows(digest: Digest, t: Translator) -> Iterator[list[Cell]]:
    tz = t.tz
    statuses = {s: t(f"digest.status_{s}") for s in ("confirmed", "pending", "denied")}
    roles = {r: t(f"digest.role_{r}") for r in ("secretary", "admin")}
    yes, no = t("note.yes"), t("note.no")
    for v in digest.visits:
        by = v.decided_by_name and f"{v.decided_by_name} ({v.decided_by_code})"
        yield [
            v.meeting_at.astimezone(tz),  # shown as the local time it was
            v.member_code,
            v.member_name,
            v.organization_code,
            v.organization_name,
            v.cell_code,
            v.cell_name,
            statuses[v.status],
            yes if v.rating is not None else no,
            by,
            roles.get(v.decided_role or ""),
            v.decided_at and v.decided_at.astimezone(tz),
        ]


def _note_rows(digest: Digest, t: Translator) -> Iterator[list[Cell]]:
    tz = t.tz
    ratings = {r: t(f"note.rating_{r}") for r in RATINGS}
    yes, no = t("note.yes"), t("note.no")
    for v in digest.noted:
        rated = v.rating is not None  # else photos sent with a note not finished
        yield [
            v.meeting_at.astimezone(tz),  # shown as the local time it was
            v.member_code,
            v.member_name,
            v.organization_code,
            v.cell_code,
            v.cell_name,
            ratings[v.rating] if rated else "",
            (yes if v.steps_kept else no) if rated else "",
            (yes if v.difficulties_raised else no) if rated else "",
            v.note or "",
            ", ".join(f"{PHOTOS_FOLDER}/{name}" for name in v.photos),
        ]


def _unreachable_rows(digest: Digest, t: Translator) -> Iterator[list[Cell]]:
    for person in digest.unreachable:
        yield [
            person.name,
            person.member_code or "",
            ", ".join(person.cells),
            why_unreachable(person, t),
        ]


# -- the .xlsx package ------------------------------------------------------------------------
# Written directly (SpreadsheetML in a zip, inline strings): openpyxl, even in write-only mode
# with lxml, spends so long on each cell that a city's quarter of visits and notes takes
# seconds; these few strings write the same rows many times faster (bench/digest.py).
# openpyxl reads them back in the tests.

Cell = str | int | float | datetime | None
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_DATE_STYLE, _HEADER_STYLE = 1, 2  # positions in cellXfs above
# Day 0 of Excel's 1900 date system. Excel has no time zones: a cell holds the wall-clock
# time it shows, so times are compared here as if both were UTC.
_EXCEL_EPOCH = datetime(1899, 12, 30, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_MICROSECONDS_PER_DAY = 86_400_000_000
# Characters XML 1.0 cannot carry at all (a note typed in chat could hold one).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ROWS_PER_WRITE = 1000


def _write_xlsx(path: Path, sheets: list[Sheet], footer: str) -> None:
    """A workbook of SHEETS, each with its header row frozen, filtered and printed on every
    page, and FOOTER (with &P, &N: the page and the pages) at the foot of each page."""
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    listed = "".join(
        f'<sheet name="{escape(sheet.title)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, sheet in enumerate(sheets, 1)
    )
    links = "".join(
        f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml"'
        f' Type="{_RELATIONSHIPS}/worksheet"/>'
        for n in range(1, len(sheets) + 1)
    )
    links += f'<Relationship Id="rId0" Target="styles.xml" Type="{_RELATIONSHIPS}/styles"/>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr(
            "[Content_Types].xml",
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels"'
            ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{types}</Types>",
        )
        package.writestr(
            "_rels/.rels",
            f'{_XML}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1"'
            f' Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_XML}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">{links}</Relationships>',
        )
        package.writestr("xl/styles.xml", _STYLES)
        tables = []
        for n, sheet in enumerate(sheets, 1):
            with package.open(f"xl/worksheets/sheet{n}.xml", "w") as part:
                tables.append(_write_sheet(part, sheet, footer))
        # After the sheets: the names of their tables' ranges need each table's last row.
        names = "".join(
            defined_names(index, sheet.title, table)
            for index, (sheet, table) in enumerate(zip(sheets, tables, strict=True))
        )
        package.writestr(
            "xl/workbook.xml",
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            f"<sheets>{listed}</sheets><definedNames>{names}</definedNames></workbook>",
        )


def _write_sheet(part: IO[bytes], sheet: Sheet, footer: str) -> str:
    """Write SHEET; return the reference of its table (header and rows: "A1:J40")."""
    columns = sheet.columns
    letters = [_column_letter(n) for n in range(len(columns))]
    widths = "".join(
        f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
        for n, (_, width) in enumerate(columns, 1)
    )
    batch = [
        f'{_XML}<worksheet xmlns="{_MAIN}">{SHEET_PROPERTIES}'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>',
        _row(1, letters, [header for header, _ in columns], _HEADER_STYLE),
    ]
    last = 1
    for last, row in enumerate(sheet.rows, 2):
        batch.append(_row(last, letters, row))
        if len(batch) >= _ROWS_PER_WRITE:
            part.write("".join(batch).encode())
            batch.clear()
    table = f"A1:{letters[-1]}{last}"
    batch.append(f'</sheetData><autoFilter ref="{table}"/>{print_setup(sheet.heading, footer)}')
    batch.append("</worksheet>")
    part.write("".join(batch).encode())
    return table


def _row(number: int, letters: list[str], values: list[Cell], style: int = 0) -> str:
    cells = "".join(
        _cell(f"{letter}{number}", value, style)
        for letter, value in zip(letters, values, strict=True)
        if value is not None and value != ""
    )
    return f'<row r="{number}">{cells}</row>'


def _cell(ref: str, value: Cell, style: int) -> str:
    styled = f' s="{style}"' if style else ""
    if isinstance(value, str):
        # An inline string is never read as a formula: a note typed as "=HYPERLINK(...)" stays
        # text, which no string cell of openpyxl or a CSV would guarantee.
        text = _NOT_XML.sub("", escape(value))
        return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{excel_serial(value)!r}</v></c>'
    if isinstance(value, bool | int | float):
        return f'<c r="{ref}"{styled}><v>{int(value) if isinstance(value, bool) else value}</v></c>'
    raise TypeError(f"no cell for {value!r}")


def excel_serial(value: datetime) -> float:
    """VALUE's serial number of days, never below the exact one.

    A time is a fraction of a day no float holds exactly (08:00 is 1/3), and spreadsheets
    show hh:mm by cutting off the seconds: a serial a hair below 08:00 shows as 07:59. So
    this is the float nearest the exact serial, or the next one up when that is below it
    (_cell writes it in full, with repr, so the file holds that very float).
    """
    microseconds = (value.replace(tzinfo=UTC) - _EXCEL_EPOCH) // _MICROSECOND
    days = microseconds / _MICROSECONDS_PER_DAY
    numerator, denominator = days.as_integer_ratio()  # the float exactly
    if numerator * _MICROSECONDS_PER_DAY < microseconds * denominator:
        days = math.nextafter(days, math.inf)
    return days


def _column_letter(index: int) -> str:
    """A, B, ... Z, AA, ...: the column's name for 0-based INDEX."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name
