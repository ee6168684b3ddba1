"""The board's HTTP server: aiohttp, in the event loop of the process that serves the chats.

aiohttp's server is already here (the HTTP client under the Telegram channel); its handlers are
coroutines on the bot's own loop, so the board reads the same store through the same
connection as the chats, and one process serves both. It serves the channels' webhooks too,
at their paths, when `run` takes updates by webhook (bot.channels.webhook.OnTheBoard): then one
port sits behind the reverse proxy.
"""

from __future__ import annotations

import errno
import logging
import socket
from collections.abc import Callable
from functools import partial
from pathlib import Path

from aiohttp import web

from bot.channels import webhook_paths
from bot.channels.webhook import OnTheBoard
from bot.core.clock import Clock
from bot.core.config import Config, ConfigError
from bot.services import Store
from bot.web import auth, health, meetings, pending, people, photos, quarter, roster
from bot.web.context import BOARD, Board, render
from bot.web.roster import MAX_UPLOAD_MB

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


def board_application(
    config: Config, store: Store, clock: Clock, webhooks: OnTheBoard | None = None
) -> web.Application:
    """The board's routes over STORE, as CONFIG says, at CLOCK's time; and the webhooks of
    CONFIG's channels, at their paths, when WEBHOOKS is where they are served."""
    # Order matters: the security headers wrap everything, the sign-in check wraps the pages.
    application = web.Application(
        middlewares=[auth.security_headers, not_found, auth.require_admin],
        client_max_size=MAX_UPLOAD_MB * 1024 * 1024,
    )
    paths = webhook_paths(config) if webhooks is not None else {}
    application[BOARD] = Board(config, store, clock, webhooks=frozenset(paths.values()))
    for module in (auth, health, quarter, people, photos, pending, meetings, roster):
        application.add_routes(module.routes())
    application.router.add_static("/static/", STATIC)
    if webhooks is not None:
        _add_webhooks(application, paths, webhooks)
    return application


def _add_webhooks(
    application: web.Application, paths: dict[str, str], webhooks: OnTheBoard
) -> None:
    """A POST route per channel's webhook path, refused (ConfigError) where it would take a
    page's place or another channel's."""
    pages = {resource.canonical.split("/")[1] for resource in application.router.resources()}
    problems, taken = [], {}
    for name, path in paths.items():
        if path.split("/")[1] in pages:
            problems.append(
                f"{name}.webhook_url: its path {path} is the board's (served on the same port);"
                f" give the webhook a path of its own, e.g. /{name}"
            )
        elif path in taken:
            problems.append(
                f"{name}.webhook_url: its path {path} is {taken[path]}'s webhook's too (served"
                " on the board's port); give each channel its own path"
            )
        taken.setdefault(path, name)
    if problems:
        raise ConfigError(problems)
    for path in taken:
        application.router.add_post(path, partial(webhooks.receive, path))


@web.middleware
async def not_found(request: web.Request, handler) -> web.StreamResponse:
    """A page that does not exist: said in the admin's language, inside the board's frame."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return render(request, "message.html", status=404, message_key="board.no_such_page")


class BoardServer:
    """The board listening on a socket until closed."""

    def __init__(self, application: web.Application):
        self.runner = web.AppRunner(application, access_log=None)

    async def start(self, site: Callable[[web.AppRunner], web.BaseSite]) -> None:
        await self.runner.setup()
        try:
            await site(self.runner).start()
        except BaseException:
            await self.runner.cleanup()
            raise
        log.info("the board is served on %s", self.runner.addresses[0])

    @property
    def port(self) -> int:
        return self.runner.addresses[0][1]

    async def close(self) -> None:
        await self.runner.cleanup()


async def serve_board(
    config: Config,
    store: Store,
    clock: Clock,
    sock: socket.socket | None = None,
    *,
    webhooks: OnTheBoard | None = None,
) -> BoardServer:
    """Start the board on `web.listen`, or on SOCK (`run` calls this when `web.enabled`)."""
    server = BoardServer(board_application(config, store, clock, webhooks))
    if sock is None:
        host, port = config.web.host_port
        await server.start(lambda runner: web.TCPSite(runner, host, port))
    else:
        await server.start(lambda runner: web.SockSite(runner, sock))
    return server


def bind_free_port(host: str, first: int, tries: int = 20) -> socket.socket:
    """A socket bound to the first free port from FIRST (the demo's board)."""
    for port in range(first, first + tries):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((host, port))
        except OSError as exc:
            sock.close()
            if exc.errno != errno.EADDRINUSE:
                raise
            continue
        return sock
    raise OSError(errno.EADDRINUSE, f"no free port from {first} to {first + tries - 1}")


class BoardService:
    """The board as `run` starts and stops it, beside the channels (bot.app says in which
    order), serving their webhooks too."""

    name = "board"

    def __init__(self, config: Config, store: Store, clock: Clock, webhooks: OnTheBoard):
        self._args = (config, store, clock)
        self._webhooks = webhooks
        self._server: BoardServer | None = None

    async def start(self) -> None:
        self._server = await serve_board(*self._args, webhooks=self._webhooks)

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.close()
            self._server = None

    async def close(self) -> None:
        await self.stop()
