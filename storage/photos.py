"""Photos of meetings: files in a folder beside the database, a row each in note_photos."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from storage.db import Database
from storage.faults import StoreUnavailable
from storage.timefmt import to_db


def photo_names(checkin: str) -> str:
    """SQL for the file names of the photos of the check-in aliased CHECKIN, in the order they
    came, as a JSON array."""
    return (
        "(SELECT json_group_array(p.file_name) FROM (SELECT file_name FROM note_photos"
        f" WHERE checkin_id = {checkin}.id ORDER BY id) p)"
    )


class PhotosRepository:
    """A photo's file is written whole under a new name of ours (write), then its row is
    added (add) in the transaction that checks it may be; a file whose row did not follow is
    removed (discard), so a row never names a missing or half-written file."""

    def __init__(self, db: Database, folder: Path):
        self.db = db
        self.folder = folder  # where the files are: "photos" beside the database

    async def count(self, checkin_id: int) -> int:
        return await self.db.fetchval(
            "SELECT count(*) FROM note_photos WHERE checkin_id = ?", (checkin_id,)
        )

    async def write(self, checkin_id: int, content: bytes, extension: str) -> str:
        """CONTENT as a new file for the check-in, on the disk; its name. StoreUnavailable
        when the disk is full or read-only (nothing is left behind)."""
        name = f"{checkin_id}-{secrets.token_hex(6)}.{extension}"
        await asyncio.to_thread(_write_new, self.folder / name, content)
        return name

    async def add(
        self, checkin_id: int, name: str, size: int, most: int, at: datetime
    ) -> int | None:
        """The file NAME (from write) as a photo of the check-in, unless it has MOST already;
        how many it has now (None: it had MOST). Inside a transaction."""
        count = await self.count(checkin_id)
        if count >= most:
            return None
        await self.db.execute(
            "INSERT INTO note_photos (checkin_id, file_name, bytes, received_at)"
            " VALUES (?, ?, ?, ?)",
            (checkin_id, name, size, to_db(at)),
        )
        return count + 1

    def discard(self, name: str) -> None:
        """Remove the file NAME, written but not added."""
        (self.folder / name).unlink(missing_ok=True)

    async def file(self, name: str) -> Path | None:
        """The file of the photo named NAME; None when no photo has that name (a name is only
        looked up, never made into a path, unless the database lists it) or its file is gone."""
        known = await self.db.fetchval("SELECT 1 FROM note_photos WHERE file_name = ?", (name,))
        path = self.folder / name
        return path if known and path.is_file() else None

    async def names(self, checkin_id: int) -> list[str]:
        """The file names of the check-in's photos, in the order they came."""
        rows = await self.db.fetchall(
            "SELECT file_name FROM note_photos WHERE checkin_id = ? ORDER BY id", (checkin_id,)
        )
        return [row[0] for row in rows]


def _write_new(path: Path, content: bytes) -> None:
    """CONTENT as the new file PATH, on the disk before this returns; nothing is left behind
    if it cannot be written."""
    with _disk_told_apart():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: a name ever taken (48 random bits make it unlikely) fails, never overwrites.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise


@contextlib.contextmanager
def _disk_told_apart() -> Iterator[None]:
    """A full or read-only disk as "not now", as the database's own writes say it
    (StoreUnavailable): the person is told the photo was not saved."""
    try:
        yield
    except OSError as exc:
        unavailable = StoreUnavailable.of_disk(exc)
        if unavailable is None:
            raise
        raise unavailable from exc
