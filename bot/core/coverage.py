"""The coverage rule of Regulation 239-QĐ/QU, as a pure function of the quarter's data.

See docs/domain.md, "Coverage, precisely". A (member, organization) pair is *required* in a
quarter when one assignment overlaps it by at least the minimum number of days; it is *covered*
by a confirmed check-in at a meeting of any cell of the organization held inside the quarter
(local time), *pending* when such a check-in awaits confirmation, and *missed* otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from bot.core.quarters import Quarter

Status = Literal["covered", "pending", "missed"]
CheckinStatus = Literal["pending", "confirmed", "denied"]
STATUSES: tuple[Status, ...] = ("covered", "pending", "missed")


# The rule's inputs are NamedTuples: immutable like frozen dataclasses, but much cheaper to
# build, which counts for a city's tens of thousands of visits a quarter.
class AssignmentPeriod(NamedTuple):
    member: str
    organization: str
    start: date
    end: date | None  # inclusive; None = open


class Visit(NamedTuple):
    """A check-in of MEMBER at a meeting of CELL (of ORGANIZATION) starting at MEETING_AT."""

    member: str
    organization: str
    cell: str | None  # None: the cell has left the roster; the visit still counts for the member
    meeting_at: datetime  # aware
    status: CheckinStatus


class OrganizationInfo(NamedTuple):
    code: str
    name: str
    cells: int
    flagged_cells: tuple[str, ...] = ()


class PairStatus(NamedTuple):
    organization: str
    status: Status


class Amendment(NamedTuple):
    """A decision on a check-in of a closed quarter, made after it was closed (an admin's), and
    what it did to the status of the check-in's (member, organization) pair."""

    quarter: Quarter
    member: str
    organization: str
    before: Status
    after: Status
    by_code: str
    by_name: str
    at: datetime  # aware, in the committee's zone


@dataclass
class MemberCoverage:
    code: str
    name: str
    organizations: list[PairStatus] = field(default_factory=list)


@dataclass
class OrganizationCoverage:
    code: str
    name: str
    cells: int
    cells_visited: int
    flagged_cells: list[str]
    flagged_visited: list[str]


@dataclass
class QuarterCoverage:
    quarter: Quarter
    totals: dict[str, int]
    members: list[MemberCoverage]
    organizations: list[OrganizationCoverage]
    # A closed quarter's figures are its frozen ones: when it was closed (aware, in the
    # committee's zone) and the amendments made since, oldest first.
    closed_at: datetime | None = None
    amendments: tuple[Amendment, ...] = ()

    def to_json(self) -> dict:
        """The shape promised in contract.md ("Coverage JSON")."""
        return {
            "quarter": str(self.quarter),
            "start": self.quarter.start.isoformat(),
            "end": self.quarter.end.isoformat(),
            "closed_at": self.closed_at and self.closed_at.isoformat(),
            "totals": dict(self.totals),
            "members": [
                {
                    "code": m.code,
                    "name": m.name,
                    "organizations": [
                        {"code": p.organization, "status": p.status} for p in m.organizations
                    ],
                }
                for m in self.members
            ],
            "organizations": [
                {
                    "code": o.code,
                    "name": o.name,
                    "cells": o.cells,
                    "cells_visited": o.cells_visited,
                    "flagged_cells": o.flagged_cells,
                    "flagged_visited": o.flagged_visited,
                }
                for o in self.organizations
            ],
            "amendments": [
                {
                    "member": a.member,
                    "organization": a.organization,
                    "from": a.before,
                    "to": a.after,
                    "by": a.by_code,
                    "at": a.at.isoformat(),
                }
                for a in self.amendments
            ],
        }


def required_pairs(
    quarter: Quarter, assignments: Iterable[AssignmentPeriod], minimum_overlap_days: int
) -> set[tuple[str, str]]:
    """(member, organization) pairs with one assignment overlapping QUARTER long enough."""
    return {
        (a.member, a.organization)
        for a in assignments
        if quarter.overlap_days(a.start, a.end) >= minimum_overlap_days
    }


@dataclass
class VisitTally:
    """What a quarter's visits say, pair by pair, and which cells each organization had visited."""

    confirmed: set[tuple[str, str]] = field(default_factory=set)
    pending: set[tuple[str, str]] = field(default_factory=set)
    visited_cells: dict[str, set[str]] = field(default_factory=dict)  # organization -> cells

    def status(self, pair: tuple[str, str]) -> Status:
        """The one definition of covered, pending and missed for a (member, organization)."""
        if pair in self.confirmed:
            return "covered"
        return "pending" if pair in self.pending else "missed"


def tally_visits(
    quarter: Quarter,
    tz: ZoneInfo,
    visits: Iterable[Visit],
    assigned: AbstractSet[tuple[str, str]],
) -> VisitTally:
    """The visits at meetings held inside QUARTER (local time) that count: not denied.

    A confirmed visit marks its cell visited only when the pair is in ASSIGNED (the member
    was assigned to the organization during the quarter).
    """
    start, end = quarter.utc_bounds(tz)
    tally = VisitTally()
    for visit in visits:
        if visit.status == "denied" or not start <= visit.meeting_at < end:
            continue
        pair = (visit.member, visit.organization)
        if visit.status == "pending":
            tally.pending.add(pair)
            continue
        tally.confirmed.add(pair)
        if pair in assigned and visit.cell is not None:
            tally.visited_cells.setdefault(visit.organization, set()).add(visit.cell)
    return tally


def coverage_for_quarter(
    quarter: Quarter,
    tz: ZoneInfo,
    *,
    members: Mapping[str, str],
    organizations: Iterable[OrganizationInfo],
    assignments: Iterable[AssignmentPeriod],
    visits: Iterable[Visit],
    minimum_overlap_days: int,
) -> QuarterCoverage:
    """Who covered what in QUARTER. MEMBERS maps member code to name."""
    assignments = list(assignments)
    return coverage_of_pairs(
        quarter,
        tz,
        members=members,
        organizations=organizations,
        required=required_pairs(quarter, assignments, minimum_overlap_days),
        # Any overlap makes a visit count for a cell.
        assigned=required_pairs(quarter, assignments, 1),
        visits=visits,
    )


def coverage_of_pairs(
    quarter: Quarter,
    tz: ZoneInfo,
    *,
    members: Mapping[str, str],
    organizations: Iterable[OrganizationInfo],
    required: AbstractSet[tuple[str, str]],
    assigned: AbstractSet[tuple[str, str]],
    visits: Iterable[Visit],
) -> QuarterCoverage:
    """coverage_for_quarter once the assignments are read as pairs: REQUIRED (overlapping the
    quarter long enough) and ASSIGNED (overlapping it at all). A closed quarter keeps these."""
    tally = tally_visits(quarter, tz, visits, assigned)

    per_member: dict[str, list[PairStatus]] = {code: [] for code in sorted(members)}
    totals = dict.fromkeys(("required", *STATUSES), 0)
    for pair in sorted(required):
        status = tally.status(pair)
        totals["required"] += 1
        totals[status] += 1
        per_member.setdefault(pair[0], []).append(PairStatus(pair[1], status))

    return QuarterCoverage(
        quarter=quarter,
        totals=totals,
        members=[
            MemberCoverage(code, members.get(code, code), pairs)
            for code, pairs in per_member.items()
        ],
        organizations=[
            _organization_coverage(org, tally.visited_cells.get(org.code, set()))
            for org in sorted(organizations, key=lambda o: o.code)
        ],
    )


def _organization_coverage(org: OrganizationInfo, visited: set[str]) -> OrganizationCoverage:
    return OrganizationCoverage(
        code=org.code,
        name=org.name,
        cells=org.cells,
        cells_visited=len(visited),
        flagged_cells=sorted(org.flagged_cells),
        flagged_visited=sorted(cell for cell in org.flagged_cells if cell in visited),
    )
