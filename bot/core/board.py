"""The office's board as data: who is signed in, and the quarter's lists as the office reads
them (filtered, searched, sorted, a page at a time). Pure: the pages render what this returns.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Generic, Literal, TypeVar

from bot.core.coverage import QuarterCoverage, Status

T = TypeVar("T")
PAGE_SIZE = 50  # rows of a list on one page: a city's 3,000 organizations are 60 pages

View = Literal["members", "organizations"]
Duty = Literal["", "in_charge", "follow"]
SORTS: dict[View, tuple[str, ...]] = {
    "members": ("code", "name", "missed"),
    "organizations": ("code", "name", "missed", "visited"),
}


@dataclass(frozen=True)
class WebSession:
    person_id: int
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class BoardAdmin:
    """An admin signed in to the board."""

    person_id: int
    name: str
    language: str
    member_code: str | None
    csrf_token: str  # every form of the session carries it back


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int  # 1-based
    pages: int
    total: int


def page_of(items: Sequence[T], number: int, size: int = PAGE_SIZE) -> Page[T]:
    """Page NUMBER of ITEMS (a number out of range gives the nearest page)."""
    number, pages, offset = page_bounds(len(items), number, size)
    return Page(list(items[offset : offset + size]), number, pages, len(items))


def page_bounds(total: int, number: int, size: int = PAGE_SIZE) -> tuple[int, int, int]:
    """(page number, pages, offset of its first item) of page NUMBER among TOTAL items; a
    number out of range gives the nearest page."""
    pages = max(1, math.ceil(total / size))
    number = min(max(number, 1), pages)
    return number, pages, (number - 1) * size


# Kept for every name of a city (members and organizations), whose every search and sort by
# name would otherwise fold them all again.
@lru_cache(maxsize=16_384)
def folded(text: str) -> str:
    """TEXT for matching as people type on a phone: lower case, without diacritics
    ("Nguyễn Văn Đức" matches "nguyen van duc")."""
    text = text.lower().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@dataclass(frozen=True)
class BoardQuery:
    """What the office asked the board to show (from the page's address)."""

    view: View = "members"
    flagged: bool = False  # only organizations with flagged cells (and members assigned there)
    missed: bool = False  # only those with a required visit not yet made
    duty: Duty = ""  # only assignments with this duty
    search: str = ""
    sort: str = "code"
    page: int = 1

    @classmethod
    def read(cls, values: Mapping[str, str]) -> BoardQuery:
        """From an address's query; what is not understood is left at its default."""
        view: View = "organizations" if values.get("view") == "organizations" else "members"
        duty = values.get("duty", "")
        sort = values.get("sort", "code")
        page = values.get("page", "1")
        return cls(
            view=view,
            flagged=values.get("flagged") == "1",
            missed=values.get("missed") == "1",
            duty=duty if duty in ("in_charge", "follow") else "",  # type: ignore[arg-type]
            search=values.get("q", "").strip()[:100],
            sort=sort if sort in SORTS[view] else "code",
            page=int(page) if page.isdigit() and len(page) < 7 else 1,
        )

    @property
    def filtered(self) -> bool:
        """Whether anything narrows or reorders the view (there is something to clear)."""
        return bool(self.flagged or self.missed or self.duty or self.search) or self.sort != "code"

    def address(self, **changes: object) -> dict[str, str]:
        """The query of this view with CHANGES, without defaults (for links and forms)."""
        values = {
            "view": self.view,
            "flagged": self.flagged,
            "missed": self.missed,
            "duty": self.duty,
            "q": self.search,
            "sort": self.sort,
            "page": self.page,
            **changes,
        }
        defaults = {"view": "members", "sort": "code", "page": 1}
        shown = {}
        for key, value in values.items():
            if value in (False, "", None) or defaults.get(key) == value:
                continue
            shown[key] = "1" if value is True else str(value)
        return shown


@dataclass(frozen=True)
class Visit:
    """One required (member, organization) pair and how it stands."""

    member: str
    organization: str
    status: Status
    duties: frozenset[str]


@dataclass(slots=True)
class MemberRow:
    code: str
    name: str
    required: int = 0
    covered: int = 0
    pending: int = 0
    missed: int = 0
    not_visited: list[tuple[str, str]] = field(default_factory=list)  # (code, name), missed


@dataclass(slots=True)
class OrganizationRow:
    code: str
    name: str
    cells: int
    cells_visited: int
    flagged_cells: list[str]
    flagged_not_visited: list[str]
    required: int = 0
    missed: int = 0


@dataclass(frozen=True)
class BoardLists:
    """The quarter's two lists, each whole and in order, for the query's view."""

    members: list[MemberRow]
    organizations: list[OrganizationRow]


def board_lists(
    coverage: QuarterCoverage,
    duties: Mapping[tuple[str, str], frozenset[str]],
    query: BoardQuery,
) -> BoardLists:
    """The members and organizations QUERY asks for, from the quarter's COVERAGE and the
    DUTIES of each (member, organization) assignment."""
    names = {org.code: org.name for org in coverage.organizations}
    flagged = {org.code for org in coverage.organizations if org.flagged_cells}
    visits = [
        Visit(
            member.code,
            pair.organization,
            pair.status,
            duties.get((member.code, pair.organization), frozenset()),
        )
        for member in coverage.members
        for pair in member.organizations
    ]
    kept = [
        visit
        for visit in visits
        if (not query.duty or query.duty in visit.duties)
        and (not query.flagged or visit.organization in flagged)
    ]
    narrowed = bool(query.duty or query.flagged)
    needle = folded(query.search)
    return BoardLists(
        _members(coverage, kept, names, narrowed, query, needle),
        _organizations(coverage, kept, flagged, query, needle),
    )


def _members(
    coverage: QuarterCoverage,
    kept: list[Visit],
    names: dict[str, str],
    narrowed: bool,
    query: BoardQuery,
    needle: str,
) -> list[MemberRow]:
    rows = {member.code: MemberRow(member.code, member.name) for member in coverage.members}
    for visit in kept:
        row = rows[visit.member]
        row.required += 1
        setattr(row, visit.status, getattr(row, visit.status) + 1)
        if visit.status == "missed":
            row.not_visited.append((visit.organization, names.get(visit.organization, "")))
    shown = [
        row
        for row in rows.values()
        if (not narrowed or row.required)
        and (not query.missed or row.missed)
        and _matches(needle, row.code, row.name)
    ]
    return sorted(shown, key=_member_order(query.sort))


def _organizations(
    coverage: QuarterCoverage,
    kept: list[Visit],
    flagged: set[str],
    query: BoardQuery,
    needle: str,
) -> list[OrganizationRow]:
    rows = {
        org.code: OrganizationRow(
            org.code,
            org.name,
            org.cells,
            org.cells_visited,
            list(org.flagged_cells),
            [cell for cell in org.flagged_cells if cell not in org.flagged_visited],
        )
        for org in coverage.organizations
    }
    with_duty = set()
    for visit in kept:
        row = rows.get(visit.organization)
        if row is not None:
            row.required += 1
            row.missed += visit.status == "missed"
            with_duty.add(visit.organization)
    shown = [
        row
        for row in rows.values()
        if (not query.duty or row.code in with_duty)
        and (not query.flagged or row.code in flagged)
        and (not query.missed or row.missed)
        and _matches(needle, row.code, row.name)
    ]
    return sorted(shown, key=_organization_order(query.sort))


def _matches(needle: str, code: str, name: str) -> bool:
    return not needle or needle in code.lower() or needle in folded(name)


def _member_order(sort: str) -> Callable[[MemberRow], tuple]:
    if sort == "name":
        return lambda row: (_name_key(row.name), row.code)
    if sort == "missed":
        return lambda row: (-row.missed, row.code)
    return lambda row: (row.code,)


def _organization_order(sort: str) -> Callable[[OrganizationRow], tuple]:
    if sort == "name":
        return lambda row: (folded(row.name), row.code)
    if sort == "missed":
        return lambda row: (-row.missed, row.code)
    if sort == "visited":  # the least visited first: where the office should look
        return lambda row: (row.cells_visited / row.cells if row.cells else 1.0, row.code)
    return lambda row: (row.code,)


def _name_key(name: str) -> tuple[str, str]:
    """Vietnamese names sort by the given name (the last word), then the whole name."""
    return folded(name.rsplit(" ", 1)[-1]), folded(name)
