"""Heavy work beside the chat: a city's re-import, the digest and /report while members chat.

Targets (from the issue; printed, not asserted), with steady chat traffic of 20 updates a
second (check-in taps and /status, alternately) through the real Application and the fake Bot
API server:
  * during a typical re-import of the city (1 % of the rows changed, `checkin-bot import` in a
    second process), the quarterly digest (rendered and queued, as the scheduler does) and
    three /report from an admin: chat p99 <= 100 ms;
  * during a re-import that rewrites the whole city: no reply waits more than 2 s;
  * throughout: no "database is locked", no reply lost, every check-in stored.

The city is bench/city.py's (1,500 members, 3,000 organizations, 30,000 cells, 20,000
check-ins) with bench/digest.py's notes and chat accounts, plus one meeting in each
organization's first cell whose check-in window is open at the bench's clock: the taps are
first check-ins there, each a real insert and a confirm request queued for the secretary.

The traffic is open-loop: an update goes in every 50 ms whatever became of the last, as
members do not wait for each other; several are in flight at once, each from a member of its
own. A round trip runs from the push of the update to the arrival of the reply at the fake
server (bench/chat.py's round_trip). The bot is bench/chat.py's `serving`: `checkin-bot run`'s
TelegramChannel and outbox delivery, Telegram's overall limit of 30 messages a second lifted
(the replies, the confirm requests and the digest would together exceed it, and the limiter's
pacing is not what is measured here). The fake server, the traffic and the bot share this
process and its GIL; the import has a process of its own. A quiet phase first gives the
same traffic with nothing heavy beside it.
"""

from __future__ import annotations

import asyncio
import csv
import itertools
import logging
import random
import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.chat import (
    DONE,
    Pace,
    World,
    captured_logs,
    ms,
    round_trip,
    serving,
    tap,
    timed_fake_class,
)
from bench.city import QUARTER, SEED, write_roster
from bench.digest import live_quarter
from bench.foundation import checked, cli_command, config_args, run_cli
from bench.report import Figure, p99
from bot.core.clock import FakeClock
from bot.core.config import Access, Config, Reminders, Storage, Telegram, load_config
from bot.core.i18n import catalog
from bot.core.local_time import parse_local_time
from bot.digest.outbox import queue_digest
from storage.store import Store
from storage.timefmt import to_db

PER_SECOND = 20  # chat updates a second: taps and /status, alternately
QUIET_S = 10.0  # the quiet phase: the same traffic, nothing heavy beside it
LEAD_S = 2.0  # traffic before the heavy work starts, and after it ends
REPORT_EVERY_S = 1.0  # the admin's three /report, this far apart
REPORTS = 3
CHANGED_SHARE = 0.01  # a typical re-import: 1 % of the rows
P99_TARGET_MS = 100.0
MAX_TARGET_S = 2.0
# The meeting every organization's first cell holds at the bench's clock (a time no other
# meeting of bench.city's has), and the clock: its check-in window is open.
MEETING_LOCAL = "2021-12-20 08:15"
NOW_LOCAL = "2021-12-20 08:05"
DIGEST_CHAT = "-1001234567890"
DONE_EN = "Checked in"
LOCKED = "database is locked"


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="checkin-bench-heavy-") as tmp:
        return asyncio.run(_run(Path(tmp)))


async def _run(root: Path) -> list[Figure]:
    city = await make_city(root)
    fake = await timed_fake_class().start()
    try:
        config = city.config.model_copy(
            update={
                "telegram": Telegram(enabled=True, token=fake.token, api_base_url=fake.api_base_url)
            }
        )
        store = await Store.open(config.storage.path)
        try:
            world = World(config, store, city.clock, [], {})
            async with serving(fake, world, lifted=True):
                return await phases(city, config, store, fake)
        finally:
            await store.close()
    finally:
        await fake.close()


# -- the city ---------------------------------------------------------------------------------


@dataclass
class City:
    root: Path
    config_path: Path  # for the CLI's import
    config: Config
    clock: FakeClock
    typical: Path  # the roster with 1 % of its rows changed
    rewritten: Path  # every row changed again
    taps: Iterator[tuple[int, int]]  # (Telegram user, meeting): first check-ins open now
    chatting: list[int]  # linked members, for /status
    admin: int  # the admin's Telegram user


