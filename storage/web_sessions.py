"""The board's sign-in: one-time links, sessions, and a roster file waiting for Apply.

Links and session ids are stored as hashes only (the caller hashes them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from bot.core.board import WebSession
from storage.db import Database
from storage.timefmt import from_db, to_db

SignInOutcome = Literal["ok", "unknown", "used", "expired"]


class WebSessionsRepository:
    def __init__(self, db: Database):
        self.db = db

    # -- one-time sign-in links ------------------------------------------------------------

    async def add_sign_in(
        self, token_hash: str, person_id: int, now: datetime, expires_at: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO web_sign_ins (token_hash, person_id, created_at, expires_at)"
            " VALUES (?, ?, ?, ?)",
            (token_hash, person_id, to_db(now), to_db(expires_at)),
        )

    async def sign_in(
        self, token_hash: str, now: datetime, *, use: bool
    ) -> tuple[SignInOutcome, int | None]:
        """("ok", person) for a link that is still good, else why not; USE spends it.

        Spending is one conditional UPDATE, so two tabs opening one link cannot both sign in.
        """
        row = await self.db.fetchone(
            "SELECT person_id, expires_at, used_at FROM web_sign_ins WHERE token_hash = ?",
            (token_hash,),
        )
        if row is None:
            return "unknown", None
        if row["used_at"] is not None:
            return "used", None
        if row["expires_at"] <= to_db(now):
            return "expired", None
        if use and not await self.db.execute(
            "UPDATE web_sign_ins SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
            (to_db(now), token_hash),
        ):
            return "used", None
        return "ok", row["person_id"]

    # -- sessions ---------------------------------------------------------------------------

    async def open_session(
        self, id_hash: str, person_id: int, csrf_token: str, now: datetime, expires_at: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO web_sessions (id_hash, person_id, csrf_token, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (id_hash, person_id, csrf_token, to_db(now), to_db(expires_at)),
        )

    async def session(self, id_hash: str, now: datetime) -> WebSession | None:
        """The session with this id, while it has neither ended nor expired."""
        row = await self.db.fetchone(
            "SELECT person_id, csrf_token, expires_at FROM web_sessions"
            " WHERE id_hash = ? AND ended_at IS NULL AND expires_at > ?",
            (id_hash, to_db(now)),
        )
        return row and WebSession(row[0], row[1], from_db(row[2]))

    async def end_session(self, id_hash: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE web_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL",
            (to_db(now), id_hash),
        )

    async def forget_before(self, before: datetime) -> None:
        """Drop links and sessions that expired before BEFORE: they can never be used again."""
        async with self.db.transaction():
            await self.db.execute("DELETE FROM web_sign_ins WHERE expires_at < ?", (to_db(before),))
            await self.db.execute("DELETE FROM web_sessions WHERE expires_at < ?", (to_db(before),))

    # -- a roster file between its preview and Apply ----------------------------------------

    async def keep_upload(
        self,
        upload_id: str,
        person_id: int,
        file_name: str,
        content: bytes,
        roster_changes: int,
        now: datetime,
    ) -> None:
        """Keep the person's upload, in place of the one they had before (if any)."""
        async with self.db.transaction():
            await self.db.execute("DELETE FROM web_uploads WHERE person_id = ?", (person_id,))
            await self.db.execute(
                "INSERT INTO web_uploads (id, person_id, file_name, content, roster_changes,"
                " uploaded_at) VALUES (?, ?, ?, ?, ?, ?)",
                (upload_id, person_id, file_name, content, roster_changes, to_db(now)),
            )

    async def upload(self, upload_id: str, person_id: int) -> tuple[str, bytes, int] | None:
        """(file name, content, roster version at its preview) of the person's own upload."""
        row = await self.db.fetchone(
            "SELECT file_name, content, roster_changes FROM web_uploads"
            " WHERE id = ? AND person_id = ?",
            (upload_id, person_id),
        )
        return row and (row[0], bytes(row[1]), row[2])

    async def drop_upload(self, upload_id: str) -> None:
        await self.db.execute("DELETE FROM web_uploads WHERE id = ?", (upload_id,))
