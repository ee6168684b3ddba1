"""One SQLite connection shared by the whole process for its writes and lookups, safe for
many tasks, and a second one that only reads (below).

SQLite allows one writer; in WAL mode readers never wait for it. Inside this process every
statement goes through one asyncio lock, so a transaction opened by one task never sees another
task's statements interleaved into it. Other processes (the CLI while the bot runs) are
serialised by SQLite itself: BEGIN IMMEDIATE, tried again while another holds the lock.

Where statements run. aiosqlite owns the connection and can run any statement on its worker
thread, keeping the event loop free while SQLite works. For a point statement (a chat update
makes a dozen lookups by key) that trip costs the loop far more than the statement costs
SQLite, plus a wake-up, and the worker then contends with the loop for the GIL (bench/chat.py
shows the difference on a check-in tap). So `Database` runs statements inline on the loop, and
`db.threaded` (the same connection, lock and transactions) runs them on the worker: the
repositories that write many rows at once (a roster import) or read a member's share are
handed that one, and an executemany of more than
IN_PLACE_ROWS rows goes there whoever runs it. An inline statement slower than SLOW_INLINE_S is logged by its text, so that
it can be moved.

Waiting for another process (the CLI's import holding the write lock) must stop neither the
loop nor the other tasks' statements: inline statements run with no busy timeout, and a write
that finds the database locked lets the connection go and tries again after a pause, for up to
BUSY_TIMEOUT_MS; meanwhile the chat's reads run (WAL readers never wait for a writer).

Long reads (a quarter's coverage, the digest, the scheduler's scan) go to `db.reader`: a
second connection, read-only, on a thread of its own, opened at its first statement. In WAL
mode it reads beside the writer, so a /report that reads for half a second holds up no
check-in: the one connection's lock is never theirs. It sees what is committed, never the
inside of a transaction in progress: read nothing there that the transaction wrote.

The write-ahead log is copied back into the database (a checkpoint) by the reader, on its
thread, at most every CHECKPOINT_EVERY_S: SQLite would do it in the commit that finds the log
long, in place, and after an import in another process that log is tens of MB.

Faults (storage.faults): a file that cannot be the database stops `open` with StoreUnusable;
a statement the database cannot take now (full disk, read-only, locked past the timeout)
raises StoreUnavailable, having written nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import aiosqlite

from storage.db_file import check_database_path
from storage.faults import StoreUnusable, unavailable_told_apart
from storage.migrations import apply_migrations, pending_migrations, unknown_migrations

BUSY_TIMEOUT_MS = 10_000
SLOW_INLINE_S = 0.02  # an inline statement this slow held up every chat the bot is serving
IN_PLACE_ROWS = 50  # an executemany of more rows runs on the worker: a batch would stall the loop
CHECKPOINT_EVERY_S = 10.0  # the write-ahead log copied back at most this often, by the reader

log = logging.getLogger(__name__)

Result = Literal["rows", "rowcount", "lastrowid"]


@dataclass(eq=False)
class _Connection:
    """What the inline and the threaded view of one database share."""

    aio: aiosqlite.Connection
    raw: sqlite3.Connection  # the same connection, for statements run in place
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    tx_owner: asyncio.Task[Any] | None = None
    waits: bool = True  # the busy timeout in force: BUSY_TIMEOUT_MS, or none
    checkpoint_due: float = 0.0  # time.monotonic() after which the log is copied back
    checkpointing: asyncio.Task[None] | None = None

    def wait_for_locks(self, waits: bool) -> None:
        # Switched only when the kind of statement changes: a PRAGMA in place costs microseconds.
        if self.waits != waits:
            self.raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS if waits else 0}")
            self.waits = waits


async def _connect(path: str, *, read_only: bool = False) -> _Connection:
    """A connection to PATH, set up; aiosqlite's thread is stopped again if that fails."""
    opened: list[sqlite3.Connection] = []

    def connect() -> sqlite3.Connection:
        # Made on aiosqlite's worker thread and used on the loop's as well, never by both at
        # once: every use is under the one lock.
        raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        opened.append(raw)
        return raw

    conn = await aiosqlite.Connection(connect, 64)
    try:
        conn.row_factory = sqlite3.Row
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if read_only:
            await conn.execute("PRAGMA query_only = ON")
        else:
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            # Not after its own commits, in place: the reader does it (Database._copy_back).
            await conn.execute("PRAGMA wal_autocheckpoint = 0")
        # 64 MB of page cache (the default is 2 MB): a city's database is a few tens of MB and
        # the coverage query reads it at random.
        await conn.execute("PRAGMA cache_size = -65536")
    except BaseException:
        await conn.close()  # else aiosqlite's worker thread keeps the process alive
        raise
    return _Connection(conn, opened[0])


