"""Chat accounts: which person of the roster a channel's user is, and where to reach them."""

from __future__ import annotations

from datetime import datetime

from bot.core.decisions import Reach
from bot.core.people import Account
from storage.db import Database
from storage.timefmt import from_db, to_db


class AccountsRepository:
    def __init__(self, db: Database):
        self.db = db

    async def find(self, channel: str, user_id: str) -> Account | None:
        row = await self.db.fetchone(
            "SELECT id, channel, user_id, chat_id, person_id, last_seen_at,"
            " unreachable_at IS NOT NULL FROM accounts WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        return row and Account(*row[:5], from_db(row[5]), bool(row[6]))

    async def link(
        self, channel: str, user_id: str, chat_id: str, person_id: int, now: datetime
    ) -> None:
        """Link (or re-link) this channel user to PERSON."""
        await self.db.execute(
            "INSERT INTO accounts (channel, user_id, chat_id, person_id, linked_at, last_seen_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, user_id) DO UPDATE SET"
            " chat_id = excluded.chat_id, person_id = excluded.person_id,"
            " linked_at = excluded.linked_at, last_seen_at = excluded.last_seen_at,"
            " unreachable_at = NULL",
            (channel, user_id, chat_id, person_id, to_db(now), to_db(now)),
        )

    async def for_person(self, person_id: int) -> list[Account]:
        """The person's reachable accounts: on the channel they chose (/channel) first, then
        the one used most recently."""
        rows = await self.db.fetchall(
            "SELECT a.id, a.channel, a.user_id, a.chat_id, a.person_id FROM accounts a"
            " JOIN people p ON p.id = a.person_id"
            " WHERE a.person_id = ? AND a.unreachable_at IS NULL"
            " ORDER BY coalesce(a.channel = p.channel, 0) DESC, a.last_seen_at DESC, a.id DESC",
            (person_id,),
        )
        return [Account(*row) for row in rows]

    async def reach(self, person_id: int) -> Reach:
        """Whether the bot can write to the person: on an account they have not blocked it on
        (reachable), only on blocked ones (blocked), or on none (not_linked)."""
        row = await self.db.fetchone(
            "SELECT count(*), count(*) FILTER (WHERE unreachable_at IS NULL)"
            " FROM accounts WHERE person_id = ?",
            (person_id,),
        )
        linked, open_ = row if row is not None else (0, 0)
        return "reachable" if open_ else ("blocked" if linked else "not_linked")

    async def seen(self, account_id: int, now: datetime) -> None:
        # Not worth a wait while another process (an import) writes: the next update notes it.
        await self.db.execute(
            "UPDATE accounts SET last_seen_at = ?, unreachable_at = NULL WHERE id = ?",
            (to_db(now), account_id),
            wait=False,
        )

    async def mark_unreachable(self, account_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE accounts SET unreachable_at = ? WHERE id = ?", (to_db(now), account_id)
        )
