"""Fan-out: 1,000 reminders to 1,000 chats within the platforms' limits, at real latency.

Targets (from the issues): with the fake server answering every send at once, after 100 ms and
after 250 ms, Telegram's limits enforced: >= 27 messages a second (90% of Telegram's 30), none
lost, none doubled; the same on Zalo at its pace (zalo.messages_per_second, set to 30 here so
that the runs compare; the fake refuses what goes beyond it). A confirm request queued while
the fan-out goes must not wait minutes; nor must reminders queued behind a digest to a group.

The reminders are the scheduler's: CHATS generated members, each linked to a chat and planning
to attend a meeting an hour from now, so Scheduler.run_due queues each one's "2h before"
reminder. The real Delivery sends them through the real channel senders: on Telegram the PTB
Application as `checkin-bot run` builds it (AIORateLimiter at telegram.messages_per_second),
on Zalo the ZaloChannel (its paced client). The fake servers (tests/fakes, loaded by path)
enforce the limits on real time: Telegram's 30 a second in all and 1 a second per chat, 429
with retry_after beyond them; Zalo's pace, 429 beyond it. The rate is taken between the first
and the last message the server accepted, stamped inside it. Bot and servers run in this
process, in one asyncio loop, over real HTTP.

Diagnostics follow, the limiter lifted and the server enforcing nothing, at 100 ms: what the
delivery loop itself can do, through the bot's HTTP client (aiohttp) and through
python-telegram-bot's own (HTTPXRequest, sized the same), to tell which is ahead.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram.request import HTTPXRequest

import bot.channels.telegram as telegram_channel
from bench.fakes import fake_telegram_module, fake_zalo_module
from bench.report import Figure
from bot.app import App, build_app
from bot.channels.telegram import TelegramSender, build_application
from bot.channels.zalo import ZaloChannel
from bot.core.clock import SystemClock
from bot.core.config import Config, Reminders, Storage, Telegram, Zalo
from bot.core.messages import Message
from bot.delivery import CONCURRENCY
from bot.roster import import_roster
from bot.roster.files import write_tables
from bot.services.outbox import queue_message
from storage.store import Store

CHATS = 1_000
CELLS = 10
RATE_TARGET = 27.0  # 90% of Telegram's 30 messages a second
ZALO_PACE = 30  # zalo.messages_per_second in these runs
LATENCIES_MS = (0, 100, 250)
DELIVERY_TIMEOUT_S = 240.0
LIFTED_RATE = 100_000  # messages_per_second for the diagnostic runs: no limit in practice
DIAGNOSTIC_LATENCY_MS = 100
# The confirm request is queued once this many reminders have gone: the fan-out is in full swing.
CONFIRM_AFTER = 200
CONFIRM_WAIT_TARGET_S = 10.0
SECRETARY_CHAT = 9_999_999
DIGEST_PARTS = 45  # a city's digest to a group: Telegram takes 20 a minute there
OFFICE_GROUP = -1_001_234_567_890
AFTER_DIGEST = 100  # reminders queued behind the digest


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="checkin-bench-fanout-") as tmp:
        return asyncio.run(_run(Path(tmp)))


async def _run(root: Path) -> list[Figure]:
    figures: list[Figure] = []
    for latency in LATENCIES_MS:
        result = await fan_out(root / f"telegram-{latency}", "telegram", latency)
        print(result.line(f"Telegram, answers after {latency} ms, limits enforced"))
        figures += result.figures(f"Telegram, {latency} ms", RATE_TARGET)
    for latency in LATENCIES_MS:
        result = await fan_out(root / f"zalo-{latency}", "zalo", latency)
        print(result.line(f"Zalo at {ZALO_PACE}/s, answers after {latency} ms, limit enforced"))
        figures += result.figures(f"Zalo, {latency} ms", 0.9 * ZALO_PACE)

    confirm = await fan_out(root / "confirm", "telegram", 250, confirm_after=CONFIRM_AFTER)
    print(confirm.line("Telegram, 250 ms, a confirm request queued mid-way"))
    figures.append(
        Figure(
            f"confirm request's wait behind {CHATS} reminders (250 ms)",
            f"{confirm.confirm_wait_s:.2f} s",
            f"<= {CONFIRM_WAIT_TARGET_S:.0f} s",
            confirm.confirm_wait_s <= CONFIRM_WAIT_TARGET_S,
        )
    )
    digest = await behind_a_digest(root / "digest")
    print(
        f"{DIGEST_PARTS} digest parts to a group, then {AFTER_DIGEST} reminders (250 ms):"
        f" the reminders all out {digest.reminders_s:.2f} s after the start;"
        f" the group had {digest.group_parts} parts by then"
    )
    figures.append(
        Figure(
            f"{AFTER_DIGEST} reminders queued behind a {DIGEST_PARTS}-part digest to a group",
            f"all out in {digest.reminders_s:.1f} s",
            f"<= {CONFIRM_WAIT_TARGET_S:.0f} s",
            digest.reminders_s <= CONFIRM_WAIT_TARGET_S,
        )
    )

    for client in ("aiohttp", "httpx"):
        lifted = await fan_out(
            root / f"lifted-{client}",
            "telegram",
            DIAGNOSTIC_LATENCY_MS,
            limits=False,
            messages_per_second=LIFTED_RATE,
            http=client,
        )
        print(lifted.line(f"diagnostic: limiter lifted, no limits, {client}"))
        figures.append(
            Figure(
                f"diagnostic: nothing limiting, {DIAGNOSTIC_LATENCY_MS} ms, {client}",
                f"{lifted.rate:.0f} messages/s, {lifted.cpu_ms:.2f} ms CPU each",
            )
        )
    return figures


@dataclass
class Result:
    stamps: list[float]
    per_chat: Counter[Any]
    throttled: int
    sent: int
    queue_s: float
    cpu_ms: float  # this process's CPU time per message (bot and fake server together)
    confirm_wait_s: float = 0.0

    @property
    def rate(self) -> float:
        span = self.stamps[-1] - self.stamps[0] if len(self.stamps) > 1 else 0.0
        return (len(self.stamps) - 1) / span if span else 0.0

    @property
    def lost(self) -> int:
        return sum(1 for count in self._reminders().values() if count == 0)

    @property
    def doubled(self) -> int:
        return sum(1 for count in self.per_chat.values() if count > 1)

    def _reminders(self) -> Counter[Any]:
        return Counter({chat: self.per_chat[chat] for chat in range(1, CHATS + 1)})

    def line(self, label: str) -> str:
        span = self.stamps[-1] - self.stamps[0] if self.stamps else 0.0
        waited = (
            f"; confirm request waited {self.confirm_wait_s:.2f} s" if self.confirm_wait_s else ""
        )
        return (
            f"{label}: {len(self.stamps)} messages in {span:.2f} s, {self.rate:.1f}/s;"
            f" {self.throttled} 429s; lost {self.lost}, doubled {self.doubled};"
            f" outbox sent {self.sent}; queued in {self.queue_s:.2f} s{waited}"
        )

    def figures(self, label: str, target: float) -> list[Figure]:
        wrong = self.lost != 0 or self.doubled != 0 or self.sent != CHATS
        return [
            Figure(
                f"{label}: messages a second",
                f"{self.rate:.1f} ({self.throttled} 429s)",
                f">= {target:.0f}",
                self.rate >= target,
            ),
            Figure(
                f"{label}: lost / doubled / rows sent",
                f"{self.lost} / {self.doubled} / {self.sent}",
                f"0 / 0 / {CHATS}",
                not wrong,
                broken=wrong,
            ),
        ]


async def fan_out(
    folder: Path,
    channel: str,
    latency_ms: int,
    *,
    limits: bool = True,
    messages_per_second: int | None = None,
    http: str = "aiohttp",
    confirm_after: int = 0,
) -> Result:
    async with served(folder, channel, latency_ms, messages_per_second, http) as (app, fake):
        await members_planning_to_attend(app.store, app.config, folder, channel)
        secretary = await link_secretary(app, channel) if confirm_after else None
        clock = app.clock
        started = time.perf_counter()
        queued = await app.scheduler.run_due(clock.now())
        queue_s = time.perf_counter() - started
        if queued != CHATS:
            raise RuntimeError(f"the scheduler queued {queued} reminders, not {CHATS}")
        if limits and channel == "zalo":
            fake.limits(per_second=ZALO_PACE)
        elif limits:
            fake.limits()
        cpu = time.process_time()
        delivery = asyncio.create_task(app.delivery.run(), name="outbox delivery")
        confirm_wait = 0.0
        try:
            if secretary is not None:
                await fake.wait_until(lambda: len(fake.stamps) >= confirm_after, DELIVERY_TIMEOUT_S)
                confirm_wait = await confirm_request(app, fake, secretary)
            expected = CHATS + (1 if secretary is not None else 0)
            await fake.wait_until(
                lambda: len(fake.per_chat) >= expected, DELIVERY_TIMEOUT_S, "every chat"
            )
        finally:
            app.delivery.stop()
            await delivery
        cpu_ms = (time.process_time() - cpu) * 1000 / max(1, len(fake.stamps))
        states = dict(await app.store.db.fetchall("SELECT state, count(*) FROM outbox GROUP BY 1"))
    return Result(
        fake.stamps,
        fake.per_chat,
        fake.throttled,
        states.get("sent", 0) - (1 if confirm_after else 0),
        queue_s,
        cpu_ms,
        confirm_wait,
    )


async def confirm_request(app: App, fake: Any, secretary: int) -> float:
    """Queue a confirm request to the secretary as the check-in handler does; the seconds until
    the server has it."""
    queued = time.perf_counter()
    message = Message("Đồng chí M0001 đã điểm danh: xác nhận?")
    await queue_message(app.store, "confirm:bench", message, app.clock.now(), person_id=secretary)
    await fake.wait_until(lambda: fake.per_chat[SECRETARY_CHAT] > 0, 60, "the confirm request")
    return fake.arrived[SECRETARY_CHAT] - queued


@dataclass
class BehindDigest:
    reminders_s: float
    group_parts: int


async def behind_a_digest(folder: Path) -> BehindDigest:
    """A DIGEST_PARTS digest queued for the office's group, then AFTER_DIGEST reminders: the
    seconds from the start until every reminder is out, and the group's parts by then."""
    async with served(folder, "telegram", 250, None, "aiohttp") as (app, fake):
        fake.limits()
        now = app.clock.now()
        for part in range(1, DIGEST_PARTS + 1):
            text = Message(f"Báo cáo quý, phần {part}")
            await queue_message(
                app.store, f"digest:part={part}", text, now, chat=f"telegram:{OFFICE_GROUP}"
            )
        for chat in range(1, AFTER_DIGEST + 1):
            await queue_message(
                app.store, f"remind:{chat}", Message("Nhắc lịch"), now, chat=f"telegram:{chat}"
            )
        started = time.perf_counter()
        delivery = asyncio.create_task(app.delivery.run(), name="outbox delivery")
        try:
            await fake.wait_until(
                lambda: all(fake.per_chat[chat] for chat in range(1, AFTER_DIGEST + 1)), 120
            )
            took = time.perf_counter() - started
            parts = fake.per_chat[OFFICE_GROUP]
        finally:
            app.delivery.stop()
            await delivery
    return BehindDigest(took, parts)


