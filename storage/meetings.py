"""Meetings of cells."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.timefmt import to_db


class MeetingsRepository:
    def __init__(self, db: Database):
        self.db = db

    async def id_of(self, cell_code: str, starts_at: datetime) -> int | None:
        return await self.db.fetchval(
            "SELECT mt.id FROM meetings mt JOIN cells c ON c.id = mt.cell_id"
            " WHERE c.code = ? AND mt.starts_at = ?",
            (cell_code, to_db(starts_at)),
        )
