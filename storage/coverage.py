"""Reads that feed the coverage rule: one quarter's assignments, visits and cell counts.

Each is one indexed query returning compact rows; the rule itself is bot.coverage.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.coverage import AssignmentPeriod, OrganizationInfo, Visit
from storage.db import Database
from storage.timefmt import from_db, to_db


class CoverageQueries:
    def __init__(self, db: Database):
        self.db = db

    async def member_names(self) -> dict[str, str]:
        rows = await self.db.fetchall("SELECT code, full_name FROM members WHERE active")
        return {code: name for code, name in rows}

    async def organizations(self) -> list[OrganizationInfo]:
        """Every active organization with its number of cells and its flagged cells."""
        rows = await self.db.fetchall(
            "SELECT o.code, o.name, count(c.id),"
            " group_concat(CASE WHEN c.flagged OR c.difficulties_reported_at IS NOT NULL"
            " THEN c.code END, char(31))"
            " FROM organizations o LEFT JOIN cells c ON c.organization_id = o.id AND c.active"
            " WHERE o.active GROUP BY o.id"
        )
        return [
            OrganizationInfo(code, name, cells, tuple(flagged.split("\x1f")) if flagged else ())
            for code, name, cells, flagged in rows
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
        rows = await self.db.fetchall(
            # A retired cell no longer counts among the organization's cells, so neither
            # among its visited ones; the member's visit still covers the organization.
            "SELECT m.code, o.code, CASE WHEN c.active THEN c.code END, ch.meeting_starts_at,"
            " ch.status FROM checkins ch"
            " JOIN cells c ON c.id = ch.cell_id"
            " JOIN organizations o ON o.id = c.organization_id"
            " JOIN members m ON m.id = ch.member_id"
            " WHERE ch.meeting_starts_at >= ? AND ch.meeting_starts_at < ?"
            " AND ch.status != 'denied'",
            (to_db(start), to_db(end)),
        )
        return [
            Visit(member, org, cell, from_db(starts_at), status)
            for member, org, cell, starts_at, status in rows
        ]
