"""Delivery faults, end to end: the outbox, the real TelegramSender (PTB) and the fake Bot API.

Telegram says slow down (429), the user blocked the bot (403), the network fails (502, or no
server at all), two ticks decide the same reminder, the delivery is stopped and restarted: each
case on the sample district in a real SQLite file, the fake server over real HTTP. The outbox's
waits are on the world's FakeClock: a test moves it and drains, it never sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from dialogue import World, make_world
from fakes.telegram_api import MESSAGES_PER_SECOND, FakeTelegram
from telegram.ext import Application

from bot.channels.telegram import CHANNEL, TelegramSender, build_application
from bot.core.config import Config, ConfigError, Reminders, Storage, Telegram, load_config
from bot.core.i18n import Translator
from bot.core.local_time import parse_local_time
from bot.core.messages import Message
from bot.core.quarters import Quarter
from bot.core.quiet_hours import QuietHours
from bot.delivery import RETRY_BACKOFF, Delivery
from bot.digest.gather import gather_digest
from bot.digest.text import why_unreachable
from bot.runner import run
from bot.scheduler import Scheduler
from bot.services.outbox import queue_message
from storage.store import Store
from storage.timefmt import from_db

M01_CHAT = 1001
MEETING = ("C0101", "2021-12-06 16:00")  # a meeting of O01, which M01 is in charge of


@dataclass
class Bot:
    """The sample district's outbox, sending through PTB to the fake Telegram."""

    world: World
    fake: FakeTelegram
    application: Application

    @property
    def store(self) -> Store:
        return self.world.store

    @property
    def delivery(self) -> Delivery:
        return self.world.app.delivery

    def at(self, local: str) -> datetime:
        instant = parse_local_time(local, self.world.config.committee.tz)
        self.world.clock.set(instant)
        return instant

    def advance(self, delta: timedelta) -> datetime:
        return self.world.clock.advance(delta)

    async def queue(self, key: str, chat_id: int, text: str | None = None) -> None:
        message = Message(text or key)
        await queue_message(self.store, key, message, self.world.now(), chat=f"telegram:{chat_id}")

    def sends(self) -> int:
        """sendMessage requests the fake received, answered or refused."""
        return len(self.fake.calls_of("sendMessage"))

    async def rows(self) -> dict[str, tuple[str, datetime, str | None]]:
        """Each outbox row's key -> (state, due_at, error)."""
        found = await self.store.db.fetchall("SELECT key, state, due_at, error FROM outbox")
        return {key: (state, from_db(due), error) for key, state, due, error in found}

    async def states(self) -> dict[str, str]:
        return {key: row[0] for key, row in (await self.rows()).items()}


def settings(fake: FakeTelegram) -> Telegram:
    # The limiter lifted far above Telegram's 30 a second: the fake's limits are what is tested.
    return Telegram(
        enabled=True, token=fake.token, api_base_url=fake.api_base_url, messages_per_second=1000
    )


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    fake = await FakeTelegram.start()
    # Only the reminders of plans: the week's suggestions would add rows to every count here.
    config = Config(
        storage=Storage(path=str(tmp_path / "bot.sqlite3")),  # where make_world puts the sample
        telegram=settings(fake),
        reminders=Reminders(weekly_suggestion=False),
    )
    world = await make_world(tmp_path, config)
    application = build_application(config.telegram)
    await application.initialize()
    world.app.add_channel(CHANNEL, TelegramSender(application.bot))
    running = Bot(world, fake, application)
    try:
        yield running
    finally:
        await application.shutdown()
        await world.store.close()
        await running.fake.close()  # the one serving at the end, if a test replaced it


# -- 429: Telegram asks the bot to slow down ----------------------------------------------------


async def test_a_429_is_waited_out_and_the_row_then_sent_once(bot):
    start = bot.world.now()
    await bot.queue("k:slow", 5001)
    bot.fake.fail("sendMessage", 1, status=429, retry_after=7)
    await bot.delivery.drain()
    state, due, error = (await bot.rows())["k:slow"]
    assert (state, due) == ("queued", start + timedelta(seconds=7))
    assert error == "retry after 7.0s"

    bot.advance(timedelta(seconds=6, milliseconds=999))
    assert await bot.delivery.drain() == 0  # not a moment before
    assert bot.sends() == 1 and bot.fake.sent_to(5001) == []
    bot.advance(timedelta(milliseconds=1))
    assert await bot.delivery.drain() == 1
    assert [m["text"] for m in bot.fake.sent_to(5001)] == ["k:slow"]
    assert await bot.states() == {"k:slow": "sent"}
    bot.advance(timedelta(hours=1))
    await bot.delivery.drain()
    assert bot.sends() == 2  # the 429 and the one that went; nothing after


