"""When the database cannot take a write, the member is told it did not go through.

Three ways it happens in production: the disk is full (a real tmpfs, filled to the last byte),
the database is read-only (SQLite's query_only: the same refusal a read-only file gets), and
another process holds the write lock past the busy timeout (a second connection in BEGIN
IMMEDIATE; the timeout shortened for the test). Each time the member hears, in their language,
that it did not work and to try again; the database is exactly as before; the bot goes on
answering what only reads; and once the database can be written again, the same tap works.

The sample district at 05/12/2021 19:12: M01 checks in at C0106's meeting of 19:30.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import dump
from dialogue import Person, World, make_world, texts
from disk import SmallDisk, small_disk

from bot.core.i18n import catalog
from bot.core.local_time import parse_local_time
from bot.core.messages import Choice, Inbound, Message
from storage.faults import StoreUnavailable

NOT_SAVED_VI, NOT_SAVED_EN = catalog()["error.not_saved"]


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    with small_disk(tmp_path) as made:
        yield made


@pytest.fixture
async def world(disk: SmallDisk) -> AsyncIterator[World]:
    """The sample district on the small disk, the clock at C0106's check-in window."""
    made = await make_world(disk.folder)
    made.clock.set(parse_local_time("2021-12-05 19:12", made.config.committee.tz))
    try:
        yield made
    finally:
        await made.store.close()


