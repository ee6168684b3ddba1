"""The outbox at real latency: sends side by side, one at a time per chat, and what someone's
action queued before the scheduler's bulk.

The sample district's outbox sends through PTB to the fake Telegram, as in
tests/test_delivery_faults.py; the fake holds sends (pause_sends) so that what is in flight at
once can be counted without timing anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from dialogue import World, make_world
from fakes.telegram_api import FakeTelegram
from telegram.error import NetworkError
from telegram.ext import Application

from bot.channels.telegram import CHANNEL, TelegramChannel, TelegramSender, build_application
from bot.core.config import Config, Reminders, Storage, Telegram
from bot.core.messages import Message
from bot.core.quiet_hours import QuietHours
from bot.delivery import Delivery
from bot.outage import Outage
from bot.scheduler import Ticker
from bot.services.outbox import message_payload, queue_message
from storage.outbox import Queued

# The office's chat, where the digest goes. A private chat's id: a group's (negative) would be
# paced by python-telegram-bot at 20 a minute on real time, and this test moves a fake clock.
OFFICE = 9001


@dataclass
class Outbox:
    world: World
    fake: FakeTelegram
    application: Application

    def delivery(self, concurrency: int) -> Delivery:
        world = self.world
        quiet = QuietHours.of(world.config)
        return Delivery(world.store, world.clock, world.app.senders, quiet, concurrency=concurrency)

    async def notice(self, key: str, chat: int) -> None:
        """What someone's action queues (a confirm request, a decision)."""
        await queue_message(
            self.world.store, key, Message(key), self.world.now(), chat=chat_of(chat)
        )

    async def bulk(self, keys_and_chats: list[tuple[str, int]]) -> None:
        """What the scheduler queues by the hundred (reminders, a digest)."""
        now = self.world.now()
        rows = [
            Queued(key, message_payload(Message(key)), now, chat=chat_of(chat), bulk=True)
            for key, chat in keys_and_chats
        ]
        await self.world.store.outbox.enqueue_all(rows, now)

    def texts(self, chat: int) -> list[str]:
        return [m["text"] for m in self.fake.sent_to(chat)]


def chat_of(chat: int) -> str:
    return f"{CHANNEL}:{chat}"


@contextlib.asynccontextmanager
async def sending_to(fake: FakeTelegram, folder: Path) -> AsyncIterator[Outbox]:
    """The sample district in FOLDER, its outbox sending through PTB to FAKE (the limiter
    lifted: the fake's limits, when set, are what counts); closed after, FAKE too."""
    telegram = Telegram(
        enabled=True, token=fake.token, api_base_url=fake.api_base_url, messages_per_second=1000
    )
    config = Config(
        storage=Storage(path=str(folder / "bot.sqlite3")),
        telegram=telegram,
        reminders=Reminders(weekly_suggestion=False, quiet_hours=""),
    )
    world = await make_world(folder, config)
    application = build_application(config.telegram)
    await application.initialize()
    world.app.add_channel(CHANNEL, TelegramSender(application.bot))
    try:
        yield Outbox(world, fake, application)
    finally:
        await application.shutdown()
        await world.store.close()
        await fake.close()


@pytest.fixture
async def outbox(tmp_path: Path) -> AsyncIterator[Outbox]:
    async with sending_to(await FakeTelegram.start(), tmp_path) as opened:
        yield opened


async def test_sends_go_side_by_side_and_a_chat_gets_one_at_a_time_in_order(outbox):
    fake = outbox.fake
    await outbox.bulk([(f"k:{chat}", chat) for chat in range(1, 6)])
    await outbox.bulk([("k:1b", 1), ("k:1c", 1)])  # two more for chat 1
    fake.pause_sends()
    draining = asyncio.create_task(outbox.delivery(concurrency=8).drain())

    # Five chats' messages are on the wire at once; chat 1's next waits for its first.
    calls = await fake.wait_for_calls("sendMessage", 5)
    assert sorted(c.params["chat_id"] for c in calls) == [1, 2, 3, 4, 5]
    for _ in range(20):
        await asyncio.sleep(0)  # loop turns, not time: nothing more starts
    assert len(fake.calls_of("sendMessage")) == 5

    fake.resume_sends()
    assert await draining == 7
    assert outbox.texts(1) == ["k:1", "k:1b", "k:1c"]
    assert all(outbox.texts(chat) == [f"k:{chat}"] for chat in range(2, 6))
    states = await outbox.world.store.db.fetchall("SELECT DISTINCT state FROM outbox")
    assert [tuple(row) for row in states] == [("sent",)]


