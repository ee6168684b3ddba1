"""One port behind the proxy: with the board on, `checkin-bot run` takes the Telegram and Zalo
webhooks on the board's server, at their paths, the secret still checked; no server of their
own. Telegram and Zalo are the fakes, POSTing as the platforms do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import aiohttp
import pytest
from board import ADMIN
from conftest import dump
from dialogue import World, make_world
from fakes.telegram_api import FakeTelegram
from fakes.zalo_api import FakeZalo
from test_telegram_adapter import help_update
from test_web_browser import free_port

from bot.channels.webhook import OnTheBoard
from bot.core.config import Access, Config, ConfigError, Reminders, Storage, Telegram, Web, Zalo
from bot.runner import run

SECRET = "s3cret-Token_1"
ZALO_SECRET = "zalo-secret-2"


@dataclass
class Hooked:
    telegram: FakeTelegram
    zalo: FakeZalo
    world: World
    base: str  # the board's address, which the platforms POST to
    own_port: int  # webhook_listen's port: nobody listens there

    async def telegram_post(self, update: dict, secret: str | None) -> int:
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{self.base}/telegram", json=update, headers=headers) as response,
        ):
            return response.status


def webhook_config(
    tmp_path: Path,
    telegram: FakeTelegram,
    zalo: FakeZalo,
    port: int,
    paths: dict | None = None,
    public: str = "",
) -> Config:
    """The board on PORT; both channels by webhook at PUBLIC (default: the board's own
    address; else a reverse proxy's), at /telegram and /zalo or as PATHS says."""
    paths = paths or {}
    public = public or f"http://127.0.0.1:{port}"
    own = free_port()  # both channels': unused, so no clash

    def by_webhook(name: str, fake: FakeTelegram | FakeZalo, secret: str) -> dict:
        return {
            "enabled": True,
            "token": fake.token,
            "api_base_url": fake.api_base_url,
            "mode": "webhook",
            "webhook_url": public + paths.get(name, f"/{name}"),
            "webhook_listen": f"127.0.0.1:{own}",
            "webhook_secret": secret,
        }

    return Config(
        storage=Storage(path=str(tmp_path / "bot.sqlite3")),
        telegram=Telegram(**by_webhook("telegram", telegram, SECRET)),
        zalo=Zalo(**by_webhook("zalo", zalo, ZALO_SECRET)),
        access=Access(admins=[ADMIN]),
        reminders=Reminders(weekly_suggestion=False),
        web=Web(enabled=True, listen=f"127.0.0.1:{port}"),
    )


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTelegram, FakeZalo]]:
    telegram, zalo = await FakeTelegram.start(), await FakeZalo.start(poll_cap=0.05)
    yield telegram, zalo
    await telegram.close()
    await zalo.close()


@pytest.fixture
async def hooked(tmp_path: Path, fakes) -> AsyncIterator[Hooked]:
    telegram, zalo = fakes
    port = free_port()
    config = webhook_config(tmp_path, telegram, zalo, port)
    world = await make_world(tmp_path, config)
    stop = asyncio.Event()
    runner = asyncio.create_task(run(config, world.clock, stop=stop))
    try:
        await telegram.wait_for_calls("setWebhook")
        await zalo.wait_for_calls("setWebhook")
        own = int(config.telegram.webhook_listen.rsplit(":", 1)[1])
        yield Hooked(telegram, zalo, world, f"http://127.0.0.1:{port}", own)
    finally:
        stop.set()
        await asyncio.wait_for(runner, 10)
        await world.store.close()


async def test_the_platforms_are_told_the_boards_address_and_nothing_else_listens(hooked):
    assert hooked.telegram.webhook == {"url": f"{hooked.base}/telegram", "secret_token": SECRET}
    assert hooked.zalo.webhook == {"url": f"{hooked.base}/zalo", "secret_token": ZALO_SECRET}
    assert hooked.telegram.calls_of("getUpdates") == [] == hooked.zalo.calls_of("getUpdates")
    with pytest.raises(OSError):  # webhook_listen: no second server
        await asyncio.open_connection("127.0.0.1", hooked.own_port)


async def test_a_telegram_update_posted_to_the_boards_port_is_answered(hooked):
    fake = hooked.telegram
    assert await hooked.telegram_post(help_update(fake, 1101), SECRET) == 200
    [answer] = await fake.wait_for_messages(1101, 1)
    assert "Bot giúp Quận ủy viên" in answer["text"]


async def test_without_the_secret_the_board_refuses_the_update_and_nothing_is_handled(hooked):
    fake = hooked.telegram

    async def handled() -> dict:  # the database but the scheduler's heartbeat, which ticks beside
        return {k: v for k, v in (await dump(hooked.world.store)).items() if k != "heartbeats"}

    before = await handled()
    assert await hooked.telegram_post(help_update(fake, 1101), secret=None) == 403
    assert await hooked.telegram_post(help_update(fake, 1101), secret="wrong") == 403
    zalo_update = hooked.zalo.update("message.text.received", "z-1", {"text": "/help"})
    assert await hooked.zalo.post_to_webhook(zalo_update, secret=None) == 403
    assert await hooked.zalo.post_to_webhook(zalo_update, secret=SECRET) == 403  # Telegram's
    assert await handled() == before
    assert fake.sent_to(1101) == [] and hooked.zalo.sent_to("z-1") == []


