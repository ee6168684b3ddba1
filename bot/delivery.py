"""Drains the outbox through the channels: claim, send, mark; faults decide what happens next."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from bot.core.clock import Clock
from bot.core.message_parts import parts_for
from bot.core.messages import Message
from bot.core.quiet_hours import QuietHours
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


# How long delivery lets a handler finish after it queued something (seconds): its reply to
# the person who asked goes out before the notices it queued for others.
WAKE_SETTLE = 0.05
# The payload's count of the parts of a long text already sent.
PARTS_SENT = "parts_sent"
# How often rows past their expiry are marked dropped (until then they are only skipped).
DROP_EVERY = timedelta(minutes=1)


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
    ):
        self.store = store
        self.clock = clock
        self.senders = senders
        self.quiet = quiet
        self._wake = asyncio.Event()
        self._stopping = False
        self._dropped_at: datetime | None = None

    def stop(self) -> None:
        """Make run() return after the row in hand: never between sending a row and marking it."""
        self._stopping = True
        self._wake.set()

    def wake(self) -> None:
        """Something was queued: drain soon rather than at the next tick."""
        self._wake.set()

    async def run(self, idle: float = 1.0, settle: float = WAKE_SETTLE) -> None:
        """Drain forever; woken by wake() (SETTLE seconds later) or every IDLE seconds."""
        while not self._stopping:
            await self.drain()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), idle)
                # What woke us was queued by a handler that has yet to send its own reply:
                # let the reply go first, and take what else is queued meanwhile in one go.
                await asyncio.sleep(settle)
            self._wake.clear()

    async def drain(self, limit: int = 100) -> int:
        """Send what is due now; return how many rows were handled."""
        handled = 0
        while not self._stopping:
            now = self.clock.now()
            if self.quiet is not None and self.quiet.contains(now):
                break  # what is due waits for the morning; the loop looks again every tick
            await self._drop_expired(now)
            items = await self.store.outbox.claim_due(now, limit)
            for index, item in enumerate(items):
                if self._stopping:  # hand the rest back unsent, as they were
                    for left in items[index:]:
                        await self.store.outbox.retry_later(left.id, left.due_at, "stopped")
                    return handled
                await self._deliver(item)
                handled += 1
            if len(items) < limit:  # that was all that is due: no need to ask again
                break
        return handled

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
        target = await self._target(item)
        if target is None:
            await outbox.give_up(item.id, "failed", "no chat on any channel the bot can reach")
            return
        channel, chat_id, account_id = target
        try:
            await self._send(self.senders[channel], channel, chat_id, item)
        except Unreachable as exc:
            if account_id is not None:
                await self.store.accounts.mark_unreachable(account_id, self.clock.now())
            await outbox.give_up(item.id, "failed", f"unreachable: {exc}")
        except RetryAfter as exc:
            log.info("outbox row %s: %s asks to wait %gs", item.key, channel, exc.seconds)
            due = self.clock.now() + timedelta(seconds=exc.seconds)
            await outbox.retry_later(item.id, due, str(exc))
        except TransientError as exc:
            if item.attempts > len(RETRY_BACKOFF):
                await outbox.give_up(item.id, "failed", f"gave up: {exc}")
            else:
                due = self.clock.now() + RETRY_BACKOFF[item.attempts - 1]
                await outbox.retry_later(item.id, due, str(exc))
        except Exception as exc:
            # One bad row (a bug, a malformed payload) must not stop everyone's messages.
            log.exception("outbox row %s could not be sent", item.key)
            await outbox.give_up(item.id, "failed", f"error: {exc!r}")
        else:
            await outbox.mark_sent(item.id, self.clock.now())

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
                await self.store.outbox.record_parts_sent(item.id, PARTS_SENT, number + 1)

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
