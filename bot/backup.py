"""Backups of the live database: one new file, or dated files in a folder keeping the newest N.

A backup is written under a hidden partial name, checked, and only then renamed into place,
so a copy cut short (a full disk, a kill) is never taken for a backup, and the old ones are
removed only after a new one is whole.
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.store import Store

DATED = re.compile(r"^checkin-bot-\d{8}-\d{6}\.sqlite3$")


class BackupFailed(Exception):
    """The copy could not be written or is not whole; nothing was left at the target."""


def dated_name(now: datetime, tz: ZoneInfo) -> str:
    """checkin-bot-YYYYMMDD-HHMMSS.sqlite3 in local time: names sort as the backups were made."""
    return f"checkin-bot-{now.astimezone(tz):%Y%m%d-%H%M%S}.sqlite3"


async def write_backup(store: Store, target: Path) -> None:
    """Copy the live database to TARGET (which must not exist), whole or not at all."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        await store.db.backup_to(partial)
        await asyncio.to_thread(_check_and_place, partial, target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupFailed(str(exc)) from exc
    finally:
        await asyncio.to_thread(_remove_partial, partial)


def _remove_partial(partial: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)


def _check_and_place(partial: Path, target: Path) -> None:
    with closing(sqlite3.connect(partial)) as copy:
        # The copy keeps the live database's WAL mode, and a WAL database opened anywhere grows
        # -wal and -shm files beside it: as a rollback-journal one it is one file, whole, which
        # the bot turns back to WAL when it opens it after a restore.
        copy.execute("PRAGMA journal_mode = DELETE")
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise BackupFailed(f"the copy fails SQLite's check: {verdict}")
    os.replace(partial, target)
    # The rename is durable only once the folder's entry is written too.
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest KEEP dated backups in FOLDER; return the removed ones."""
    backups = sorted(path for path in folder.iterdir() if DATED.match(path.name))
    removed = backups[:-keep] if len(backups) > keep else []
    for path in removed:
        path.unlink()
    return removed
