"""Dialogues in progress, kept in the database so that a restart does not lose a step."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class OfferedList:
    """The numbered list a chat without buttons was last offered."""

    options: list[str]  # Choice.data, in the order shown
    offered_at: datetime
    plain_after: bool  # a message without choices was shown after it


class ConversationsRepository:
    def __init__(self, db: Database):
        self.db = db

    async def get(self, channel: str, user_id: str) -> tuple[str, dict[str, Any]] | None:
        row = await self.db.fetchone(
            "SELECT flow, state FROM conversations WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        return row and (row[0], json.loads(row[1]))

    async def put(
        self, channel: str, user_id: str, flow: str, state: dict[str, Any], now: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO conversations (channel, user_id, flow, state, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, user_id) DO UPDATE SET"
            " flow = excluded.flow, state = excluded.state, updated_at = excluded.updated_at",
            (channel, user_id, flow, json.dumps(state, ensure_ascii=False), to_db(now)),
        )

    async def clear(self, channel: str, user_id: str) -> None:
        await self.db.execute(
            "DELETE FROM conversations WHERE channel = ? AND user_id = ?", (channel, user_id)
        )

    async def put_choices(
        self, channel: str, chat_id: str, options: list[str], now: datetime
    ) -> None:
        """Remember a numbered list offered in a chat without buttons (replaces the last)."""
        await self.db.execute(
            "INSERT INTO numbered_choices (channel, chat_id, options, offered_at, plain_after)"
            " VALUES (?, ?, ?, ?, 0) ON CONFLICT (channel, chat_id) DO UPDATE SET"
            " options = excluded.options, offered_at = excluded.offered_at, plain_after = 0",
            (channel, chat_id, json.dumps(options), to_db(now)),
        )

    async def put_plain(self, channel: str, chat_id: str) -> None:
        """Note that a message without choices followed the chat's list (which stays)."""
        await self.db.execute(
            "UPDATE numbered_choices SET plain_after = 1"
            " WHERE channel = ? AND chat_id = ? AND plain_after = 0",
            (channel, chat_id),
        )

    async def offered(self, channel: str, chat_id: str) -> OfferedList | None:
        row = await self.db.fetchone(
            "SELECT options, offered_at, plain_after FROM numbered_choices"
            " WHERE channel = ? AND chat_id = ?",
            (channel, chat_id),
        )
        return row and OfferedList(json.loads(row[0]), from_db(row[1]), bool(row[2]))

    async def choices(self, channel: str, chat_id: str) -> list[str]:
        offered = await self.offered(channel, chat_id)
        return offered.options if offered else []
