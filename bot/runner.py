"""`checkin-bot run`: the enabled channels, the scheduler's tick and the outbox delivery,
until SIGINT or SIGTERM.

Shutdown goes in the order that loses nothing: stop taking updates and let the handlers in
hand finish (what they queue still goes out), stop the tick (one in progress finishes), then
stop delivery between two rows, then close the channels' connections and the store. A second
signal is not caught: it ends the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator

from bot.app import Bot, build_bot
from bot.channels import problems
from bot.core.clock import Clock
from bot.core.config import Config, ConfigError
from storage.store import Store

log = logging.getLogger(__name__)


async def run(config: Config, clock: Clock, *, stop: asyncio.Event | None = None) -> None:
    """Serve until SIGINT or SIGTERM, or until STOP is set (tests)."""
    found = problems(config)
    if found:
        raise ConfigError(found)
    async with await Store.open(config.storage.path) as store:
        # Nothing sends yet, so a row still marked as being sent was claimed by an earlier run
        # that did not get to send or mark it (a crash, or a stop between rows): send it now.
        released = await store.outbox.release_stale_claims(clock.now())
        if released:
            log.warning(
                "%d outbox rows left half-sent by a previous run are queued again", released
            )
        await serve(build_bot(config, store, clock), stop or asyncio.Event())


async def serve(bot: Bot, stop: asyncio.Event) -> None:
    """Start BOT's channels, delivery and ticker; stop them when STOP is set."""
    started = []
    try:
        for channel in bot.channels:
            started.append(channel)  # closed below even when its start fails halfway
            await channel.start()
        await _serve(bot, stop)
    finally:
        for channel in reversed(started):
            await channel.close()


async def _serve(bot: Bot, stop: asyncio.Event) -> None:
    app, ticker = bot.app, bot.ticker
    delivery = asyncio.create_task(app.delivery.run(), name="outbox delivery")
    try:
        with _stop_on_signals(stop):
            await ticker.start()
            log.info(
                "running on %s; stop with Ctrl+C or SIGTERM",
                ", ".join(c.name for c in bot.channels),
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
    signals = (signal.SIGINT, signal.SIGTERM)

    def requested(signum: signal.Signals) -> None:
        log.info("%s received: shutting down (send it again to force)", signum.name)
        for sig in signals:  # a second signal gets the default action: the process ends
            loop.remove_signal_handler(sig)
        stop.set()

    for sig in signals:
        loop.add_signal_handler(sig, requested, sig)
    try:
        yield
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