async def test_a_redelivered_update_is_answered_once(hooked):
    fake = hooked.telegram
    update = help_update(fake, 1101)
    for _ in range(3):  # Telegram posts it again when our answer did not reach it
        assert await hooked.telegram_post(update, SECRET) == 200
    assert await hooked.telegram_post(help_update(fake, 1101), SECRET) == 200
    await fake.wait_for_messages(1101, 2)
    for _ in range(20):
        await asyncio.sleep(0)  # loop turns, not time: nothing more comes
    assert len(fake.sent_to(1101)) == 2  # the first update once, then the later one


async def test_a_zalo_update_posted_to_the_boards_port_is_answered_once(hooked):
    zalo = hooked.zalo
    update = zalo.update("message.text.received", "z-1", {"text": "/help"})
    assert await zalo.post_to_webhook(update, secret=ZALO_SECRET) == 200
    assert await zalo.post_to_webhook(update, secret=ZALO_SECRET) == 200  # again
    later = zalo.update("message.text.received", "z-1", {"text": "/start"})
    assert await zalo.post_to_webhook(later, secret=ZALO_SECRET) == 200
    [helped, started] = await zalo.wait_for_messages("z-1", 2)
    assert "Bot giúp Quận ủy viên" in helped and started.startswith("Chào đồng chí!")
    for _ in range(20):
        await asyncio.sleep(0)
    assert len(zalo.sent_to("z-1")) == 2


async def test_the_boards_pages_still_need_a_session_beside_the_webhooks(hooked):
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{hooked.base}/pending") as page:
            assert page.status == 401 and "Bùi Văn Đức" not in await page.text()
        async with session.get(f"{hooked.base}/telegram") as page:
            assert page.status == 405  # a webhook takes POSTs only
        async with session.get(f"{hooked.base}/healthz") as page:
            assert page.status in (200, 503)


@pytest.mark.parametrize(
    ("paths", "problem"),
    [
        (
            {"telegram": "/pending"},
            "telegram.webhook_url: its path /pending is the board's (served on the same port);"
            " give the webhook a path of its own, e.g. /telegram",
        ),
        ({"zalo": "/"}, "zalo.webhook_url: its path / is the board's"),
        (
            {"telegram": "/hook", "zalo": "/hook"},
            "zalo.webhook_url: its path /hook is telegram's webhook's too",
        ),
    ],
)
async def test_a_webhook_path_the_board_uses_stops_the_start(tmp_path, fakes, paths, problem):
    telegram, zalo = fakes
    config = webhook_config(tmp_path, telegram, zalo, free_port(), paths)
    world = await make_world(tmp_path, config)
    try:
        with pytest.raises(ConfigError) as refused:
            await asyncio.wait_for(run(config, world.clock, stop=asyncio.Event()), 10)
        assert refused.value.problems[0].startswith(problem)
        assert telegram.calls_of("setWebhook") == [] == zalo.calls_of("setWebhook")
    finally:
        await world.store.close()


async def test_a_path_no_channel_serves_yet_or_any_more_is_answered_503():
    webhooks = OnTheBoard()
    taken: list[bytes] = []

    async def receiver(headers, body) -> int:
        taken.append(await body())
        return 200

    class Content:
        def __init__(self) -> None:
            self.left = b"{}"

        async def read(self, most: int) -> bytes:
            given, self.left = self.left[:most], self.left[most:]
            return given

    class Request:  # what OnTheBoard reads of aiohttp's request
        headers: ClassVar[dict[str, str]] = {}
        content_length = 2

        def __init__(self) -> None:
            self.content = Content()

    assert (await webhooks.receive("/telegram", Request())).status == 503  # not started yet
    served = await webhooks.serve("/telegram", "127.0.0.1:8443", receiver)
    assert (await webhooks.receive("/telegram", Request())).status == 200
    await served.close()
    assert (await webhooks.receive("/telegram", Request())).status == 503  # stopped
    assert taken == [b"{}"]


async def posted_headers(base: str, path: str, headers: dict[str, str]) -> bytes:
    """The answer to a POST of PATH whose headers are sent and its body never: only a server
    that answers from the headers alone answers at all."""
    host, port = base.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in headers.items())]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.readline(), 10)
    finally:
        writer.close()


async def test_a_stranger_is_refused_on_the_headers_alone_and_a_huge_update_refused(hooked):
    # Without the secret: 403 before a byte of the (announced, never sent) body is read.
    big = {"Content-Type": "application/json", "Content-Length": str(50 * 1024 * 1024)}
    for path in ("/telegram", "/zalo"):
        assert await posted_headers(hooked.base, path, big) == b"HTTP/1.1 403 Forbidden\r\n"
    # With it, an update of more than a megabyte (the board's server takes rosters of more):
    # refused as too large, and nothing is handled.
    before = await hooked.world.store.db.fetchval("SELECT count(*) FROM updates_seen")
    update = help_update(hooked.telegram, 1101)
    update["message"]["text"] = "/help " + "x" * (1024 * 1024)
    assert await hooked.telegram_post(update, SECRET) == 413
    assert await hooked.world.store.db.fetchval("SELECT count(*) FROM updates_seen") == before
    assert hooked.telegram.sent_to(1101) == []
