"""Check-ins at meetings, their confirmation, and the quality notes written on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from bot.core.checkins import CheckinAtCell, MemberCheckin, Rating
from storage.db import Database
from storage.timefmt import from_db, maybe_from_db, to_db


class CheckinsRepository:
    def __init__(self, db: Database):
        self.db = db

    async def add(self, meeting_id: int, member_code: str, at: datetime) -> int | None:
        """Record a pending check-in; None if this member already checked in at this meeting."""
        return await self.db.fetchval(
            "INSERT INTO checkins (meeting_id, member_id, checked_in_at)"
            " SELECT ?, id, ? FROM members WHERE code = ? AND active"
            " ON CONFLICT (meeting_id, member_id) DO NOTHING RETURNING id",
            (meeting_id, to_db(at), member_code),
        )

    async def decide(
        self,
        checkin_id: int,
        status: Literal["confirmed", "denied"],
        by_person: int | None,
        at: datetime,
    ) -> bool:
        """Confirm or deny a pending check-in; False if it was already decided."""
        changed = await self.db.execute(
            "UPDATE checkins SET status = ?, decided_by = ?, decided_at = ?"
            " WHERE id = ? AND status = 'pending'",
            (status, by_person, to_db(at), checkin_id),
        )
        return changed == 1

    async def write_note(
        self,
        checkin_id: int,
        rating: Rating,
        steps_kept: bool,
        difficulties_raised: bool,
        text: str,
        at: datetime,
    ) -> None:
        await self.db.execute(
            "INSERT INTO notes (checkin_id, rating, steps_kept, difficulties_raised, text, written_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (checkin_id) DO UPDATE SET rating = excluded.rating,"
            " steps_kept = excluded.steps_kept, difficulties_raised = excluded.difficulties_raised,"
            " text = excluded.text, written_at = excluded.written_at",
            (checkin_id, rating, int(steps_kept), int(difficulties_raised), text, to_db(at)),
        )

    _OF_MEMBER = (
        "SELECT ch.id, ch.meeting_id, ch.checked_in_at, ch.status,"
        " EXISTS (SELECT 1 FROM notes n WHERE n.checkin_id = ch.id),"
        " mt.starts_at, c.id, c.code, c.name"
        " FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " JOIN meetings mt ON mt.id = ch.meeting_id JOIN cells c ON c.id = mt.cell_id"
        " WHERE m.code = ?"
    )

    async def of_member_at(self, member_code: str, meeting_id: int) -> MemberCheckin | None:
        """The member's check-in at the meeting, if any."""
        row = await self.db.fetchone(
            self._OF_MEMBER + " AND ch.meeting_id = ?", (member_code, meeting_id)
        )
        return row and _member_checkin(row)

    async def of_member(self, member_code: str, checkin_id: int) -> MemberCheckin | None:
        """The check-in CHECKIN_ID if it is the member's own."""
        row = await self.db.fetchone(self._OF_MEMBER + " AND ch.id = ?", (member_code, checkin_id))
        return row and _member_checkin(row)

    async def latest_not_denied(self, member_code: str) -> MemberCheckin | None:
        """The member's most recent check-in that the secretary has not denied."""
        row = await self.db.fetchone(
            self._OF_MEMBER + " AND ch.status != 'denied'"
            " ORDER BY ch.checked_in_at DESC, ch.id DESC LIMIT 1",
            (member_code,),
        )
        return row and _member_checkin(row)

    _AT_CELL = (
        "SELECT ch.id, ch.status, ch.checked_in_at, ch.decided_at, m.person_id, m.code,"
        " m.full_name, mt.starts_at, c.id, c.code, c.name"
        " FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " JOIN meetings mt ON mt.id = ch.meeting_id JOIN cells c ON c.id = mt.cell_id"
    )

    async def at_cell(self, checkin_id: int) -> CheckinAtCell | None:
        """The check-in with who made it and the meeting and cell it was at."""
        row = await self.db.fetchone(self._AT_CELL + " WHERE ch.id = ?", (checkin_id,))
        return row and _checkin_at_cell(row)

    async def pending_at_cells(self, cell_ids: Sequence[int]) -> list[CheckinAtCell]:
        """Check-ins awaiting a decision at meetings of these cells, oldest meeting first."""
        if not cell_ids:
            return []
        marks = ", ".join("?" for _ in cell_ids)
        rows = await self.db.fetchall(
            self._AT_CELL + f" WHERE ch.status = 'pending' AND mt.cell_id IN ({marks})"
            " ORDER BY mt.starts_at, c.code, ch.checked_in_at, ch.id",
            tuple(cell_ids),
        )
        return [_checkin_at_cell(row) for row in rows]


def _member_checkin(row: Sequence[Any]) -> MemberCheckin:
    return MemberCheckin(
        row[0], row[1], from_db(row[2]), row[3], bool(row[4]), from_db(row[5]), *row[6:9]
    )


def _checkin_at_cell(row: Sequence[Any]) -> CheckinAtCell:
    return CheckinAtCell(
        row[0],
        row[1],
        from_db(row[2]),
        maybe_from_db(row[3]),
        *row[4:7],
        from_db(row[7]),
        *row[8:11],
    )
