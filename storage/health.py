"""What the running bot says about itself: its heartbeats, and the outbox's backlog."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.timefmt import from_db, to_db


class HealthQueries:
    def __init__(self, db: Database):
        self.db = db

    async def beat(self, name: str, at: datetime) -> None:
        """Record that NAME ("tick", "sent:telegram") happened AT."""
        await self.db.execute(
            "INSERT INTO heartbeats (name, at) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET at = excluded.at",
            (name, to_db(at)),
        )

    async def beats(self) -> dict[str, datetime]:
        rows = await self.db.fetchall("SELECT name, at FROM heartbeats")
        return {name: from_db(at) for name, at in rows}

    async def backlog(self) -> dict[str, int]:
        """Outbox rows by state."""
        return dict(await self.db.fetchall("SELECT state, count(*) FROM outbox GROUP BY state"))

    async def oldest_due(self, now: datetime) -> tuple[str, datetime] | None:
        """The key and due time of the queued row that has waited longest, if one is due."""
        row = await self.db.fetchone(
            "SELECT key, due_at FROM outbox WHERE state = 'queued' AND due_at <= ?"
            " ORDER BY due_at, id LIMIT 1",
            (to_db(now),),
        )
        return None if row is None else (row[0], from_db(row[1]))
