"""What can go wrong with the database, in the two kinds the layers above act on.

StoreUnusable: the database cannot be opened for use at all (a file that is not SQLite, a
half-copied one, a schema from a newer build, a read-only or full disk at start). The start
stops with its one line, which says what to do.

StoreUnavailable: a statement failed because the database cannot take it now (the disk is
full, the file system turned read-only, another process held the write lock past the busy
timeout, an I/O error). Nothing of it was written (SQLite rolls the statement, or the
transaction, back), and the same request may work later: a chat is told to try again, the
bot goes on. It is a sqlite3.OperationalError, so code that catches those still does.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

# Primary result codes (the low byte of an extended code) that say "not now", not "wrong".
_NOT_NOW = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PROTOCOL,
    }
)

# A disk's refusals of a file, as SQLite's codes for the same.
_DISK_FAULTS = {
    errno.ENOSPC: (sqlite3.SQLITE_FULL, "SQLITE_FULL"),
    errno.EDQUOT: (sqlite3.SQLITE_FULL, "SQLITE_FULL"),
    errno.EROFS: (sqlite3.SQLITE_READONLY, "SQLITE_READONLY"),
}


class StoreUnusable(Exception):
    """The database cannot be used: one line for the operator, saying what to do."""


class StoreUnavailable(sqlite3.OperationalError):
    """The database could not take a statement now; nothing of it was written."""

    sqlite_errorcode: int
    sqlite_errorname: str

    @property
    def locked(self) -> bool:
        """Another process held the write lock past the wait: busy, not broken."""
        return self.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY

    @classmethod
    def of(cls, exc: sqlite3.Error) -> StoreUnavailable | None:
        """EXC as a StoreUnavailable when it is one of the "not now" kind, else None."""
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(exc, cls) or code is None or code & 0xFF not in _NOT_NOW:
            return None
        return cls._made(str(exc), code, exc.sqlite_errorname)

    @classmethod
    def of_disk(cls, exc: OSError) -> StoreUnavailable | None:
        """EXC, met writing a file beside the database (a photo), as StoreUnavailable when the
        disk is full or read-only (as the database's own write would say it), else None."""
        said = _DISK_FAULTS.get(exc.errno or 0)
        if said is None:
            return None
        return cls._made(f"{exc.strerror}: {exc.filename}", *said)

    @classmethod
    def _made(cls, text: str, code: int, name: str) -> StoreUnavailable:
        unavailable = cls(text)
        unavailable.sqlite_errorcode = code
        unavailable.sqlite_errorname = name
        return unavailable


@contextmanager
def unavailable_told_apart() -> Iterator[None]:
    """Inside, an SQLite error of the "not now" kind is raised as StoreUnavailable."""
    try:
        yield
    except sqlite3.Error as exc:
        unavailable = StoreUnavailable.of(exc)
        if unavailable is None:
            raise
        raise unavailable from exc
