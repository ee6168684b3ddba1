"""Fan-out: 1,000 reminders to 1,000 chats within Telegram's flood limits.

Target (from the issue): >= 27 messages a second (90% of Telegram's 30), none lost, none
doubled; the 429s Telegram answered are counted.

The reminders are the scheduler's: 1,000 generated members, each linked to a Telegram chat and
planning to attend a meeting an hour from now, so Scheduler.run_due queues each one's "2h
before" reminder. The real Delivery sends them through the real TelegramSender (the PTB
Application as `checkin-bot run` builds it: AIORateLimiter at telegram.messages_per_second, 30
by default) to the fake Bot API server (tests/fakes/telegram_api.py, loaded by path) in limits
mode: 30 messages a second in all and 1 a second per chat, token buckets on real time, 429 with
retry_after beyond them. The rate is taken between the first and the last message the server
accepted, stamped inside it. Both run in this process, in one asyncio loop, over real HTTP.

A diagnostic run follows, the limiter lifted and the server enforcing nothing: what the
delivery loop itself can do (claim, send, mark each row), to tell the limit from the loop.
"""

from __future__ import annotations

import asyncio
import csv
import logging
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.fakes import fake_telegram_module
from bench.report import Figure
from bot.app import build_app
from bot.channels.telegram import CHANNEL, TelegramSender, build_application
from bot.core.clock import SystemClock
from bot.core.config import Config, Reminders, Storage, Telegram
from bot.roster import import_roster
from storage.store import Store

CHATS = 1_000
CELLS = 10
RATE_TARGET = 27.0  # 90% of Telegram's 30 messages a second
DELIVERY_TIMEOUT_S = 180.0
LIFTED_RATE = 100_000  # messages_per_second for the diagnostic run: no limit in practice


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="checkin-bench-fanout-") as tmp:
        return asyncio.run(_run(Path(tmp)))


async def _run(root: Path) -> list[Figure]:
    # The ERROR AIORateLimiter logs with each 429 it passes on would flood the output: the
    # outbox waits those out, and the count of 429s is a figure below.
    limiter_log = logging.getLogger("telegram.ext.AIORateLimiter")
    level = limiter_log.level
    limiter_log.setLevel(logging.CRITICAL)
    try:
        limited = await fan_out(root / "limited", limits=True, messages_per_second=None)
    finally:
        limiter_log.setLevel(level)
    print(limited.line("as built, Telegram's limits enforced"))
    lifted = await fan_out(root / "lifted", limits=False, messages_per_second=LIFTED_RATE)
    print(lifted.line("diagnostic: the limiter lifted, no limits enforced"))
    n = CHATS
    return [
        Figure(
            "messages a second (first send to last)",
            f"{limited.rate:.1f}",
            f">= {RATE_TARGET:.0f}",
            limited.rate >= RATE_TARGET,
        ),
        Figure("429s answered by the server", str(limited.throttled)),
        Figure(
            "chats that got nothing (lost)",
            str(limited.lost),
            "0",
            limited.lost == 0,
            broken=limited.lost != 0,
        ),
        Figure(
            "chats that got more than one (doubled)",
            str(limited.doubled),
            "0",
            limited.doubled == 0,
            broken=limited.doubled != 0,
        ),
        Figure(
            "outbox rows sent",
            f"{limited.sent}/{n}",
            str(n),
            limited.sent == n,
            broken=limited.sent != n,
        ),
        Figure("queued by Scheduler.run_due", f"{limited.queue_s:.2f} s"),
        Figure("diagnostic: delivery loop, nothing limiting", f"{lifted.rate:.0f} messages/s"),
    ]


class Result:
    def __init__(self, stamps: list[float], per_chat: Counter[int], throttled: int, sent: int):
        self.stamps = stamps
        self.throttled = throttled
        self.sent = sent
        self.lost = sum(1 for chat in range(1, CHATS + 1) if per_chat[chat] == 0)
        self.doubled = sum(1 for count in per_chat.values() if count > 1)
        self.queue_s = 0.0

    @property
    def rate(self) -> float:
        span = self.stamps[-1] - self.stamps[0] if len(self.stamps) > 1 else 0.0
        return (len(self.stamps) - 1) / span if span else 0.0

    def line(self, label: str) -> str:
        span = self.stamps[-1] - self.stamps[0] if self.stamps else 0.0
        return (
            f"{label}: {len(self.stamps)} messages in {span:.2f} s, {self.rate:.1f}/s;"
            f" {self.throttled} 429s; lost {self.lost}, doubled {self.doubled};"
            f" outbox sent {self.sent}; queued in {self.queue_s:.2f} s"
        )


