"""The outbox: every proactive message, queued under a unique key, then claimed and sent.

Queuing is idempotent (the key is UNIQUE and a second insert is ignored), so re-deciding to
send something, two ticks at once or a double tap never produce a second copy. A sender claims
a row (state 'sending') before calling the channel and marks it after, so a crash leaves at
most the in-flight rows to resend.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class OutboxItem:
    id: int
    key: str
    person_id: int | None
    chat: str | None  # "channel:chat_id" for an explicit target (digest chats)
    payload: dict[str, Any]
    due_at: datetime
    attempts: int


class OutboxRepository:
    def __init__(self, db: Database):
        self.db = db
        # Called after a row is queued, so that a sender can drain now instead of at its tick.
        self.on_queued: Callable[[], None] | None = None

    async def enqueue(
        self,
        key: str,
        payload: dict[str, Any],
        due_at: datetime,
        now: datetime,
        *,
        person_id: int | None = None,
        chat: str | None = None,
    ) -> bool:
        """Queue a message once per KEY; False if that key was queued before."""
        changed = await self.db.execute(
            "INSERT INTO outbox (key, person_id, chat, payload, due_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
            (
                key,
                person_id,
                chat,
                json.dumps(payload, ensure_ascii=False),
                to_db(due_at),
                to_db(now),
            ),
        )
        if changed and self.on_queued is not None:
            self.on_queued()
        return changed == 1

    async def claim_due(self, now: datetime, limit: int = 100) -> list[OutboxItem]:
        """Mark up to LIMIT due rows as being sent and return them, oldest due first."""
        rows = await self.db.fetchall(
            "UPDATE outbox SET state = 'sending', claimed_at = ?, attempts = attempts + 1"
            " WHERE id IN (SELECT id FROM outbox WHERE state = 'queued' AND due_at <= ?"
            " ORDER BY due_at, id LIMIT ?)"
            " RETURNING id, key, person_id, chat, payload, due_at, attempts",
            (to_db(now), to_db(now), limit),
        )
        items = [
            OutboxItem(r[0], r[1], r[2], r[3], json.loads(r[4]), from_db(r[5]), r[6]) for r in rows
        ]
        return sorted(items, key=lambda item: (item.due_at, item.id))

    async def mark_sent(self, item_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, error = NULL WHERE id = ?",
            (to_db(now), item_id),
        )

    async def retry_later(self, item_id: int, due_at: datetime, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET state = 'queued', due_at = ?, error = ? WHERE id = ?",
            (to_db(due_at), error, item_id),
        )

    async def give_up(self, item_id: int, state: str, error: str) -> None:
        """End a row that will not be sent: 'failed' (cannot) or 'dropped' (no longer useful)."""
        await self.db.execute(
            "UPDATE outbox SET state = ?, error = ? WHERE id = ?", (state, error, item_id)
        )

    async def release_stale_claims(self, older_than: datetime) -> int:
        """Requeue rows claimed by a sender that died before marking them (they may repeat)."""
        return await self.db.execute(
            "UPDATE outbox SET state = 'queued' WHERE state = 'sending' AND claimed_at < ?",
            (to_db(older_than),),
        )