async def test_no_more_than_the_bound_are_on_the_wire(outbox):
    fake = outbox.fake
    await outbox.bulk([(f"k:{chat}", chat) for chat in range(1, 21)])
    fake.pause_sends()
    draining = asyncio.create_task(outbox.delivery(concurrency=4).drain())
    await fake.wait_for_calls("sendMessage", 4)
    for _ in range(20):
        await asyncio.sleep(0)
    assert len(fake.calls_of("sendMessage")) == 4
    fake.resume_sends()
    assert await draining == 20
    assert sum(len(outbox.texts(chat)) for chat in range(1, 21)) == 20


async def test_a_confirm_request_queued_behind_a_fan_out_goes_before_it(outbox):
    fake = outbox.fake
    await outbox.bulk([(f"remind:{chat}", chat) for chat in range(1, 101)])
    fake.pause_sends()
    draining = asyncio.create_task(outbox.delivery(concurrency=4).drain())
    await fake.wait_for_calls("sendMessage", 4)  # the fan-out has begun
    await outbox.notice("confirm-request", 500)  # a member checks in meanwhile
    fake.resume_sends()
    assert await draining == 101

    order = [m["chat"]["id"] for m in fake.messages.values()]
    # The first claim after it was queued took it: it went within the next few sends, not
    # after the other 96 reminders.
    assert order.index(500) < 4 + 4


async def test_a_digest_in_many_parts_holds_up_nobody_else(outbox):
    """Telegram takes a message a second in a chat: the digest's parts go one a second, while
    the reminders queued after them go at once."""
    fake, clock = outbox.fake, outbox.world.clock
    fake.limits(clock=lambda: clock.now().timestamp())
    await outbox.bulk([(f"digest:part={n}", OFFICE) for n in range(1, 11)])
    await outbox.bulk([(f"remind:{chat}", chat) for chat in range(1, 21)])
    delivery = outbox.delivery(concurrency=8)

    await delivery.drain()
    assert all(outbox.texts(chat) == [f"remind:{chat}"] for chat in range(1, 21))
    assert outbox.texts(OFFICE) == ["digest:part=1"]
    for _ in range(9):
        clock.advance(timedelta(seconds=1))
        await delivery.drain()
    assert outbox.texts(OFFICE) == [f"digest:part={n}" for n in range(1, 11)]


# -- what the log says of an outage ---------------------------------------------------------------


async def test_a_telegram_outage_is_one_line_when_it_begins_and_one_when_it_ends(outbox, caplog):
    fake, world = outbox.fake, outbox.world
    await outbox.bulk([(f"remind:{chat}", chat) for chat in range(1, 21)])
    port = fake.port
    await fake.close()  # Telegram cannot be reached
    delivery = outbox.delivery(concurrency=8)
    with caplog.at_level(logging.INFO):
        assert await delivery.drain() == 20  # each tried once, each kept for later
        world.clock.advance(timedelta(seconds=5))
        outbox.fake = await FakeTelegram.start(port=port)
        assert await delivery.drain() == 20
    try:
        lines = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "bot.delivery"]
        assert len(lines) == 2, lines
        assert lines[0][0] == logging.WARNING
        assert lines[0][1].startswith("telegram sends failing: ")
        assert lines[1] == (logging.INFO, "telegram sends work again (after 20 failures)")
        assert sum(len(outbox.texts(chat)) for chat in range(1, 21)) == 20
    finally:
        await outbox.fake.close()


def test_polling_failures_are_one_line_per_outage(caplog):
    channel = TelegramChannel.__new__(TelegramChannel)
    channel._polls = Outage(logging.getLogger("bot.channels.telegram"), "telegram polls")
    channel._polls_failed_at = 0.0
    with caplog.at_level(logging.INFO):
        for _ in range(11):  # a two-minute outage, PTB polling again and again
            channel._poll_failed(NetworkError("Bad Gateway"))
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert not [r for r in caplog.records if r.exc_info]


def test_the_schedulers_own_lines_per_tick_are_not_logged(outbox):
    Ticker(outbox.world.app.scheduler, outbox.world.clock, timedelta(seconds=60))
    assert logging.getLogger("apscheduler").getEffectiveLevel() == logging.WARNING
