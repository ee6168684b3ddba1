"""Roster files on disk: a folder of CSV files or one .xlsx workbook, read into plain tables.

Reading only splits the file into rows of text with their line numbers; what the values mean
is checked in bot.roster.parse, so both formats get exactly the same checks and messages.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from bot.printing import PAGE, PAGES, lay_out


@dataclass(frozen=True)
class FileSpec:
    name: str  # "members": members.csv, or the sheet "members"
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    optional_file: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


SPECS = (
    FileSpec("members", ("code", "full_name", "phone", "position"), ("language",)),
    FileSpec("organizations", ("code", "name", "kind")),
    FileSpec(
        "cells",
        ("code", "organization", "name"),
        ("secretary_name", "secretary_phone", "venue", "flagged"),
    ),
    FileSpec("assignments", ("member", "organization", "duty", "start"), ("end",)),
    FileSpec("meetings", ("cell", "starts_at"), ("venue", "kind"), optional_file=True),
)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class RosterFileError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems

    def __reduce__(self) -> tuple:
        # Whole, out of the worker process that reads an upload (bot.roster.upload).
        return type(self), (self.problems,)


@dataclass
class Table:
    label: str  # how problems name the file: "members.csv" or "roster.xlsx[members]"
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, column -> stripped text)


def read_tables(path: Path) -> dict[str, Table]:
    """Read every roster file under PATH; raise RosterFileError listing each fault found."""
    if path.is_dir():
        reader, labels = _read_csv, {spec.name: f"{spec.name}.csv" for spec in SPECS}
    elif path.suffix.lower() == ".xlsx" and path.is_file():
        reader, labels = _workbook_reader(path)
    else:
        raise RosterFileError(
            [Problem(str(path), 0, "-", "not a folder of CSV files or an .xlsx workbook")]
        )
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    for spec in SPECS:
        label = labels[spec.name]
        try:
            table = reader(path, spec, label)
        except _Missing:
            if not spec.optional_file:
                problems.append(Problem(label, 0, "-", "missing (every roster needs this file)"))
            continue
        except RosterFileError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(_check_header(spec, table))
        tables[spec.name] = table
    if problems:
        raise RosterFileError(problems)
    return tables


class _Missing(Exception):
    pass


def _check_header(spec: FileSpec, table: Table) -> list[Problem]:
    problems = [
        Problem(table.label, 1, column, "missing column")
        for column in spec.required
        if column not in table.header
    ]
    expected = ", ".join(spec.columns)
    seen: set[str] = set()
    for column in table.header:
        if column not in spec.columns:
            problems.append(
                Problem(table.label, 1, column or "-", f"unknown column (expected: {expected})")
            )
        elif column in seen:
            problems.append(Problem(table.label, 1, column, "column given twice"))
        seen.add(column)
    return problems


def _read_csv(folder: Path, spec: FileSpec, label: str) -> Table:
    file = folder / label
    if not file.is_file():
        raise _Missing
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RosterFileError(
            [Problem(label, line, "-", 'not UTF-8 text (in Excel: Save As "CSV UTF-8")')]
        ) from None
    separator = _separator(text.partition("\n")[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    line = 0
    try:
        header = next(reader, [])
        line = reader.line_num
        for values in reader:
            rows.append((line + 1, values))  # a quoted value may span lines: where it starts
            line = reader.line_num
    except csv.Error as exc:  # in a roster, only a quote never closed runs a value that long
        raise RosterFileError(
            [Problem(label, line + 1, "-", f'{exc}: is the closing quote (") of a value missing?')]
        ) from None
    return _table(label, header, rows, _SEPARATORS[separator])


# Excel writes "CSV" with the list separator of the regional settings: ";" under Vietnamese
# ones (where "," is the decimal mark). Header names never hold a separator, so the header
# line says which one the file uses.
_SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}


def _separator(header_line: str) -> str:
    """The separator the header line uses most (a comma when none stands out)."""
    return max(_SEPARATORS, key=header_line.count)  # max keeps the first of equals: ","


def _workbook_reader(path: Path):
    """Read the workbook's sheets up front (and close it); return a reader like _read_csv's."""
    # openpyxl is imported here, not at the top: loading it slows every command's start.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheets = {
                _nfc(name.strip().lower()).removesuffix(".csv"): name
                for name in workbook.sheetnames
            }
            contents = {
                spec.name: _sheet_texts(workbook[sheets[spec.name]])
                for spec in SPECS
                if spec.name in sheets
            }
        finally:
            workbook.close()
    except zipfile.BadZipFile:
        raise RosterFileError([Problem(path.name, 0, "-", _NOT_A_WORKBOOK)]) from None
    # Read-only sheets are read from the zip as they are parsed: a file cut short fails here,
    # in the inflating (zlib.error, EOFError) or in the XML (ParseError is a SyntaxError).
    except (
        InvalidFileException,
        OSError,
        KeyError,
        ValueError,
        EOFError,
        zlib.error,
        SyntaxError,
    ) as exc:
        raise RosterFileError(
            [Problem(path.name, 0, "-", f"cannot read the workbook ({exc}): {_SAVE_AGAIN}")]
        ) from None
    labels = {spec.name: f"{path.name}[{spec.name}]" for spec in SPECS}

    def read(_: Path, spec: FileSpec, label: str) -> Table:
        if spec.name not in contents:
            raise _Missing
        header, *rows = contents[spec.name] or [[]]
        while header and header[-1] == "":
            header.pop()
        # Spreadsheets pad rows with empty cells; only values beyond the header count.
        trimmed = [(line, _drop_trailing_empty(values)) for line, values in enumerate(rows, 2)]
        return _table(label, header, trimmed)

    return read, labels


_SAVE_AGAIN = 'open it in Excel and save it again as "Excel Workbook (.xlsx)"'
_NOT_A_WORKBOOK = (
    "not an .xlsx workbook, or only part of one (an old .xls, a password-protected file, a"
    f" renamed file, a copy cut short?): {_SAVE_AGAIN}"
)


def _sheet_texts(sheet) -> list[list[str]]:
    # A sheet's <dimension> tag is what the writing program claimed, and some claim less than
    # they wrote (openpyxl's read-only max_row and max_column come from it): read every row
    # and cell that is there instead.
    sheet.reset_dimensions()
    return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def _drop_trailing_empty(values: list[str]) -> list[str]:
    while values and values[-1] == "":
        values = values[:-1]
    return values


def _table(
    label: str, header: list[str], rows: list[tuple[int, list[str]]], separator: str = "comma"
) -> Table:
    """A Table of stripped NFC values by column; blank rows skipped, overlong rows reported."""
    header = [_nfc(column.strip()) for column in header]
    table = Table(label, header, [])
    problems = []
    for line, values in rows:
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(header):
            problems.append(
                Problem(
                    label,
                    line,
                    "-",
                    f"{len(values)} values but the header has {len(header)} columns"
                    f" (a {separator} inside a value needs quotes)",
                )
            )
            continue
        table.rows.append(
            (line, {c: _nfc(v.strip()) for c, v in zip(header, values, strict=False)})
        )
    if problems:
        raise RosterFileError(problems)
    return table


def _nfc(text: str) -> str:
    """TEXT composed (NFC): "Không" typed as "Kho" + U+0302 + U+0301 + "ng" is the same word."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


