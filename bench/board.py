"""The office's board at city scale, and the chats while it is used.

Targets (issue #14; printed, not asserted):
  * the quarter board's first page (/): <= 300 ms server time, <= 300 KB;
  * /pending with 2,000 pending check-ins: <= 300 ms server time;
  * chat replies as fast as before while the board is used: a /status round trip through the
    fake Bot API, the board idle and then under load from another process.

The city is bench/city.py's (1,500 members, 3,000 organizations, 30,000 cells, 20,000
check-ins), imported in process; its pending check-ins are made exactly 2,000. The board and
the bot run as `checkin-bot run` runs them: bot.runner.run with Telegram (the tests' fake Bot
API, in this process) and [web] enabled. Server time is the board's own Server-Timing header
(the handler and its middlewares); size is the body as sent.

The load is a separate process (a browser is elsewhere, not in the bot's process) fetching
board pages (LOADED_PAGES in turn) for as long as a loaded chat series runs, bounded by
LOAD_MAX_S: LOADS are an office's few pages a second, clients fetching back to back, and a
city's roster uploaded and previewed again and again.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import re
import socket
import statistics
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bench.city import add_checkins, write_roster
from bench.fakes import fake_telegram_module
from bench.report import Figure, median, p99
from bot.core.clock import FakeClock
from bot.core.config import Access, Config, Reminders, Storage, Telegram, Web
from bot.core.local_time import parse_local_time
from bot.roster import import_roster
from bot.runner import run as run_bot
from bot.services.web_sessions import sign_in, sign_in_for_code
from storage.store import Store
from storage.timefmt import to_db

RUNS = 15
PAGE_TARGET_MS = 300.0
PAGE_TARGET_KB = 300.0
PENDING = 2_000
CHAT_TRIPS = 200  # /status round trips in each series
LOAD_MAX_S = 120.0
NOW_LOCAL = "2021-11-25 10:00"  # inside the city's quarter
ADMIN = "M0001"
MEMBER_USER = 10_000_000  # Telegram user of the i-th member: MEMBER_USER + i
PAGES = {
    "quarter board, first page (/)": "/",
    "organizations, a middle page": "/quarters/2021Q4?view=organizations&page=30",
    "members missed only, by name": "/quarters/2021Q4?missed=1&sort=name",
    "search": "/quarters/2021Q4?q=nguyen%20van%20an",
    "pending (2,000)": "/pending",
    "pending, last page": "/pending?page=40",
    "meetings, 4 weeks": "/meetings",
    "a member": "/members/M0001",
    "an organization": "/organizations/O0001",
}
LOADED_PAGES = [
    "/",
    "/quarters/2021Q4?view=organizations&page=7",
    "/pending",
    "/quarters/2021Q4?missed=1&sort=name&page=3",
    "/members/M0007",
    "/meetings",
    "/organizations/O0011",
]


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="checkin-bench-board-") as tmp:
        return asyncio.run(_run(Path(tmp)))


async def _run(root: Path) -> list[Figure]:
    fake = await fake_telegram_module().FakeTelegram.start()
    port = _free_port()
    config = Config(
        storage=Storage(path=str(root / "city.sqlite3")),
        telegram=Telegram(enabled=True, token=fake.token, api_base_url=fake.api_base_url),
        access=Access(admins=[ADMIN]),
        reminders=Reminders(weekly_suggestion=False),
        web=Web(enabled=True, listen=f"127.0.0.1:{port}"),
    )
    clock = FakeClock(parse_local_time(NOW_LOCAL, config.committee.tz))
    try:
        cookie = await _city(root, config, clock)
        stop = asyncio.Event()
        bot = asyncio.create_task(run_bot(config, clock, stop=stop))
        try:
            await fake.wait_for_calls("getUpdates", timeout=60)
            base = f"http://127.0.0.1:{port}"
            figures = await _pages(base, cookie)
            figures += await _chat_under_load(fake, base, cookie, root / "roster.zip")
        finally:
            stop.set()
            await asyncio.wait_for(bot, 30)
    finally:
        await fake.close()
    return figures


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _city(root: Path, config: Config, clock: FakeClock) -> str:
    """The city imported (and zipped for an upload), PENDING check-ins pending, members
    linked; the admin's cookie."""
    started = time.perf_counter()
    folder = write_roster(root / "roster").folder
    with zipfile.ZipFile(root / "roster.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    async with await Store.open(config.storage.path) as store:
        await import_roster(store, config, folder, clock.now())
        await add_checkins(store.db, config.committee.tz)
        await _exactly_pending(store, clock)
        members = [
            row[0] for row in await store.db.fetchall("SELECT code FROM members ORDER BY code")
        ]
        async with store.transaction():
            for i, code in enumerate(members[: CHAT_TRIPS * (3 + len(LOADS))]):
                person = await store.db.fetchval(
                    "SELECT person_id FROM members WHERE code = ?", (code,)
                )
                user = str(MEMBER_USER + i)
                await store.accounts.link("telegram", user, user, person, clock.now())
        link = await sign_in_for_code(store, config, ADMIN, clock.now())
        _, session = await sign_in(store, config, link.token, clock.now())
        assert session is not None
        counts = {
            table: await store.db.fetchval(f"SELECT count(*) FROM {table}")
            for table in ("members", "organizations", "cells", "meetings", "checkins")
        }
        pending = await store.db.fetchval("SELECT count(*) FROM checkins WHERE status = 'pending'")
    print(f"city set up in {time.perf_counter() - started:.1f} s: {counts}, {pending} pending")
    return f"checkin_board={session.id}"


async def _exactly_pending(store: Store, clock: FakeClock) -> None:
    """Decide (or re-open) check-ins until exactly PENDING await a decision (setup)."""
    db = store.db.threaded
    pending = await db.fetchval("SELECT count(*) FROM checkins WHERE status = 'pending'")
    async with db.transaction():
        if pending > PENDING:
            await db.execute(
                "UPDATE checkins SET status = 'confirmed', decided_at = ? WHERE id IN"
                " (SELECT id FROM checkins WHERE status = 'pending' ORDER BY id DESC LIMIT ?)",
                (to_db(clock.now()), pending - PENDING),
            )
        else:
            await db.execute(
                "UPDATE checkins SET status = 'pending', decided_at = NULL, decided_by = NULL"
                " WHERE id IN (SELECT id FROM checkins WHERE status = 'confirmed' LIMIT ?)",
                (PENDING - pending,),
            )


# -- the pages ---------------------------------------------------------------------------------


async def _fetch(client: aiohttp.ClientSession, url: str) -> tuple[float, float, int]:
    """(server ms, client ms, body bytes) of one GET."""
    started = time.perf_counter()
    async with client.get(url) as response:
        body = await response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status} {body[:200]!r}")
        server = float(re.search(r"dur=([\d.]+)", response.headers["Server-Timing"]).group(1))
    return server, (time.perf_counter() - started) * 1000, len(body)


