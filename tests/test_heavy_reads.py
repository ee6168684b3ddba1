"""Heavy work never holds up the chat: a quarter's coverage, the digest's reads and the
scheduler's scan go to the store's reader, a connection of their own on a thread of their
own; the coverage rule runs off the event loop; the digest is read and drawn in a worker
process.

To catch a heavy read in the act, the reader is stopped in the middle of its next statement
(SQLite's progress handler, on the reader's thread) until the test lets it go; meanwhile a
member chats, and must be answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures.process import BrokenProcessPool

import pytest
from dialogue import texts

import bot.digest.render
import bot.services.coverage
from bot.core.quarters import Quarter
from bot.digest.apart import in_worker
from bot.digest.gather import gather_digest
from bot.digest.render import render_digest
from bot.scheduler import Scheduler
from bot.services.coverage import quarter_coverage
from storage.store import Store

Q4 = Quarter(2021, 4)


@contextlib.contextmanager
def reader_stopped(store: Store) -> Iterator[threading.Event]:
    """The reader stops inside its next statement until the block ends; the event is set once
    it has."""
    raw = store.db.reader._connection.raw  # open: the test read through it first
    inside, go = threading.Event(), threading.Event()

    def stop_once() -> int:
        if not go.is_set():
            inside.set()
            go.wait(10)
        return 0  # carry on

    raw.set_progress_handler(stop_once, 100)
    try:
        yield inside
    finally:
        go.set()


def heavy_work(world) -> dict[str, Callable[[], Awaitable[object]]]:
    scheduler = Scheduler(world.config, world.store)
    return {
        "coverage": lambda: quarter_coverage(world.store, world.config, Q4),
        "digest": lambda: gather_digest(world.store, world.config, Q4, world.now()),
        "scheduler": lambda: scheduler.run_due(world.now()),
    }


@pytest.mark.parametrize("work", ["coverage", "digest", "scheduler"])
async def test_the_chat_is_answered_while_heavy_work_is_inside_a_read(world, work):
    thanh = await world.linked("M01")
    heavy = heavy_work(world)[work]
    await heavy()  # the reader open, the roster's shape read (as in a bot that has run a while)

    with reader_stopped(world.store) as inside:
        running = asyncio.create_task(heavy())
        assert await asyncio.to_thread(inside.wait, 10)
        status = await asyncio.wait_for(thanh.send("/status"), 10)
        planned = await asyncio.wait_for(thanh.send("/meetings"), 10)
        assert not running.done()  # still inside its read

    await asyncio.wait_for(running, 10)
    assert "Đảng bộ phường Bồ Đề" in texts(status)
    assert planned and planned[-1].choices  # the meetings, with their buttons


async def test_the_coverage_rule_runs_off_the_event_loop(world, monkeypatch):
    threads: list[int] = []
    rule = bot.services.coverage.coverage_for_quarter

    def recorded(*args, **kwargs):
        threads.append(threading.get_ident())
        return rule(*args, **kwargs)

    monkeypatch.setattr(bot.services.coverage, "coverage_for_quarter", recorded)
    coverage = await quarter_coverage(world.store, world.config, Q4)

    assert threads and threading.get_ident() not in threads
    assert coverage.totals["required"] == 41  # the sample district's, as README says


# -- the digest rendered in a process of its own ----------------------------------------------


def worker_pid() -> int:
    return os.getpid()


def die() -> None:
    os._exit(9)  # as if killed, or out of memory


async def test_work_given_to_the_worker_runs_in_a_fresh_process_each_time():
    first = await in_worker(worker_pid)
    second = await in_worker(worker_pid)
    assert len({first, second, os.getpid()}) == 3  # what one rendering took goes with it

    with pytest.raises(BrokenProcessPool):
        await in_worker(die)
    assert await in_worker(worker_pid) not in (first, second, os.getpid())  # after one died


async def test_the_digest_is_drawn_in_the_worker_not_in_the_bots_process(
    world, tmp_path, monkeypatch
):
    def not_here(*args, **kwargs):
        raise AssertionError("the chart was drawn in the bot's own process")

    monkeypatch.setattr(bot.digest.render, "write_chart", not_here)
    monkeypatch.setattr(bot.digest.render, "write_workbook", not_here)
    rendered = await render_digest(world.store, world.config, Q4, world.now(), tmp_path)

    assert rendered.png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert rendered.xlsx.stat().st_size > 0
