"""Updates already taken from a channel, so that one delivered twice is answered once."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.timefmt import to_db


class UpdatesSeenRepository:
    def __init__(self, db: Database):
        self.db = db

    async def first_time(self, channel: str, update_id: str, now: datetime) -> bool:
        """Record UPDATE_ID of CHANNEL as seen; False if it was seen before."""
        changed = await self.db.execute(
            "INSERT INTO updates_seen (channel, update_id, seen_at) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, update_id) DO NOTHING",
            (channel, update_id, to_db(now)),
        )
        return changed == 1

    async def forget_before(self, when: datetime) -> int:
        """Drop what was seen before WHEN (a platform re-delivers within minutes, not weeks)."""
        return await self.db.execute("DELETE FROM updates_seen WHERE seen_at < ?", (to_db(when),))
