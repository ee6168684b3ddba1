"""Plans: a member's "Will attend" for a meeting, so that the cell's secretary can expect them."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.timefmt import to_db


class PlansRepository:
    def __init__(self, db: Database):
        self.db = db

    async def add(self, meeting_id: int, member_code: str, now: datetime) -> bool:
        """Record that the member will attend; False if it was already recorded."""
        changed = await self.db.execute(
            "INSERT INTO plans (meeting_id, member_id, created_at)"
            " SELECT ?, id, ? FROM members WHERE code = ? AND active"
            " ON CONFLICT (meeting_id, member_id) DO NOTHING",
            (meeting_id, to_db(now), member_code),
        )
        return changed == 1

    async def meetings_planned(self, member_code: str, since: datetime) -> set[int]:
        """Ids of the meetings starting at or after SINCE that the member said they will attend."""
        rows = await self.db.fetchall(
            "SELECT p.meeting_id FROM plans p"
            " JOIN members m ON m.id = p.member_id JOIN meetings mt ON mt.id = p.meeting_id"
            " WHERE m.code = ? AND mt.starts_at >= ?",
            (member_code, to_db(since)),
        )
        return {row[0] for row in rows}