@contextlib.contextmanager
def disk_full(world: World, disk: SmallDisk, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not disk.real:
        pytest.skip("a played full disk lets a write that fits in a page through")
    disk.fill(world.store.db)
    try:
        yield
    finally:
        disk.free(world.store.db)


@contextlib.contextmanager
def read_only(world: World, disk: SmallDisk, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    raw = world.store.db._connection.raw  # the bot's own connection
    raw.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        raw.execute("PRAGMA query_only = OFF")


@contextlib.contextmanager
def locked(world: World, disk: SmallDisk, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr("storage.db.BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(world.store.db.path, isolation_level=None)  # the CLI, say
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


FAULTS = {"disk_full": disk_full, "read_only": read_only, "locked": locked}


async def answer(person: Person, inbound: Inbound) -> list[Message]:
    """The bot's replies to INBOUND, with no outbox drain after (the delivery loop's own
    faults are not what these tests are about)."""
    before = len(person.port.replies)
    await person.app.handle(inbound, person.port)
    return person.port.replies[before:]


def router_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the router logged (a loaded machine may add storage.db's slow-statement lines)."""
    return [r for r in caplog.records if r.name == "handlers.router"]


def tap(person: Person, choice: Choice) -> Inbound:
    return Inbound("test", person.user_id, person.user_id, choice=choice.data)


def typed(person: Person, text: str) -> Inbound:
    return Inbound.typed("test", person.user_id, person.user_id, text)


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize(("language", "not_saved"), [("vi", NOT_SAVED_VI), ("en", NOT_SAVED_EN)])
async def test_a_check_in_the_database_cannot_take_is_told_and_works_once_it_can(
    world, disk, monkeypatch, caplog, fault, language, not_saved
):
    secretary = await world.linked("C0106")
    thanh = await world.linked("M01")
    await thanh.send(f"/lang {language}")
    offer = (await thanh.send("/checkin"))[-1]
    before = await dump(world.store)

    with caplog.at_level(logging.WARNING), FAULTS[fault](world, disk, monkeypatch):
        assert texts(await answer(thanh, tap(thanh, offer.choices[0]))) == not_saved
        assert await dump(world.store) == before
        # The bot goes on: what only reads still answers.
        status = texts(await answer(thanh, typed(thanh, "/status")))
        assert "Đảng bộ phường Bồ Đề" in status and not_saved not in status

    [warning] = router_records(caplog)
    assert warning.levelno == logging.WARNING and "not done" in warning.getMessage()
    assert warning.exc_info is None  # an expected condition: one line, no traceback
    done = texts(await thanh.tap(offer.choices[0]))
    assert ("Đã điểm danh" if language == "vi" else "Checked in") in done
    assert await world.store.db.fetchval("SELECT count(*) FROM checkins WHERE status = 'pending'")
    assert len(secretary.received) == 1  # the confirm request, once


async def test_a_command_that_only_reads_answers_when_noting_the_visit_fails(
    world, disk, monkeypatch, caplog
):
    thanh = await world.linked("M01")
    world.clock.advance(timedelta(minutes=5))  # long enough that the bot notes the visit again

    with caplog.at_level(logging.WARNING), read_only(world, disk, monkeypatch):
        status = texts(await answer(thanh, typed(thanh, "/status")))

    assert "Đảng bộ phường Bồ Đề" in status and NOT_SAVED_VI not in status
    [warning] = router_records(caplog)
    assert warning.levelno == logging.WARNING and "could not note" in warning.getMessage()
    assert warning.exc_info is None


async def test_status_during_another_process_write_is_answered_without_waiting_for_it(world):
    thanh = await world.linked("M01")
    world.clock.advance(timedelta(minutes=5))  # the bot would note the visit again
    other = sqlite3.connect(world.store.db.path, isolation_level=None)  # the CLI's import
    other.execute("BEGIN IMMEDIATE")
    try:
        # Bounded well under the busy timeout (10 s): noting the visit must not wait for it.
        status = texts(await asyncio.wait_for(answer(thanh, typed(thanh, "/status")), 5))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "Đảng bộ phường Bồ Đề" in status


async def at_the_notes_last_step(world: World) -> Person:
    """M01, checked in at C0106, with a note rated and waiting for its text."""
    thanh = await world.linked("M01")
    assert "Đã điểm danh" in texts(await thanh.tap((await thanh.send("/checkin"))[-1].choices[0]))
    await thanh.send("/note")
    for step in ("note:rate:good", "note:steps:yes", "note:diff:no"):
        await thanh.tap(step)
    return thanh


async def test_a_note_written_on_a_full_disk_is_not_said_to_be_saved(world, disk, monkeypatch):
    thanh = await at_the_notes_last_step(world)
    before = await dump(world.store)

    with disk_full(world, disk, monkeypatch):
        reply = texts(await answer(thanh, typed(thanh, "Chi bộ sinh hoạt đúng quy trình.")))

    assert reply == NOT_SAVED_VI
    assert await dump(world.store) == before  # no note, and the dialogue still at its last step
    saved = texts(await thanh.send("Chi bộ sinh hoạt đúng quy trình."))
    assert "Tốt" in saved and NOT_SAVED_VI not in saved


async def test_a_note_whose_dialogue_cannot_be_ended_is_neither_saved_nor_said_to_be(
    world, monkeypatch
):
    """The note and the end of its dialogue are one write: a failure in either leaves both
    as they were. (When the dialogue was ended after the note's own transaction, a failure
    there told the member "not saved" of a note that was.)"""
    thanh = await at_the_notes_last_step(world)
    before = await dump(world.store)
    conversations = world.store.conversations
    clear = conversations.clear

    async def clear_then_fail(channel: str, user_id: str) -> None:
        await clear(channel, user_id)
        full = StoreUnavailable("database or disk is full")
        full.sqlite_errorcode, full.sqlite_errorname = sqlite3.SQLITE_FULL, "SQLITE_FULL"
        raise full

    monkeypatch.setattr(conversations, "clear", clear_then_fail)
    reply = texts(await answer(thanh, typed(thanh, "Chi bộ sinh hoạt đúng quy trình.")))
    monkeypatch.setattr(conversations, "clear", clear)

    assert reply == NOT_SAVED_VI
    assert await dump(world.store) == before  # no note, and the dialogue still at its last step
    saved = texts(await thanh.send("Chi bộ sinh hoạt đúng quy trình."))
    assert saved.startswith("Đã lưu nhận xét") and NOT_SAVED_VI not in saved


async def test_a_photo_on_a_full_disk_is_not_said_to_be_saved(world, disk, monkeypatch):
    thanh = await world.linked("M01")
    assert "Đã điểm danh" in texts(await thanh.tap((await thanh.send("/checkin"))[-1].choices[0]))
    await thanh.send("/note")
    photo = b"\xff\xd8\xff\xe0" + b"\x17" * 200_000  # more than the tmpfs has left
    before = await dump(world.store)
    photos = disk.folder / "photos"

    with disk_full(world, disk, monkeypatch):
        reply = texts(await thanh.send_photo(photo))
        assert not photos.exists() or list(photos.iterdir()) == []  # nothing half written

    assert reply == NOT_SAVED_VI
    assert await dump(world.store) == before
    assert texts(await thanh.send_photo(photo)).startswith("Đã lưu ảnh 1/5")
