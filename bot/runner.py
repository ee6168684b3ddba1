"""`checkin-bot run`: the enabled channels, the scheduler's tick and the outbox delivery,
until SIGINT, SIGTERM or SIGHUP.

One run per database (bot.runlock): a second refuses to start. Shutdown goes in the order that
loses nothing: stop taking updates and let the handlers in hand finish (what they queue still
goes out), stop the tick (one in progress finishes), let delivery finish the sends in flight
and mark them, then close the channels' connections and the store. A second signal forces
the end at once: SQLite's journal keeps the database whole, and a send cut off is sent again
at the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
from collections.abc import Awaitable, Iterator
from pathlib import Path

from bot.app import Bot, build_bot
from bot.channels import problems
from bot.core.clock import Clock
from bot.core.config import Config, ConfigError
from bot.runlock import RunLock
from storage.db_file import check_database_path
from storage.store import Store

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


async def run(config: Config, clock: Clock, *, stop: asyncio.Event | None = None) -> None:
    """Serve until a stop signal, or until STOP is set (tests). RunLockError when another run
    serves the database."""
    found = problems(config)
    if found:
        raise ConfigError(found)
    # The database's own faults first (a folder that cannot be made, a file that is no
    # database): they are what the operator must fix, not the lock file beside it.
    check_database_path(Path(config.storage.path))
    lock = RunLock.take(config.storage.path, clock.now().astimezone(config.committee.tz))
    try:
        async with await Store.open(config.storage.path) as store:
            # This process holds the lock, so a row still marked as being sent was claimed by
            # an earlier run that did not get to send or mark it (a crash, a forced stop):
            # send it now.
            released = await store.outbox.release_stale_claims(clock.now())
            if released:
                log.warning(
                    "%d outbox rows left half-sent by a previous run are queued again", released
                )
            await serve(build_bot(config, store, clock), stop or asyncio.Event())
    finally:
        lock.release()


async def serve(bot: Bot, stop: asyncio.Event) -> None:
    """Start BOT's channels, delivery and ticker; stop them when STOP is set."""
    with _stop_on_signals(stop):
        started = []
        try:
            for channel in bot.channels:
                started.append(channel)  # closed below even when its start fails halfway
                # A start waits out a platform that is down: a stop meanwhile ends it.
                if not await _unless_stopped(channel.start(), stop):
                    log.info("stopped while starting %s", channel.name)
                    return
            with _start_frozen():
                await _serve(bot, stop)
        finally:
            for channel in reversed(started):
                await channel.close()


async def _serve(bot: Bot, stop: asyncio.Event) -> None:
    app, ticker = bot.app, bot.ticker
    delivery = asyncio.create_task(app.delivery.run(), name="outbox delivery")
    try:
        await ticker.start()
        log.info(
            "running on %s; stop with Ctrl+C or SIGTERM", ", ".join(c.name for c in bot.channels)
        )
        await _until_stopped(stop, delivery)
        log.info("stopping: no new updates; finishing the ones in hand")
        for channel in reversed(bot.channels):
            await channel.stop()
    finally:
        await ticker.stop()  # a tick in progress queues all it decided, or nothing
        # After the channels: what their last handlers queued still goes out in this drain.
        app.delivery.stop()
        await delivery  # re-raises what made delivery fail, if it did
    log.info("stopped")


@contextlib.contextmanager
def _start_frozen() -> Iterator[None]:
    """While the bot serves, what its start made (modules, classes, the channels: a hundred
    thousand objects that live as long as the process) is out of the cyclic collector's way.
    Else each of its full collections walks them all, holding up every chat the while, and the
    board's pages make those collections frequent (bench/board.py)."""
    gc.collect()  # what is garbage already is not kept for good
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


async def _unless_stopped(work: Awaitable[None], stop: asyncio.Event) -> bool:
    """Await WORK unless STOP is set first (then WORK is cancelled); whether it finished."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return False
    task.result()
    return True


async def _until_stopped(stop: asyncio.Event, delivery: asyncio.Task[None]) -> None:
    """Wait for STOP, or for delivery to end (it only ends by failing: then stop too)."""
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({stopping, delivery}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if delivery.done() and not stop.is_set():
        log.error("outbox delivery stopped unexpectedly; shutting down")


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    loop = asyncio.get_running_loop()

    def requested(signum: signal.Signals) -> None:
        if not stop.is_set():
            log.info("%s received: shutting down (send it again to force)", signum.name)
            stop.set()
            return
        log.warning("%s received again: stopping at once", signum.name)
        logging.shutdown()  # what is logged so far reaches its file
        os._exit(128 + signum)

    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, requested, sig)
    try:
        yield
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
