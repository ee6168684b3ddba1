"""The quarterly digest at city scale: text, workbook and chart of the city's quarter.

Target (from the issue; printed, not asserted): `render_digest` for the foundation bench's
city (bench/city.py: 1,500 members, 3,000 organizations, 30,000 cells, 20,000 check-ins) in
<= 5 s and <= 400 MB peak resident memory.

The city is imported with the real `checkin-bot import`, its check-ins written by
bench.city.add_checkins as the foundation bench does; then this bench adds what a live quarter
also has: quality notes on most visits, and chat accounts for most people (a few blocked), so
the digest's lists are the size an office would get rather than "nobody is linked".

Each measured rendering runs in a fresh child process (`python -m bench.digest --render-only
CONFIG FOLDER`), as `checkin-bot digest` would: the child times render_digest itself and its
peak RSS is taken by GNU time, as bench/foundation.py does for the coverage command (the
rusage of a direct child would count this bench's own memory; see run_cli there). The first
child may also build matplotlib's font cache: every run is printed, and the median is judged.
The in-process phases (reads, text, workbook, chart) are printed to show where the time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from bench.city import QUARTER, SEED, add_checkins, write_roster
from bench.foundation import GNU_TIME, checked, config_args, run_child, run_cli
from bench.report import Figure, median, seconds
from bot.core.config import Config, load_config
from bot.core.i18n import Translator
from bot.core.local_time import parse_local_time
from bot.core.message_parts import TEXT_LIMITS
from bot.digest.chart import write_chart
from bot.digest.gather import gather_digest
from bot.digest.text import digest_message
from bot.digest.workbook import SHEETS, sheet_title, write_workbook
from bot.services.coverage import quarter_coverage
from storage.store import Store
from storage.timefmt import to_db

RUNS = 5
TARGET_S = 5.0
TARGET_MB = 400.0
TEXT_FILE = "digest.txt"  # the child leaves the text beside the files, for the checks
NOTE_SHARE = 0.6  # of the check-ins not denied
MEMBER_LINKED, SECRETARY_LINKED, BLOCKED = 0.95, 0.8, 0.03
# The scheduler renders the digest at [digest] send_at on the quarter's last day.
RENDERED_AT_LOCAL = f"{QUARTER.end.isoformat()} 17:00"
_NOTES = [
    "",
    "Chi bộ thực hiện đúng quy trình, đảng viên phát biểu sôi nổi.",
    "Cần tăng cường giáo dục chính trị tư tưởng cho đảng viên mới kết nạp.",
    "Chi bộ nêu vướng mắc về giải phóng mặt bằng, đề nghị Đảng ủy phường hỗ trợ.",
    "Nội dung sinh hoạt còn chung chung, chưa bám sát tình hình địa phương.",
]


def run() -> list[Figure]:
    """Make the city, then render its digest RUNS times in fresh processes."""
    with tempfile.TemporaryDirectory(prefix="checkin-bench-digest-") as tmp:
        root = Path(tmp)
        config_path = root / "config.toml"
        config_path.write_text(f'[storage]\npath = "{root / "city.sqlite3"}"\n', encoding="utf-8")
        roster = write_roster(root / "roster")
        started = time.perf_counter()
        checked(run_cli(root, "import", *config_args(config_path), str(roster.folder)), "import")
        config = load_config(config_path, must_exist=True)
        sizes = asyncio.run(live_quarter(config))
        print(f"city set up in {time.perf_counter() - started:.1f} s: {sizes}")

        runs = [render_in_child(root, config_path, root / f"out-{n}") for n in range(RUNS)]
        figures = judge(runs)
        figures += asyncio.run(check_files(config, root / "out-0", runs[0]))
        asyncio.run(print_phases(config, root))
        return figures


# -- the city's quarter, as it would be lived ---------------------------------------------


async def live_quarter(config: Config) -> dict[str, int]:
    """Check-ins (bench.city), then notes on most of them and accounts for most people."""
    rng = random.Random(SEED + 2)
    tz = config.committee.tz
    async with await Store.open(config.storage.path) as store:
        db = store.db.threaded  # setup in bulk: off the loop, as the bot's bulk work runs
        checkins = await add_checkins(db, tz)
        now = parse_local_time(RENDERED_AT_LOCAL, tz)
        notes = [
            (
                checkin_id,
                rng.choices(("good", "fair", "average", "poor"), weights=(50, 30, 15, 5))[0],
                int(rng.random() < 0.9),
                int(rng.random() < 0.2),
                rng.choice(_NOTES),
                checked_in_at,
            )
            for checkin_id, checked_in_at in await db.fetchall(
                "SELECT id, checked_in_at FROM checkins WHERE status != 'denied' ORDER BY id"
            )
            if rng.random() < NOTE_SHARE
        ]
        members = [r[0] for r in await db.fetchall("SELECT person_id FROM members ORDER BY id")]
        secretaries = [
            r[0]
            for r in await db.fetchall(
                "SELECT DISTINCT secretary_id FROM cells WHERE secretary_id IS NOT NULL"
                " ORDER BY secretary_id"
            )
        ]
        people = {p for p in members if rng.random() < MEMBER_LINKED}
        people |= {p for p in secretaries if p not in members and rng.random() < SECRETARY_LINKED}
        linked_at = to_db(now - timedelta(days=60))
        accounts = [
            (
                "telegram",
                str(10_000 + person),
                str(10_000 + person),
                person,
                linked_at,
                linked_at,
                to_db(now - timedelta(days=5)) if rng.random() < BLOCKED else None,
            )
            for person in sorted(people)
        ]
        async with db.transaction():
            await db.executemany(
                "INSERT INTO notes (checkin_id, rating, steps_kept, difficulties_raised, text,"
                " written_at) VALUES (?, ?, ?, ?, ?, ?)",
                notes,
            )
            await db.executemany(
                "INSERT INTO accounts (channel, user_id, chat_id, person_id, linked_at,"
                " last_seen_at, unreachable_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                accounts,
            )
    return {"checkins": checkins, "notes": len(notes), "accounts": len(accounts)}


# -- one rendering in a fresh process ------------------------------------------------------


@dataclass(frozen=True)
class RenderRun:
    render_s: float  # render_digest alone, timed inside the child
    wall_s: float  # the whole child: interpreter, imports, rendering
    max_rss_mb: float
    report: dict


def render_in_child(root: Path, config_path: Path, folder: Path) -> RenderRun:
    """`python -m bench.digest --render-only CONFIG FOLDER`, measured like the coverage CLI."""
    command = [sys.executable, "-m", "bench.digest", "--render-only", str(config_path), str(folder)]
    child = checked(
        run_child(root, command, {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)}),
        "render child",
    )
    report = json.loads(child.stdout.strip().splitlines()[-1])
    # Without GNU time, the child's own figure (ru_maxrss of itself, printed) is given.
    max_rss_mb = child.max_rss_mb if GNU_TIME.exists() else report["self_max_rss_kb"] / 1024
    return RenderRun(report["render_s"], child.wall_s, max_rss_mb, report)


async def render_only(config_path: Path, folder: Path) -> dict:
    """The child's work: render the city's quarter once; say how long it took, as JSON."""
    import resource

    from bot.digest.render import render_digest

    config = load_config(config_path, must_exist=True)
    now = parse_local_time(RENDERED_AT_LOCAL, config.committee.tz)
    async with await Store.open(config.storage.path) as store:
        started = time.perf_counter()
        rendered = await render_digest(store, config, QUARTER, now, folder)
        elapsed = time.perf_counter() - started
    return {
        "render_s": elapsed,
        "text_chars": len(rendered.text),
        "text_only_chars": len(rendered.text_only),
        "xlsx_bytes": rendered.xlsx.stat().st_size,
        "png_bytes": rendered.png.stat().st_size,
        "xlsx": str(rendered.xlsx),
        "text": rendered.text,
        "self_max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def judge(runs: list[RenderRun]) -> list[Figure]:
    renders = [r.render_s for r in runs]
    walls = [r.wall_s for r in runs]
    peak = max(r.max_rss_mb for r in runs)
    first = runs[0].report
    print(f"\nrender_digest in a fresh process: {seconds(renders)} s")
    print(f"  whole child (start-up, imports, rendering): {seconds(walls)} s")
    print(f"  peak RSS per run (MB): {' '.join(f'{r.max_rss_mb:.0f}' for r in runs)}")
    print(
        f"  message {first['text_chars']:,} characters (Zalo's {first['text_only_chars']:,}),"
        f" xlsx {first['xlsx_bytes'] / 1e6:.1f} MB, png {first['png_bytes'] / 1e3:.0f} kB"
    )
    fits = (
        first["text_chars"] <= TEXT_LIMITS["telegram"]
        and first["text_only_chars"] <= TEXT_LIMITS["zalo"]
    )
    return [
        Figure(
            "render_digest (city quarter), median",
            f"{median(renders):.2f} s",
            f"<= {TARGET_S:.0f} s",
            median(renders) <= TARGET_S,
        ),
        Figure("render_digest, max", f"{max(renders):.2f} s"),
        Figure("whole child process, median", f"{median(walls):.2f} s"),
        Figure(
            "render_digest peak RSS",
            f"{peak:.0f} MB",
            f"<= {TARGET_MB:.0f} MB",
            peak <= TARGET_MB,
        ),
        Figure(
            "digest message (Telegram / Zalo)",
            f"{first['text_chars']:,} / {first['text_only_chars']:,} chars",
            f"one message: <= {TEXT_LIMITS['telegram']:,} / {TEXT_LIMITS['zalo']:,}",
            fits,
            broken=not fits,
        ),
        Figure("digest workbook", f"{first['xlsx_bytes'] / 1e6:.1f} MB"),
    ]


# -- were the files right? -----------------------------------------------------------------


async def check_files(config: Config, folder: Path, run: RenderRun) -> list[Figure]:
    """The workbook's rows against the database, the text's totals against the coverage."""
    from openpyxl import load_workbook

    problems = []
    async with await Store.open(config.storage.path) as store:
        start, end = QUARTER.utc_bounds(config.committee.tz)
        visits = await store.db.fetchval(
            "SELECT count(*) FROM checkins WHERE meeting_starts_at >= ? AND meeting_starts_at < ?",
            (to_db(start), to_db(end)),
        )
        members = await store.db.fetchval("SELECT count(*) FROM members WHERE active")
        coverage = await quarter_coverage(store, config, QUARTER)
    book = load_workbook(run.report["xlsx"], read_only=True)
    titles = {name: sheet_title(name, Translator("vi", config.committee.tz)) for name in SHEETS}
    if book.sheetnames != list(titles.values()):
        problems.append(f"sheets {book.sheetnames}")
    counts = {
        name: sum(1 for _ in book[title].iter_rows(values_only=True)) - 1
        for name, title in titles.items()
    }
    book.close()
    if counts["visits"] != visits:
        problems.append(f"{counts['visits']} visit rows for {visits} check-ins")
    if counts["members"] != members:
        problems.append(f"{counts['members']} member rows for {members} members")
    totals = coverage.totals
    headline = f"Phải dự: {totals['required']} · Đã dự: {totals['covered']}"
    if headline not in (folder / TEXT_FILE).read_text(encoding="utf-8"):
        problems.append(f"the text does not say {headline!r}")
    print(f"\nworkbook rows: {counts}; coverage totals {totals}")
    return [
        Figure(
            "digest agrees with the database",
            "yes" if not problems else "; ".join(problems),
            "yes",
            not problems,
            broken=bool(problems),
        )
    ]


async def print_phases(config: Config, folder: Path) -> None:
    """Where render_digest's time goes, in this process (warm imports; median of 3, ms)."""
    t = Translator("vi", config.committee.tz)
    now = parse_local_time(RENDERED_AT_LOCAL, config.committee.tz)
    reads = []
    async with await Store.open(config.storage.path) as store:
        for _ in range(3):
            started = time.perf_counter()
            digest = await gather_digest(store, config, QUARTER, now)
            reads.append(time.perf_counter() - started)
    timings = {"gather_digest (reads)": reads}
    for name, step in (
        (
            "message",
            partial(digest_message, digest, t, limit=TEXT_LIMITS["telegram"], files_attached=True),
        ),
        (
            "Zalo's message",
            partial(digest_message, digest, t, limit=TEXT_LIMITS["zalo"], files_attached=False),
        ),
        ("workbook", partial(write_workbook, digest, folder / "phases.xlsx", t)),
        ("chart", partial(write_chart, digest, folder / "phases.png", t)),
    ):
        timings[name] = []
        for _ in range(3):
            started = time.perf_counter()
            step()
            timings[name].append(time.perf_counter() - started)
    print(
        "\nrender_digest phases in process (median ms): "
        + ", ".join(f"{name} {median(values) * 1000:.0f}" for name, values in timings.items())
    )
    print(
        f"  visits {len(digest.visits)}, notes {len(digest.notes)},"
        f" unreachable {len(digest.unreachable)}, members with missed"
        f" {len(digest.members_with_missed)}, organizations not visited"
        f" {len(digest.unvisited_organizations)}, flagged not visited"
        f" {len(digest.unvisited_flagged)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.digest")
    parser.add_argument("--render-only", nargs=2, metavar=("CONFIG", "FOLDER"))
    args = parser.parse_args(argv)
    if args.render_only:
        config_path, folder = args.render_only
        report = asyncio.run(render_only(Path(config_path), Path(folder)))
        (Path(folder) / TEXT_FILE).write_text(report.pop("text"), encoding="utf-8")
        print(json.dumps(report))
        return 0
    from bench.__main__ import main as run_benches

    return run_benches(["digest"])


if __name__ == "__main__":
    sys.exit(main())
