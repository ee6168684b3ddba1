"""Reads that feed the reminder rules (bot.reminders): plans, waiting check-ins, missing dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.reminders import MeetingInfo, PendingCheckin, PlannedMeeting, UnscheduledCell
from storage.db import Database
from storage.timefmt import from_db, to_db

_MEETING = (
    "mt.id, mt.starts_at, c.code, c.name, o.code, o.name,"
    " coalesce(nullif(mt.venue, ''), c.venue, ''),"
    " c.flagged OR c.difficulties_reported_at IS NOT NULL"
)
_CELL = (
    " JOIN cells c ON c.id = mt.cell_id AND c.active"
    " JOIN organizations o ON o.id = c.organization_id AND o.active"
)


def _meeting(row: Sequence[Any]) -> MeetingInfo:
    return MeetingInfo(row[0], from_db(row[1]), *row[2:7], bool(row[7]))


class ReminderQueries:
    def __init__(self, db: Database):
        self.db = db

    async def planned_meetings(self, first: datetime, last: datetime) -> list[PlannedMeeting]:
        """Plans for meetings starting in [FIRST, LAST], with whether the member checked in."""
        rows = await self.db.fetchall(
            "SELECT " + _MEETING + ", m.person_id, m.code,"
            " EXISTS (SELECT 1 FROM checkins ch"
            "   WHERE ch.meeting_id = mt.id AND ch.member_id = m.id)"
            " FROM meetings mt" + _CELL + " JOIN plans p ON p.meeting_id = mt.id"
            " JOIN members m ON m.id = p.member_id AND m.active"
            " WHERE mt.starts_at >= ? AND mt.starts_at <= ?",
            (to_db(first), to_db(last)),
        )
        return [PlannedMeeting(row[8], row[9], _meeting(row), bool(row[10])) for row in rows]

    async def pending_checkins(self, first: datetime, last: datetime) -> list[PendingCheckin]:
        """Check-ins made in [FIRST, LAST] still waiting for a secretary on the roster."""
        rows = await self.db.fetchall(
            "SELECT " + _MEETING + ", ch.id, c.secretary_id, m.full_name, ch.checked_in_at"
            " FROM checkins ch JOIN meetings mt ON mt.id = ch.meeting_id" + _CELL + ""
            " JOIN members m ON m.id = ch.member_id"
            " WHERE ch.status = 'pending' AND c.secretary_id IS NOT NULL"
            " AND ch.checked_in_at >= ? AND ch.checked_in_at <= ?",
            (to_db(first), to_db(last)),
        )
        return [
            PendingCheckin(row[8], row[9], row[10], from_db(row[11]), _meeting(row)) for row in rows
        ]

    async def cells_without_meeting(self, first: datetime, end: datetime) -> list[UnscheduledCell]:
        """Active cells with a secretary and no meeting starting in [FIRST, END)."""
        rows = await self.db.fetchall(
            "SELECT c.code, c.name, c.secretary_id FROM cells c"
            " JOIN organizations o ON o.id = c.organization_id AND o.active"
            " WHERE c.active AND c.secretary_id IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM meetings mt WHERE mt.cell_id = c.id"
            "  AND mt.starts_at >= ? AND mt.starts_at < ?)",
            (to_db(first), to_db(end)),
        )
        return [UnscheduledCell(*row) for row in rows]

    async def meetings_between(self, first: datetime, end: datetime) -> list[MeetingInfo]:
        """Meetings of active cells starting in [FIRST, END), by time."""
        rows = await self.db.fetchall(
            "SELECT " + _MEETING + " FROM meetings mt" + _CELL + ""
            " WHERE mt.starts_at >= ? AND mt.starts_at < ? ORDER BY mt.starts_at, c.code",
            (to_db(first), to_db(end)),
        )
        return [_meeting(row) for row in rows]

    async def member_people(self) -> dict[str, int]:
        """Each active member's person, by member code."""
        return dict(await self.db.fetchall("SELECT code, person_id FROM members WHERE active"))

    async def reachable_languages(self) -> dict[int, str]:
        """Everyone with a chat the bot can still write to, and the language to write in."""
        rows = await self.db.fetchall(
            "SELECT p.id, coalesce(p.language, m.language, 'vi') FROM people p"
            " LEFT JOIN members m ON m.person_id = p.id AND m.active"
            " WHERE EXISTS (SELECT 1 FROM accounts a"
            "   WHERE a.person_id = p.id AND a.unreachable_at IS NULL)"
        )
        return dict(rows)
