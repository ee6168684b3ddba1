"""Re-importing the city's roster while the bot runs: how long the write lock is held.

An import reads the stored roster and works out the difference before it takes the write lock
(BEGIN IMMEDIATE), then writes only the difference (storage/roster.py). Every chat reply that
writes waits while the lock is held, so that is the figure: the time from BEGIN IMMEDIATE to the
end of COMMIT, for three re-imports of the city of bench/city.py, each RUNS times on a fresh
copy of the same database:

  * the same files again (nothing to write: no lock at all);
  * a typical re-import: 1 % of the rows changed (names, venues, flags, assignments left out);
  * a rewrite of the whole city: every name and every meeting's venue changed.

The import's whole time is printed beside it, for comparison: the rest is reading and comparing,
during which the bot writes freely.
"""

from __future__ import annotations

import asyncio
import csv
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from bench.city import add_checkins, write_roster
from bench.report import Figure, median, seconds
from bot.core.config import Config, Storage
from bot.core.local_time import parse_local_time
from bot.roster import import_roster
from storage.roster import Changes
from storage.store import Store

RUNS = 5
SHARE = 100  # one row in this many is changed by the typical re-import
FIRST_IMPORT_LOCAL = "2021-11-20 08:00"
REIMPORT_LOCAL = "2021-11-21 08:00"

Row = list[str]
# (file, row number, row) -> the row as edited, or None: left out.
Edit = Callable[[str, int, Row], Row | None]


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="checkin-bench-reimport-") as tmp:
        root = Path(tmp)
        city = write_roster(root / "city")
        config = Config(storage=Storage(path=str(root / "base.sqlite3")))
        started = time.perf_counter()
        checkins = asyncio.run(_live_city(config, city.folder))
        print(
            f"city set up in {time.perf_counter() - started:.1f} s: {city.counts}, {checkins} check-ins"
        )
        variants = {
            "same files": city.folder,
            "1 % of rows changed": edited(city.folder, root / "typical", typical),
            "whole city rewritten": edited(city.folder, root / "rewrite", rewrite),
        }
        figures = []
        for name, folder in variants.items():
            figures += bench_variant(root, config, name, folder)
        return figures


def bench_variant(root: Path, base: Config, name: str, folder: Path) -> list[Figure]:
    held_max, totals, changes = [], [], None
    for n in range(RUNS):
        copy = root / f"run-{n}.sqlite3"
        shutil.copyfile(base.storage.path, copy)
        config = Config(storage=Storage(path=str(copy)))
        started = time.perf_counter()
        held, changes = asyncio.run(_timed_import(config, folder))
        totals.append(time.perf_counter() - started)
        held_max.append(max(held, default=0.0))
        copy.unlink()
    assert changes is not None
    print(f"\n{name}: {changes.total} changes; {_counts(changes)}")
    print(f"  write lock held (s): {seconds(held_max)}")
    print(f"  whole import (s):    {seconds(totals)}")
    return [
        Figure(f"re-import, {name}: write lock held, median", f"{median(held_max):.3f} s"),
        Figure(f"re-import, {name}: write lock held, max", f"{max(held_max):.3f} s"),
        Figure(f"re-import, {name}: whole import, median", f"{median(totals):.2f} s"),
    ]


async def _live_city(config: Config, folder: Path) -> int:
    """The city imported, with a quarter's check-ins (a cell's check-ins follow its updates)."""
    async with await Store.open(config.storage.path) as store:
        await import_roster(store, config, folder, _at(config, FIRST_IMPORT_LOCAL))
        return await add_checkins(store.db, config.committee.tz)


async def _timed_import(config: Config, folder: Path) -> tuple[list[float], Changes]:
    """Import FOLDER; return how long each write transaction it opened lasted, and the changes."""
    async with await Store.open(config.storage.path) as store:
        db = store.roster.db
        opened = db.transaction
        held: list[float] = []

        @asynccontextmanager
        async def timed() -> AsyncIterator[object]:
            started = time.perf_counter()  # BEGIN IMMEDIATE takes the lock
            async with opened() as tx:
                yield tx
            held.append(time.perf_counter() - started)  # COMMIT has released it

        db.transaction = timed  # type: ignore[method-assign]
        changes = await import_roster(store, config, folder, _at(config, REIMPORT_LOCAL))
        return held, changes


def _at(config: Config, local: str) -> datetime:
    return parse_local_time(local, config.committee.tz)


def _counts(changes: Changes) -> str:
    parts = [
        f"{table} +{changes.added[table]} ~{changes.updated[table]} -{changes.removed[table]}"
        for table in ("members", "organizations", "cells", "assignments", "meetings")
    ]
    return ", ".join(parts) + f", flags +{len(changes.raised)} -{len(changes.cleared)}"


# -- the edited rosters -----------------------------------------------------------------------


def edited(source: Path, target: Path, edit: Edit) -> Path:
    """A copy of the roster folder SOURCE with EDIT applied to each row of each file."""
    target.mkdir()
    for path in sorted(source.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as file:
            header, *rows = list(csv.reader(file))
        kept = [row for n, old in enumerate(rows) if (row := edit(path.stem, n, list(old)))]
        with (target / path.name).open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(kept)
    return target


def typical(name: str, n: int, row: Row) -> Row | None:
    """One row in SHARE changed: a name or venue corrected, a flag turned, an assignment left out."""
    if n % SHARE != SHARE // 2:
        return row
    if name == "assignments":
        return None
    if name == "cells":
        row[6] = "no" if row[6] == "yes" else "yes"
    return _renamed(name, row)


def rewrite(name: str, n: int, row: Row) -> Row | None:
    """Every member's, organization's and cell's name and every meeting's venue changed."""
    return row if name == "assignments" else _renamed(name, row)


def _renamed(name: str, row: Row) -> Row:
    column = {"members": 1, "organizations": 1, "cells": 2, "meetings": 2}[name]
    row[column] = f"{row[column]} (sửa)" if row[column] else "Hội trường"
    return row