async def test_a_long_message_cut_off_by_a_429_resumes_at_the_part_it_stopped_at(bot):
    """Telegram takes one message a second in a chat: the second part of a long text draws a
    429, and the retry sends the parts not yet sent, not the first one again."""
    fake, clock = bot.fake, bot.world.clock
    fake.limits(clock=lambda: clock.now().timestamp())
    lines = [f"{n:04d} " + "x" * 95 for n in range(100)]  # 10,000 characters: 3 parts
    await bot.queue("k:long", 5001, "\n".join(lines))

    await bot.delivery.drain()
    assert [len(m["text"].splitlines()) for m in fake.sent_to(5001)] == [40]
    assert (await bot.rows())["k:long"][0] == "queued"
    for _ in range(5):  # a second at a time; two more parts need two more seconds
        bot.advance(timedelta(seconds=1))
        await bot.delivery.drain()
    assert (await bot.states())["k:long"] == "sent"

    received = [line for m in fake.sent_to(5001) for line in m["text"].splitlines()]
    assert received == lines  # every line once, in order
    assert fake.throttled >= 1


async def test_a_fan_out_beyond_telegrams_limits_loses_nothing_and_doubles_nothing(bot):
    """102 rows at once, Telegram's limits enforced on the world's clock: 30 go in each second,
    the others wait out retry_after, each row is sent once, and one chat gets at most one a
    second."""
    fake, clock = bot.fake, bot.world.clock
    fake.limits(clock=lambda: clock.now().timestamp())
    chats = range(1, 101)
    for chat in chats:
        await bot.queue(f"k:{chat}", chat)
    for extra in ("k:1b", "k:1c"):  # two more to chat 1, due at the same moment
        await bot.queue(extra, 1)
    queued = len(chats) + 2

    each_second: list[int] = []  # messages Telegram took in each second of the fake clock
    sent_so_far = 0
    while sent_so_far < queued:
        await bot.delivery.drain()
        each_second.append(len(fake.messages) - sent_so_far)
        sent_so_far = len(fake.messages)
        now = clock.now()
        waiting = [row for row in (await bot.rows()).values() if row[0] == "queued"]
        # Every refused row waits out exactly what Telegram said: a whole second.
        assert all(due == now + timedelta(seconds=1) for _, due, _ in waiting), waiting
        assert len(waiting) == queued - sent_so_far
        bot.advance(timedelta(milliseconds=999))
        assert await bot.delivery.drain() == 0  # none of them goes before its time
        bot.advance(timedelta(milliseconds=1))
        assert len(each_second) < 10, f"the fan-out never ended: {each_second}"

    # Chat 1's second message went with the last ten chats; its third had to wait a second more.
    assert each_second == [MESSAGES_PER_SECOND] * 3 + [11, 1]
    assert [len(fake.sent_to(chat)) for chat in chats] == [3] + [1] * 99
    assert [m["text"] for m in fake.sent_to(1)] == ["k:1", "k:1b", "k:1c"]
    assert set((await bot.states()).values()) == {"sent"}
    assert fake.throttled == bot.sends() - queued > 0


# -- 403: the user blocked the bot --------------------------------------------------------------


async def plan_for_m01(bot: Bot) -> None:
    """M01 on Telegram, having said "Will attend" to MEETING."""
    world, tz = bot.world, bot.world.config.committee.tz
    person = await world.store.db.fetchval("SELECT person_id FROM members WHERE code = 'M01'")
    await world.store.accounts.link("telegram", str(M01_CHAT), str(M01_CHAT), person, world.now())
    meeting = await world.store.meetings.id_of(MEETING[0], parse_local_time(MEETING[1], tz))
    assert meeting is not None
    assert await world.store.plans.add(meeting, "M01", world.now())


