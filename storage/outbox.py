"""The outbox: every proactive message, queued under a unique key, then claimed and sent.

Queuing is idempotent (the key is UNIQUE and a second insert is ignored), so re-deciding to
send something, two ticks at once or a double tap never produce a second copy. A sender claims
a row (state 'sending') before calling the channel and marks it after, so a crash leaves at
most the in-flight rows to resend.

Rows go to a target: a chat named in the row (a digest chat), else a person. A claim hands out
at most one row per target, and none for a target whose row is still being sent, so that a
chat gets its messages one at a time and in order while different chats' go side by side.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.timefmt import from_db, to_db

# Well under SQLite's limit on bound parameters.
_KEYS_PER_QUERY = 500
# The target of a row, as OutboxItem.target spells it (a row with neither is its own target).
_TARGET = "coalesce(chat, 'person:' || person_id, 'row:' || id)"


@dataclass(frozen=True)
class OutboxItem:
    id: int
    key: str
    person_id: int | None
    chat: str | None  # "channel:chat_id" for an explicit target (digest chats)
    payload: dict[str, Any]
    due_at: datetime
    attempts: int

    @property
    def target(self) -> str:
        """Whom the row goes to: one message at a time each (claim_due's BUSY)."""
        if self.chat is not None:
            return self.chat
        return f"person:{self.person_id}" if self.person_id is not None else f"row:{self.id}"


@dataclass(frozen=True)
class Queued:
    """A message to queue: see OutboxRepository.enqueue."""

    key: str
    payload: dict[str, Any]
    due_at: datetime
    expires_at: datetime | None = None
    person_id: int | None = None
    chat: str | None = None
    # One of many the scheduler queues at once: what someone's action queued goes first.
    bulk: bool = False


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
        queued = Queued(key, payload, due_at, person_id=person_id, chat=chat)
        return await self.enqueue_all([queued], now) == 1

    async def enqueue_all(self, messages: Sequence[Queued], now: datetime) -> int:
        """Queue each message once per key, in one statement; return how many were new.

        The caller's transaction, if any, makes them part of the decision that queued them.
        """
        added = await self.db.executemany(
            "INSERT INTO outbox"
            " (key, person_id, chat, payload, due_at, expires_at, created_at, bulk)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
            [
                (
                    m.key,
                    m.person_id,
                    m.chat,
                    json.dumps(m.payload, ensure_ascii=False),
                    to_db(m.due_at),
                    m.expires_at and to_db(m.expires_at),
                    to_db(now),
                    int(m.bulk),
                )
                for m in messages
            ],
        )
        if added and self.on_queued is not None:
            self.on_queued()
        return added

    async def queued_keys(self, keys: Sequence[str]) -> set[str]:
        """Those of KEYS that are in the outbox, whatever their state."""
        found: set[str] = set()
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start : start + _KEYS_PER_QUERY]
            rows = await self.db.fetchall(
                f"SELECT key FROM outbox WHERE key IN ({', '.join('?' * len(chunk))})", chunk
            )
            found.update(row[0] for row in rows)
        return found

    async def drop_expired(self, now: datetime) -> list[str]:
        """End the queued rows that no longer make sense at NOW; return their keys."""
        rows = await self.db.fetchall(
            "UPDATE outbox SET state = 'dropped', error = 'no longer useful when it could go'"
            " WHERE state = 'queued' AND expires_at <= ? RETURNING key",
            (to_db(now),),
        )
        return [row[0] for row in rows]

    async def drop_queued_about_meeting(self, meeting_id: int) -> list[str]:
        """End the queued rows about a cancelled meeting (keys "<kind>:meeting=<id>:...");
        return their keys. What is already being sent cannot be called back."""
        rows = await self.db.fetchall(
            "UPDATE outbox SET state = 'dropped', error = 'the meeting was cancelled'"
            " WHERE state = 'queued' AND key LIKE ? RETURNING key",
            (f"%:meeting={meeting_id}:%",),
        )
        return [row[0] for row in rows]

    async def claim_due(
        self, now: datetime, limit: int = 100, busy: Collection[str] = ()
    ) -> list[OutboxItem]:
        """Mark up to LIMIT due rows as being sent and return them: the first due row of each
        target not in BUSY (OutboxItem.target), rows someone's action queued before bulk ones,
        then oldest due first. Rows past their expiry are left for drop_expired."""
        rows = await self.db.fetchall(
            "UPDATE outbox SET state = 'sending', claimed_at = ?, attempts = attempts + 1"
            " WHERE id IN (SELECT id FROM ("
            f"  SELECT id, bulk, due_at, row_number() OVER (PARTITION BY {_TARGET}"
            "   ORDER BY bulk, due_at, id) AS place FROM outbox"
            "  WHERE state = 'queued' AND due_at <= ? AND (expires_at IS NULL OR expires_at > ?)"
            f"  AND {_TARGET} NOT IN (SELECT value FROM json_each(?)))"
            " WHERE place = 1 ORDER BY bulk, due_at, id LIMIT ?)"
            " RETURNING id, key, person_id, chat, payload, due_at, attempts, bulk",
            (to_db(now), to_db(now), to_db(now), json.dumps(sorted(busy)), limit),
        )
        items = [
            (r[7], OutboxItem(r[0], r[1], r[2], r[3], json.loads(r[4]), from_db(r[5]), r[6]))
            for r in rows
        ]
        return [item for _, item in sorted(items, key=lambda i: (i[0], i[1].due_at, i[1].id))]

    async def record_parts_sent(self, item_id: int, field: str, count: int) -> None:
        """Note in the row's payload that COUNT parts of its text went out (under FIELD)."""
        await self.db.execute(
            "UPDATE outbox SET payload = json_set(payload, ?, ?) WHERE id = ?",
            (f"$.{field}", count, item_id),
        )

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
        # At or before: times are stored to the second, and a bot restarted within the second
        # of its crash must still get back the rows it had in hand.
        return await self.db.execute(
            "UPDATE outbox SET state = 'queued' WHERE state = 'sending' AND claimed_at <= ?",
            (to_db(older_than),),
        )
