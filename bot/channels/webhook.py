"""Webhooks: a platform POSTs each update to a path of ours, with a secret in a header.

A channel's webhook is a Receiver: the request's headers and a way to read its body in, an HTTP
status out, with nothing of a web framework in it. The body is read only once the secret is
found good, and only up to BODY_LIMIT: a stranger's POST costs no more than its headers. Where it is served is the host's WebhookPlace: when `run`
serves the office's board, on the board's server at the webhook's path (OnTheBoard: one port
behind the reverse proxy); else on a server of its own at the channel's `webhook_listen`
(OwnServers). Both are aiohttp's, the board's server.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from aiohttp import web

# An update is a few kilobytes; the board's server takes roster uploads of megabytes, so its
# own limit is no webhook's.
BODY_LIMIT = 1024 * 1024

# Headers (looked up without regard to case, as web servers give them) and a reader of the
# body -> status.
BodyReader = Callable[[], Awaitable[bytes]]
Receiver = Callable[[Mapping[str, str], BodyReader], Awaitable[int]]


def secret_matches(expected: str, given: str) -> bool:
    """Whether a request carries the webhook's secret (never true when none is set)."""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


class Served(Protocol):
    async def close(self) -> None:
        """Take no more updates at the webhook's path."""


class WebhookPlace(Protocol):
    async def serve(self, path: str, listen: str, receiver: Receiver) -> Served:
        """Hand RECEIVER every POST to PATH (on LISTEN, where the place has no address of its
        own) until the returned handle is closed."""


async def answer(receiver: Receiver, request: web.Request) -> web.Response:
    """REQUEST, a platform's POST, as RECEIVER takes it."""

    async def body() -> bytes:
        """The request's body; 413 when it is longer than BODY_LIMIT (nothing more is read)."""
        if (request.content_length or 0) > BODY_LIMIT:
            raise web.HTTPRequestEntityTooLarge(BODY_LIMIT, request.content_length or 0)
        read = b""
        while chunk := await request.content.read(BODY_LIMIT + 1 - len(read)):
            read += chunk
            if len(read) > BODY_LIMIT:
                raise web.HTTPRequestEntityTooLarge(BODY_LIMIT, len(read))
        return read

    status = await receiver(request.headers, body)
    return web.json_response({"ok": True}) if status == 200 else web.Response(status=status)


class OwnServers:
    """Each webhook on a server of its own, at its channel's webhook_listen."""

    async def serve(self, path: str, listen: str, receiver: Receiver) -> Served:
        async def take(request: web.Request) -> web.Response:
            return await answer(receiver, request)

        application = web.Application()
        application.router.add_post(path, take)
        runner = web.AppRunner(application, access_log=None)
        await runner.setup()
        host, _, port = listen.rpartition(":")
        try:
            await web.TCPSite(runner, host.strip("[]"), int(port)).start()
        except BaseException:
            await runner.cleanup()
            raise
        return _Server(runner)


class _Server:
    def __init__(self, runner: web.AppRunner):
        self.runner = runner

    async def close(self) -> None:
        """Take no more requests, and drop the connections kept open."""
        await self.runner.cleanup()


class OnTheBoard:
    """The webhooks on the board's server, which routes a POST to each configured path here
    (bot.web.server). Until a channel serves its path, and once it has stopped, the answer is
    503: the platform sends the update again later, when the bot takes it."""

    def __init__(self) -> None:
        self._receivers: dict[str, Receiver] = {}

    async def serve(self, path: str, listen: str, receiver: Receiver) -> Served:
        self._receivers[path] = receiver
        return _Mounted(self._receivers, path)

    async def receive(self, path: str, request: web.Request) -> web.Response:
        receiver = self._receivers.get(path)
        if receiver is None:
            return web.Response(status=503)
        return await answer(receiver, request)


class _Mounted:
    def __init__(self, receivers: dict[str, Receiver], path: str):
        self._receivers = receivers
        self._path = path

    async def close(self) -> None:
        self._receivers.pop(self._path, None)
