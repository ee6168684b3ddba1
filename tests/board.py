"""The office's board over real HTTP for tests: the sample district, a browser-like client.

    office = await open_board(tmp_path)
    await office.sign_in("M01")
    page = await office.get("/pending")

The board is bot.web's aiohttp application on a real socket (aiohttp's TestServer), over the
sample district's SQLite file at the demo's clock (tests/dialogue.py's world); the client keeps
cookies like a browser.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from dialogue import World, make_world

from bot.core.config import Access, Config, Storage, Web
from bot.services.web_sessions import sign_in_for_code
from bot.web.server import board_application

ADMIN = "M01"  # the sample's admin in these tests (as in the demo)


def board_config(tmp_path: Path, **web: object) -> Config:
    return Config(
        storage=Storage(path=str(tmp_path / "bot.sqlite3")),
        access=Access(admins=[ADMIN]),
        web=Web(enabled=True, **web),
    )


@dataclass
class Page:
    status: int
    text: str
    headers: dict[str, str]

    def form_value(self, name: str) -> str:
        found = re.search(rf'name="{name}" value="([^"]*)"', self.text)
        assert found, f"no {name} in the page"
        return found.group(1)


@dataclass
class Office:
    """Someone at the office's browser."""

    world: World
    client: TestClient

    async def _page(self, response: ClientResponse) -> Page:
        body = await response.read()
        return Page(response.status, body.decode("utf-8", "replace"), dict(response.headers))

    async def get(self, path: str) -> Page:
        async with self.client.get(path, allow_redirects=True) as response:
            return await self._page(response)

    async def post(self, path: str, data: dict | object, *, follow: bool = True) -> Page:
        async with self.client.post(path, data=data, allow_redirects=follow) as response:
            return await self._page(response)

    async def sign_in_link(self, code: str = ADMIN) -> str:
        """The path of a fresh one-time link for the admin CODE."""
        world = self.world
        sign_in = await sign_in_for_code(world.store, world.config, code, world.now())
        return "/" + sign_in.link(world.config).split("/", 3)[3]

    async def sign_in(self, code: str = ADMIN) -> Page:
        """Open a fresh link and press Sign in; the board's first page."""
        link = await self.sign_in_link(code)
        opened = await self.get(link)
        assert opened.status == 200, opened.text
        return await self.post(link, {"form_key": opened.form_value("form_key")})

    async def csrf(self) -> str:
        return (await self.get("/roster")).form_value("csrf")


@asynccontextmanager
async def open_board(tmp_path: Path, config: Config | None = None) -> AsyncIterator[Office]:
    config = config or board_config(tmp_path)
    world = await make_world(tmp_path, config)
    client = TestClient(TestServer(board_application(config, world.store, world.clock)))
    await client.start_server()
    try:
        yield Office(world, client)
    finally:
        await client.close()
        await world.store.close()