async def make_city(root: Path) -> City:
    started = time.perf_counter()
    config_path = root / "config.toml"
    config_path.write_text(f'[storage]\npath = "{root / "city.sqlite3"}"\n', encoding="utf-8")
    roster = write_roster(root / "roster").folder
    add_open_meetings(roster)
    typical = changed_roster(roster, root / "typical", CHANGED_SHARE, "sửa")
    rewritten = changed_roster(typical, root / "rewritten", 1.0, "mới")
    checked(run_cli(root, "import", *config_args(config_path), str(roster)), "import")
    on_disk = load_config(config_path, must_exist=True)
    sizes = await live_quarter(on_disk)
    tz = on_disk.committee.tz
    clock = FakeClock(parse_local_time(NOW_LOCAL, tz))
    async with await Store.open(on_disk.storage.path) as store:
        meeting_at = parse_local_time(MEETING_LOCAL, tz)
        taps, chatting, admin_code, admin = await who_chats(store, meeting_at)
    config = Config(
        storage=Storage(path=on_disk.storage.path),
        access=Access(admins=[admin_code], digest_chats=[DIGEST_CHAT]),
        reminders=Reminders(quiet_hours=""),
    )
    print(
        f"city set up in {time.perf_counter() - started:.1f} s: {sizes}; {len(taps)} open"
        f" first check-ins for {len(chatting)} linked members; admin {admin_code}"
    )
    return City(root, config_path, config, clock, typical, rewritten, iter(taps), chatting, admin)


