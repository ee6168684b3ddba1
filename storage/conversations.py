"""Dialogues in progress, kept in the database so that a restart does not lose a step."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.timefmt import to_db


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
            "INSERT INTO numbered_choices (channel, chat_id, options, offered_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (channel, chat_id) DO UPDATE SET"
            " options = excluded.options, offered_at = excluded.offered_at",
            (channel, chat_id, json.dumps(options), to_db(now)),
        )

    async def choices(self, channel: str, chat_id: str) -> list[str]:
        text = await self.db.fetchval(
            "SELECT options FROM numbered_choices WHERE channel = ? AND chat_id = ?",
            (channel, chat_id),
        )
        return json.loads(text) if text else []