async def _pages(base: str, cookie: str) -> list[Figure]:
    figures = []
    async with aiohttp.ClientSession(headers={"Cookie": cookie}) as client:
        cold = await _fetch(client, base + "/")
        print(f"\nthe first request after start (nothing cached): {cold[0]:.0f} ms server")
        figures.append(Figure("/ on the first request after start", f"{cold[0]:.0f} ms"))
        for name, path in PAGES.items():
            runs = [await _fetch(client, base + path) for _ in range(RUNS)]
            server = [r[0] for r in runs]
            size_kb = runs[-1][2] / 1024
            print(
                f"{name}: server ms {' '.join(f'{s:.0f}' for s in server)};"
                f" client median {statistics.median(r[1] for r in runs):.0f} ms; {size_kb:.0f} KB"
            )
            target = name.startswith(("quarter board", "pending (2,000)"))
            median = statistics.median(server)
            figures.append(
                Figure(
                    f"{name}: server time, median (min-max)",
                    f"{median:.0f} ms ({min(server):.0f}-{max(server):.0f})",
                    f"<= {PAGE_TARGET_MS:.0f} ms" if target else "-",
                    median <= PAGE_TARGET_MS if target else None,
                )
            )
            if name.startswith("quarter board"):
                figures.append(
                    Figure(
                        f"{name}: size",
                        f"{size_kb:.0f} KB",
                        f"<= {PAGE_TARGET_KB:.0f} KB",
                        size_kb <= PAGE_TARGET_KB,
                    )
                )
    return figures


# -- the chats, the board idle and under load ----------------------------------------------------


@dataclass(frozen=True)
class Load:
    """Board pages fetched from another process: CLIENTS at once, each a page every
    1/PAGES_PER_SECOND s (None: back to back); UPLOADS: the city's roster uploaded to /roster
    (read, checked and previewed) instead."""

    name: str
    clients: int
    pages_per_second: float | None
    uploads: bool = False


LOADS = [
    # What an office does: a clerk or two clicking through the board, a few pages a second.
    Load("an office, 3 pages a second", 1, 3.0),
    # Far more than an office clicks: what one process serving both can do.
    Load("4 clients back to back", 4, None),
    # The office checks a city's roster before applying it (the file as it is imported).
    Load("a city's roster uploaded and previewed", 1, None, uploads=True),
]


async def _status_trips(fake: Any, users: range) -> list[float]:
    times = []
    for user in users:
        before = len(fake.sent_to(user))
        started = time.perf_counter()
        fake.push_text(user, "/status")
        await fake.wait_for_messages(user, before + 1, timeout=30)
        times.append(time.perf_counter() - started)
    return times


