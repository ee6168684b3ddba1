"""Reads that feed the coverage rule: one quarter's assignments, visits and cell counts.

Each is one indexed query returning compact rows; the rule itself is bot.coverage.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from bot.core.coverage import AssignmentPeriod, OrganizationInfo, Visit
from storage.db import Database
from storage.timefmt import from_db, to_db


class RosterShape(NamedTuple):
    """What the coverage rule reads from the roster itself (not from the check-ins)."""

    members: dict[str, str]  # code -> name
    organizations: list[OrganizationInfo]
    assignments: list[AssignmentPeriod]


class CoverageQueries:
    def __init__(self, db: Database):
        self.db = db
        # The last roster shape read, under the roster version it was read at and its dates.
        self._shape: tuple[tuple[int, date, date], RosterShape] | None = None

    async def roster_shape(self, first: date, last: date) -> RosterShape:
        """Member names, organizations, and assignments touching [first, last].

        Read again only once the roster has changed (migration 0006 counts every change, by
        any connection): a running bot asks for coverage at every /status and /meetings,
        and the roster changes a few times a quarter.
        """
        # The version is read first: what is read after it is at least that new, so a change
        # in between only makes the next call read again.
        version = await self.db.fetchval("SELECT changes FROM roster_version")
        key = (version, first, last)
        if self._shape is not None and self._shape[0] == key:
            return self._shape[1]
        shape = RosterShape(
            await self.member_names(),
            await self.organizations(),
            await self.assignments_between(first, last),
        )
        self._shape = (key, shape)
        return shape

    async def member_names(self) -> dict[str, str]:
        rows = await self.db.fetchall("SELECT code, full_name FROM members WHERE active")
        return {code: name for code, name in rows}

    async def organizations(self) -> list[OrganizationInfo]:
        """Every active organization with its number of cells and its flagged cells."""
        # Three narrow reads (each from one index or table) beat one grouped join here.
        counts = dict(
            await self.db.fetchall(
                "SELECT organization_id, count(*) FROM cells WHERE active GROUP BY organization_id"
            )
        )
        flagged: dict[int, list[str]] = {}
        for organization_id, code in await self.db.fetchall(
            "SELECT organization_id, code FROM cells WHERE active"
            " AND (flagged OR difficulties_reported_at IS NOT NULL)"
        ):
            flagged.setdefault(organization_id, []).append(code)
        return [
            OrganizationInfo(code, name, counts.get(id_, 0), tuple(flagged.get(id_, ())))
            for id_, code, name in await self.db.fetchall(
                "SELECT id, code, name FROM organizations WHERE active"
            )
        ]

    async def assignments_between(self, first: date, last: date) -> list[AssignmentPeriod]:
        """Assignments of active members to active organizations touching [first, last]."""
        rows = await self.db.fetchall(
            "SELECT m.code, o.code, a.start_date, a.end_date FROM assignments a"
            " JOIN members m ON m.id = a.member_id AND m.active"
            " JOIN organizations o ON o.id = a.organization_id AND o.active"
            " WHERE a.start_date <= ? AND (a.end_date IS NULL OR a.end_date >= ?)",
            (last.isoformat(), first.isoformat()),
        )
        return [
            AssignmentPeriod(
                member, org, date.fromisoformat(start), end and date.fromisoformat(end)
            )
            for member, org, start, end in rows
        ]

    async def visits_between(self, start: datetime, end: datetime) -> list[Visit]:
        """Check-ins not denied at meetings starting in [start, end)."""
        # Codes of members and organizations come from two small maps rather than a join per
        # visit: a city's quarter has many times more visits than members or organizations. The
        # check-ins carry their cell's organization and code (migration 0005), so the visits
        # are one range of one index.
        members = dict(await self.db.fetchall("SELECT id, code FROM members"))
        organizations = dict(await self.db.fetchall("SELECT id, code FROM organizations"))
        # A retired cell no longer counts among the organization's cells, so neither among
        # its visited ones; the member's visit still covers the organization.
        retired = {
            row[0] for row in await self.db.fetchall("SELECT id FROM cells WHERE NOT active")
        }
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
                None if cell in retired else code,
                from_db(starts_at),
                status,
            )
            for member, org, cell, code, starts_at, status in rows
        ]

    async def visits_of_member(
        self, member_code: str, start: datetime, end: datetime
    ) -> list[Visit]:
        """visits_between's visits of one member: from the member's index, not the range."""
        rows = await self.db.fetchall(
            # As there: a retired cell's code is left out, the visit kept.
            "SELECT o.code, CASE WHEN c.active = 0 THEN NULL ELSE ch.cell_code END,"
            " ch.meeting_starts_at, ch.status FROM checkins ch"
            " JOIN organizations o ON o.id = ch.organization_id"
            " LEFT JOIN cells c ON c.id = ch.cell_id"
            " WHERE ch.member_id = (SELECT id FROM members WHERE code = ?)"
            " AND ch.meeting_starts_at >= ? AND ch.meeting_starts_at < ? AND ch.status != 'denied'",
            (member_code, to_db(start), to_db(end)),
        )
        return [
            Visit(member_code, org, cell, from_db(starts_at), status)
            for org, cell, starts_at, status in rows
        ]
