"""Check roster tables and turn them into a Roster, collecting every problem, not the first."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.local_time import parse_local_time
from bot.core.phones import normalize_phone
from bot.core.roster import Assignment, Cell, Meeting, Member, Organization, Roster
from bot.roster.files import Problem, RosterFileError, Table

_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,32}$")
# A day as the office writes it: ISO, or day first as Excel under Vietnamese regional settings
# saves a date cell to CSV (the form meetings and chat also take).
_DAY = r"(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})"
_DAY_ONLY = re.compile(rf"^{_DAY}$")
# What a spreadsheet's date cells holding a time read as (bot.roster.files._cell_text).
_DAY_AND_TIME = re.compile(rf"^{_DAY}[ T]\d{{1,2}}:\d{{2}}$")
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
MAX_TEXT = 200
_YES = {"yes", "y", "true", "1", "có", "co", "x"}
_NO = {"no", "n", "false", "0", "không", "khong", ""}


class _Bad(ValueError):
    """A value that is wrong; its text is the problem as the user reads it."""


def parse_roster(tables: dict[str, Table], tz: ZoneInfo) -> Roster:
    """Return the roster the tables describe, or raise RosterFileError with every problem."""
    checker = _Checker()
    members = checker.rows(tables["members"], _member)
    _unique(checker, tables["members"], members, "code", lambda m: m.code)
    _unique(checker, tables["members"], members, "phone", lambda m: m.phone)

    organizations = checker.rows(tables["organizations"], _organization)
    _unique(checker, tables["organizations"], organizations, "code", lambda o: o.code)
    org_by_code = {org.code: org for _, org in organizations}

    # References are checked against every code the files give, even on rows with another
    # problem: a bad phone on M03 is one problem, not one more per assignment of M03.
    known_orgs = _raw_codes(tables["organizations"])
    cells = checker.rows(tables["cells"], _cell)
    _check_cells(checker, tables["cells"], cells, org_by_code, known_orgs)
    all_cells = [cell for _, cell in cells] + _implied_cells(cells, org_by_code)
    base_cells = {
        v.get("code", "") for _, v in tables["organizations"].rows if v.get("kind") == "cell"
    }
    cell_codes = _raw_codes(tables["cells"]) | base_cells

    assignments = checker.rows(tables["assignments"], _assignment)
    _check_assignments(
        checker, tables["assignments"], assignments, _raw_codes(tables["members"]), known_orgs
    )

    meetings: list[tuple[int, Meeting]] = []
    if "meetings" in tables:
        meetings = checker.rows(tables["meetings"], lambda row: _meeting(row, tz))
        for line, meeting in meetings:
            if meeting.cell not in cell_codes:
                checker.add(tables["meetings"], line, "cell", f'unknown cell "{meeting.cell}"')
        _unique(
            checker,
            tables["meetings"],
            meetings,
            "starts_at",
            lambda m: (m.cell, m.starts_at),
            "a second meeting of this cell at this time",
        )

    if checker.problems:
        raise RosterFileError(checker.problems)
    return Roster(
        members=[m for _, m in members],
        organizations=[o for _, o in organizations],
        cells=all_cells,
        assignments=[a for _, a in assignments],
        meetings=[m for _, m in meetings],
    )


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, table: Table, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(table.label, line, column, message))

    def rows(self, table: Table, build: Callable[[_Row], Any]) -> list[tuple[int, Any]]:
        """Build one value per row; rows with a problem are reported and left out."""
        built = []
        for line, values in table.rows:
            row = _Row(values)
            value = build(row)
            if row.problems:
                self.problems.extend(Problem(table.label, line, c, m) for c, m in row.problems)
            else:
                built.append((line, value))
        return built


class _Row:
    """One row's values; each getter records a problem instead of raising."""

    def __init__(self, values: dict[str, str]):
        self.values = values
        self.problems: list[tuple[str, str]] = []

    def get(
        self, column: str, convert: Callable[[str], Any] = str, *, required: bool = True
    ) -> Any:
        text = self.values.get(column, "")
        if text == "":
            if required:
                self.problems.append((column, "empty (a value is required)"))
            return None
        try:
            return convert(text)
        except ValueError as exc:
            self.problems.append((column, str(exc)))
            return None


def _code(text: str) -> str:
    if not _CODE.match(text):
        raise _Bad(f'"{text}" is not a code (letters, digits, "-", "_" or ".", at most 32)')
    return text


def _text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise _Bad(f"too long ({len(text)} characters, at most {MAX_TEXT})")
    return text


