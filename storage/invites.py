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

    async def take(self, token_hash: str, now: datetime) -> tuple[str, int | None]:
        """Use up an invite: ("ok", person), or ("unknown" | "used" | "expired", None).

        The caller holds a transaction, so two taps of one link cannot both succeed.
        """
        row = await self.db.fetchone(
            "SELECT person_id, expires_at, used_at FROM invites WHERE token_hash = ?",
            (token_hash,),
        )
        if row is None:
            return "unknown", None
        if row["used_at"] is not None:
            return "used", None
        if row["expires_at"] <= to_db(now):
            return "expired", None
        await self.db.execute(
            "UPDATE invites SET used_at = ? WHERE token_hash = ?", (to_db(now), token_hash)
        )
        return "ok", row["person_id"]