async def _chat_under_load(fake: Any, base: str, cookie: str, upload: Path) -> list[Figure]:
    next_user = MEMBER_USER

    def trips(n: int) -> range:
        """The Telegram users of the next N members, each to ask once."""
        nonlocal next_user
        next_user += n
        return range(next_user - n, next_user)

    await _status_trips(fake, trips(20))  # warm-up, not counted
    series = {"board idle": await _status_trips(fake, trips(CHAT_TRIPS))}
    served: dict[str, list[float]] = {}
    for load in LOADS:
        series[load.name], served[load.name] = await _beside(
            load, fake, base, cookie, trips, upload
        )
    series["board idle again"] = await _status_trips(fake, trips(CHAT_TRIPS))

    print("\n/status round trips (update in, reply out, through the fake Bot API):")
    for name, times in series.items():
        ms = sorted(t * 1000 for t in times)
        print(
            f"  {name}: median {statistics.median(ms):.1f} ms, p90 {ms[int(len(ms) * 0.9)]:.1f},"
            f" p99 {p99(ms):.1f}, max {ms[-1]:.1f}"
        )
        if name in served:
            pages = served[name]
            print(f"    board answers meanwhile: {len(pages)}, median {_median(pages)} ms")
    idle = series["board idle"] + series["board idle again"]
    figures = [
        Figure(
            "/status round trip, board idle, median", f"{statistics.median(idle) * 1000:.1f} ms"
        ),
        Figure("/status round trip, board idle, p99", f"{p99(idle) * 1000:.1f} ms"),
    ]
    for load in LOADS:
        times, pages = series[load.name], served[load.name]
        figures += [
            Figure(
                f"/status round trip, {load.name}, median",
                f"{statistics.median(times) * 1000:.1f} ms",
            ),
            Figure(f"/status round trip, {load.name}, p99", f"{p99(times) * 1000:.1f} ms"),
            Figure(f"board answers, {load.name}", f"{len(pages)}, median {_median(pages)} ms"),
        ]
    return figures


async def _beside(
    load: Load, fake: Any, base: str, cookie: str, trips: Any, upload: Path
) -> tuple[list[float], list[float]]:
    """/status round trips while LOAD runs; and the board pages' latencies (ms) meanwhile."""
    context = multiprocessing.get_context("spawn")
    stop, done = context.Event(), context.Queue()
    process = context.Process(
        target=_load, args=(load, base, cookie, stop, done, upload), daemon=True
    )
    process.start()
    try:
        await asyncio.to_thread(done.get, timeout=60)  # the load's first answers are in
        times = await _status_trips(fake, trips(CHAT_TRIPS))
    finally:
        stop.set()
    latencies = await asyncio.to_thread(done.get, timeout=LOAD_MAX_S + 30)
    await asyncio.to_thread(process.join, 30)
    return times, latencies


def _median(values: list[float]) -> str:
    return f"{median(values):.0f}" if values else "-"


def _load(load: Load, base: str, cookie: str, stop: Any, done: Any, upload: Path) -> None:
    """In another process: LOAD's pages until STOP (or LOAD_MAX_S); then their latencies in ms
    into DONE."""

    content = upload.read_bytes() if load.uploads else b""

    async def request(session: aiohttp.ClientSession, i: int) -> aiohttp.ClientResponse:
        if not load.uploads:
            return await session.get(base + LOADED_PAGES[i % len(LOADED_PAGES)])
        async with session.get(base + "/roster") as page:
            csrf = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
        form = aiohttp.FormData()
        form.add_field("csrf", csrf)
        form.add_field("roster", content, filename=upload.name)
        return await session.post(base + "/roster", data=form)

    async def client(session: aiohttp.ClientSession, n: int, latencies: list[float]) -> None:
        deadline = time.monotonic() + LOAD_MAX_S
        interval = 1 / load.pages_per_second if load.pages_per_second else 0.0
        i = n
        while not stop.is_set() and time.monotonic() < deadline:
            started = time.perf_counter()
            async with await request(session, i) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"the board answered {response.status}")
            latencies.append((time.perf_counter() - started) * 1000)
            if len(latencies) == load.clients:
                done.put("started")
            i += 1
            await asyncio.sleep(max(0.0, interval - (time.perf_counter() - started)))

    async def main() -> None:
        latencies: list[float] = []
        async with aiohttp.ClientSession(headers={"Cookie": cookie}) as session:
            await asyncio.gather(*(client(session, n, latencies) for n in range(load.clients)))
        done.put(latencies)

    asyncio.run(main())


if __name__ == "__main__":
    from bench.report import print_table

    print_table(run())
