"""`checkin-bot run` as an operator meets it: real processes, signals, a second run beside the
first, and the fake Telegram server in this test's process."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram

from bot.core.config import load_config
from bot.runlock import holder
from storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
PROCESS_TIMEOUT_S = 30  # generous: a real process starting and stopping


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = await FakeTelegram.start()
    yield fake
    await fake.close()


def write_config(folder: Path, fake: FakeTelegram, telegram: str = "") -> Path:
    """A config for `run` on FAKE (and TELEGRAM's lines more), with no quiet hours: the real
    time may be at night, and what these tests send must go now."""
    path = folder / "config.toml"
    path.write_text(
        '[storage]\npath = "bot.sqlite3"\n\n'
        f'[telegram]\nenabled = true\ntoken = "{fake.token}"\n'
        f'api_base_url = "{fake.api_base_url}"\n{telegram}\n'
        '[reminders]\nquiet_hours = ""\n',
        "utf-8",
    )
    return path


class Process:
    """A `python -m bot ...` child, its stderr kept in a file."""

    def __init__(self, process: asyncio.subprocess.Process, log: Path):
        self.process = process
        self.log = log

    @classmethod
    async def start(cls, log: Path, *args: str) -> Process:
        environment = {**os.environ, "PYTHONPATH": str(ROOT)}
        environment.pop("CHECKIN_BOT_TELEGRAM_TOKEN", None)
        with log.open("ab") as stderr:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", *args,
                env=environment, stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
        return cls(process, log)

    @property
    def pid(self) -> int:
        return self.process.pid

    def text(self) -> str:
        return self.log.read_text("utf-8")

    def signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    async def ended(self) -> int:
        try:
            return await asyncio.wait_for(self.process.wait(), PROCESS_TIMEOUT_S)
        except TimeoutError:
            raise AssertionError(f"the process did not end; its log:\n{self.text()}") from None

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


async def running(tmp_path: Path, fake: FakeTelegram, name: str = "run", *options: str) -> Process:
    """`checkin-bot run`, once it polls."""
    polls = len(fake.calls_of("getUpdates"))
    config = tmp_path / "config.toml"
    bot = await Process.start(tmp_path / f"{name}.log", *options, "run", "--config", str(config))
    try:
        await fake.wait_until(
            lambda: len(fake.calls_of("getUpdates")) > polls, PROCESS_TIMEOUT_S, "a poll"
        )
    except AssertionError:
        await bot.kill()
        raise AssertionError(f"{name} did not poll; its log:\n{bot.text()}") from None
    return bot


def problems_in(log: str) -> list[str]:
    return [line for line in log.splitlines() if " ERROR " in line or "Traceback" in line]


# -- stopping -----------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
async def test_a_stop_signal_stops_it_cleanly_with_no_error(tmp_path, fake, signum):
    write_config(tmp_path, fake)
    bot = await running(tmp_path, fake)
    try:
        fake.push_text(5001, "/help")
        await fake.wait_for_messages(5001, 1)
        bot.signal(signum)
        assert await bot.ended() == 0, bot.text()
    finally:
        await bot.kill()
    log = bot.text()
    assert f"{signum.name} received: shutting down" in log and log.rstrip().endswith("stopped")
    assert problems_in(log) == []
    # The last poll's updates were confirmed on the way out: the next start takes nothing again.
    assert fake.calls_of("getUpdates")[-1].params.get("timeout") == 0


async def test_a_second_sigint_forces_the_stop_while_a_reply_hangs(tmp_path, fake):
    write_config(tmp_path, fake)
    bot = await running(tmp_path, fake)
    try:
        fake.pause_sends()
        fake.push_text(5001, "/help")
        await fake.wait_for_calls("sendMessage")  # the reply is on the wire, and stays there
        bot.signal(signal.SIGINT)
        await fake.wait_until(lambda: "SIGINT received" in bot.text(), PROCESS_TIMEOUT_S)
        bot.signal(signal.SIGINT)
        assert await bot.ended() == 128 + signal.SIGINT
    finally:
        fake.resume_sends()
        await bot.kill()
    assert "SIGINT received again: stopping at once" in bot.text()


# -- one bot per database -------------------------------------------------------------------------


async def test_a_second_run_is_refused_and_the_next_takes_over_after_a_kill_9(tmp_path, fake):
    config = write_config(tmp_path, fake)
    database = load_config(config).storage.path
    first = await running(tmp_path, fake, "first")
    second = third = None
    try:
        # A reply in flight: its outbox row is 'sending' in the first run's hands.
        async with await Store.open(database) as store:
            await store.db.execute(
                "INSERT INTO outbox (key, chat, payload, due_at, created_at)"
                " VALUES ('k:in-flight', 'telegram:6001', '{\"text\": \"x\"}', ?, ?)",
                ("2000-01-01T00:00:00+00:00", "2000-01-01T00:00:00+00:00"),
            )
            fake.pause_sends()
            store.outbox.on_queued = None
            # The first run's delivery wakes on its own within its idle second.
            await fake.wait_for_calls("sendMessage", 1, timeout=PROCESS_TIMEOUT_S)

            second = await Process.start(tmp_path / "second.log", "run", "--config", str(config))
            assert await second.ended() == 2
            [line] = second.text().splitlines()
            assert "is already serving this database" in line and f"pid {first.pid}," in line
            # The second run re-queued nothing of what the first has in hand.
            state = await store.db.fetchval("SELECT state FROM outbox WHERE key = 'k:in-flight'")
            assert state == "sending"

            # Other subcommands work beside the run.
            coverage = await Process.start(
                tmp_path / "coverage.log", "coverage", "--format", "json", "--config", str(config)
            )
            assert await coverage.ended() == 0, coverage.text()

            first.signal(signal.SIGKILL)
            assert await first.ended() == -signal.SIGKILL
            assert holder(database) is None  # the lock went with the process
            fake.resume_sends()
            third = await running(tmp_path, fake, "third")
            assert "1 outbox rows left half-sent by a previous run are queued again" in third.text()
            found = holder(database)
            assert found is not None and found.pid == third.pid
    finally:
        fake.resume_sends()
        for process in (first, second, third):
            if process is not None:
                await process.kill()


# -- the log --------------------------------------------------------------------------------------


async def test_the_log_can_be_json_lines_for_a_collector_and_never_holds_the_token(tmp_path, fake):
    write_config(tmp_path, fake)
    fake.fail("sendMessage", 1, status=502, description="Bad Gateway")  # a fault to be logged
    bot = await running(tmp_path, fake, "json", "--log-format", "json")
    try:
        fake.push_text(5001, "/help")
        await fake.wait_for_calls("sendMessage")  # the answer, refused
        bot.signal(signal.SIGTERM)
        assert await bot.ended() == 0, bot.text()
    finally:
        await bot.kill()
    entries = [json.loads(line) for line in bot.text().splitlines()]
    assert all(set(entry) >= {"time", "level", "logger", "message"} for entry in entries)
    messages = [entry["message"] for entry in entries]
    assert "running on telegram; stop with Ctrl+C or SIGTERM" in messages
    assert "telegram chat 5001: an answer could not go (Bad Gateway)" in messages
    assert messages[-1] == "stopped"
    assert not [entry for entry in entries if entry["level"] == "ERROR" or "exception" in entry]
    assert fake.token.split(":", 1)[1] not in bot.text()
