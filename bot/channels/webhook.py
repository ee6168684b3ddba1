"""Webhooks: a platform POSTs each update to a path of ours, with a secret in a header.

A channel's webhook is a Receiver: the request's headers and body in, an HTTP status out, with
nothing of a web framework in it, so that the same receiver can be mounted on another server
(an aiohttp application: ``web.Response(status=await receiver(request.headers, await
request.read()))``). WebhookServer serves receivers on their own address with tornado,
which python-telegram-bot[webhooks] brings.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Mapping

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

# Headers (looked up without regard to case, as web servers give them) and body -> status.
Receiver = Callable[[Mapping[str, str], bytes], Awaitable[int]]


def secret_matches(expected: str, given: str) -> bool:
    """Whether a request carries the webhook's secret (never true when none is set)."""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


class WebhookServer:
    """Receivers served at their paths on one host:port; anything else is 404."""

    def __init__(self, routes: Mapping[str, Receiver]):
        handlers = [(path, _Endpoint, {"receiver": receiver}) for path, receiver in routes.items()]
        self._server = HTTPServer(Application(handlers))

    def listen(self, listen: str) -> None:
        """Take requests on LISTEN ("host:port", the host possibly in [brackets])."""
        host, _, port = listen.rpartition(":")
        self._server.listen(int(port), host.strip("[]"))

    async def close(self) -> None:
        """Take no more requests, and drop the connections kept open."""
        self._server.stop()
        await self._server.close_all_connections()


class _Endpoint(RequestHandler):
    def initialize(self, receiver: Receiver) -> None:
        self.receiver = receiver

    async def post(self) -> None:
        status = await self.receiver(self.request.headers, self.request.body)
        self.set_status(status)
        if status == 200:
            self.write({"ok": True})
