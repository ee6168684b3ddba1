"""What a quarter's digest says: the figures and the record behind them, read once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from functools import cached_property

from bot.core.checkins import RATINGS
from bot.core.coverage import Amendment, MemberCoverage, QuarterCoverage
from bot.core.quarters import Quarter
from storage.digest import DigestVisit, UnreachablePerson


@dataclass(frozen=True)
class OrganizationBehind:
    """An organization where an assigned member has yet to visit."""

    code: str
    name: str
    missed: int  # members required to visit it who have not (pending ones aside)
    required: int  # members required to visit it
    cells_visited: int
    cells: int


@dataclass(frozen=True)
class Digest:
    """Everything the digest of QUARTER says, as of AS_OF."""

    committee: str
    quarter: Quarter
    as_of: datetime
    as_of_day: date  # the last day the figures cover (the quarter's last day once it is over)
    coverage: QuarterCoverage
    member_positions: Mapping[str, str]  # code -> standing | member
    organization_kinds: Mapping[str, str]  # code -> committee | cell
    flagged_cell_names: Mapping[str, str]  # code -> name
    visits: tuple[DigestVisit, ...]  # every check-in of the quarter, denied ones too
    unreachable: tuple[UnreachablePerson, ...]
    # Closed: the final digest, its figures frozen then; else a preliminary one, and the bot
    # closes the quarter at CLOSES_AT.
    closed_at: datetime | None
    closes_at: datetime
    # The quarter's own amendments, then those made during its days to quarters closed before.
    amendments: tuple[Amendment, ...]

    @property
    def percent(self) -> int:
        totals = self.coverage.totals
        return round(100 * totals["covered"] / totals["required"]) if totals["required"] else 0

    @cached_property
    def organization_names(self) -> dict[str, str]:
        return {o.code: o.name for o in self.coverage.organizations}

    @cached_property
    def unvisited_organizations(self) -> list[tuple[str, str]]:
        """(code, name) of the organizations none of whose cells had a confirmed visit."""
        return [(o.code, o.name) for o in self.coverage.organizations if o.cells_visited == 0]

    @property
    def organizations_visited(self) -> int:
        return len(self.coverage.organizations) - len(self.unvisited_organizations)

    @cached_property
    def unvisited_flagged(self) -> list[tuple[str, str]]:
        """(cell code, organization code) of the flagged cells not visited."""
        return [
            (cell, o.code)
            for o in self.coverage.organizations
            for cell in o.flagged_cells
            if cell not in o.flagged_visited
        ]

    @property
    def flagged_total(self) -> int:
        return sum(len(o.flagged_cells) for o in self.coverage.organizations)

    @property
    def flagged_visited(self) -> int:
        return self.flagged_total - len(self.unvisited_flagged)

    @cached_property
    def members_with_missed(self) -> list[tuple[MemberCoverage, list[str]]]:
        """Each member with a missed organization, and those organizations' codes."""
        found = []
        for member in self.coverage.members:
            missed = [p.organization for p in member.organizations if p.status == "missed"]
            if missed:
                found.append((member, missed))
        return found

    @cached_property
    def organizations_behind(self) -> list[OrganizationBehind]:
        """The organizations with a member yet to visit, furthest behind first: the largest
        share of their members yet to visit, then the most of them, then the smallest share
        of their cells visited."""
        required: Counter[str] = Counter()
        missed: Counter[str] = Counter()
        for member in self.coverage.members:
            for pair in member.organizations:
                required[pair.organization] += 1
                missed[pair.organization] += pair.status == "missed"
        behind = [
            OrganizationBehind(
                o.code, o.name, missed[o.code], required[o.code], o.cells_visited, o.cells
            )
            for o in self.coverage.organizations
            if missed[o.code]
        ]
        return sorted(
            behind,
            key=lambda o: (
                -Fraction(o.missed, o.required),
                -o.missed,
                Fraction(o.cells_visited, o.cells) if o.cells else 0,
                o.code,
            ),
        )

    @property
    def pending_checkins(self) -> int:
        """Check-ins of the quarter still waiting for a decision."""
        return sum(1 for v in self.visits if v.status == "pending")

    @cached_property
    def notes(self) -> tuple[DigestVisit, ...]:
        """The visits with a quality note, except those the secretary denied (no visit)."""
        return tuple(v for v in self.visits if v.rating is not None and v.status != "denied")

    @cached_property
    def noted(self) -> tuple[DigestVisit, ...]:
        """The visits with a quality note or photos of the meeting, except denied ones."""
        return tuple(
            v for v in self.visits if (v.rating is not None or v.photos) and v.status != "denied"
        )

    @cached_property
    def photos_by_organization(self) -> Counter[str]:
        """The photos of the meetings visited, by organization (denied check-ins' aside)."""
        counts: Counter[str] = Counter()
        for visit in self.noted:
            if visit.photos:
                counts[visit.organization_code] += len(visit.photos)
        return counts

    @property
    def photos(self) -> int:
        return sum(self.photos_by_organization.values())

    @cached_property
    def ratings(self) -> dict[str, int]:
        counts = Counter(v.rating for v in self.notes)
        return {rating: counts[rating] for rating in RATINGS}

    @property
    def steps_kept(self) -> int:
        return sum(1 for v in self.notes if v.steps_kept)

    @property
    def difficulties_raised(self) -> int:
        return sum(1 for v in self.notes if v.difficulties_raised)

    @cached_property
    def unreachable_members(self) -> dict[str, UnreachablePerson]:
        return {p.member_code: p for p in self.unreachable if p.member_code is not None}
