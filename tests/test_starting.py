"""Starting while the platform is down, slow or busy: the first calls are tried until they are
answered, with one line in the log; a refused token stops the start with one line, exit 2.

The channels wait through an injected pause that records what it was asked to wait (and may
bring the server back), so no test waits on real time.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from dialogue import World, make_world
from fakes.telegram_api import FakeTelegram
from fakes.zalo_api import FakeZalo
from telegram.error import TimedOut

from bot.channels.starting import USE_BACKOFF
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_api import ZaloNetworkError
from bot.cli import EXIT_BAD_INPUT
from bot.core.config import Config, Telegram, Zalo

SECRET = "s3cret-Token_1"
ROOT = Path(__file__).resolve().parent.parent


class Pauses:
    """The waits a start asked for; THEN runs at the first of them (a server coming back)."""

    def __init__(self, then: Callable[[], Awaitable[object]] | None = None):
        self.asked: list[float] = []
        self.then = then

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        if self.then is not None:
            then, self.then = self.then, None
            await then()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def warnings_and_worse(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING]


async def telegram_world(tmp_path: Path, api_base_url: str, token: str, **settings) -> World:
    telegram = Telegram(enabled=True, token=token, api_base_url=api_base_url, **settings)
    return await make_world(tmp_path, Config(telegram=telegram))


# -- Telegram -------------------------------------------------------------------------------------


async def test_telegram_waits_out_a_429_and_server_errors_on_its_first_calls(tmp_path, caplog):
    fake = await FakeTelegram.start()
    world = await telegram_world(tmp_path, fake.api_base_url, fake.token)
    fake.fail("getMe", 1, status=429, retry_after=3)
    fake.fail("setMyCommands", 2, status=502, description="Bad Gateway")
    fake.fail("deleteWebhook", 1, status=500, description="Internal Server Error")
    pauses = Pauses()
    channel = TelegramChannel(world.app, world.config.telegram, pause=pauses)
    try:
        with caplog.at_level(logging.INFO):
            await channel.start()
        # getMe waited Telegram's retry_after; the others the backoff, from its first step.
        assert pauses.asked == [3.0, 1.0, 2.0, 1.0]
        fake.push_text(1101, "/help")
        [answer] = await fake.wait_for_messages(1101, 1)
        assert "Bot giúp" in answer["text"]
    finally:
        await channel.close()
        await world.store.close()
        await fake.close()
    # One line for each call that had to wait, however many times it did; no traceback.
    warnings = [message for _, message in warnings_and_worse(caplog)]
    assert [w.split(": ", 1)[0] for w in warnings] == ["telegram start calls failing"] * 3
    assert "Flood control exceeded" in warnings[0] and "trying again in 3s" in warnings[0]
    assert "Bad Gateway; trying again in 1s" in warnings[1]
    assert "Internal Server Error; trying again in 1s" in warnings[2]
    assert not [r for r in caplog.records if r.exc_info]


async def test_telegram_waits_for_a_server_that_refuses_connections_until_it_is_back(tmp_path):
    port = free_port()
    fake: FakeTelegram | None = None

    async def back() -> None:
        nonlocal fake
        fake = await FakeTelegram.start(port=port)

    url = f"http://127.0.0.1:{port}/bot"
    world = await telegram_world(tmp_path, url, FakeTelegram().token)
    pauses = Pauses(then=back)
    channel = TelegramChannel(world.app, world.config.telegram, pause=pauses)
    try:
        await channel.start()
        assert pauses.asked == [1.0]
        assert fake is not None and fake.calls_of("getMe")
    finally:
        await channel.close()
        await world.store.close()
        if fake is not None:
            await fake.close()


async def test_telegram_webhook_is_set_once_telegram_answers(tmp_path):
    fake = await FakeTelegram.start()
    port = free_port()
    world = await telegram_world(
        tmp_path,
        fake.api_base_url,
        fake.token,
        mode="webhook",
        webhook_url=f"http://127.0.0.1:{port}/tg/hook",
        webhook_listen=f"127.0.0.1:{port}",
        webhook_secret=SECRET,
    )
    fake.fail("setWebhook", 2, status=502, description="Bad Gateway")
    pauses = Pauses()
    channel = TelegramChannel(world.app, world.config.telegram, pause=pauses)
    try:
        await channel.start()
        assert pauses.asked == [1.0, 2.0]
        assert fake.webhook == {"url": f"http://127.0.0.1:{port}/tg/hook", "secret_token": SECRET}
    finally:
        await channel.close()
        await world.store.close()
        await fake.close()


def test_a_timeout_or_a_refused_connection_is_waited_out_a_wrong_answer_is_not(tmp_path):
    channel = TelegramChannel.__new__(TelegramChannel)
    assert channel._wait_for(TimedOut()) == USE_BACKOFF
    assert channel._wait_for(ValueError("not Telegram's")) is None
    zalo = ZaloChannel.__new__(ZaloChannel)
    assert zalo._wait_for(ZaloNetworkError("zalo getMe: ReadTimeout")) == USE_BACKOFF


# -- Zalo -----------------------------------------------------------------------------------------


async def test_zalo_waits_out_a_429_server_errors_and_a_refused_connection(tmp_path, caplog):
    port = free_port()
    fake: FakeZalo | None = None

    async def back() -> None:
        nonlocal fake
        fake = await FakeZalo.start(port=port, poll_cap=0.05)
        fake.fail("getMe", 1, error_code=429)
        fake.fail("deleteWebhook", 1, error_code=502, description="Bad Gateway")

    zalo = Zalo(enabled=True, token=FakeZalo().token, api_base_url=f"http://127.0.0.1:{port}/bot")
    world = await make_world(tmp_path, Config(zalo=zalo))
    pauses = Pauses(then=back)
    channel = ZaloChannel(world.app, world.config.zalo, pause=pauses)
    try:
        with caplog.at_level(logging.INFO):
            await channel.start()
        assert pauses.asked == [1.0, 2.0, 1.0]  # refused, then 429 (getMe); 502 (deleteWebhook)
        assert fake is not None
        fake.push_text("z-1", "/help")
        [answer] = await fake.wait_for_messages("z-1", 1)
        assert "Bot giúp" in answer
    finally:
        await channel.close()
        await world.store.close()
        if fake is not None:
            await fake.close()
    warnings = [message for _, message in warnings_and_worse(caplog)]
    assert len(warnings) == 2 and all(w.startswith("zalo start calls failing: ") for w in warnings)
    assert not [r for r in caplog.records if r.exc_info]


# -- a refused token: one line, exit 2 -----------------------------------------------------------


async def checkin_bot_run(config: Path) -> tuple[int, str]:
    """`checkin-bot run` as a process: its exit code and what it wrote to stderr."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("CHECKIN_BOT_")
    }
    environment["PYTHONPATH"] = str(ROOT)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config),
        env=environment, stdin=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return process.returncode, stderr.decode()


@pytest.mark.parametrize(
    ("channel", "refusal"), [("telegram", 401), ("telegram", 404), ("zalo", 401)]
)
async def test_a_refused_token_stops_run_with_one_line_naming_the_key(tmp_path, channel, refusal):
    fake = await (FakeTelegram if channel == "telegram" else FakeZalo).start()
    try:
        token = "1:wrong-token"
        if refusal == 404:  # Telegram's answer to a malformed token
            token = fake.token
            fake.fail("getMe", 1, status=404, description="Not Found")
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\npath = "bot.sqlite3"\n\n[{channel}]\nenabled = true\n'
            f'token = "{token}"\napi_base_url = "{fake.api_base_url}"\n',
            "utf-8",
        )
        code, stderr = await checkin_bot_run(config)
    finally:
        await fake.close()
    assert code == EXIT_BAD_INPUT, stderr
    [line] = stderr.strip().splitlines()
    assert line.startswith(f"{channel}.token: refused by {fake.api_base_url}: ")
    assert token.split(":")[1] not in line
