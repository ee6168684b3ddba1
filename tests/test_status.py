"""`checkin-bot status`, and the health it reads: what the running bot writes as it works
(a tick, each channel's last successful send) and what the outbox holds."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from dialogue import CHANNEL, World, make_world

from bot.cli import main
from bot.core.clock import FakeClock
from bot.core.config import Config, Storage
from bot.core.local_time import parse_local_time
from bot.core.messages import Message
from bot.delivery import HEALTH_EVERY
from bot.runlock import RunLock
from bot.scheduler import Ticker
from bot.services.health import health, record_sent, record_tick
from bot.services.outbox import queue_message
from storage.outbox import Queued

TZ = Config().committee.tz


def local(text: str) -> datetime:
    return parse_local_time(text, TZ)


@pytest.fixture
async def town(tmp_path: Path) -> World:
    world = await make_world(tmp_path, Config(storage=Storage(path=str(tmp_path / "bot.sqlite3"))))
    yield world
    await world.store.close()


def status(capsys: pytest.CaptureFixture[str], world: World, now: datetime) -> tuple[int, str]:
    """`checkin-bot status` on the world's database at NOW: exit code and what it printed."""
    config = Path(world.config.storage.path).parent / "config.toml"
    config.write_text('[storage]\npath = "bot.sqlite3"\n', "utf-8")
    capsys.readouterr()
    code = main(["status", "--config", str(config)], clock=FakeClock(now))
    return code, capsys.readouterr().out


async def queue_due(world: World, key: str, due: datetime) -> None:
    queued = Queued(key, {"text": key}, due, chat="telegram:7001")
    await world.store.outbox.enqueue_all([queued], due)


# -- exit codes -----------------------------------------------------------------------------------


async def test_a_database_no_bot_ever_ran_on_is_not_healthy(town, capsys):
    code, out = await asyncio.to_thread(status, capsys, town, local("2021-11-20 08:00"))
    assert code == 1
    assert "run: not running on this database" in out and "last tick: never" in out
    assert "NOT healthy: the scheduler has never ticked" in out


async def test_a_bot_ticking_and_sending_is_healthy_and_says_what_it_holds(town, capsys):
    now = local("2021-11-20 08:00")
    await record_tick(town.store, now - timedelta(minutes=2))
    await record_sent(town.store, "telegram", now - timedelta(seconds=30))
    await queue_due(town, "remind:meeting=1:member=M01:before=2h", now - timedelta(minutes=3))
    await queue_message(town.store, "k:sent", Message("x"), now, chat="telegram:1")
    await town.store.db.execute("UPDATE outbox SET state = 'sent' WHERE key = 'k:sent'")
    lock = RunLock.take(town.config.storage.path, now)
    try:
        code, out = await asyncio.to_thread(status, capsys, town, now)
    finally:
        lock.release()
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == f"run: pid {__import__('os').getpid()}, since 2021-11-20 08:00:00"
    assert lines[1:] == [
        "last tick: 2021-11-20 07:58:00 (2 min ago)",
        "outbox: queued 1, sending 0, sent 1, failed 0, dropped 0",
        "oldest queued message: remind:meeting=1:member=M01:before=2h,"
        " due 2021-11-20 07:57:00 (3 min ago)",
        "last successful send: telegram 2021-11-20 07:59:30 (30 s ago)",
        "unreachable (blocked the bot): 0",
        "healthy",
    ]


@pytest.mark.parametrize(
    ("ticked", "due", "now", "problem"),
    [
        pytest.param(
            "07:54",
            None,
            "08:00",
            "the scheduler has not ticked for 6 min (more than 5 ticks of 60 s)",
            id="a stalled scheduler",
        ),
        pytest.param(
            "07:59", "07:49", "08:00", "a queued message has waited 11 min to go out", id="backlog"
        ),
    ],
)
async def test_a_stalled_scheduler_or_a_message_waiting_ten_minutes_is_not_healthy(
    town, capsys, ticked, due, now, problem
):
    day = "2021-11-20 "
    await record_tick(town.store, local(day + ticked))
    if due is not None:
        await queue_due(town, "k:late", local(day + due))
    code, out = await asyncio.to_thread(status, capsys, town, local(day + now))
    assert code == 1
    assert out.splitlines()[-1] == f"NOT healthy: {problem}"


