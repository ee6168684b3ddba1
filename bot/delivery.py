"""Drains the outbox through the channels: claim, send, mark; faults decide what happens next.

Sends run side by side, up to CONCURRENCY at once, so that the channels' own limits set the
pace (Telegram: 30 messages a second, kept by python-telegram-bot's rate limiter; Zalo:
zalo.messages_per_second), not the time one call takes. A chat still gets one message at a
time, in order: the outbox hands out one row per chat and the next only once that one is done
(storage.outbox). What someone's action queued (a confirm request) goes before the scheduler's
bulk (a thousand reminders, a digest).

A message the channel took is marked sent, retrying the write while the database cannot take
it (a full disk), because a row left 'sending' is sent again at the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Protocol

from bot.core.clock import Clock
from bot.core.message_parts import parts_for
from bot.core.messages import Message
from bot.core.quiet_hours import QuietHours
from bot.outage import Outage, backoff_step
from bot.services.health import record_sent
from bot.services.outbox import payload_message
from storage.outbox import OutboxItem
from storage.store import Store

log = logging.getLogger(__name__)

# Waits after the 1st, 2nd, ... failed attempt of a network-level fault; then it gives up.
RETRY_BACKOFF = (
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
)
# Sends in flight at once, all channels together: enough that Telegram's 30 a second are
# reached when a call takes up to half a second, few enough that a stop, which lets them all
# finish, is not held up long by those still waiting their turn in the rate limiter.
CONCURRENCY = 16
# How long delivery lets a handler finish after it queued something (seconds): its reply to
# the person who asked goes out before the notices it queued for others.
WAKE_SETTLE = 0.05
# The payload's count of the parts of a long text already sent.
PARTS_SENT = "parts_sent"
# How often rows past their expiry are marked dropped (until then they are only skipped).
DROP_EVERY = timedelta(minutes=1)
# How often the last successful send of a channel is written down (bot.services.health).
HEALTH_EVERY = timedelta(minutes=1)
# Waits (seconds) after the 1st, 2nd, ... failed write in a row (a full disk, a database
# locked past its timeout); the last one repeats until the write goes through.
STORAGE_BACKOFF: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
# While stopping, how long a write that records a send may still be tried (seconds).
STOP_GRACE = 1.0
# What a database that cannot be written raises.
STORAGE_FAULTS = (sqlite3.Error,)


class Unreachable(Exception):
    """The user blocked the bot or deleted the chat: stop trying."""


class RetryAfter(Exception):
    """The channel asked us to slow down (Telegram's 429)."""

    def __init__(self, seconds: float):
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class TransientError(Exception):
    """A network fault or a server error: try again later."""


class ChannelSender(Protocol):
    async def send(self, chat_id: str, message: Message) -> None: ...

    async def send_file(self, chat_id: str, path: Path, caption: str = "") -> None: ...


class Delivery:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        senders: dict[str, ChannelSender],
        quiet: QuietHours | None = None,
        *,
        concurrency: int = CONCURRENCY,
        storage_backoff: Sequence[float] = STORAGE_BACKOFF,
    ):
        self.store = store
        self.clock = clock
        self.senders = senders
        self.quiet = quiet
        self.concurrency = concurrency
        self.storage_backoff = tuple(storage_backoff)
        self._wake = asyncio.Event()
        self._stopped = asyncio.Event()  # cuts the waits of a fault short
        self._stopped_at = 0.0  # the event loop's time of stop()
        self._dropped_at: datetime | None = None
        self._sending: dict[asyncio.Task[None], str] = {}  # a send in flight -> its target
        self._storage = Outage(log, "outbox writes")
        self._channels: dict[str, Outage] = {}
        # The last successful send of each channel: in memory, and when last written down.
        self._sent_at: dict[str, datetime] = {}
        self._noted_at: dict[str, datetime] = {}

    def stop(self) -> None:
        """Make run() return once the sends in flight are done: no new ones start, and none is
        left between being sent and being marked."""
        if not self._stopped.is_set():
            self._stopped_at = asyncio.get_running_loop().time()
        self._stopped.set()
        self._wake.set()

    def wake(self) -> None:
        """Something was queued: drain soon rather than at the next tick."""
        self._wake.set()

    async def run(self, idle: float = 1.0, settle: float = WAKE_SETTLE) -> None:
        """Drain until stopped; woken by wake() (SETTLE seconds later) or every IDLE seconds.
        A database that cannot be written is waited out, with one line in the log."""
        try:
            while not self._stopped.is_set():
                try:
                    await self.drain()
                    await self._note_health()
                except STORAGE_FAULTS as exc:
                    failures = self._storage.failed(exc, "messages wait until it can be written")
                    await self._pause(self._storage_wait(failures))
                    continue
                self._storage.works()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), idle)
                    # What woke us was queued by a handler that has yet to send its own reply:
                    # let the reply go first, and take what else is queued meanwhile in one go.
                    await asyncio.sleep(settle)
                self._wake.clear()
        finally:
            with contextlib.suppress(*STORAGE_FAULTS):
                await self._note_health(force=True)

    async def drain(self) -> int:
        """Send what is due now, and wait for it; return how many rows were handled."""
        handled = 0
        try:
            while True:
                room = self.concurrency - len(self._sending)
                # Claims come in batches (one write each), not one per finished send.
                if not self._stopped.is_set() and (
                    room >= self.concurrency // 4 or not self._sending
                ):
                    await self._start_sends(room)
                if not self._sending:
                    return handled
                done, _ = await asyncio.wait(self._sending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    del self._sending[task]
                    handled += 1
                    task.result()  # a send's own faults are handled in it: this is a bug
        finally:
            if self._sending:  # a claim failed: the sends already on their way finish first
                await asyncio.wait(self._sending)
                self._sending.clear()

    async def _start_sends(self, room: int) -> None:
        now = self.clock.now()
        if self.quiet is not None and self.quiet.contains(now):
            return  # what is due waits for the morning; the loop looks again every tick
        await self._drop_expired(now)
        busy = set(self._sending.values())
        for item in await self.store.outbox.claim_due(now, room, busy):
            task = asyncio.create_task(self._deliver(item), name=f"outbox {item.key}")
            self._sending[task] = item.target

    async def _drop_expired(self, now: datetime) -> None:
        """End the rows that went stale while waiting; claim_due skips them meanwhile, so once
        a minute is enough (not a write before every message of a burst)."""
        if self._dropped_at is not None and now - self._dropped_at < DROP_EVERY:
            return
        self._dropped_at = now
        for key in await self.store.outbox.drop_expired(now):
            log.info("outbox row %s dropped: it no longer made sense when it could go", key)

    async def _deliver(self, item: OutboxItem) -> None:
        outbox = self.store.outbox
        try:
            target = await self._target(item)
        except STORAGE_FAULTS as exc:
            self._storage.failed(exc, "messages wait until it can be written")
            await self._record(item, partial(outbox.retry_later, item.id, item.due_at, str(exc)))
            return
        if target is None:
            reason = "no chat on any channel the bot can reach"
            await self._record(item, partial(outbox.give_up, item.id, "failed", reason))
            return
        channel, chat_id, account_id = target
        trouble = self._channels.setdefault(channel, Outage(log, f"{channel} sends"))
        try:
            await self._send(self.senders[channel], channel, chat_id, item)
        except Unreachable as exc:
            log.warning(
                "%s chat %s unreachable (%s)%s",
                channel,
                chat_id,
                exc,
                ": no more messages to it" if account_id is not None else "",
            )
            if account_id is not None:
                mark = self.store.accounts.mark_unreachable
                await self._record(item, partial(mark, account_id, self.clock.now()))
            outcome = partial(outbox.give_up, item.id, "failed", f"unreachable: {exc}")
        except RetryAfter as exc:
            log.debug("outbox row %s: %s asks to wait %gs", item.key, channel, exc.seconds)
            due = self.clock.now() + timedelta(seconds=exc.seconds)
            outcome = partial(outbox.retry_later, item.id, due, str(exc))
        except TransientError as exc:
            trouble.failed(exc, "the messages are kept and tried again later")
            if item.attempts > len(RETRY_BACKOFF):
                log.warning(
                    "outbox row %s given up after %d tries: %s", item.key, item.attempts, exc
                )
                outcome = partial(outbox.give_up, item.id, "failed", f"gave up: {exc}")
            else:
                due = self.clock.now() + RETRY_BACKOFF[item.attempts - 1]
                outcome = partial(outbox.retry_later, item.id, due, str(exc))
        except Exception as exc:
            # One bad row (a bug, a malformed payload) must not stop everyone's messages.
            log.exception("outbox row %s could not be sent", item.key)
            outcome = partial(outbox.give_up, item.id, "failed", f"error: {exc!r}")
        else:
            now = self.clock.now()
            trouble.works()
            self._sent_at[channel] = now
            await self._record(item, partial(outbox.mark_sent, item.id, now), sent=True)
            return
        await self._record(item, outcome)

    async def _record(
        self, item: OutboxItem, write: Callable[[], Awaitable[object]], *, sent: bool = False
    ) -> None:
        """Write what became of ITEM; while the database cannot take it, try again: a row left
        'sending' is sent again at the next start, which for a message the channel took (SENT)
        is a second copy. Once stopping, it is tried for STOP_GRACE seconds more at most."""
        failures = 0
        while True:
            try:
                await write()
            except STORAGE_FAULTS as exc:
                failures += 1
                self._storage.failed(exc, "messages wait until it can be written")
                if self._stopped.is_set() and self._since_stop() > STOP_GRACE:
                    if sent:
                        log.error(
                            "outbox row %s was sent but could not be marked (%s): the next"
                            " start sends it again",
                            item.key,
                            exc,
                        )
                    return
                await self._pause(self._storage_wait(failures))
            else:
                if failures:
                    self._storage.works()
                return

    def _since_stop(self) -> float:
        return asyncio.get_running_loop().time() - self._stopped_at

    def _storage_wait(self, failures: int) -> float:
        return backoff_step(self.storage_backoff, failures)

    async def _pause(self, seconds: float) -> None:
        """Wait SECONDS, or less when stop() is called."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)

    async def _note_health(self, *, force: bool = False) -> None:
        """Write down each channel's last successful send, at most once per HEALTH_EVERY."""
        for channel, at in self._sent_at.items():
            noted = self._noted_at.get(channel)
            if noted == at or (not force and noted is not None and at - noted < HEALTH_EVERY):
                continue
            await record_sent(self.store, channel, at)
            self._noted_at[channel] = at

    async def _send(
        self, sender: ChannelSender, channel: str, chat_id: str, item: OutboxItem
    ) -> None:
        payload = item.payload
        if "file" in payload:
            await sender.send_file(chat_id, Path(payload["file"]), payload.get("caption", ""))
            return
        # A text longer than the channel takes goes in parts, the choices under the last; each
        # part sent is recorded, so a retry (a 429 on part 2) resumes instead of repeating.
        message = payload_message(payload)
        parts = parts_for(channel, message.text)
        for number in range(payload.get(PARTS_SENT, 0), len(parts)):
            last = number == len(parts) - 1
            await sender.send(chat_id, Message(parts[number], message.choices if last else ()))
            if not last:
                record = self.store.outbox.record_parts_sent
                await self._record(item, partial(record, item.id, PARTS_SENT, number + 1))

    async def _target(self, item: OutboxItem) -> tuple[str, str, int | None] | None:
        if item.chat:
            channel, _, chat_id = item.chat.partition(":")
            return (channel, chat_id, None) if channel in self.senders else None
        if item.person_id is None:
            return None
        for account in await self.store.accounts.for_person(item.person_id):
            if account.channel in self.senders:
                return account.channel, account.chat_id, account.id
        return None