async def unreachable_in_digest(bot: Bot) -> dict[str, tuple[str, datetime | None]]:
    config, now = bot.world.config, bot.world.now()
    digest = await gather_digest(bot.store, config, Quarter.at(now, config.committee.tz), now)
    return {code: (p.reason, p.since) for code, p in digest.unreachable_members.items()}


async def test_a_blocked_user_is_marked_unreachable_not_retried_and_reminded_no_more(bot):
    await plan_for_m01(bot)
    assert "M01" not in await unreachable_in_digest(bot)
    blocked_at = bot.at("2021-12-05 16:00")  # a day before the meeting
    assert await bot.world.app.scheduler.run_due(blocked_at) == 1
    bot.fake.block(M01_CHAT)
    await bot.delivery.drain()

    [(key, (state, _, error))] = (await bot.rows()).items()
    assert key.startswith("remind:") and key.endswith("before=1d")
    assert state == "failed" and error.startswith("unreachable:") and "blocked" in error
    unreachable = await bot.store.db.fetchval(
        "SELECT unreachable_at FROM accounts WHERE chat_id = ?", (str(M01_CHAT),)
    )
    assert from_db(unreachable) == blocked_at

    # Not tried again, and the later reminders of the plan are not even queued.
    for local in ("2021-12-06 14:00", "2021-12-06 15:30"):  # 2h before; the check-in opens
        assert await bot.world.app.scheduler.run_due(bot.at(local)) == 0
        await bot.delivery.drain()
    assert len(await bot.rows()) == 1 and bot.sends() == 1
    assert bot.fake.sent_to(M01_CHAT) == []

    # The office sees who the bot cannot reach, and since when.
    assert (await unreachable_in_digest(bot))["M01"] == ("blocked", blocked_at)
    config = bot.world.config
    now = bot.world.now()
    digest = await gather_digest(bot.store, config, Quarter.at(now, config.committee.tz), now)
    why = why_unreachable(digest.unreachable_members["M01"], Translator("vi", config.committee.tz))
    assert why.startswith("đã chặn bot (từ ")  # as the workbook's unreachable sheet says


# -- network faults: a server error, or no server -------------------------------------------------


async def test_server_errors_are_retried_with_backoff_then_given_up(bot):
    await bot.queue("k:flaky", 5002)
    bot.fake.fail("sendMessage", 100, status=502, description="Bad Gateway")
    for attempt, wait in enumerate(RETRY_BACKOFF, start=1):
        await bot.delivery.drain()
        state, due, error = (await bot.rows())["k:flaky"]
        assert (state, due, error) == ("queued", bot.world.now() + wait, "Bad Gateway")
        assert bot.sends() == attempt
        bot.advance(wait - timedelta(seconds=1))
        assert await bot.delivery.drain() == 0  # the backoff is waited out in full
        bot.advance(timedelta(seconds=1))
    await bot.delivery.drain()  # the last attempt: it fails too, and that is the end
    state, _, error = (await bot.rows())["k:flaky"]
    assert (state, error) == ("failed", "gave up: Bad Gateway")
    assert bot.sends() == len(RETRY_BACKOFF) + 1
    bot.advance(timedelta(days=1))
    await bot.delivery.drain()
    assert bot.sends() == len(RETRY_BACKOFF) + 1 and bot.fake.sent_to(5002) == []


async def test_a_refused_connection_is_retried_and_the_row_sent_once_the_server_is_back(bot):
    await bot.queue("k:offline", 5003)
    port = bot.fake.port
    await bot.fake.close()  # nothing listens: the connection is refused
    for wait in RETRY_BACKOFF[:2]:
        await bot.delivery.drain()
        state, due, error = (await bot.rows())["k:offline"]
        assert (state, due) == ("queued", bot.world.now() + wait), error
        bot.advance(wait)

    bot.fake = await FakeTelegram.start(port=port)  # Telegram is back
    await bot.delivery.drain()
    assert [m["text"] for m in bot.fake.sent_to(5003)] == ["k:offline"]
    assert await bot.states() == {"k:offline": "sent"}
    bot.advance(timedelta(hours=2))
    await bot.delivery.drain()
    assert bot.sends() == 1


# -- one decision, one message ------------------------------------------------------------------


