"""storage.db: statements in place on the loop, `threaded` ones on aiosqlite's worker, and
neither way stops the loop while another process holds the write lock."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import storage.db
from storage.db import Database
from storage.faults import StoreUnavailable


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "bot.sqlite3")
    yield db
    await db.close()


def sql_function(db: Database, name: str, function) -> None:
    # The one connection's own sqlite3 object: a function must be registered on it to be
    # callable from SQL, and Database deliberately has no API for that.
    db._connection.raw.create_function(name, 0, function)


async def turns(done, limit: int = 10_000) -> None:
    """Loop turns (not time) until DONE() is true."""
    for _ in range(limit):
        if done():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"not done after {limit} loop turns")


async def test_point_statements_run_on_the_loop_and_threaded_ones_on_the_worker(db):
    sql_function(db, "thread", threading.get_ident)
    loop_thread = threading.get_ident()

    assert await db.fetchval("SELECT thread()") == loop_thread
    async with db.transaction():
        assert await db.fetchval("SELECT thread()") == loop_thread
    worker = await db.threaded.fetchval("SELECT thread()")
    assert worker != loop_thread
    async with db.threaded.transaction() as tx:
        assert await tx.fetchval("SELECT thread()") == worker


async def test_both_views_share_one_transaction(db):
    async with db.transaction():
        await db.execute("INSERT INTO people (phone) VALUES ('0900000001')")
        assert await db.threaded.fetchval("SELECT count(*) FROM people") == 1
        await db.threaded.execute("INSERT INTO people (phone) VALUES ('0900000002')")
    with pytest.raises(RuntimeError, match="rolled back"):
        async with db.threaded.transaction():
            await db.threaded.execute("INSERT INTO people (phone) VALUES ('0900000003')")
            await db.execute("INSERT INTO people (phone) VALUES ('0900000004')")
            raise RuntimeError("rolled back")
    assert [r[0] for r in await db.fetchall("SELECT phone FROM people ORDER BY phone")] == [
        "0900000001",
        "0900000002",
    ]


async def test_a_write_that_finds_the_database_locked_waits_off_the_loop(db, tmp_path):
    other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)  # as the CLI would
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO people (phone) VALUES ('0900000001')")
    try:
        writing = asyncio.create_task(
            db.execute("INSERT INTO people (phone) VALUES ('0900000002')")
        )
        beats = 0

        async def heartbeat() -> None:
            nonlocal beats
            while True:
                beats += 1
                await asyncio.sleep(0)

        beating = asyncio.create_task(heartbeat())
        await turns(lambda: beats > 200)  # the loop runs on while the write waits
        assert not writing.done()
    finally:
        other.execute("COMMIT")
        other.close()
    assert await asyncio.wait_for(writing, 10) == 1
    beating.cancel()
    assert await db.fetchval("SELECT count(*) FROM people") == 2
    # Waiting again is for the worker only: in place, nothing waits for a lock.
    assert await db.fetchval("PRAGMA busy_timeout") == 0


@pytest.mark.parametrize("write", ["statement", "transaction"])
async def test_while_a_write_waits_for_another_process_the_reads_go_on(db, tmp_path, write):
    await db.execute("INSERT INTO people (phone) VALUES ('0900000001')")
    other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)  # the CLI's import
    other.execute("BEGIN IMMEDIATE")

    async def statement() -> None:
        await db.execute("INSERT INTO people (phone) VALUES ('0900000002')")

    async def transaction() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO people (phone) VALUES ('0900000002')")

    try:
        writing = asyncio.create_task({"statement": statement, "transaction": transaction}[write]())
        for _ in range(50):  # loop turns, for the write to find the lock taken
            await asyncio.sleep(0)
        # A chat's reads, in place and on the worker, while that write waits.
        assert await asyncio.wait_for(db.fetchval("SELECT count(*) FROM people"), 5) == 1
        assert await asyncio.wait_for(db.threaded.fetchval("SELECT count(*) FROM people"), 5) == 1
        assert not writing.done()
    finally:
        other.execute("COMMIT")
        other.close()
    await asyncio.wait_for(writing, 10)
    assert await db.fetchval("SELECT count(*) FROM people") == 2


async def test_a_write_that_need_not_wait_fails_at_once_while_another_process_writes(db, tmp_path):
    other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        for view in (db, db.threaded):  # bounded far under the busy timeout (10 s)
            with pytest.raises(StoreUnavailable, match="locked"):
                await asyncio.wait_for(
                    view.execute("INSERT INTO people (phone) VALUES ('0900000002')", wait=False),
                    5,
                )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert await db.execute("INSERT INTO people (phone) VALUES ('0900000002')", wait=False) == 1


async def test_a_write_locked_out_past_the_busy_timeout_fails_as_unavailable(
    db, tmp_path, monkeypatch
):
    monkeypatch.setattr(storage.db, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreUnavailable, match="locked"):
            await db.execute("INSERT INTO people (phone) VALUES ('0900000002')")
        with pytest.raises(StoreUnavailable, match="locked"):
            async with db.transaction():
                pytest.fail("the transaction must not begin")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert await db.fetchval("SELECT count(*) FROM people") == 0
    async with db.transaction():  # the connection is free again
        await db.execute("INSERT INTO people (phone) VALUES ('0900000003')")


async def test_a_transaction_that_finds_the_database_locked_begins_once_it_is_free(db, tmp_path):
    other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    async def write() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO people (phone) VALUES ('0900000002')")

    try:
        writing = asyncio.create_task(write())
        for _ in range(50):
            await asyncio.sleep(0)
        assert not writing.done()  # waiting on the worker, not failed, not holding the loop
    finally:
        other.execute("COMMIT")
        other.close()
    await asyncio.wait_for(writing, 10)
    assert await db.fetchval("SELECT phone FROM people") == "0900000002"


async def test_a_cancelled_threaded_statement_keeps_the_connection_until_it_ends(db):
    entered, gate = threading.Event(), threading.Event()

    def held() -> int:
        entered.set()
        gate.wait(10)
        return 1

    sql_function(db, "held", held)
    slow = asyncio.create_task(db.threaded.fetchval("SELECT held()"))
    assert await asyncio.to_thread(entered.wait, 10)  # the worker is inside the statement
    slow.cancel()
    after = asyncio.create_task(db.fetchval("SELECT 2"))
    for _ in range(50):
        await asyncio.sleep(0)
    # The worker is still inside the statement: the next one must not run beside it.
    assert slow.done() is False and after.done() is False
    gate.set()
    assert await asyncio.wait_for(after, 10) == 2
    with pytest.raises(asyncio.CancelledError):
        await slow


async def test_a_slow_statement_in_place_is_logged_by_its_text(db, monkeypatch, caplog):
    await db.fetchval("SELECT count(*) FROM people")
    assert not caplog.records  # fast: nothing said
    monkeypatch.setattr(storage.db, "SLOW_INLINE_S", -1.0)  # every statement "too slow"
    with caplog.at_level(logging.WARNING, logger="storage.db"):
        await db.fetchval("SELECT   count(*)\n  FROM people")
        await db.threaded.fetchval("SELECT count(*) FROM members")  # off the loop: no matter
    [record] = caplog.records
    assert "give it to db.threaded" in record.getMessage()
    assert "SELECT count(*) FROM people" in record.getMessage()


async def test_rows_written_outside_a_transaction_while_locked_are_written_once(db, tmp_path):
    other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        phones = [(f"09000000{n:02d}",) for n in range(3)]
        writing = asyncio.create_task(
            db.executemany("INSERT INTO people (phone) VALUES (?)", phones)
        )
        for _ in range(50):
            await asyncio.sleep(0)
        assert not writing.done()
    finally:
        other.execute("COMMIT")
        other.close()
    assert await asyncio.wait_for(writing, 10) == 3
    assert await db.fetchval("SELECT count(*) FROM people") == 3


# -- the reader: long reads on a connection of their own -----------------------------------


def reader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t is not threading.current_thread()]


async def test_the_reader_opens_at_its_first_read_and_closes_with_the_database(tmp_path):
    before = set(reader_threads())
    db = await Database.open(tmp_path / "bot.sqlite3")
    opened = set(reader_threads()) - before  # the one connection's worker

    assert await db.reader.fetchval("SELECT count(*) FROM people") == 0
    reader = set(reader_threads()) - before - opened
    assert len(opened) == 1 and len(reader) == 1  # a thread of its own, only once asked

    await db.close()
    for thread in opened | reader:
        thread.join(timeout=5)
    assert not any(thread.is_alive() for thread in opened | reader)
    with pytest.raises(RuntimeError, match="closed"):
        await db.reader.fetchall("SELECT 1")


async def test_the_reader_reads_while_the_connection_is_inside_a_transaction(db):
    await db.execute("INSERT INTO people (phone) VALUES ('0900000001')")
    inside, release = asyncio.Event(), asyncio.Event()

    async def long_transaction() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO people (phone) VALUES ('0900000002')")
            inside.set()
            await release.wait()

    writing = asyncio.create_task(long_transaction())
    await inside.wait()
    try:
        # The one connection is the transaction's until it ends; the reader does not wait
        # for it, and sees what is committed, not the transaction's own rows.
        read = await asyncio.wait_for(db.reader.fetchval("SELECT count(*) FROM people"), 10)
        assert read == 1
        assert not writing.done()
    finally:
        release.set()
        await writing
    assert await db.reader.fetchval("SELECT count(*) FROM people") == 2


async def test_the_reader_cannot_write(db):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await db.reader.fetchall("INSERT INTO people (phone) VALUES ('0900000001') RETURNING id")
    assert await db.fetchval("SELECT count(*) FROM people") == 0


async def test_a_long_log_is_copied_back_by_the_reader_never_in_a_commit_in_place(db, tmp_path):
    assert await db.fetchval("PRAGMA wal_autocheckpoint") == 0  # not after our own commits
    other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)  # an import
    other.execute("PRAGMA wal_autocheckpoint = 0")  # it leaves its log behind for us
    other.executemany(
        "INSERT INTO people (phone) VALUES (?)", [(f"09{n:08d}",) for n in range(3000)]
    )
    other.close()

    await db.fetchval("SELECT count(*) FROM people")  # the bot's next statement, any
    copying = db._connection.checkpointing  # on the reader's thread, not in place
    assert copying is not None and not copying.done()
    await copying
    # The log was copied back whole, so the next commit starts it afresh: a frame or two.
    await db.execute("INSERT INTO people (phone) VALUES ('0800000001')")
    fresh = sqlite3.connect(tmp_path / "bot.sqlite3")
    try:
        [(busy, log, copied)] = fresh.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    finally:
        fresh.close()
    assert busy == 0 and log < 10 and copied == log