def _choice(*allowed: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if text not in allowed:
            raise _Bad(f'"{text}" is not one of: {", ".join(allowed)}')
        return text

    return check


def _yes_no(text: str) -> bool:
    lowered = text.lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise _Bad(f'"{text}" is not yes or no')


def _date(text: str) -> date:
    try:
        if _DAY_ONLY.match(text):
            if "/" in text:
                day, month, year = map(int, text.split("/"))
                return date(year, month, day)
            return date.fromisoformat(text)
    except ValueError:
        pass
    if _DAY_AND_TIME.match(text):
        raise _Bad(
            f'"{text}" is a date and a time; give the date alone (YYYY-MM-DD, e.g. 2021-12-05)'
        )
    if _TIME_ONLY.match(text):
        raise _Bad(f'"{text}" is a time, not a date (use YYYY-MM-DD, e.g. 2021-12-05)')
    raise _Bad(f'"{text}" is not a date (use YYYY-MM-DD, e.g. 2021-12-05)')


def _local_time(tz: ZoneInfo) -> Callable[[str], datetime]:
    def convert(text: str) -> datetime:
        if _DAY_ONLY.match(text):
            raise _Bad(
                f'"{text}" is a date without the time of the meeting'
                " (use YYYY-MM-DD HH:MM, e.g. 2021-12-05 08:00)"
            )
        if _TIME_ONLY.match(text):
            raise _Bad(
                f'"{text}" is a time without the date (use YYYY-MM-DD HH:MM, e.g. 2021-12-05 08:00)'
            )
        return parse_local_time(text, tz)

    return convert


def _member(row: _Row) -> Member:
    language = row.get("language", _choice("vi", "en"), required=False)
    return Member(
        code=row.get("code", _code),
        full_name=row.get("full_name", _text),
        phone=row.get("phone", normalize_phone),
        position=row.get("position", _choice("standing", "member")),
        language=language,
    )


def _organization(row: _Row) -> Organization:
    return Organization(
        code=row.get("code", _code),
        name=row.get("name", _text),
        kind=row.get("kind", _choice("committee", "cell")),
    )


def _cell(row: _Row) -> Cell:
    return Cell(
        code=row.get("code", _code),
        organization=row.get("organization", _code),
        name=row.get("name", _text),
        secretary_name=row.get("secretary_name", _text, required=False),
        secretary_phone=row.get("secretary_phone", normalize_phone, required=False),
        venue=row.get("venue", _text, required=False),
        flagged=bool(row.get("flagged", _yes_no, required=False)),
    )


def _assignment(row: _Row) -> Assignment:
    start = row.get("start", _date)
    end = row.get("end", _date, required=False)
    if start and end and end < start:
        row.problems.append(("end", f"{end.isoformat()} is before the start {start.isoformat()}"))
    return Assignment(
        member=row.get("member", _code),
        organization=row.get("organization", _code),
        duty=row.get("duty", _choice("in_charge", "follow")),
        start=start,
        end=end,
    )


def _meeting(row: _Row, tz: ZoneInfo) -> Meeting:
    return Meeting(
        cell=row.get("cell", _code),
        starts_at=row.get("starts_at", _local_time(tz)),
        venue=row.get("venue", _text, required=False),
        kind=row.get("kind", _choice("regular", "thematic"), required=False) or "regular",
    )


def _unique(
    checker: _Checker,
    table: Table,
    rows: list[tuple[int, Any]],
    column: str,
    key: Callable[[Any], Any],
    what: str | None = None,
) -> None:
    first_line: dict[Any, int] = {}
    for line, value in rows:
        k = key(value)
        if k in first_line:
            checker.add(
                table,
                line,
                column,
                f"{what or 'duplicate ' + column} (already on line {first_line[k]})",
            )
        else:
            first_line[k] = line


def _raw_codes(table: Table) -> set[str]:
    return {values.get("code", "") for _, values in table.rows}


def _check_cells(
    checker: _Checker,
    table: Table,
    cells: list[tuple[int, Cell]],
    orgs: dict[str, Organization],
    known_orgs: set[str],
) -> None:
    _unique(checker, table, cells, "code", lambda c: c.code)
    own_cell_line: dict[str, int] = {}
    for line, cell in cells:
        org = orgs.get(cell.organization)
        if cell.organization not in known_orgs:
            checker.add(table, line, "organization", f'unknown organization "{cell.organization}"')
        elif org is not None and org.kind == "cell":
            if cell.organization in own_cell_line:
                checker.add(
                    table,
                    line,
                    "organization",
                    f"{org.code} is a base cell (kind=cell) and already has its cell on"
                    f" line {own_cell_line[org.code]}",
                )
            own_cell_line.setdefault(org.code, line)
        if cell.code in orgs and cell.code != cell.organization and orgs[cell.code].kind == "cell":
            checker.add(
                table, line, "code", f"{cell.code} is already the cell of base cell {cell.code}"
            )


def _implied_cells(cells: list[tuple[int, Cell]], orgs: dict[str, Organization]) -> list[Cell]:
    has_row = {cell.organization for _, cell in cells}
    return [
        Cell(code=org.code, organization=org.code, name=org.name, implied=True)
        for org in orgs.values()
        if org.kind == "cell" and org.code not in has_row
    ]


def _check_assignments(
    checker: _Checker,
    table: Table,
    rows: list[tuple[int, Assignment]],
    members: set[str],
    orgs: set[str],
) -> None:
    _unique(
        checker,
        table,
        rows,
        "start",
        lambda a: a.key,
        "a second assignment of this member to this organization from this date",
    )
    by_pair: dict[tuple[str, str], list[tuple[int, Assignment]]] = {}
    for line, assignment in rows:
        if assignment.member not in members:
            checker.add(table, line, "member", f'unknown member "{assignment.member}"')
        if assignment.organization not in orgs:
            checker.add(
                table, line, "organization", f'unknown organization "{assignment.organization}"'
            )
        by_pair.setdefault((assignment.member, assignment.organization), []).append(
            (line, assignment)
        )
    for periods in by_pair.values():
        periods.sort(key=lambda item: item[1].start)
        for (line_a, a), (line_b, b) in itertools.pairwise(periods):
            if a.start != b.start and (a.end is None or a.end >= b.start):
                checker.add(
                    table,
                    line_b,
                    "start",
                    f"overlaps the assignment of the same member and organization on line {line_a}",
                )
