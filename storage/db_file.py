"""The database's path, looked at before SQLite opens it.

SQLite finds most of these faults too, but late and vaguely: a file that is not a database
fails at the first PRAGMA, a half-copied one only at the first read of a missing page (maybe
days later, in the middle of a tick), and a full or read-only disk only at the first write,
which for a bot that starts and waits may be the first member's check-in. Looked at here,
each stops the start with one line saying what to do.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from storage.faults import StoreUnusable

MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
# Room a start needs: the write-ahead log and its index grow by pages and 32 KB blocks, and a
# bot that cannot write one check-in should not start as if it could.
MIN_FREE_BYTES = 1 << 20


def check_database_path(path: Path) -> None:
    """Raise StoreUnusable unless PATH can be opened as the bot's database (or created)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnusable(
            f"{path}: cannot create its folder {folder}: {exc.strerror} (storage.path)"
        ) from None
    if path.exists():
        if not path.is_file():
            raise StoreUnusable(f"{path}: is not a file (storage.path names the database file)")
        _check_header(path)
    _check_writable(path)
    _check_free_space(path)


def _check_header(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        return  # SQLite writes an empty file's first page on its first write
    with path.open("rb") as file:
        header = file.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
        raise StoreUnusable(
            f"{path}: is not an SQLite database (storage.path names the bot's database file,"
            " or a new one to create)"
        )
    expected = _size_in_header(header)
    # Without a write-ahead log beside it the file alone is the database, so it must hold
    # every page its header counts. (While a log exists, a checkpoint in progress may have
    # written page 1 before the pages after it: then the file is short for a moment.)
    wal = path.with_name(path.name + "-wal")
    if expected is not None and size < expected and not (wal.exists() and wal.stat().st_size):
        raise StoreUnusable(
            f"{path}: is cut short ({size:,} of its {expected:,} bytes): a copy that did not"
            " finish? Copy it again, or restore a backup (checkin-bot backup makes whole ones)"
        )


def _size_in_header(header: bytes) -> int | None:
    """The database's size in bytes as its header gives it; None when the header does not
    (the count is only valid while the "version valid for" number equals the change counter)."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    return page_size * pages if valid and pages else None


def _check_writable(path: Path) -> None:
    folder = path.parent
    # statvfs is POSIX only (the demo also runs on Windows, where os.access says enough).
    if hasattr(os, "statvfs") and os.statvfs(folder).f_flag & os.ST_RDONLY:
        raise StoreUnusable(
            f"{path}: the file system holding it is read-only; mount it read-write, or set"
            " storage.path to a writable place"
        )
    # The log and its index are files beside the database: SQLite creates them in the folder.
    if not os.access(folder, os.W_OK):
        raise StoreUnusable(f"{path}: its folder {folder} is not writable by this user")
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreUnusable(f"{path}: the file is read-only for this user")


def _check_free_space(path: Path) -> None:
    free = shutil.disk_usage(path.parent).free
    if free < MIN_FREE_BYTES:
        raise StoreUnusable(
            f"{path}: the disk is full ({free:,} bytes free, at least {MIN_FREE_BYTES:,}"
            " needed); free some space and start again"
        )
