"""Meetings of cells."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.core.meetings import AssignedMeeting, Assignee, MeetingView, MemberToTell
from storage.db import Database
from storage.flags import flagged
from storage.timefmt import from_db, to_db


class MeetingsRepository:
    def __init__(self, db: Database):
        self.db = db

    async def id_of(self, cell_code: str, starts_at: datetime) -> int | None:
        return await self.db.fetchval(
            "SELECT mt.id FROM meetings mt JOIN cells c ON c.id = mt.cell_id"
            " WHERE c.code = ? AND mt.starts_at = ?",
            (cell_code, to_db(starts_at)),
        )

    _VIEW = (
        "SELECT mt.id, mt.starts_at, coalesce(nullif(mt.venue, ''), c.venue, ''), mt.kind,"
        f" c.id, c.code, c.name, {flagged()},"
        " c.secretary_id, o.code, o.name"
    )
    _OF_MEMBER = (
        _VIEW + ", a.start_date, a.end_date FROM assignments a"
        " JOIN members m ON m.id = a.member_id AND m.active"
        " JOIN organizations o ON o.id = a.organization_id AND o.active"
        " JOIN cells c ON c.organization_id = o.id AND c.active"
        " JOIN meetings mt ON mt.cell_id = c.id"
        " WHERE m.code = ?"
    )

    async def view(self, meeting_id: int) -> MeetingView | None:
        """The meeting with its cell and organization, if both are still on the roster."""
        row = await self.db.fetchone(
            self._VIEW + " FROM meetings mt JOIN cells c ON c.id = mt.cell_id AND c.active"
            " JOIN organizations o ON o.id = c.organization_id AND o.active WHERE mt.id = ?",
            (meeting_id,),
        )
        return row and _meeting_view(row)

    async def of_member_organizations(
        self, member_code: str, first: datetime, last: datetime
    ) -> list[AssignedMeeting]:
        """Meetings starting in [FIRST, LAST] at cells of the member's organizations, by time.

        One row per assignment: whether it is active on the meeting's local date is the
        caller's to decide (assignment dates are local calendar days).
        """
        rows = await self.db.fetchall(
            self._OF_MEMBER + " AND mt.starts_at >= ? AND mt.starts_at <= ?"
            " ORDER BY mt.starts_at, c.code",
            (member_code, to_db(first), to_db(last)),
        )
        return [_assigned_meeting(row) for row in rows]

    async def of_member_organization(
        self, member_code: str, meeting_id: int
    ) -> list[AssignedMeeting]:
        """The meeting, once per assignment of the member to its organization (none: not theirs)."""
        rows = await self.db.fetchall(self._OF_MEMBER + " AND mt.id = ?", (member_code, meeting_id))
        return [_assigned_meeting(row) for row in rows]

    async def schedule(
        self, cell_id: int, starts_at: datetime, venue: str | None, set_by: int, now: datetime
    ) -> int | None:
        """A regular meeting set by a secretary; None if the cell already meets at that time."""
        changed = await self.db.execute(
            "INSERT INTO meetings (cell_id, starts_at, venue, kind, created_at, set_by)"
            " VALUES (?, ?, ?, 'regular', ?, ?) ON CONFLICT (cell_id, starts_at) DO NOTHING",
            (cell_id, to_db(starts_at), venue, to_db(now), set_by),
        )
        if not changed:
            return None
        return await self.db.fetchval(
            "SELECT id FROM meetings WHERE cell_id = ? AND starts_at = ?",
            (cell_id, to_db(starts_at)),
        )

    async def assignees(self, meeting_id: int) -> list[Assignee]:
        """Members on the roster with an assignment to the meeting's organization, one row per
        assignment: whether it holds on the meeting's local date is the caller's to decide."""
        rows = await self.db.fetchall(
            "SELECT m.person_id, m.code, a.start_date, a.end_date FROM meetings mt"
            " JOIN cells c ON c.id = mt.cell_id"
            " JOIN organizations o ON o.id = c.organization_id AND o.active"
            " JOIN assignments a ON a.organization_id = o.id"
            " JOIN members m ON m.id = a.member_id AND m.active"
            " WHERE mt.id = ? ORDER BY m.code, a.start_date",
            (meeting_id,),
        )
        return [
            Assignee(
                MemberToTell(person_id, code),
                date.fromisoformat(start),
                end and date.fromisoformat(end),
            )
            for person_id, code, start, end in rows
        ]


def _meeting_view(row: Sequence[Any]) -> MeetingView:
    return MeetingView(
        row[0], from_db(row[1]), row[2], row[3], row[4], row[5], row[6], bool(row[7]), *row[8:11]
    )


def _assigned_meeting(row: Sequence[Any]) -> AssignedMeeting:
    until = row[12] and date.fromisoformat(row[12])
    return AssignedMeeting(_meeting_view(row), date.fromisoformat(row[11]), until)