_HALF_MINUTE = timedelta(seconds=30)


def _cell_text(value: object) -> str:
    """Text of a spreadsheet cell as it would read in a CSV file.

    Date and time cells are numbers of days that programs store a hair off (07:59:59.99 for
    08:00): they read to the nearest minute. A date cell holds 00:00, so that reads as the date
    alone, and a cell holding only a time as the time alone; bot.roster.parse decides what a
    column accepts, naming the value as read here.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (value + _HALF_MINUTE).replace(second=0, microsecond=0)
        if value.time() == time():
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def write_tables(
    path: Path,
    tables: dict[str, tuple[list[str], list[list[str]]]],
    printed: Printed | None = None,
) -> None:
    """Write TABLES (name -> header, rows) as PATH.xlsx, or as CSV files in the folder PATH.
    A workbook's sheets print as bot.printing lays them out, with PRINTED's words."""
    if path.suffix.lower() == ".xlsx":
        _write_workbook(path, tables, printed or Printed())
        return
    path.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in tables.items():
        with (path / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)


@dataclass(frozen=True)
class Printed:
    """What a printed workbook's pages say: a heading per sheet (by name; the sheet's name when
    none) and the footer (bot.printing's PAGE and PAGES in it)."""

    headings: dict[str, str] = field(default_factory=dict)
    footer: str = f"{PAGE}/{PAGES}"


def _write_workbook(
    path: Path, tables: dict[str, tuple[list[str], list[list[str]]]], printed: Printed
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in tables.items():
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)  # all text: phones keep their leading zero
        for index, column in enumerate(header, start=1):
            width = max([len(column), *(len(row[index - 1]) for row in rows[:500])]) + 2
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width, 60)
        sheet.freeze_panes = "A2"
        lay_out(sheet, printed.headings.get(name, name), printed.footer)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