def add_open_meetings(roster: Path) -> None:
    """A meeting at MEETING_LOCAL in each organization's first cell (bench.city's codes: a
    committee's cells are C<digits>01.., a base cell is its organization's own)."""
    with (roster / "organizations.csv").open(encoding="utf-8") as file:
        organizations = list(csv.DictReader(file))
    with (roster / "meetings.csv").open("a", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        for org in organizations:
            code = org["code"]
            cell = f"C{code[1:]}01" if org["kind"] == "committee" else code
            writer.writerow([cell, MEETING_LOCAL, "Hội trường", ""])


# What a re-import changes in each file: a name, or a meeting's venue.
CHANGED_COLUMN = {
    "members.csv": "full_name",
    "organizations.csv": "name",
    "cells.csv": "name",
    "meetings.csv": "venue",
}


def changed_roster(source: Path, target: Path, share: float, mark: str) -> Path:
    """SOURCE's roster with SHARE of the rows of each file in CHANGED_COLUMN changed (MARK
    added to the value), the rest as it was."""
    rng = random.Random(SEED + 7)
    shutil.copytree(source, target)
    for name, column in CHANGED_COLUMN.items():
        with (source / name).open(encoding="utf-8") as file:
            reader = csv.DictReader(file)
            header, rows = reader.fieldnames or [], list(reader)
        for row in rows:
            if share >= 1 or rng.random() < share:
                row[column] = f"{row[column]} ({mark})".strip()
        with (target / name).open("w", encoding="utf-8", newline="") as file:
            writer = csv.DictWriter(file, header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return target


async def who_chats(
    store: Store, meeting_at: datetime
) -> tuple[list[tuple[int, int]], list[int], str, int]:
    """The open first check-ins (a reachable member's Telegram user, the meeting), members
    interleaved so that one member's two are far apart; the reachable members; an admin."""
    db = store.db.threaded
    day = meeting_at.date().isoformat()
    rows = await db.fetchall(
        "SELECT DISTINCT CAST(a.user_id AS INTEGER), mt.id FROM meetings mt"
        " JOIN cells c ON c.id = mt.cell_id"
        " JOIN assignments asg ON asg.organization_id = c.organization_id"
        "  AND asg.start_date <= ? AND (asg.end_date IS NULL OR asg.end_date >= ?)"
        " JOIN members m ON m.id = asg.member_id AND m.active"
        " JOIN accounts a ON a.person_id = m.person_id AND a.unreachable_at IS NULL"
        " WHERE mt.starts_at = ? AND NOT EXISTS (SELECT 1 FROM checkins ch"
        "  WHERE ch.meeting_id = mt.id AND ch.member_id = m.id)"  # bench.city's check-ins
        " ORDER BY 1, 2",
        (day, day, to_db(meeting_at)),
    )
    by_user: dict[int, list[int]] = {}
    for user, meeting in rows:
        by_user.setdefault(user, []).append(meeting)
    taps = [
        (user, meetings[turn])
        for turn in range(max(map(len, by_user.values()), default=0))
        for user, meetings in by_user.items()
        if turn < len(meetings)
    ]
    chatting = [
        user
        for (user,) in await db.fetchall(
            "SELECT CAST(a.user_id AS INTEGER) FROM accounts a"
            " JOIN members m ON m.person_id = a.person_id AND m.active"
            " WHERE a.unreachable_at IS NULL ORDER BY 1"
        )
    ]
    admin_code, admin = await db.fetchone(
        "SELECT m.code, CAST(a.user_id AS INTEGER) FROM members m"
        " JOIN accounts a ON a.person_id = m.person_id AND a.unreachable_at IS NULL"
        " WHERE m.active ORDER BY m.code LIMIT 1"
    )
    # The admin only asks for /report: one reply awaited per chat at a time.
    taps = [(user, meeting) for user, meeting in taps if user != admin]
    return taps, [user for user in chatting if user != admin], admin_code, admin


# -- the chat traffic ---------------------------------------------------------------------


@dataclass
class Trip:
    kind: str  # tap, status, report
    started: float  # perf_counter at the push
    took: float | None  # None: no reply within bench.chat's REPLY_TIMEOUT_S (lost)
    text: str = ""


@dataclass
class Traffic:
    """PER_SECOND updates a second, taps and /status alternately, until stop()."""

    fake: Any
    city: City
    trips: list[Trip] = field(default_factory=list)
    in_flight: set[int] = field(default_factory=set)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _deferred: list[tuple[int, int]] = field(default_factory=list)  # their member was busy
    _chatting: Iterator[int] = field(init=False)

    def __post_init__(self) -> None:
        self._chatting = itertools.cycle(self.city.chatting)

    async def run(self) -> None:
        pace = Pace(PER_SECOND)
        for n in itertools.count():
            await pace.wait()
            if self._stopping.is_set():
                return
            if n % 2 == 0:
                user, meeting = self._free_tap()
                self.send("tap", user, tap(self.fake, user, meeting))
            else:
                user = self._free_member()
                self.send("status", user, lambda u=user: self.fake.push_text(u, "/status"))

    def send(self, kind: str, user: int, push: Callable[[], object]) -> asyncio.Task[None]:
        task = asyncio.create_task(self._trip(kind, user, push))
        self._tasks.append(task)
        return task

    async def _trip(self, kind: str, user: int, push: Callable[[], object]) -> None:
        self.in_flight.add(user)
        started = time.perf_counter()
        try:
            took, reply = await round_trip(self.fake, user, push)
        except TimeoutError:
            self.trips.append(Trip(kind, started, None))
        else:
            self.trips.append(Trip(kind, started, took, reply.get("text", "")))
        finally:
            self.in_flight.discard(user)

    def _free_tap(self) -> tuple[int, int]:
        """The next first check-in whose member has nothing in flight (the fake awaits one
        reply per chat at a time); the others wait their turn."""
        for waiting in self._deferred:
            if waiting[0] not in self.in_flight:
                self._deferred.remove(waiting)
                return waiting
        for found in self.city.taps:  # used up: a city too small for the run
            if found[0] not in self.in_flight:
                return found
            self._deferred.append(found)
        raise RuntimeError("no first check-in left to tap")

    def _free_member(self) -> int:
        while True:
            user = next(self._chatting)
            if user not in self.in_flight:
                return user

    async def stop(self) -> None:
        """No new updates; wait for the replies to those sent."""
        self._stopping.set()
        await asyncio.gather(*self._tasks)


class LoopLag:
    """The longest the event loop was late to wake a task that sleeps 5 ms at a time."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            self.worst = max(self.worst, time.perf_counter() - started - 0.005)

    def stop(self) -> float:
        self._task.cancel()
        return self.worst


# -- the phases ---------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    trips: list[Trip]  # every round trip of the phase
    during: tuple[float, float]  # when the heavy work ran (the quiet phase: QUIET_S of it)
    heavy: dict[str, float]  # seconds each piece of heavy work took
    stored: int  # check-ins added
    loop_lag: float
    problems: list[str]  # "database is locked" in the log, or a reply saying it did not work
    errors: list[str]

    def times(self, kind: str | None = None) -> list[float]:
        """Round trips sent while the heavy work ran, fastest first (of KIND: the chat's)."""
        start, end = self.during
        return sorted(
            t.took
            for t in self.trips
            if t.took is not None
            and start <= t.started <= end
            and (t.kind == kind or (kind is None and t.kind != "report"))
        )

    @property
    def lost(self) -> int:
        return sum(t.took is None for t in self.trips)

    @property
    def taps(self) -> int:
        return sum(t.kind == "tap" for t in self.trips)

    @property
    def checked_in(self) -> int:
        return sum(t.kind == "tap" and (DONE in t.text or DONE_EN in t.text) for t in self.trips)

    def line(self, kind: str | None = None) -> str:
        t = self.times(kind)
        if len(t) < 2:
            return f"{kind or 'chat'}: n={len(t)}" + (f", {ms(t[0])}" if t else "")
        return (
            f"{kind or 'chat'}: n={len(t)}, median {ms(statistics.median(t))}, p99 {ms(p99(t))},"
            f" max {ms(t[-1])}"
        )


async def phases(city: City, config: Config, store: Store, fake: Any) -> list[Figure]:
    quiet = await phase("quiet", city, config, store, fake, None)
    typical = await phase("typical", city, config, store, fake, city.typical, reports=True)
    rewrite = await phase("rewrite", city, config, store, fake, city.rewritten)
    return figures(quiet, typical, rewrite)


async def phase(
    name: str,
    city: City,
    config: Config,
    store: Store,
    fake: Any,
    roster: Path | None,
    *,
    reports: bool = False,
) -> Phase:
    """Traffic for LEAD_S, then beside it the import of ROSTER (None: QUIET_S of traffic
    alone) and, with REPORTS, the digest and the admin's /report; then LEAD_S more."""
    print(f"\n-- {name}", flush=True)
    stored_before = await store.db.fetchval("SELECT count(*) FROM checkins")
    heavy: dict[str, float] = {}
    with captured_logs() as logs:
        traffic = Traffic(fake, city)
        flowing = asyncio.create_task(traffic.run())
        await asyncio.sleep(LEAD_S)
        lag = LoopLag()
        started = time.perf_counter()
        work = []
        if roster is None:
            work.append(_timed(heavy, "nothing", asyncio.sleep(QUIET_S)))
        else:
            work.append(_timed(heavy, "import", reimport(city, roster)))
        if reports:
            work.append(_timed(heavy, "digest", digest(config, store, city.clock)))
            work.append(_timed(heavy, f"{REPORTS} /report", admin_reports(traffic, city)))
        await asyncio.gather(*work)
        ended = time.perf_counter()
        loop_lag = lag.stop()
        await asyncio.sleep(LEAD_S)
        await traffic.stop()
        await flowing
    # Replies that say it did not work: not saved, or something went wrong.
    failed = {*catalog()["error.not_saved"], *catalog()["error.internal"]}
    done = Phase(
        name,
        traffic.trips,
        (started, ended),
        heavy,
        await store.db.fetchval("SELECT count(*) FROM checkins") - stored_before,
        loop_lag,
        [text for text in logs.texts() if LOCKED in text.lower()]
        + [t.text for t in traffic.trips if t.text in failed],
        logs.texts(logging.ERROR),
    )
    pieces = ", ".join(f"{what} {took:.1f} s" for what, took in heavy.items())
    print(f"  heavy work: {pieces}; the loop was late by at most {ms(loop_lag)}")
    print(
        f"  {len(done.trips)} round trips in the phase, {done.lost} lost; {done.taps} taps,"
        f" {done.checked_in} answered 'checked in', {done.stored} check-ins stored"
    )
    print("  sent while the heavy work ran:")
    for kind in (None, "tap", "status", "report"):
        print(f"    {done.line(kind)}")
    for text in (done.problems + done.errors)[:5]:
        print(f"  problem: {text}")
    others = Counter(
        t.text[:70]
        for t in traffic.trips
        if t.kind == "tap" and DONE not in t.text and DONE_EN not in t.text
    )
    for text, count in others.most_common(5):
        print(f"  a tap answered {count} times: {text!r}")
    return done


async def _timed(into: dict[str, float], what: str, work: Awaitable[object]) -> None:
    started = time.perf_counter()
    await work
    into[what] = time.perf_counter() - started


async def reimport(city: City, roster: Path) -> None:
    """`checkin-bot import ROSTER` in a process of its own, as the office runs it."""
    with (city.root / "import.log").open("w+", encoding="utf-8") as log:
        process = await asyncio.create_subprocess_exec(
            *cli_command(), "import", str(roster), *config_args(city.config_path),
            stdout=log, stderr=log, cwd=city.root,
        )  # fmt: skip
        code = await process.wait()
        log.seek(0)
        said = log.read()
    if code != 0 or LOCKED in said:
        raise RuntimeError(f"the import failed ({code}): {said}")


async def digest(config: Config, store: Store, clock: FakeClock) -> None:
    """The quarter's digest rendered and queued for the digest chat, as the scheduler does."""
    if not await queue_digest(store, config, QUARTER, clock.now()):
        raise RuntimeError("the digest was not queued")


async def admin_reports(traffic: Traffic, city: City) -> None:
    """The admin's /report, REPORTS times, REPORT_EVERY_S apart, each once the last is in
    (the fake keeps one expected reply per chat; the admin sends nothing else)."""
    fake, admin = traffic.fake, city.admin
    for n in range(REPORTS):
        await asyncio.sleep(REPORT_EVERY_S if n else 0)
        await traffic.send("report", admin, lambda: fake.push_text(admin, "/report"))


# -- the figures --------------------------------------------------------------------------


def figures(quiet: Phase, typical: Phase, rewrite: Phase) -> list[Figure]:
    out: list[Figure] = []
    for phase in (quiet, typical, rewrite):
        t = phase.times()
        out.append(
            Figure(f"{phase.name}: chat round trips (n={len(t)}), median", ms(statistics.median(t)))
        )
        if phase is typical:
            good = p99(t) * 1000 <= P99_TARGET_MS
            out.append(
                Figure(f"{phase.name}: chat p99", ms(p99(t)), f"<= {P99_TARGET_MS:.0f} ms", good)
            )
        else:
            out.append(Figure(f"{phase.name}: chat p99", ms(p99(t))))
        if phase is rewrite:
            good = t[-1] <= MAX_TARGET_S
            out.append(
                Figure(f"{phase.name}: longest wait", ms(t[-1]), f"<= {MAX_TARGET_S:.0f} s", good)
            )
        else:
            out.append(Figure(f"{phase.name}: longest wait", ms(t[-1])))
        for kind in ("tap", "status"):
            k = phase.times(kind)
            out.append(Figure(f"{phase.name}: {kind} p99 / max", f"{ms(p99(k))} / {ms(k[-1])}"))
        for what, took in phase.heavy.items():
            if what != "nothing":
                out.append(Figure(f"{phase.name}: {what}", f"{took:.1f} s"))
        answered = phase.times("report")
        if answered:
            spread = " / ".join(f"{took:.1f}" for took in answered)
            out.append(Figure(f"{phase.name}: /report replies (the files follow)", f"{spread} s"))
        out.append(Figure(f"{phase.name}: the loop late by at most", ms(phase.loop_lag)))
        out += checks(phase)
    return out


def checks(phase: Phase) -> list[Figure]:
    """What must hold whatever the speed: a broken one fails the bench."""
    name = phase.name
    return [
        Figure.exactly(f"{name}: replies lost", phase.lost, 0),
        Figure.exactly(f"{name}: taps answered 'checked in'", phase.checked_in, phase.taps),
        Figure.exactly(f"{name}: check-ins stored", phase.stored, phase.checked_in),
        Figure.exactly(
            f"{name}: 'database is locked', or replies that it did not work",
            len(phase.problems),
            0,
        ),
        Figure.exactly(f"{name}: ERROR log records", len(phase.errors), 0),
    ]