class Database:
    def __init__(
        self,
        connection: _Connection,
        path: str,
        *,
        threaded: bool = False,
        reader: Database | None = None,
    ):
        self._connection = connection
        self.path = path
        self._on_worker = threaded
        # The same database on a read-only connection of its own (in memory there is no
        # second one: the database itself, then).
        self.reader: Database = reader or (self if path == ":memory:" else Reader(path))
        # The same database, its statements run on aiosqlite's worker thread.
        self.threaded: Database = (
            self if threaded else Database(connection, path, threaded=True, reader=self.reader)
        )

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Database:
        """Open (creating if needed) the database at PATH and bring its schema up to date.

        Raises StoreUnusable, with one line saying what to do, when it cannot be used.
        """
        path = str(path)
        if path != ":memory:":
            check_database_path(Path(path))
        try:
            connection = await _connect(path)
        except sqlite3.Error as exc:
            raise StoreUnusable(_unusable(path, exc)) from None
        db = cls(connection, path)
        try:
            newer = await unknown_migrations(connection.aio)
            if newer:
                raise StoreUnusable(
                    f"{path}: was written by a newer checkin-bot (schema steps this one does not"
                    f" know: {', '.join(newer)}); run that version, or restore a backup made"
                    " with this one"
                )
            # Only take the write lock when there is something to apply: the CLI must open a
            # database while the bot holds a write transaction on it.
            if migrate and await pending_migrations(connection.aio):
                async with db.threaded.transaction():
                    await apply_migrations(connection.aio)
        except BaseException as exc:
            await connection.aio.close()  # else aiosqlite's worker thread keeps the process alive
            if isinstance(exc, sqlite3.Error):
                raise StoreUnusable(_unusable(path, exc)) from None
            raise
        return db

    async def close(self) -> None:
        if self._connection.checkpointing is not None:
            await self._connection.checkpointing
        if self.reader is not self:
            await self.reader.close()
        async with self._connection.lock:
            await self._connection.aio.close()

    def _in_own_transaction(self) -> bool:
        owner = self._connection.tx_owner
        return owner is not None and owner is asyncio.current_task()

    @asynccontextmanager
    async def _statement(self) -> AsyncIterator[None]:
        if self._in_own_transaction():
            yield
        else:
            async with self._connection.lock:
                yield

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """All statements inside commit together or not at all. Not reentrant across tasks."""
        if self._in_own_transaction():
            raise RuntimeError("nested transaction")
        connection = self._connection
        await self._begin()
        connection.tx_owner = asyncio.current_task()
        try:
            try:
                yield self
            except BaseException:
                # In place even on the threaded view: a cancelled task must not leave the
                # transaction open behind it. (SQLite may have rolled back already.)
                if connection.raw.in_transaction:
                    connection.raw.execute("ROLLBACK")
                raise
            await self._run("rowcount", "COMMIT")
        finally:
            connection.tx_owner = None
            connection.lock.release()

    async def _begin(self) -> None:
        """Take the connection and SQLite's write lock (BEGIN IMMEDIATE), both held on return.

        While another process writes, the connection is let go between tries, so that the
        statements of the other tasks (the chat's reads) go on meanwhile.
        """
        connection, waiting = self._connection, _LockWait()
        with unavailable_told_apart():
            while True:
                await connection.lock.acquire()
                try:
                    # In place even on the threaded view: a trip to the worker for a statement
                    # that costs microseconds, or finds the lock taken at once.
                    self._in_place("rowcount", "BEGIN IMMEDIATE", (), False)
                    return
                except sqlite3.OperationalError as exc:
                    connection.lock.release()
                    if not _busy(exc):
                        raise
                    pause = waiting.pause(exc)
                except BaseException:
                    connection.lock.release()
                    raise
                await asyncio.sleep(pause)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return await self._run("rows", sql, params)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The first row (callers ask for one: a key, or LIMIT 1)."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def execute(self, sql: str, params: Sequence[Any] = (), *, wait: bool = True) -> int:
        """Run one statement; return how many rows it changed.

        WAIT=False: while another process holds the write lock, fail at once (StoreUnavailable)
        instead of waiting for it, for bookkeeping that can as well be done next time.
        """
        return await self._run("rowcount", sql, params, wait=wait)

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one INSERT; return the new row's id."""
        return await self._run("lastrowid", sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        """Run one statement per row; return how many rows they changed in all."""
        return await self._run("rowcount", sql, list(rows), many=True)

    async def backup_to(self, target: str | Path) -> None:
        """Write a consistent copy of the live database to TARGET (SQLite online backup)."""
        async with self._statement():
            self._connection.wait_for_locks(True)
            # A plain sqlite3 connection: aiosqlite runs the copy on its own worker thread.
            dest = sqlite3.connect(str(target), check_same_thread=False)
            try:
                with unavailable_told_apart():
                    await self._connection.aio.backup(dest)
            finally:
                dest.close()

    async def _run(
        self, result: Result, sql: str, params: Any = (), *, many: bool = False, wait: bool = True
    ) -> Any:
        with unavailable_told_apart():
            done = await self._run_where_it_fits(result, sql, params, many, wait)
        self._copy_back_now_and_then()
        return done

    def _copy_back_now_and_then(self) -> None:
        """Copy the write-ahead log back into the database (a checkpoint) at most every
        CHECKPOINT_EVERY_S, on the reader's thread. SQLite's own does it in the commit that
        finds the log long, which here would be a chat's commit, in place on the loop, and
        the log as long as what another process wrote (an import: tens of MB)."""
        connection = self._connection
        if self.reader is self or time.monotonic() < connection.checkpoint_due:
            return
        if connection.checkpointing is None or connection.checkpointing.done():
            connection.checkpoint_due = time.monotonic() + CHECKPOINT_EVERY_S
            connection.checkpointing = asyncio.create_task(self._copy_back())

    async def _copy_back(self) -> None:
        # PASSIVE: as much as no reader still needs, waiting for no one. One that fails (the
        # disk full, another process checkpointing) leaves it to the next.
        with contextlib.suppress(sqlite3.Error):
            await self.reader.fetchall("PRAGMA wal_checkpoint(PASSIVE)")

    async def _run_where_it_fits(
        self, result: Result, sql: str, params: Any, many: bool, wait: bool
    ) -> Any:
        waiting = _LockWait()
        while True:
            async with self._statement():
                # Outside a transaction each row of an executemany commits on its own: one that
                # found the database locked could not be run again from the first. So those
                # wait on the worker from the start, as do long ones; a single statement that
                # found the database locked changed nothing, and is tried again.
                in_place = not self._on_worker and (
                    not many or (self._in_own_transaction() and len(params) <= IN_PLACE_ROWS)
                )
                if not in_place:
                    return await self._on_the_worker(result, sql, params, many, wait)
                try:
                    return self._in_place(result, sql, params, many)
                except sqlite3.OperationalError as exc:
                    if not _busy(exc) or not wait:
                        raise
                    if self._in_own_transaction():  # it holds the connection: wait there
                        return await self._on_the_worker(result, sql, params, many, wait)
                    pause = waiting.pause(exc)
            # Another process is writing: wait for it without holding the connection.
            await asyncio.sleep(pause)

    async def _on_the_worker(
        self, result: Result, sql: str, params: Any, many: bool, wait: bool
    ) -> Any:
        work = asyncio.ensure_future(self._in_thread(result, sql, params, many, wait))
        try:
            return await asyncio.shield(work)
        except asyncio.CancelledError:
            # The worker thread goes on with the statement: keep the lock until it is done,
            # or the next statement would run in place beside it.
            await asyncio.wait([work])
            raise

    def _in_place(self, result: Result, sql: str, params: Any, many: bool) -> Any:
        connection = self._connection
        connection.wait_for_locks(False)
        started = time.perf_counter()
        raw = connection.raw
        cursor = raw.executemany(sql, params) if many else raw.execute(sql, params)
        try:
            if result == "rows":
                return cursor.fetchall()
            return cursor.rowcount if result == "rowcount" else cursor.lastrowid
        finally:
            cursor.close()
            took = time.perf_counter() - started
            if took > SLOW_INLINE_S:
                log.warning(
                    "a statement held up the event loop %.0f ms (give it to db.threaded): %s",
                    took * 1000,
                    " ".join(sql.split())[:100],
                )

    async def _in_thread(
        self, result: Result, sql: str, params: Any, many: bool, wait: bool
    ) -> Any:
        self._connection.wait_for_locks(wait)
        aio = self._connection.aio
        # One trip to the worker for a read (execute_fetchall), not three (execute, fetch, close).
        if result == "rows":
            return list(await aio.execute_fetchall(sql, params))
        cursor = await (aio.executemany(sql, params) if many else aio.execute(sql, params))
        async with cursor:
            return cursor.rowcount if result == "rowcount" else cursor.lastrowid


class Reader(Database):
    """Database.reader: the same database on a read-only connection of its own, every
    statement on that connection's thread. Opened at its first statement (most CLI commands
    never read in bulk), closed with the database; it takes no transactions."""

    def __init__(self, path: str):
        # Database's attributes, but the connection, made by _opened().
        self.path = path
        self._on_worker = True
        self.reader = self.threaded = self
        self._opening = asyncio.Lock()
        self._closed = False

    async def _opened(self) -> None:
        if not hasattr(self, "_connection"):
            async with self._opening:
                if self._closed:
                    raise RuntimeError(f"{self.path}: read after the database was closed")
                if not hasattr(self, "_connection"):
                    with unavailable_told_apart():
                        self._connection = await _connect(self.path, read_only=True)

    async def _run(
        self, result: Result, sql: str, params: Any = (), *, many: bool = False, wait: bool = True
    ) -> Any:
        await self._opened()
        return await super()._run(result, sql, params, many=many, wait=wait)

    def transaction(self) -> AbstractAsyncContextManager[Database]:
        raise TypeError("the reader only reads: write through the database itself")

    async def backup_to(self, target: str | Path) -> None:
        await self._opened()
        await super().backup_to(target)

    async def close(self) -> None:
        async with self._opening:
            self._closed = True
            if hasattr(self, "_connection"):
                async with self._connection.lock:
                    await self._connection.aio.close()
                del self._connection


def _busy(exc: sqlite3.OperationalError) -> bool:
    return exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY


class _LockWait:
    """The pauses between tries of a statement that found another process writing: SQLite's
    own busy handler's steps, for BUSY_TIMEOUT_MS in all."""

    STEPS_MS = (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100)

    def __init__(self) -> None:
        self.deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        self.tries = 0

    def pause(self, busy: sqlite3.OperationalError) -> float:
        """Seconds to wait before the next try; raises BUSY once the time is up."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise busy
        step = self.STEPS_MS[min(self.tries, len(self.STEPS_MS) - 1)]
        self.tries += 1
        return min(step / 1000, left)


def _unusable(path: str, exc: sqlite3.Error) -> str:
    """The one line for an SQLite error while opening PATH."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_BUSY:
        return (
            f"{path}: another process held the database's write lock for"
            f" {BUSY_TIMEOUT_MS / 1000:g} s; start again once it is done"
        )
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return (
            f"{path}: the database is damaged or not a database ({exc}); restore a backup"
            " (checkin-bot backup makes them)"
        )
    if code == sqlite3.SQLITE_FULL:
        return f"{path}: the disk is full ({exc}); free some space and start again"
    return f"{path}: cannot be opened for reading and writing ({exc})"
