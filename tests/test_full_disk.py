"""A full disk under the running bot: nothing lost, nothing sent twice, and it works again when
space returns.

The database lives on a small tmpfs this test mounts (it needs root; without, the tests are
skipped: SQLite's max_page_count cannot make an UPDATE in place fail, and that is the write
that matters here). The disk is filled with a file at the moment that counts, after SQLite's
write-ahead log was emptied, so that its next write needs space it cannot have.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dialogue import World
from fakes.telegram_api import FakeTelegram
from test_delivery_order import sending_to

from bot.core.messages import Message
from bot.core.quiet_hours import QuietHours
from bot.delivery import Delivery
from bot.scheduler import Ticker
from bot.services.outbox import queue_message

DISK = "4m"
CHAT = 7001


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a tmpfs of DISK bytes, unmounted after the test."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


class Filler:
    """Fills the disk under a database, and gives the space back."""

    def __init__(self, database: Path):
        self.database = database
        self.path = database.parent / "filler"

    def fill(self) -> None:
        # Empty the write-ahead log first: SQLite would otherwise write over space it has.
        with contextlib.closing(sqlite3.connect(self.database)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with self.path.open("wb") as file, contextlib.suppress(OSError):
            while True:
                file.write(b"\0" * 65536)
                file.flush()

    def free(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass
class Bot:
    world: World
    fake: Any
    filler: Filler

    def delivery(self) -> Delivery:
        world = self.world
        return Delivery(
            world.store,
            world.clock,
            world.app.senders,
            QuietHours.of(world.config),
            storage_backoff=(0.0,),  # tried again at once: this test waits on nothing
        )

    async def state(self, key: str) -> str:
        return await self.world.store.db.fetchval("SELECT state FROM outbox WHERE key = ?", (key,))


@pytest.fixture
async def bot(disk: Path) -> AsyncIterator[Bot]:
    filler = Filler(disk / "bot.sqlite3")

    class FillsTheDiskOnSend(FakeTelegram):
        """Telegram takes the message, and while it answers the disk fills up."""

        fill_on_send = False

        async def _api_sendMessage(self, call: Any) -> Any:
            answer = await super()._api_sendMessage(call)
            if self.fill_on_send:
                self.fill_on_send = False
                await asyncio.to_thread(filler.fill)
            return answer

    async with sending_to(await FillsTheDiskOnSend.start(), disk) as outbox:
        try:
            yield Bot(outbox.world, outbox.fake, filler)
        finally:
            filler.free()


async def wait_for(done: Any, what: str) -> None:
    for _ in range(2000):
        if done():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"waited in vain for {what}")


async def test_a_message_telegram_took_is_never_sent_again_because_the_disk_was_full(bot, caplog):
    world, fake = bot.world, bot.fake
    await queue_message(
        world.store, "k:full", Message("Nhắc lịch"), world.now(), chat=f"telegram:{CHAT}"
    )
    fake.fill_on_send = True
    delivery = bot.delivery()
    with caplog.at_level(logging.INFO):
        draining = asyncio.create_task(delivery.drain())
        await wait_for(lambda: "outbox writes failing: database or disk is full" in caplog.text, "")
        # Telegram has it; the row could not be marked, and is held, not given back.
        assert [m["text"] for m in fake.sent_to(CHAT)] == ["Nhắc lịch"]
        assert not draining.done()
        bot.filler.free()
        await draining
    assert await bot.state("k:full") == "sent"
    assert "outbox writes work again" in caplog.text
    failing = [r for r in caplog.records if "outbox writes failing" in r.getMessage()]
    assert len(failing) == 1 and failing[0].levelno == logging.WARNING

    # The next start finds nothing half-sent, and sends nothing again.
    assert await world.store.outbox.release_stale_claims(world.now()) == 0
    await bot.delivery().drain()
    assert len(fake.calls_of("sendMessage")) == 1


async def test_the_delivery_loop_and_the_ticker_wait_out_a_full_disk_and_go_on(bot, caplog):
    world, fake = bot.world, bot.fake
    delivery = bot.delivery()
    ticker = Ticker(world.app.scheduler, world.clock, world.config.reminders.tick)
    target = f"telegram:{CHAT}"
    await queue_message(world.store, "k:waiting", Message("Chờ"), world.now(), chat=target)
    with caplog.at_level(logging.INFO):
        await asyncio.to_thread(bot.filler.fill)
        # Woken when something is queued, as the app's queueing does: no real timer paces it.
        running = asyncio.create_task(delivery.run(idle=3600, settle=0))
        try:
            await wait_for(lambda: "outbox writes failing" in caplog.text, "a failed claim")
            for _ in range(3):  # a tick a minute, each failing to write
                await ticker.tick()
            assert not running.done()  # the loop goes on (it used to end the whole bot)
            assert fake.sent_to(CHAT) == []  # nothing goes that cannot be recorded

            bot.filler.free()
            await ticker.tick()
            await queue_message(
                world.store, "k:after", Message("Lại được"), world.now(), chat=target
            )
            delivery.wake()
            await wait_for(
                lambda: len(fake.sent_to(CHAT)) == 2, "both messages, once space is back"
            )
        finally:
            delivery.stop()
            await running
    assert [m["text"] for m in fake.sent_to(CHAT)] == ["Chờ", "Lại được"]
    assert await bot.state("k:after") == "sent"
    assert (await world.store.health.beats())["tick"] == world.now()
    lines = [(r.levelno, r.getMessage().split(":", 1)[0]) for r in caplog.records]
    # One line as each began failing, one as it worked again: not one per try.
    assert lines.count((logging.WARNING, "scheduler ticks failing")) == 1
    assert lines.count((logging.WARNING, "outbox writes failing")) == 1
    assert (logging.INFO, "scheduler ticks work again (after 3 failures)") in [
        (r.levelno, r.getMessage()) for r in caplog.records
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