async def fan_out(folder: Path, *, limits: bool, messages_per_second: int | None) -> Result:
    fake = await _stamped_fake_class().start()
    try:
        telegram = Telegram(enabled=True, token=fake.token, api_base_url=fake.api_base_url)
        if messages_per_second is not None:
            telegram = telegram.model_copy(update={"messages_per_second": messages_per_second})
        config = Config(
            storage=Storage(path=str(folder / "fanout.sqlite3")),
            telegram=telegram,
            # The real time may be at night; no suggestions: only the reminders are counted.
            reminders=Reminders(quiet_hours="", weekly_suggestion=False),
        )
        clock = SystemClock()
        store = await Store.open(config.storage.path)
        application = build_application(config.telegram)
        await application.initialize()
        try:
            await members_planning_to_attend(store, config, folder)
            app = build_app(config, store, clock)
            app.add_channel(CHANNEL, TelegramSender(application.bot))
            started = time.perf_counter()
            queued = await app.scheduler.run_due(clock.now())
            queue_s = time.perf_counter() - started
            if queued != CHATS:
                raise RuntimeError(f"the scheduler queued {queued} reminders, not {CHATS}")
            if limits:
                fake.limits()
            delivery = asyncio.create_task(app.delivery.run(), name="outbox delivery")
            try:
                await fake.wait_until(
                    lambda: len(fake.per_chat) >= CHATS, DELIVERY_TIMEOUT_S, "every chat"
                )
            finally:
                app.delivery.stop()
                await delivery
            states = dict(await store.db.fetchall("SELECT state, count(*) FROM outbox GROUP BY 1"))
        finally:
            await application.shutdown()
            await store.close()
    finally:
        await fake.close()
    result = Result(fake.stamps, fake.per_chat, fake.throttled, states.get("sent", 0))
    result.queue_s = queue_s
    return result


async def members_planning_to_attend(store: Store, config: Config, folder: Path) -> None:
    """CHATS members (no assignments, no secretaries: nothing but the reminders is due), each
    linked to Telegram chat i and planning to attend their cell's meeting an hour from now."""
    tz, now = config.committee.tz, SystemClock().now()
    starts = (now + timedelta(hours=1)).astimezone(tz)
    cells = [f"O{j:02d}" for j in range(1, CELLS + 1)]
    codes = [f"M{i:04d}" for i in range(1, CHATS + 1)]
    tables = {
        "members": (
            ["code", "full_name", "phone", "position", "language"],
            [
                [code, f"Đảng viên {code}", f"09{i:08d}", "member", "vi"]
                for i, code in enumerate(codes, 1)
            ],
        ),
        "organizations": (["code", "name", "kind"], [[c, f"Chi bộ {c}", "cell"] for c in cells]),
        "cells": (["code", "organization", "name"], [[c, c, f"Chi bộ {c}"] for c in cells]),
        "assignments": (["member", "organization", "duty", "start"], []),
        "meetings": (["cell", "starts_at"], [[c, f"{starts:%Y-%m-%d %H:%M}"] for c in cells]),
    }
    roster = folder / "roster"
    roster.mkdir(parents=True)
    for name, (header, rows) in tables.items():
        with (roster / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    await import_roster(store, config, roster, now)
    person_of = dict(await store.db.fetchall("SELECT code, person_id FROM members"))
    meeting_of = dict(
        await store.db.fetchall(
            "SELECT c.code, mt.id FROM meetings mt JOIN cells c ON c.id = mt.cell_id"
        )
    )
    async with store.transaction():
        for i, code in enumerate(codes, 1):
            await store.accounts.link("telegram", str(i), str(i), person_of[code], now)
            await store.plans.add(meeting_of[cells[(i - 1) % CELLS]], code, now)


# -- the fake Bot API server, stamping what it accepts ------------------------------------------


def _stamped_fake_class() -> Any:
    FakeTelegram = fake_telegram_module().FakeTelegram

    class StampedFake(FakeTelegram):
        """FakeTelegram that stamps each message it accepts and counts them by chat, keeping
        no copies (a thousand messages' dicts are garbage the bot's process does not have)."""

        def __init__(self, **kwargs: Any):
            super().__init__(**kwargs)
            self.stamps: list[float] = []
            self.per_chat: Counter[int] = Counter()

        def _record_message(self, chat_id: int, content: dict[str, Any]) -> dict[str, Any]:
            self.stamps.append(time.perf_counter())
            self.per_chat[chat_id] += 1
            message = super()._record_message(chat_id, content)
            self.messages.pop(message["message_id"], None)
            del self.calls[:-100]
            return message

    return StampedFake