@pytest.mark.parametrize(
    ("now", "healthy"),
    [
        ("2021-11-20 23:30", True),  # quiet hours: nothing goes out, by design
        ("2021-11-21 07:05", True),  # they ended 5 minutes ago
        ("2021-11-21 07:15", False),  # 15 minutes of daytime waiting
    ],
)
async def test_waiting_through_quiet_hours_is_no_fault(town, now, healthy):
    instant = local(now)
    await record_tick(town.store, instant)
    await queue_due(town, "k:night", local("2021-11-20 21:30"))
    report = await health(town.store, town.config, instant)
    assert report.healthy is healthy, report.problems


async def test_the_people_who_blocked_the_bot_are_listed(town, capsys):
    now = local("2021-11-20 08:00")
    person = await town.linked("M01", "u-m01")
    account = await town.store.accounts.find(CHANNEL, person.user_id)
    await town.store.accounts.mark_unreachable(account.id, local("2021-11-19 21:00"))
    await record_tick(town.store, now)
    code, out = await asyncio.to_thread(status, capsys, town, now)
    assert code == 0
    assert (
        "unreachable (blocked the bot): 1\n  Nguyễn Văn Thành (M01), since 2021-11-19 21:00" in out
    )


async def test_the_same_health_as_json_for_the_boards_healthz(town):
    now = local("2021-11-20 08:00")
    await record_tick(town.store, now - timedelta(minutes=1))
    await record_sent(town.store, "zalo", now - timedelta(minutes=1))
    report = json.loads(json.dumps((await health(town.store, town.config, now)).as_json()))
    assert report == {
        "healthy": True,
        "problems": [],
        "now": "2021-11-20T01:00:00+00:00",
        "last_tick": "2021-11-20T00:59:00+00:00",
        "backlog": {},
        "oldest_due": None,
        "last_sent": {"zalo": "2021-11-20T00:59:00+00:00"},
        "unreachable": [],
    }


# -- what the running bot writes ------------------------------------------------------------------


async def test_each_tick_is_written_down(town):
    ticker = Ticker(town.app.scheduler, town.clock, timedelta(seconds=60))
    await ticker.tick()
    assert (await town.store.health.beats())["tick"] == town.now()


async def test_delivery_writes_the_last_send_of_a_channel_at_most_once_a_minute(town):
    delivery = town.app.delivery
    writes: list[tuple[str, datetime]] = []
    beat = town.store.health.beat

    async def counted(name: str, at: datetime) -> None:
        writes.append((name, at))
        await beat(name, at)

    town.store.health.beat = counted  # type: ignore[method-assign]
    # Woken for each message, as the app's queueing does: no real timer paces the test.
    running = asyncio.create_task(delivery.run(idle=3600, settle=0))
    try:
        first = town.now()
        for n in range(5):  # five messages within a minute: one write
            await queue_message(town.store, f"k:{n}", Message("x"), town.now(), chat=f"{CHANNEL}:c")
            delivery.wake()
            await wait_until_sent(town, f"k:{n}")
            town.clock.advance(timedelta(seconds=10))
        town.clock.advance(HEALTH_EVERY)
        await queue_message(town.store, "k:later", Message("x"), town.now(), chat=f"{CHANNEL}:c")
        delivery.wake()
        await wait_until_sent(town, "k:later")
        await wait_for(lambda: len(writes) == 2)
    finally:
        delivery.stop()
        await running
    assert writes[0] == (f"sent:{CHANNEL}", first)
    assert writes[1][1] == town.now()
    # The last one is written down at the stop, whenever it was.
    assert (await town.store.health.beats())[f"sent:{CHANNEL}"] == town.now()


async def wait_until_sent(world: World, key: str) -> None:
    async def sent() -> bool:
        state = await world.store.db.fetchval("SELECT state FROM outbox WHERE key = ?", (key,))
        return state == "sent"

    for _ in range(1000):
        if await sent():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"{key} was not sent")


async def wait_for(done) -> None:
    for _ in range(1000):
        if done():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("waited in vain")
