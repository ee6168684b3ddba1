"""Stop: how long `checkin-bot run` takes to end on SIGTERM, in the middle of its work.

Target (from the issue): under 2 s, with no ERROR record. The bot is a real process polling
the fake Bot API server (tests/fakes/telegram_api.py, loaded by path, in this process), which
answers every send after LATENCY_MS; at the signal a fan-out of reminders is going out, so
sends are in flight and the tick and a long poll are running. Timed from the signal to the
process's exit, RUNS times, each on a fresh database.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.fakes import fake_telegram_module
from bench.report import Figure
from bot.core.clock import SystemClock
from bot.core.config import load_config
from bot.roster import import_roster
from bot.roster.files import write_tables
from bot.scheduler import Scheduler
from storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
LATENCY_MS = 250
MEMBERS = 300
SENT_BEFORE_STOP = 50  # the fan-out is under way
STOP_TARGET_S = 2.0
TIMEOUT_S = 60.0


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="checkin-bench-stop-") as tmp:
        return asyncio.run(_run(Path(tmp)))


async def _run(root: Path) -> list[Figure]:
    stops: list[float] = []
    errors = 0
    for number in range(1, RUNS + 1):
        took, log = await stop_once(root / f"run-{number}")
        stops.append(took)
        bad = [line for line in log.splitlines() if " ERROR " in line or "Traceback" in line]
        errors += len(bad)
        print(f"run {number}: stopped {took:.2f} s after SIGTERM; {len(bad)} ERROR lines")
    worst = max(stops)
    return [
        Figure(
            f"stop on SIGTERM, sends in flight at {LATENCY_MS} ms (median, max of {RUNS})",
            f"{statistics.median(stops):.2f} s, {worst:.2f} s",
            f"< {STOP_TARGET_S:.0f} s",
            worst < STOP_TARGET_S,
        ),
        Figure("ERROR records at the stops", str(errors), "0", errors == 0),
    ]


async def stop_once(folder: Path) -> tuple[float, str]:
    fake = await fake_telegram_module().FakeTelegram.start()
    try:
        fake.slow_sends(LATENCY_MS / 1000)
        config_path = write_config(folder, fake.token, fake.api_base_url)
        await queue_reminders(config_path)
        log = folder / "run.log"
        environment = {**os.environ, "PYTHONPATH": str(ROOT)}
        environment.pop("CHECKIN_BOT_TELEGRAM_TOKEN", None)
        with log.open("ab") as stderr:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--config", str(config_path),
                env=environment, stdin=asyncio.subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
        try:
            await fake.wait_until(
                lambda: len(fake.messages) >= SENT_BEFORE_STOP, TIMEOUT_S, "the fan-out"
            )
            signalled = time.perf_counter()
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), TIMEOUT_S)
            took = time.perf_counter() - signalled
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        return took, log.read_text("utf-8")
    finally:
        await fake.close()


def write_config(folder: Path, token: str, api_base_url: str) -> Path:
    folder.mkdir(parents=True)
    path = folder / "config.toml"
    path.write_text(
        '[storage]\npath = "bot.sqlite3"\n\n'
        f'[telegram]\nenabled = true\ntoken = "{token}"\napi_base_url = "{api_base_url}"\n\n'
        '[reminders]\nquiet_hours = ""\nweekly_suggestion = false\n',
        "utf-8",
    )
    return path


async def queue_reminders(config_path: Path) -> None:
    """MEMBERS members linked on Telegram, each planning to attend a meeting an hour from now:
    the scheduler queues their "2h before" reminders."""
    config = load_config(config_path, must_exist=True)
    now = SystemClock().now()
    starts = (now + timedelta(hours=1)).astimezone(config.committee.tz)
    roster = write_roster(config_path.parent / "roster", f"{starts:%Y-%m-%d %H:%M}")
    async with await Store.open(config.storage.path) as store:
        await import_roster(store, config, roster, now)
        person_of = dict(await store.db.fetchall("SELECT code, person_id FROM members"))
        meeting = await store.db.fetchval("SELECT id FROM meetings")
        async with store.transaction():
            for i in range(1, MEMBERS + 1):
                code, chat = f"M{i:04d}", str(i)
                await store.accounts.link("telegram", chat, chat, person_of[code], now)
                await store.plans.add(meeting, code, now)
        await Scheduler(config, store).run_due(now)


def write_roster(roster: Path, meeting_local: str) -> Path:
    tables = {
        "members": (
            ["code", "full_name", "phone", "position"],
            [
                [f"M{i:04d}", f"Đảng viên {i}", f"09{i:08d}", "member"]
                for i in range(1, MEMBERS + 1)
            ],
        ),
        "organizations": (["code", "name", "kind"], [["O01", "Chi bộ O01", "cell"]]),
        "cells": (["code", "organization", "name"], [["O01", "O01", "Chi bộ O01"]]),
        "assignments": (["member", "organization", "duty", "start"], []),
        "meetings": (["cell", "starts_at"], [["O01", meeting_local]]),
    }
    write_tables(roster, tables)
    return roster
