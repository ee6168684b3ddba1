"""Meetings of cells."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.core.meetings import AssignedMeeting, Assignee, MeetingView, MemberToTell
from storage.db import Database
from storage.flags import flagged
from storage.timefmt import from_db, maybe_from_db, to_db


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
        " c.secretary_id, o.code, o.name, mt.cancelled_at"
    )
    _OF_CELL = (
        " FROM meetings mt JOIN cells c ON c.id = mt.cell_id AND c.active"
        " JOIN organizations o ON o.id = c.organization_id AND o.active"
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
        """The meeting with its cell and organization, if both are still on the roster (a
        cancelled one too: it says so)."""
        row = await self.db.fetchone(self._VIEW + self._OF_CELL + " WHERE mt.id = ?", (meeting_id,))
        return row and _meeting_view(row)

    async def coming_at_cells(
        self, cell_ids: Sequence[int], after: datetime, limit: int
    ) -> list[MeetingView]:
        """The first LIMIT meetings of these cells starting after AFTER, not cancelled, by time."""
        if not cell_ids:
            return []
        marks = ", ".join("?" for _ in cell_ids)
        rows = await self.db.fetchall(
            self._VIEW + self._OF_CELL + f" WHERE mt.cell_id IN ({marks})"
            " AND mt.starts_at > ? AND mt.cancelled_at IS NULL"
            " ORDER BY mt.starts_at, c.code LIMIT ?",
            (*cell_ids, to_db(after), limit),
        )
        return [_meeting_view(row) for row in rows]

    async def of_member_organizations(
        self, member_code: str, first: datetime, last: datetime
    ) -> list[AssignedMeeting]:
        """Meetings starting in [FIRST, LAST] at cells of the member's organizations, by time.

        One row per assignment: whether it is active on the meeting's local date is the
        caller's to decide (assignment dates are local calendar days).
        """
        rows = await self.db.fetchall(
            self._OF_MEMBER + " AND mt.starts_at >= ? AND mt.starts_at <= ?"
            " AND mt.cancelled_at IS NULL ORDER BY mt.starts_at, c.code",
            (member_code, to_db(first), to_db(last)),
        )
        return [_assigned_meeting(row) for row in rows]

    async def of_member_organization(
        self, member_code: str, meeting_id: int
    ) -> list[AssignedMeeting]:
        """The meeting, once per assignment of the member to its organization (none: not
        theirs), cancelled or not."""
        rows = await self.db.fetchall(self._OF_MEMBER + " AND mt.id = ?", (member_code, meeting_id))
        return [_assigned_meeting(row) for row in rows]

    async def checked_in_at(self, member_code: str, since: datetime) -> set[int]:
        """Ids of the meetings starting at or after SINCE where the member has a check-in that
        counts or may count (pending or confirmed)."""
        rows = await self.db.fetchall(
            "SELECT ch.meeting_id FROM checkins ch JOIN members m ON m.id = ch.member_id"
            " WHERE m.code = ? AND ch.meeting_starts_at >= ? AND ch.status != 'denied'",
            (member_code, to_db(since)),
        )
        return {row[0] for row in rows}

    async def schedule(
        self,
        cell_id: int,
        starts_at: datetime,
        venue: str | None,
        set_by: int,
        now: datetime,
        kind: str = "regular",
    ) -> int | None:
        """A meeting set by a secretary; None if the cell already meets at that time.

        A meeting cancelled at that very time is set again (the cell and time are its
        identity): the same row, with the new venue and no plans left from before.
        """
        meeting_id = await self.db.fetchval(
            "INSERT INTO meetings (cell_id, starts_at, venue, kind, created_at, set_by)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (cell_id, starts_at) DO UPDATE SET"
            " venue = excluded.venue, kind = excluded.kind, created_at = excluded.created_at,"
            " set_by = excluded.set_by, cancelled_at = NULL, cancelled_by = NULL"
            " WHERE meetings.cancelled_at IS NOT NULL RETURNING id",
            (cell_id, to_db(starts_at), venue, kind, to_db(now), set_by),
        )
        if meeting_id is not None:
            await self.db.execute("DELETE FROM plans WHERE meeting_id = ?", (meeting_id,))
        return meeting_id

    async def taken(self, cell_id: int, starts_at: datetime) -> bool:
        """Whether the cell has a meeting (not cancelled) at STARTS_AT."""
        return bool(
            await self.db.fetchval(
                "SELECT EXISTS (SELECT 1 FROM meetings WHERE cell_id = ? AND starts_at = ?"
                " AND cancelled_at IS NULL)",
                (cell_id, to_db(starts_at)),
            )
        )

    async def own_venue(self, meeting_id: int) -> str | None:
        """The venue set for the meeting itself (None: the cell's usual place)."""
        return await self.db.fetchval(
            "SELECT nullif(venue, '') FROM meetings WHERE id = ?", (meeting_id,)
        )

    async def has_checkins(self, meeting_id: int) -> bool:
        return bool(
            await self.db.fetchval(
                "SELECT EXISTS (SELECT 1 FROM checkins WHERE meeting_id = ?)", (meeting_id,)
            )
        )

    async def planners(self, meeting_id: int) -> list[MemberToTell]:
        """Active members who said they will attend the meeting."""
        rows = await self.db.fetchall(
            "SELECT m.person_id, m.code FROM plans p JOIN members m ON m.id = p.member_id"
            " WHERE p.meeting_id = ? AND m.active ORDER BY m.code",
            (meeting_id,),
        )
        return [MemberToTell(person_id, code) for person_id, code in rows]

    async def cancel(self, meeting_id: int, by_person: int, now: datetime) -> bool:
        """Cancel a meeting nobody has checked in at, and drop its plans; False if it was
        cancelled already or has a check-in."""
        changed = await self.db.execute(
            "UPDATE meetings SET cancelled_at = ?, cancelled_by = ?"
            " WHERE id = ? AND cancelled_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM checkins WHERE meeting_id = meetings.id)",
            (to_db(now), by_person, meeting_id),
        )
        if changed:
            await self.db.execute("DELETE FROM plans WHERE meeting_id = ?", (meeting_id,))
        return changed == 1

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
        row[0],
        from_db(row[1]),
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        bool(row[7]),
        *row[8:11],
        maybe_from_db(row[11]),
    )


def _assigned_meeting(row: Sequence[Any]) -> AssignedMeeting:
    until = row[13] and date.fromisoformat(row[13])
    return AssignedMeeting(_meeting_view(row), date.fromisoformat(row[12]), until)
