"""Invites: one-time tokens that link a chat account to a person. Only hashes are stored."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.timefmt import to_db


class InvitesRepository:
    def __init__(self, db: Database):
        self.db = db

    async def add(
        self, token_hash: str, person_id: int, now: datetime, expires_at: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO invites (token_hash, person_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (token_hash, person_id, to_db(now), to_db(expires_at)),
        )
