"""Reads that feed the coverage rule: one quarter's assignments, visits and cell counts.

Each is one indexed query returning compact rows; the rule itself is bot.core.coverage. A
quarter counts the members, organizations and cells the roster listed on any of its days
(storage.roster.on_roster_between), and the cells flagged at any time inside it.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import date, datetime
from typing import NamedTuple

from bot.core.coverage import AssignmentPeriod, OrganizationInfo, Visit
from storage.db import Database
from storage.flags import flag_held
from storage.roster import ROSTER_VERSION, on_roster_between
from storage.timefmt import from_db, to_db


class RosterShape(NamedTuple):
    """What the coverage rule reads from the roster itself (not from the check-ins), for the
    days it was read for: what the roster listed on any of them."""

    members: dict[str, str]  # code -> name
    organizations: list[OrganizationInfo]  # their flagged cells are read apart (flagged_cells)
    assignments: list[AssignmentPeriod]
    off_roster: frozenset[int]  # ids of the cells listed on none of the days


class CoverageQueries:
    def __init__(self, db: Database):
        self.db = db
        # The last roster shape read, under the roster version it was read at and its dates.
        self._shape: tuple[tuple[int, date, date], RosterShape] | None = None

    async def roster_shape(self, first: date, last: date) -> RosterShape:
        """Members, organizations, and assignments on the roster on some day of [first, last].

        Read again only once the roster has changed (migration 0006 counts every change, by
        any connection): a running bot asks for coverage at every /status and /meetings,
        and the roster changes a few times a quarter.
        """
        # The version is read first: what is read after it is at least that new, so a change
        # in between only makes the next call read again.
        version = await self.db.fetchval(ROSTER_VERSION)
        key = (version, first, last)
        if self._shape is not None and self._shape[0] == key:
            return self._shape[1]
        shape = RosterShape(
            await self.member_names(first, last),
            await self.organizations(first, last),
            await self.assignments_between(first, last),
            await self.cells_off_roster(first, last),
        )
        self._shape = (key, shape)
        return shape

    async def member_names(self, first: date, last: date) -> dict[str, str]:
        rows = await self.db.fetchall(
            f"SELECT code, full_name FROM members m WHERE {on_roster_between('m')}",
            _days(first, last),
        )
        return {code: name for code, name in rows}

    async def organizations(self, first: date, last: date) -> list[OrganizationInfo]:
        """Every organization on the roster in [first, last] with its number of cells then."""
        # Two narrow reads (each from one index or table) beat one grouped join here.
        days = _days(first, last)
        counts = dict(
            await self.db.fetchall(
                f"SELECT organization_id, count(*) FROM cells c WHERE {on_roster_between('c')}"
                " GROUP BY organization_id",
                days,
            )
        )
        return [
            OrganizationInfo(code, name, counts.get(id_, 0))
            for id_, code, name in await self.db.fetchall(
                f"SELECT id, code, name FROM organizations o WHERE {on_roster_between('o')}",
                days,
            )
        ]

    async def assignments_between(self, first: date, last: date) -> list[AssignmentPeriod]:
        """Assignments touching [first, last] of members to organizations on the roster then.

        The dates only narrow the rows read: the rule counts the days each one holds.
        """
        rows = await self.db.fetchall(
            "SELECT m.code, o.code, a.start_date, a.end_date FROM assignments a"
            f" JOIN members m ON m.id = a.member_id AND {on_roster_between('m')}"
            f" JOIN organizations o ON o.id = a.organization_id AND {on_roster_between('o')}"
            " WHERE a.start_date <= :last AND (a.end_date IS NULL OR a.end_date >= :first)",
            _days(first, last),
        )
        return [
            AssignmentPeriod(
                member, org, date.fromisoformat(start), end and date.fromisoformat(end)
            )
            for member, org, start, end in rows
        ]

    async def cells_off_roster(self, first: date, last: date) -> frozenset[int]:
        """Ids of the cells the roster listed on no day of [first, last]."""
        rows = await self.db.fetchall(
            f"SELECT id FROM cells c WHERE NOT ({on_roster_between('c')})", _days(first, last)
        )
        return frozenset(row[0] for row in rows)

    async def flagged_cells(
        self, first: date, last: date, start: datetime, end: datetime
    ) -> dict[str, tuple[str, ...]]:
        """Codes of the cells flagged at some time of [start, end) while on the roster in
        [first, last] (the same quarter, as days and as instants), by organization code."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT o.code, c.code FROM flag_periods f JOIN cells c ON c.id = f.cell_id"
            " JOIN organizations o ON o.id = c.organization_id"
            f" WHERE {flag_held('f')} AND {on_roster_between('c')} ORDER BY c.code",
            {**_days(first, last), "start": to_db(start), "end": to_db(end)},
        )
        flagged: dict[str, list[str]] = {}
        for organization, cell in rows:
            flagged.setdefault(organization, []).append(cell)
        return {organization: tuple(cells) for organization, cells in flagged.items()}

    async def visits_between(
        self, start: datetime, end: datetime, off_roster: AbstractSet[int]
    ) -> list[Visit]:
        """Check-ins not denied at meetings starting in [start, end).

        A cell in OFF_ROSTER does not count among the organization's cells then, so neither
        among its visited ones (its code is left out); the member's visit still covers the
        organization.
        """
        # Codes of members and organizations come from two small maps rather than a join per
        # visit: a city's quarter has many times more visits than members or organizations. The
        # check-ins carry their cell's organization and code (migration 0005), so the visits
        # are one range of one index.
        members = dict(await self.db.fetchall("SELECT id, code FROM members"))
        organizations = dict(await self.db.fetchall("SELECT id, code FROM organizations"))
        rows = await self.db.fetchall(
            "SELECT member_id, organization_id, cell_id, cell_code, meeting_starts_at, status"
            " FROM checkins WHERE meeting_starts_at >= ? AND meeting_starts_at < ?"
            " AND status != 'denied'",
            (to_db(start), to_db(end)),
        )
        return [
            Visit(
                members[member],
                organizations[org],
                None if cell in off_roster else code,
                from_db(starts_at),
                status,
            )
            for member, org, cell, code, starts_at, status in rows
        ]

    async def visits_of_member(
        self, member_code: str, start: datetime, end: datetime, off_roster: AbstractSet[int]
    ) -> list[Visit]:
        """visits_between's visits of one member: from the member's index, not the range."""
        rows = await self.db.fetchall(
            "SELECT o.code, ch.cell_id, ch.cell_code, ch.meeting_starts_at, ch.status"
            " FROM checkins ch JOIN organizations o ON o.id = ch.organization_id"
            " WHERE ch.member_id = (SELECT id FROM members WHERE code = ?)"
            " AND ch.meeting_starts_at >= ? AND ch.meeting_starts_at < ? AND ch.status != 'denied'",
            (member_code, to_db(start), to_db(end)),
        )
        return [
            Visit(
                member_code,
                org,
                None if cell in off_roster else code,
                from_db(starts_at),
                status,
            )
            for org, cell, code, starts_at, status in rows
        ]


def _days(first: date, last: date) -> dict[str, str]:
    return {"first": first.isoformat(), "last": last.isoformat()}