@asynccontextmanager
async def served(
    folder: Path, channel: str, latency_ms: int, messages_per_second: int | None, http: str
) -> AsyncIterator[tuple[App, Any]]:
    """An app on a fresh database, sending through CHANNEL to its fake, which answers every
    send after LATENCY_MS."""
    fake = await _stamped(channel).start()
    fake.slow_sends(latency_ms / 1000)
    reminders = Reminders(quiet_hours="", weekly_suggestion=False)
    storage = Storage(path=str(folder / "fanout.sqlite3"))
    store = await Store.open(storage.path)
    try:
        if channel == "telegram":
            telegram = Telegram(enabled=True, token=fake.token, api_base_url=fake.api_base_url)
            if messages_per_second is not None:
                telegram = telegram.model_copy(update={"messages_per_second": messages_per_second})
            config = Config(storage=storage, telegram=telegram, reminders=reminders)
            app = build_app(config, store, SystemClock())
            application = _application(config.telegram, http)
            await application.initialize()
            app.add_channel("telegram", TelegramSender(application.bot))
            try:
                yield app, fake
            finally:
                await application.shutdown()
        else:
            zalo = Zalo(
                enabled=True,
                token=fake.token,
                api_base_url=fake.api_base_url,
                messages_per_second=ZALO_PACE,
            )
            config = Config(storage=storage, zalo=zalo, reminders=reminders)
            app = build_app(config, store, SystemClock())
            zalo_channel = ZaloChannel(app, config.zalo)
            await zalo_channel.start()
            try:
                yield app, fake
            finally:
                await zalo_channel.close()
    finally:
        await store.close()
        await fake.close()


