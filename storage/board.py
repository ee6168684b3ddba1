"""Reads for the office's board: a member, an organization, the pending check-ins, the coming
meetings, a page at a time. Handed the database's worker thread (storage/store.py): the board
must not hold up the chats the bot is answering.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.core.board_records import (
    AssignmentLine,
    CellLine,
    MeetingLine,
    MemberProfile,
    OrganizationProfile,
    PendingLine,
    VisitLine,
)
from bot.core.coverage import Visit
from storage.db import Database
from storage.flags import flagged
from storage.photos import photo_names
from storage.roster import ROSTER_VERSION
from storage.timefmt import from_db, maybe_from_db, to_db

# A cell with difficulties: the roster's flag, or a member's note said so (as storage/meetings.py).
FLAGGED = flagged()


class BoardQueries:
    def __init__(self, db: Database):
        self.db = db

    # -- a member, an organization ---------------------------------------------------------

    async def member(self, code: str) -> MemberProfile | None:
        """The member with CODE, still on the roster or retired."""
        row = await self.db.fetchone(
            "SELECT m.code, m.full_name, m.position, p.phone, m.active FROM members m"
            " JOIN people p ON p.id = m.person_id WHERE m.code = ?",
            (code,),
        )
        return row and MemberProfile(*row[:4], bool(row[4]))

    async def organization(self, code: str) -> OrganizationProfile | None:
        row = await self.db.fetchone(
            "SELECT code, name, kind, active FROM organizations WHERE code = ?", (code,)
        )
        return row and OrganizationProfile(*row[:3], bool(row[3]))

    _ASSIGNMENT = (
        "SELECT m.code, m.full_name, o.code, o.name, a.duty, a.start_date, a.end_date"
        " FROM assignments a JOIN members m ON m.id = a.member_id"
        " JOIN organizations o ON o.id = a.organization_id"
    )

    async def assignments_of_member(self, code: str) -> list[AssignmentLine]:
        rows = await self.db.fetchall(
            self._ASSIGNMENT + " WHERE m.code = ? ORDER BY a.start_date DESC, o.code", (code,)
        )
        return [_assignment(row) for row in rows]

    async def assignments_at(self, organization_code: str) -> list[AssignmentLine]:
        rows = await self.db.fetchall(
            self._ASSIGNMENT + " WHERE o.code = ? ORDER BY a.duty, m.code, a.start_date",
            (organization_code,),
        )
        return [_assignment(row) for row in rows]

    async def cells_of(self, organization_code: str) -> list[CellLine]:
        """The organization's cells on the roster, flagged first."""
        rows = await self.db.fetchall(
            "SELECT c.code, c.name, coalesce(c.secretary_name, ''), coalesce(p.phone, ''),"
            f" coalesce(c.venue, ''), {FLAGGED} FROM cells c"
            " JOIN organizations o ON o.id = c.organization_id"
            " LEFT JOIN people p ON p.id = c.secretary_id"
            f" WHERE o.code = ? AND c.active ORDER BY {FLAGGED} DESC, c.code",
            (organization_code,),
        )
        return [CellLine(*row[:5], bool(row[5])) for row in rows]

    # -- visits: check-ins with their notes -------------------------------------------------

    _VISIT = (
        "SELECT ch.id, m.code, m.full_name, o.code, o.name, c.code, c.name, ch.meeting_starts_at,"
        " ch.checked_in_at, ch.status, ch.decided_at, n.rating, n.steps_kept,"
        f" n.difficulties_raised, coalesce(n.text, ''), {photo_names('ch')}"
        " FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " JOIN cells c ON c.id = ch.cell_id JOIN organizations o ON o.id = c.organization_id"
        " LEFT JOIN notes n ON n.checkin_id = ch.id"
    )

    async def visits_of_member(self, code: str, limit: int) -> list[VisitLine]:
        """The member's latest LIMIT check-ins, newest meeting first."""
        rows = await self.db.fetchall(
            self._VISIT + " WHERE ch.member_id IN (SELECT id FROM members WHERE code = ?)"
            " ORDER BY ch.meeting_starts_at DESC, ch.id DESC LIMIT ?",
            (code, limit),
        )
        return [_visit(row) for row in rows]

    async def visits_at(self, organization_code: str, limit: int) -> list[VisitLine]:
        """The latest LIMIT check-ins at the organization's cells, newest meeting first."""
        rows = await self.db.fetchall(
            self._VISIT + " WHERE ch.cell_id IN (SELECT c2.id FROM cells c2"
            " JOIN organizations o2 ON o2.id = c2.organization_id WHERE o2.code = ?)"
            " ORDER BY ch.meeting_starts_at DESC, ch.id DESC LIMIT ?",
            (organization_code, limit),
        )
        return [_visit(row) for row in rows]

    async def coverage_visits_at(
        self, organization_code: str, start: datetime, end: datetime
    ) -> list[Visit]:
        """The coverage rule's visits (storage/coverage.py) at one organization's cells."""
        rows = await self.db.fetchall(
            "SELECT m.code, CASE WHEN c.active THEN c.code END, ch.meeting_starts_at, ch.status"
            " FROM checkins ch JOIN members m ON m.id = ch.member_id"
            " JOIN cells c ON c.id = ch.cell_id"
            " WHERE ch.organization_id = (SELECT id FROM organizations WHERE code = ?)"
            " AND ch.meeting_starts_at >= ? AND ch.meeting_starts_at < ? AND ch.status != 'denied'",
            (organization_code, to_db(start), to_db(end)),
        )
        return [
            Visit(member, organization_code, cell, from_db(starts_at), status)
            for member, cell, starts_at, status in rows
        ]

    # -- pending check-ins ------------------------------------------------------------------

    _PENDING = (
        " FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " JOIN cells c ON c.id = ch.cell_id JOIN organizations o ON o.id = c.organization_id"
        " WHERE ch.status = 'pending'"
    )

    async def pending_count(self) -> int:
        return await self.db.fetchval("SELECT count(*) FROM checkins WHERE status = 'pending'")

    async def pending(self, offset: int, limit: int) -> list[PendingLine]:
        """Check-ins awaiting a decision: flagged cells first, then the oldest meeting."""
        rows = await self.db.fetchall(
            "SELECT ch.id, m.code, m.full_name, o.code, o.name, c.code, c.name,"
            f" {FLAGGED}, ch.meeting_starts_at, ch.checked_in_at"
            + self._PENDING
            + f" ORDER BY {FLAGGED} DESC, ch.meeting_starts_at, c.code, ch.id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [
            PendingLine(*row[:7], bool(row[7]), from_db(row[8]), from_db(row[9])) for row in rows
        ]

    # -- coming meetings --------------------------------------------------------------------

    @staticmethod
    def _meetings_where(
        start: datetime,
        end: datetime,
        flagged_only: bool,
        planned_only: bool,
        organization_code: str | None,
    ) -> tuple[str, tuple[Any, ...]]:
        where = (
            " FROM meetings mt JOIN cells c ON c.id = mt.cell_id AND c.active"
            " JOIN organizations o ON o.id = c.organization_id AND o.active"
            " WHERE mt.starts_at >= ? AND mt.starts_at < ? AND mt.cancelled_at IS NULL"
        )
        params: tuple[Any, ...] = (to_db(start), to_db(end))
        if flagged_only:
            where += f" AND {FLAGGED}"
        if planned_only:
            where += " AND EXISTS (SELECT 1 FROM plans p WHERE p.meeting_id = mt.id)"
        if organization_code is not None:
            where += " AND o.code = ?"
            params += (organization_code,)
        return where, params

    async def meetings_count(
        self, start: datetime, end: datetime, *, flagged_only: bool, planned_only: bool
    ) -> int:
        where, params = self._meetings_where(start, end, flagged_only, planned_only, None)
        return await self.db.fetchval("SELECT count(*)" + where, params)

    async def meetings(
        self,
        start: datetime,
        end: datetime,
        *,
        offset: int,
        limit: int,
        flagged_only: bool = False,
        planned_only: bool = False,
        organization_code: str | None = None,
    ) -> list[MeetingLine]:
        """Meetings starting in [START, END) of cells on the roster, by time, a page of them;
        cancelled ones are not coming."""
        where, params = self._meetings_where(
            start, end, flagged_only, planned_only, organization_code
        )
        rows = await self.db.fetchall(
            "SELECT mt.id, mt.starts_at, coalesce(nullif(mt.venue, ''), c.venue, ''), mt.kind,"
            f" o.code, o.name, c.code, c.name, {FLAGGED}"
            + where
            + " ORDER BY mt.starts_at, c.code LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        attending: dict[int, list[tuple[str, str]]] = {}
        if rows:
            marks = ", ".join("?" for _ in rows)
            for meeting_id, code, name in await self.db.fetchall(
                "SELECT p.meeting_id, m.code, m.full_name FROM plans p"
                f" JOIN members m ON m.id = p.member_id WHERE p.meeting_id IN ({marks})"
                " ORDER BY m.code",
                tuple(row[0] for row in rows),
            ):
                attending.setdefault(meeting_id, []).append((code, name))
        return [
            MeetingLine(
                row[0], from_db(row[1]), *row[2:8], bool(row[8]), tuple(attending.get(row[0], ()))
            )
            for row in rows
        ]

    # -- the quarter board ------------------------------------------------------------------

    async def duties(self, first: date, last: date) -> dict[tuple[str, str], frozenset[str]]:
        """(member, organization) -> the duties of their assignments touching [FIRST, LAST]."""
        found: dict[tuple[str, str], set[str]] = {}
        for member, organization, duty in await self.db.fetchall(
            "SELECT m.code, o.code, a.duty FROM assignments a"
            " JOIN members m ON m.id = a.member_id JOIN organizations o ON o.id = a.organization_id"
            " WHERE a.start_date <= ? AND (a.end_date IS NULL OR a.end_date >= ?)",
            (last.isoformat(), first.isoformat()),
        ):
            found.setdefault((member, organization), set()).add(duty)
        return {pair: frozenset(duties) for pair, duties in found.items()}

    async def record_version(self) -> tuple[int, ...]:
        """What a quarter's coverage is computed from, as a few numbers that change with it:
        the roster's version (migration 0006), a fingerprint of the check-ins' statuses
        (weighted by id, so that two check-ins trading statuses still change it), and how many
        quarters are closed (a closed one is read from its frozen figures)."""
        roster = await self.db.fetchval(ROSTER_VERSION)
        checkins = await self.db.fetchone(
            "SELECT count(*), coalesce(sum(id * (status = 'confirmed')), 0),"
            " coalesce(sum(id * (status = 'pending')), 0) FROM checkins"
        )
        closed = await self.db.fetchval("SELECT count(*) FROM closed_quarters")
        return (roster, *checkins, closed)

    async def first_day(self) -> date | None:
        """The earliest day the record knows of: the first assignment's start."""
        first = await self.db.fetchval("SELECT min(start_date) FROM assignments")
        return first and date.fromisoformat(first)


def _assignment(row: Sequence[Any]) -> AssignmentLine:
    return AssignmentLine(
        *row[:5], date.fromisoformat(row[5]), row[6] and date.fromisoformat(row[6])
    )


def _visit(row: Sequence[Any]) -> VisitLine:
    def flag(value: int | None) -> bool | None:
        return None if value is None else bool(value)

    return VisitLine(
        *row[:7],
        from_db(row[7]),
        from_db(row[8]),
        row[9],
        maybe_from_db(row[10]),
        row[11],
        flag(row[12]),
        flag(row[13]),
        row[14],
        tuple(json.loads(row[15])),
    )