async def test_a_reminder_decided_by_two_ticks_at_once_is_queued_and_sent_once(bot):
    await plan_for_m01(bot)
    now = bot.at("2021-12-06 14:00")  # the "2h before" reminder is due
    config = bot.world.config
    # A second process on the same database file, ticking at the same moment as this one.
    other = await Store.open(config.storage.path)
    try:
        assert await other.db.fetchval("SELECT count(*) FROM plans") > 0  # the same database
        here, there = bot.world.app.scheduler, Scheduler(config, other)
        queued = await asyncio.gather(
            here.run_due(now), there.run_due(now), here.run_due(now), there.run_due(now)
        )
    finally:
        await other.close()
    assert sum(queued) == 1
    [key] = await bot.rows()
    assert key.endswith(":member=M01:before=2h")

    await bot.delivery.drain()
    assert await bot.world.app.scheduler.run_due(now) == 0  # a third tick: nothing new
    await bot.delivery.drain()
    [reminder] = bot.fake.sent_to(M01_CHAT)
    assert "16:00" in reminder["text"]
    assert await bot.states() == {key: "sent"}


async def restarted(bot: Bot) -> tuple[Delivery, asyncio.Task[None]]:
    """A new Delivery, as `checkin-bot run` starts it: half-sent rows released, then running."""
    world = bot.world
    assert await bot.store.outbox.release_stale_claims(world.now()) == 0  # none half-sent
    delivery = Delivery(bot.store, world.clock, world.app.senders, QuietHours.of(world.config))
    return delivery, asyncio.create_task(delivery.run())


async def stopped(delivery: Delivery, task: asyncio.Task[None]) -> None:
    delivery.stop()
    delivery.stop()  # a second stop (a second signal, a second caller) changes nothing
    await asyncio.wait_for(task, 5)


async def test_stopping_and_restarting_the_delivery_twice_resends_nothing(bot):
    fake = bot.fake
    for n in (1, 2, 3):  # one chat: its messages go one at a time
        await bot.queue(f"k:{n}", 6001)
    fake.pause_sends()
    delivery, task = await restarted(bot)
    await fake.wait_for_calls("sendMessage", 1)  # k:1 is on the wire
    delivery.stop()
    fake.resume_sends()
    await stopped(delivery, task)
    assert await bot.states() == {"k:1": "sent", "k:2": "queued", "k:3": "queued"}

    delivery, task = await restarted(bot)  # first restart: the two handed back go out
    await fake.wait_until(lambda: len(fake.messages) == 3, what="k:2 and k:3")
    await stopped(delivery, task)

    delivery, task = await restarted(bot)  # second restart, then one new row
    await bot.queue("k:4", 6004)
    await fake.wait_until(lambda: len(fake.messages) == 4, what="k:4")
    await stopped(delivery, task)

    assert [m["text"] for m in fake.sent_to(6001)] == ["k:1", "k:2", "k:3"]
    assert [m["text"] for m in fake.sent_to(6004)] == ["k:4"]
    assert bot.sends() == 4
    assert set((await bot.states()).values()) == {"sent"}


async def test_a_restart_within_the_second_of_a_crash_sends_the_row_it_had_in_hand(bot):
    """The row a killed `checkin-bot run` had claimed goes out when it is started again, even
    in the same second (times are stored to the second)."""
    await bot.queue("k:in-hand", 7001)
    await bot.store.outbox.claim_due(bot.world.now())  # and then the process died
    assert await bot.states() == {"k:in-hand": "sending"}

    stop = asyncio.Event()
    runner = asyncio.create_task(run(bot.world.config, bot.world.clock, stop=stop))
    try:
        [sent] = await bot.fake.wait_for_messages(7001, 1)
    finally:
        stop.set()
        await asyncio.wait_for(runner, 10)
    assert sent["text"] == "k:in-hand"
    assert await bot.states() == {"k:in-hand": "sent"}
    assert len(bot.fake.sent_to(7001)) == 1


# -- the rate the bot keeps ---------------------------------------------------------------------


def test_messages_per_second_must_be_more_than_zero(tmp_path):
    config = tmp_path / "config.toml"
    assert Config().telegram.messages_per_second == MESSAGES_PER_SECOND
    config.write_text("[telegram]\nmessages_per_second = 500\n", "utf-8")
    assert load_config(config).telegram.messages_per_second == 500
    config.write_text("[telegram]\nmessages_per_second = 0\n", "utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(config)
    assert refused.value.problems == [
        f"{config}: telegram.messages_per_second: must be more than 0, not 0"
    ]