def _application(settings: Telegram, http: str) -> Any:
    if http == "aiohttp":
        return build_application(settings)
    # python-telegram-bot's own client, sized for the same number of sends in flight.
    original = telegram_channel.AiohttpRequest

    def httpx_request(connection_pool_size: int = CONCURRENCY * 2, **kwargs: Any) -> HTTPXRequest:
        return HTTPXRequest(connection_pool_size=connection_pool_size)

    telegram_channel.AiohttpRequest = httpx_request  # type: ignore[assignment,misc]
    try:
        return build_application(settings)
    finally:
        telegram_channel.AiohttpRequest = original  # type: ignore[misc]


async def members_planning_to_attend(
    store: Store, config: Config, folder: Path, channel: str
) -> None:
    """CHATS members (no assignments, no secretaries: nothing but the reminders is due), each
    linked to chat i of CHANNEL and planning to attend their cell's meeting an hour from now."""
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
        "cells": (
            ["code", "organization", "name", "secretary_name", "secretary_phone"],
            [[c, c, f"Chi bộ {c}", "", ""] for c in cells[1:]]
            + [[cells[0], cells[0], f"Chi bộ {cells[0]}", "Bí thư", "0988000001"]],
        ),
        "assignments": (["member", "organization", "duty", "start"], []),
        "meetings": (["cell", "starts_at"], [[c, f"{starts:%Y-%m-%d %H:%M}"] for c in cells]),
    }
    roster = folder / "roster"
    write_tables(roster, tables)
    await import_roster(store, config, roster, now)
    person_of = dict(await store.db.fetchall("SELECT code, person_id FROM members"))
    meeting_of = dict(
        await store.db.fetchall(
            "SELECT c.code, mt.id FROM meetings mt JOIN cells c ON c.id = mt.cell_id"
        )
    )
    async with store.transaction():
        for i, code in enumerate(codes, 1):
            chat = _chat_id(channel, i)
            await store.accounts.link(channel, chat, chat, person_of[code], now)
            await store.plans.add(meeting_of[cells[(i - 1) % CELLS]], code, now)


