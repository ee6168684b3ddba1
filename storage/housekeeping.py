"""What the daily housekeeping deletes and reads: outbox rows done with long ago, and the files
that messages not yet sent will carry (bot/housekeeping.py)."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.timefmt import to_db

# Rows deleted per statement: the connection is the chat's again after each.
PURGE_CHUNK = 500


class HousekeepingQueries:
    def __init__(self, db: Database):
        self.db = db

    async def purge_done(self, before: datetime) -> int:
        """Delete the sent rows sent before BEFORE, and the dropped ones queued before it;
        return how many."""
        purged = 0
        while True:
            deleted = await self.db.execute(
                "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox"
                " WHERE state IN ('sent', 'dropped') AND coalesce(sent_at, created_at) < ?"
                " LIMIT ?)",
                (to_db(before), PURGE_CHUNK),
            )
            purged += deleted
            if deleted < PURGE_CHUNK:
                return purged

    async def files_still_to_send(self) -> set[str]:
        """The files of the rows neither sent nor dropped: queued, being sent, or failed (kept
        for whoever looks into why)."""
        rows = await self.db.reader.fetchall(
            "SELECT DISTINCT json_extract(payload, '$.file') FROM outbox"
            " WHERE state NOT IN ('sent', 'dropped') AND json_extract(payload, '$.file') IS NOT NULL"
        )
        return {row[0] for row in rows}
