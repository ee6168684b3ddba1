"""The foundation at city scale: roster import, and the coverage of a quarter.

Targets (from the issue; printed, not asserted):
  * `checkin-bot import` of the city roster: <= 30 s;
  * the whole `checkin-bot coverage --format json` command: median <= 1 s, peak RSS <= 300 MB;
  * the coverage computation inside one process (no start-up): <= 3x one raw SQL statement
    that computes every required pair's status on the same database.

The CLI is run as a subprocess exactly as the committee office runs it, so start-up, config
loading and JSON rendering are in the figure. The raw SQL statement is the floor: what the
database alone needs to answer the question; the ratio says how much the Python layers add.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.city import CITY, QUARTER, add_checkins, write_roster
from bench.report import Figure, median, seconds
from bot.core.config import Config, load_config
from bot.core.coverage import coverage_for_quarter
from bot.services.coverage import member_coverage, quarter_coverage
from storage.store import Store
from storage.timefmt import to_db

RUNS = 7
IMPORT_TARGET_S = 30.0
COMMAND_TARGET_S = 1.0
COMMAND_TARGET_MB = 300.0
RATIO_TARGET = 3.0


def run() -> list[Figure]:
    """Generate the city, import it, add check-ins, then measure coverage both ways."""
    with tempfile.TemporaryDirectory(prefix="checkin-bench-") as tmp:
        root = Path(tmp)
        config_path = root / "config.toml"
        config_path.write_text(f'[storage]\npath = "{root / "city.sqlite3"}"\n', encoding="utf-8")
        started = time.perf_counter()
        roster = write_roster(root / "roster")
        print(f"city roster written in {time.perf_counter() - started:.1f} s: {roster.counts}")

        figures = bench_import(root, config_path, roster.folder)
        config = load_config(config_path, must_exist=True)
        figures += asyncio.run(seed_checkins(config))
        figures += bench_startup(root)
        command, json_totals = bench_command(root, config_path)
        figures += command
        figures += asyncio.run(bench_in_process(config, json_totals))
        return figures


# -- running the real CLI ------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRun:
    wall_s: float
    max_rss_mb: float  # the command's own peak resident set
    returncode: int
    stdout: str
    stderr: str


GNU_TIME = Path("/usr/bin/time")


def cli_command() -> list[str]:
    """The installed console script next to this interpreter, else `python -m bot`."""
    script = Path(sys.executable).parent / "checkin-bot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def run_cli(cwd: Path, *args: str) -> ChildRun:
    """Run `checkin-bot ARGS` and measure its wall time and its own peak RSS (run_child)."""
    return run_child(cwd, [*cli_command(), *args])


def run_child(cwd: Path, command: list[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run COMMAND and measure its wall time and its own peak RSS.

    The peak comes from GNU time (%M), which forks the command from its own tiny process. The
    rusage of a child of this process (os.wait4, RUSAGE_CHILDREN) would not do: Linux counts
    the resident set the child had between fork and exec, i.e. a copy of this bench's, so it
    reports at least the bench's own size. Without GNU time that upper bound is what we give.
    Output goes to files, not pipes, so a large JSON cannot block the child while we wait.
    The environment drops CHECKIN_BOT_* so that only the config file we give is read (ENV is
    added), and cwd is the bench's temp folder so that no ./config.toml is.
    """
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CHECKIN_BOT_")}
    environment.update(env or {})
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r") as rss,
    ):
        wrapper = [str(GNU_TIME), "-f", "%M", "-o", rss.name] if GNU_TIME.exists() else []
        started = time.perf_counter()
        child = subprocess.Popen(
            [*wrapper, *command], stdout=out, stderr=err, cwd=cwd, env=environment
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # GNU time writes "Command exited with non-zero status N" before %M when it fails.
        max_rss_kb = int(rss.read().split()[-1]) if wrapper else usage.ru_maxrss
        return ChildRun(
            wall,
            max_rss_kb / 1024,
            child.returncode,
            out.read().decode("utf-8"),
            err.read().decode("utf-8"),
        )


def checked(run: ChildRun, what: str) -> ChildRun:
    if run.returncode != 0:
        raise RuntimeError(f"{what} exited {run.returncode}:\n{run.stderr}")
    return run


def config_args(config_path: Path) -> list[str]:
    """--config, given after the subcommand: before it, versions up to af2e30f ignored it."""
    return ["--config", str(config_path)]


# -- import --------------------------------------------------------------------------------


def bench_import(root: Path, config_path: Path, folder: Path) -> list[Figure]:
    """Import into an empty database, then the same folder again (must change nothing)."""
    first = checked(run_cli(root, "import", *config_args(config_path), str(folder)), "import")
    print(f"\nimport: {first.wall_s:.2f} s, peak RSS {first.max_rss_mb:.0f} MB")
    print("  " + first.stdout.strip().replace("\n", "\n  "))
    again = checked(run_cli(root, "import", *config_args(config_path), str(folder)), "re-import")
    unchanged = "nothing changed" in again.stdout
    print(f"re-import: {again.wall_s:.2f} s, peak RSS {again.max_rss_mb:.0f} MB")
    print("  " + again.stdout.strip())
    return [
        Figure(
            "import (empty database)",
            f"{first.wall_s:.2f} s",
            f"<= {IMPORT_TARGET_S:.0f} s",
            first.wall_s <= IMPORT_TARGET_S,
        ),
        Figure("import peak RSS", f"{first.max_rss_mb:.0f} MB"),
        Figure(
            "re-import (same files)",
            f"{again.wall_s:.2f} s",
            f"<= {IMPORT_TARGET_S:.0f} s",
            again.wall_s <= IMPORT_TARGET_S,
        ),
        Figure(
            "re-import says nothing changed",
            "yes" if unchanged else "no",
            "yes",
            unchanged,
            broken=not unchanged,
        ),
    ]


async def seed_checkins(config: Config) -> list[Figure]:
    """Check-ins are not roster data: written into the imported database (setup, timed)."""
    async with await Store.open(config.storage.path) as store:
        started = time.perf_counter()
        count = await add_checkins(store.db, config.committee.tz)
        elapsed = time.perf_counter() - started
        statuses = dict(await store.db.fetchall("SELECT status, count(*) FROM checkins GROUP BY 1"))
    print(f"\ncheck-ins (setup): {count} written in {elapsed:.2f} s: {statuses}")
    return [Figure(f"setup: {count} check-ins", f"{elapsed:.2f} s")]


# -- the whole command ---------------------------------------------------------------------


def bench_startup(root: Path) -> list[Figure]:
    """`checkin-bot --help`: the start-up every command pays before it does anything."""
    runs = [checked(run_cli(root, "--help"), "--help").wall_s for _ in range(3)]
    print(f"\nstart-up (checkin-bot --help): {seconds(runs)} s")
    return [Figure("start-up (--help), median", f"{median(runs):.3f} s")]


def bench_command(root: Path, config_path: Path) -> tuple[list[Figure], dict[str, int]]:
    """`coverage --quarter 2021Q4 --format json`, RUNS times; check the JSON it prints."""
    args = ["coverage", *config_args(config_path), "--quarter", str(QUARTER), "--format", "json"]
    runs = [checked(run_cli(root, *args), "coverage") for _ in range(RUNS)]
    walls = [r.wall_s for r in runs]
    peak = max(r.max_rss_mb for r in runs)
    document = json.loads(runs[-1].stdout)
    totals = document["totals"]
    problems = _json_problems(document)
    print(f"\ncoverage --format json: {seconds(walls)} s")
    print(f"  peak RSS per run (MB): {' '.join(f'{r.max_rss_mb:.0f}' for r in runs)}")
    print(f"  output {len(runs[-1].stdout) / 1e6:.1f} MB; totals {totals}")
    for problem in problems:
        print(f"  JSON PROBLEM: {problem}")
    return [
        Figure(
            "coverage command, median",
            f"{median(walls):.3f} s",
            f"<= {COMMAND_TARGET_S:.0f} s",
            median(walls) <= COMMAND_TARGET_S,
        ),
        Figure("coverage command, max", f"{max(walls):.3f} s"),
        Figure(
            "coverage command, peak RSS",
            f"{peak:.0f} MB",
            f"<= {COMMAND_TARGET_MB:.0f} MB",
            peak <= COMMAND_TARGET_MB,
        ),
        Figure(
            "coverage JSON well-formed",
            "yes" if not problems else "; ".join(problems),
            "yes",
            not problems,
            broken=bool(problems),
        ),
    ], totals


def _json_problems(document: dict) -> list[str]:
    totals = document["totals"]
    problems = []
    if totals["required"] <= 0:
        problems.append("totals.required is 0")
    if totals["covered"] + totals["pending"] + totals["missed"] != totals["required"]:
        problems.append("covered + pending + missed != required")
    pairs = sum(len(m["organizations"]) for m in document["members"])
    if pairs != totals["required"]:
        problems.append(f"{pairs} member/organization rows but {totals['required']} required")
    if len(document["members"]) != CITY.members:
        problems.append(f"{len(document['members'])} members, not {CITY.members}")
    if len(document["organizations"]) != CITY.organizations:
        problems.append(f"{len(document['organizations'])} organizations")
    if sum(o["cells"] for o in document["organizations"]) != CITY.cells:
        problems.append("the organizations' cells do not add up to the city's")
    return problems


# -- inside one process --------------------------------------------------------------------

# Every required (member, organization) pair of the quarter with its status, in one statement:
# required = an assignment (active member, active organization) overlapping the quarter by at
# least :days days, both ends inclusive, open end; status from the non-denied check-ins at
# meetings of the organization's cells starting in [:start, :end) (UTC text, as stored).
# CROSS JOIN fixes the join order (SQLite never reorders it): from the check-ins to their
# meetings. Left to itself, the planner (no ANALYZE statistics) starts from the quarter's range
# of meetings_by_time instead, i.e. from every meeting of the quarter; PLANNER_ORDER_SQL is that
# variant, timed for information because storage/coverage.py's visits_between gets that plan.
RAW_SQL = """
WITH required AS (
    SELECT DISTINCT a.member_id, a.organization_id
    FROM assignments a
    JOIN members m ON m.id = a.member_id AND m.active
    JOIN organizations o ON o.id = a.organization_id AND o.active
    WHERE a.start_date <= :last AND (a.end_date IS NULL OR a.end_date >= :first)
      AND julianday(min(coalesce(a.end_date, :last), :last))
          - julianday(max(a.start_date, :first)) + 1 >= :days
),
visited AS (
    SELECT ch.member_id, c.organization_id, max(ch.status = 'confirmed') AS confirmed
    FROM checkins ch
    CROSS JOIN meetings mt ON mt.id = ch.meeting_id
    JOIN cells c ON c.id = mt.cell_id
    WHERE ch.status != 'denied' AND mt.starts_at >= :start AND mt.starts_at < :end
    GROUP BY ch.member_id, c.organization_id
)
SELECT m.code, o.code,
       CASE v.confirmed WHEN 1 THEN 'covered' WHEN 0 THEN 'pending' ELSE 'missed' END
FROM required r
JOIN members m ON m.id = r.member_id
JOIN organizations o ON o.id = r.organization_id
LEFT JOIN visited v ON v.member_id = r.member_id AND v.organization_id = r.organization_id
"""
PLANNER_ORDER_SQL = RAW_SQL.replace("CROSS JOIN meetings", "JOIN meetings")
# The same, reading the organization each check-in carries (migration 0005) instead of joining
# meetings and cells: what the floor is when the raw SQL may use what the service uses.
COPIES_SQL = RAW_SQL.replace(
    """    SELECT ch.member_id, c.organization_id, max(ch.status = 'confirmed') AS confirmed
    FROM checkins ch
    CROSS JOIN meetings mt ON mt.id = ch.meeting_id
    JOIN cells c ON c.id = mt.cell_id
    WHERE ch.status != 'denied' AND mt.starts_at >= :start AND mt.starts_at < :end
    GROUP BY ch.member_id, c.organization_id""",
    """    SELECT ch.member_id, ch.organization_id, max(ch.status = 'confirmed') AS confirmed
    FROM checkins ch
    WHERE ch.status != 'denied' AND ch.meeting_starts_at >= :start
      AND ch.meeting_starts_at < :end
    GROUP BY ch.member_id, ch.organization_id""",
)
assert COPIES_SQL != RAW_SQL


def raw_sql_params(config: Config) -> dict[str, object]:
    start, end = QUARTER.utc_bounds(config.committee.tz)
    return {
        "first": QUARTER.start.isoformat(),
        "last": QUARTER.end.isoformat(),
        "days": config.coverage.minimum_overlap_days,
        "start": to_db(start),
        "end": to_db(end),
    }


async def timed(make, runs: int = RUNS) -> tuple[list[float], object]:
    """Await make() once untimed (warm caches, compiled statements), then RUNS times."""
    result = await make()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = await make()
        times.append(time.perf_counter() - started)
    return times, result


async def bench_in_process(config: Config, json_totals: dict[str, int]) -> list[Figure]:
    """quarter_coverage against the raw SQL floor, on one open store; their answers compared."""
    async with await Store.open(config.storage.path) as store:
        await _print_sizes(store)
        service_times, coverage = await timed(lambda: quarter_coverage(store, config, QUARTER))
        params = raw_sql_params(config)
        sql_times, rows = await timed(lambda: store.db.threaded.fetchall(RAW_SQL, params))
        planner_times, planner_rows = await timed(
            lambda: store.db.threaded.fetchall(PLANNER_ORDER_SQL, params)
        )
        copies_times, copies_rows = await timed(
            lambda: store.db.threaded.fetchall(COPIES_SQL, params)
        )
        # /status and /meetings: one member's part, from that member's rows alone.
        busiest = max(coverage.members, key=lambda m: len(m.organizations))
        member_times, own = await timed(
            lambda: member_coverage(store, config, QUARTER, busiest.code)
        )
        await _print_phases(store, config)
        await _print_plans(store, config)

    service_pairs = {
        (m.code, p.organization, p.status) for m in coverage.members for p in m.organizations
    }
    sql_pairs = {tuple(row) for row in rows}
    sql_totals = Counter(status for _, _, status in sql_pairs)
    sql_totals["required"] = len(sql_pairs)
    agree = (
        service_pairs == sql_pairs
        and {tuple(row) for row in planner_rows} == sql_pairs
        and {tuple(row) for row in copies_rows} == sql_pairs
        and dict(coverage.totals) == json_totals
        and own.pairs == busiest.organizations
    )
    ratio = median(service_times) / median(sql_times)
    print(f"\nquarter_coverage in process: {seconds(service_times)} s")
    print(f"raw SQL statement:           {seconds(sql_times)} s")
    print(f"  same, planner's join order: {seconds(planner_times)} s")
    print(f"  same, on the check-ins' copies: {seconds(copies_times)} s")
    print(f"  service totals: {coverage.totals}")
    print(f"  raw SQL totals: {dict(sql_totals)}")
    print(f"  JSON totals:    {json_totals}")
    if service_pairs != sql_pairs:
        print(f"  DISAGREE: only in the service {sorted(service_pairs - sql_pairs)[:5]} ...")
        print(f"            only in the raw SQL {sorted(sql_pairs - service_pairs)[:5]} ...")
    return [
        Figure("in-process quarter_coverage, median", f"{median(service_times) * 1000:.1f} ms"),
        Figure("raw SQL statement, median", f"{median(sql_times) * 1000:.1f} ms"),
        Figure(
            "raw SQL in the planner's join order",
            f"{median(planner_times) * 1000:.1f} ms",
        ),
        Figure(
            "raw SQL on the check-ins' copies",
            f"{median(copies_times) * 1000:.1f} ms",
        ),
        Figure(
            "in-process / raw SQL on the copies",
            f"{median(service_times) / median(copies_times):.2f}x",
        ),
        Figure(
            "in-process / raw SQL",
            f"{ratio:.2f}x",
            f"<= {RATIO_TARGET:.0f}x",
            ratio <= RATIO_TARGET,
        ),
        Figure(
            f"one member's coverage (/status; {len(busiest.organizations)} organizations)",
            f"{median(member_times) * 1000:.1f} ms",
        ),
        Figure(
            "pair statuses: service == raw SQL == one member's",
            "yes" if agree else "NO",
            "yes",
            agree,
            broken=not agree,
        ),
    ]


async def _print_sizes(store: Store) -> None:
    """What is in the database, so the figures can be read against the intended scale."""
    counts = []
    for table in ("people", "members", "organizations", "cells", "assignments", "meetings"):
        counts.append(f"{table} {await store.db.fetchval(f'SELECT count(*) FROM {table}')}")
    counts.append(f"checkins {await store.db.fetchval('SELECT count(*) FROM checkins')}")
    print(f"\ndatabase: {', '.join(counts)}")


async def _print_phases(store: Store, config: Config) -> None:
    """Where quarter_coverage's time goes: each read, then the pure rule (medians, ms)."""
    tz = config.committee.tz
    start, end = QUARTER.utc_bounds(tz)
    queries = store.coverage
    first, last = QUARTER.start, QUARTER.end
    phases = {
        "member_names": lambda: queries.member_names(first, last),
        "organizations": lambda: queries.organizations(first, last),
        "assignments_between": lambda: queries.assignments_between(first, last),
        "cells_off_roster": lambda: queries.cells_off_roster(first, last),
        "flagged_cells": lambda: queries.flagged_cells(first, last, start, end),
        "visits_between": lambda: queries.visits_between(start, end, results["cells_off_roster"]),
    }
    results = {}
    line = []
    for name, read in phases.items():
        times, results[name] = await timed(read)
        line.append(f"{name} {median(times) * 1000:.1f}")

    async def rule():
        return coverage_for_quarter(
            QUARTER,
            tz,
            members=results["member_names"],
            organizations=[
                o._replace(flagged_cells=results["flagged_cells"].get(o.code, ()))
                for o in results["organizations"]
            ],
            assignments=results["assignments_between"],
            visits=results["visits_between"],
            minimum_overlap_days=config.coverage.minimum_overlap_days,
        )

    times, _ = await timed(rule)
    line.append(f"coverage_for_quarter {median(times) * 1000:.1f}")
    print(f"\nquarter_coverage phases (median ms): {', '.join(line)}")
    print(f"  rows: {', '.join(f'{k} {len(v)}' for k, v in results.items())}")


async def _print_plans(store: Store, config: Config) -> None:
    """EXPLAIN QUERY PLAN of the statements quarter_coverage really runs, then the raw SQL's.

    The statements are captured by wrapping this store's fetchall, so the plans shown are of
    the code as it is, not of a copy of its SQL that could drift.
    """
    db = store.db.threaded  # the one coverage queries are handed (storage/store.py)
    seen: list[tuple[str, object]] = []
    fetchall = db.fetchall

    async def recording(sql, params=()):
        seen.append((sql, params))
        return await fetchall(sql, params)

    db.fetchall = recording  # type: ignore[method-assign]
    try:
        await quarter_coverage(store, config, QUARTER)
    finally:
        del db.fetchall  # back to the class's method
    seen += [(RAW_SQL, raw_sql_params(config)), (PLANNER_ORDER_SQL, raw_sql_params(config))]
    for sql, params in seen:
        print(f"\nEXPLAIN QUERY PLAN {' '.join(sql.split())[:110]} ...")
        for row in await db.fetchall(f"EXPLAIN QUERY PLAN {sql}", params):
            print(f"  {row['detail']}")