async def link_secretary(app: App, channel: str) -> int:
    """O01's secretary, linked on chat SECRETARY_CHAT; their person id."""
    store, now = app.store, app.clock.now()
    person = await store.db.fetchval("SELECT secretary_id FROM cells WHERE code = 'O01'")
    chat = _chat_id(channel, SECRETARY_CHAT)
    await store.accounts.link(channel, chat, chat, person, now)
    return person


def _chat_id(channel: str, number: int) -> str:
    return f"z-{number}" if channel == "zalo" else str(number)


# -- the fake servers, stamping what they accept -----------------------------------------------


def _stamped(channel: str) -> Any:
    if channel == "telegram":
        base = fake_telegram_module().FakeTelegram

        class StampedTelegram(base):
            def __init__(self, **kwargs: Any):
                super().__init__(**kwargs)
                _stamping(self)

            def _record_message(self, chat_id: int, content: dict[str, Any]) -> dict[str, Any]:
                _stamp(self, chat_id)
                message = super()._record_message(chat_id, content)
                self.messages.pop(message["message_id"], None)  # keep no copies
                del self.calls[:-100]
                return message

        return StampedTelegram

    base = fake_zalo_module().FakeZalo

    class StampedZalo(base):
        def __init__(self, **kwargs: Any):
            super().__init__(**kwargs)
            _stamping(self)

        async def _api_sendMessage(self, call: Any) -> Any:
            answer = await super()._api_sendMessage(call)
            if self.messages:  # keep no copies
                _stamp(self, int(self.messages.pop().chat_id.removeprefix("z-")))
            del self.calls[:-100]
            return answer

    return StampedZalo


def _stamping(fake: Any) -> None:
    fake.stamps = []
    fake.per_chat = Counter()
    fake.arrived = {}


def _stamp(fake: Any, chat: int) -> None:
    now = time.perf_counter()
    fake.stamps.append(now)
    fake.per_chat[chat] += 1
    fake.arrived.setdefault(chat, now)
