"""Check-ins at meetings, their confirmation, and the quality notes written on them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from storage.db import Database
from storage.timefmt import to_db

Rating = Literal["good", "fair", "average", "poor"]


class CheckinsRepository:
    def __init__(self, db: Database):
        self.db = db

    async def add(self, meeting_id: int, member_code: str, at: datetime) -> int | None:
        """Record a pending check-in; None if this member already checked in at this meeting."""
        changed = await self.db.execute(
            "INSERT INTO checkins (meeting_id, member_id, checked_in_at)"
            " SELECT ?, id, ? FROM members WHERE code = ? AND active"
            " ON CONFLICT (meeting_id, member_id) DO NOTHING",
            (meeting_id, to_db(at), member_code),
        )
        if not changed:
            return None
        return await self.db.fetchval(
            "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
            " WHERE ch.meeting_id = ? AND m.code = ?",
            (meeting_id, member_code),
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
