"""One SQLite connection (aiosqlite) shared by the whole process, safe for many tasks.

SQLite allows one writer; in WAL mode readers never wait for it. Inside this process every
statement goes through one asyncio lock, so a transaction opened by one task never sees another
task's statements interleaved into it. Other processes (the CLI while the bot runs) are
serialised by SQLite itself: BEGIN IMMEDIATE plus a busy timeout.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.migrations import apply_migrations, pending_migrations

BUSY_TIMEOUT_MS = 10_000


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: str):
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._tx_owner: asyncio.Task[Any] | None = None

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Database:
        """Open (creating if needed) the database at PATH and bring its schema up to date."""
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        # 64 MB of page cache (the default is 2 MB): a city's database is a few tens of MB and
        # the coverage query reads it at random.
        await conn.execute("PRAGMA cache_size = -65536")
        db = cls(conn, path)
        try:
            # Only take the write lock when there is something to apply: the CLI must open a
            # database while the bot holds a write transaction on it.
            if migrate and await pending_migrations(conn):
                async with db.transaction():
                    await apply_migrations(conn)
        except BaseException:
            await conn.close()  # else aiosqlite's worker thread keeps the process alive
            raise
        return db

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    def _in_own_transaction(self) -> bool:
        return self._tx_owner is not None and self._tx_owner is asyncio.current_task()

    @asynccontextmanager
    async def _statement(self) -> AsyncIterator[aiosqlite.Connection]:
        if self._in_own_transaction():
            yield self._conn
        else:
            async with self._lock:
                yield self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """All statements inside commit together or not at all. Not reentrant across tasks."""
        if self._in_own_transaction():
            raise RuntimeError("nested transaction")
        async with self._lock:
            self._tx_owner = asyncio.current_task()
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")
            finally:
                self._tx_owner = None

    # Reads take one trip to aiosqlite's thread (execute_fetchall), not three (execute, fetch,
    # close): on a chat update's dozen small queries the trips cost more than SQLite does.
    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        async with self._statement() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The first row (callers ask for one: a key, or LIMIT 1)."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return how many rows it changed."""
        async with self._statement() as conn, conn.execute(sql, params) as cursor:
            return cursor.rowcount

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one INSERT; return the new row's id."""
        async with self._statement() as conn, conn.execute(sql, params) as cursor:
            return cursor.lastrowid

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        """Run one statement per row; return how many rows they changed in all."""
        async with self._statement() as conn, await conn.executemany(sql, rows) as cursor:
            return cursor.rowcount

    async def backup_to(self, target: str | Path) -> None:
        """Write a consistent copy of the live database to TARGET (SQLite online backup)."""
        async with self._statement() as conn:
            # A plain sqlite3 connection: aiosqlite runs the copy on its own worker thread.
            dest = sqlite3.connect(str(target), check_same_thread=False)
            try:
                await conn.backup(dest)
            finally:
                dest.close()
