"""Closing the city's quarter: how long the closing holds the write lock, and how fast the closed
quarter's frozen figures are read back.

`close_quarter` reads the quarter's record and writes its frozen rows in one transaction (BEGIN
IMMEDIATE to COMMIT), so every chat reply that writes waits meanwhile: that is the figure. It is
taken on RUNS fresh copies of the city of bench/city.py (its roster, a quarter's check-ins).
Then `quarter_coverage` of the closed quarter, which runs the rule on the frozen rows, is timed
against the same computation on the open quarter, and their figures compared: closing must
change nothing but saying so.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.city import QUARTER, add_checkins, write_roster
from bench.report import Figure, median, seconds
from bot.core.closing import closing_moment
from bot.core.config import Config, Storage
from bot.core.local_time import parse_local_time
from bot.roster import import_roster
from bot.services.closing import Closed, close_quarter
from bot.services.coverage import quarter_coverage
from storage.store import Store

RUNS = 5
READS = 5  # coverage computations timed on each copy, open and closed


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="checkin-bench-closing-") as tmp:
        root = Path(tmp)
        city = write_roster(root / "city")
        base = Config(storage=Storage(path=str(root / "base.sqlite3")))
        started = time.perf_counter()
        checkins = asyncio.run(_city(base, city.folder))
        print(
            f"city set up in {time.perf_counter() - started:.1f} s: {city.counts}, {checkins} check-ins"
        )
        held, open_reads, closed_reads, same = [], [], [], True
        for n in range(RUNS):
            copy = root / f"run-{n}.sqlite3"
            shutil.copyfile(base.storage.path, copy)
            config = Config(storage=Storage(path=str(copy)))
            took, opened, closed, agree = asyncio.run(_close(config))
            held.append(took)
            open_reads += opened
            closed_reads += closed
            same &= agree
            copy.unlink()
    print(f"\nclosing {QUARTER}: write lock held (s): {seconds(held)}")
    print(f"coverage of the open quarter (s):   {seconds(open_reads)}")
    print(f"coverage of the closed quarter (s): {seconds(closed_reads)}")
    print(f"closed figures equal the open ones: {same}")
    return [
        Figure("closing a city quarter: write lock held, median", f"{median(held):.2f} s"),
        Figure("closing a city quarter: write lock held, max", f"{max(held):.2f} s"),
        Figure("coverage of the open quarter, median", f"{median(open_reads):.3f} s"),
        Figure(
            "coverage of the closed quarter, median",
            f"{median(closed_reads):.3f} s",
            broken=not same,
        ),
    ]


async def _city(config: Config, folder: Path) -> int:
    async with await Store.open(config.storage.path) as store:
        first_import = parse_local_time("2021-10-01 08:00", config.committee.tz)
        await import_roster(store, config, folder, first_import)
        return await add_checkins(store.db, config.committee.tz)


async def _close(config: Config) -> tuple[float, list[float], list[float], bool]:
    """Close QUARTER on a copy of the city; return how long it took, the open and closed
    coverage's times, and whether their figures agree."""
    tz = config.committee.tz
    moment = closing_moment(
        QUARTER, tz, config.coverage.close_after, config.reminders.checkin_closes_after
    )
    async with await Store.open(config.storage.path) as store:
        opened, open_times = await _timed_coverage(store, config)
        started = time.perf_counter()
        outcome = await close_quarter(store, config, QUARTER, moment, "bot")
        took = time.perf_counter() - started
        assert isinstance(outcome, Closed)
        closed, closed_times = await _timed_coverage(store, config)
    agree = replace(closed, closed_at=None) == opened and closed.closed_at is not None
    return took, open_times, closed_times, agree


async def _timed_coverage(store: Store, config: Config):
    times = []
    for _ in range(READS):
        started = time.perf_counter()
        coverage = await quarter_coverage(store, config, QUARTER)
        times.append(time.perf_counter() - started)
    return coverage, times
