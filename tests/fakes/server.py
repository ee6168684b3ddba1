"""What every fake Bot API server shares: serving ``/bot<token>/<method>`` on 127.0.0.1, the
calls it received, and waiting on them without sleeps.

Waiting is on an asyncio.Condition that every call and every pushed update notifies; a wait
that runs out fails with the calls received so far, which is what a failing test needs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web


@dataclass
class TokenBucket:
    """RATE tokens a second, up to a second's worth; a send takes one."""

    rate: float
    tokens: float
    at: float  # when TOKENS was last brought up to date

    @classmethod
    def full(cls, rate: float, now: float) -> TokenBucket:
        return cls(rate, rate, now)

    def wait(self, now: float) -> float:
        """Seconds until a token is there (0: there is one now)."""
        self.tokens = min(self.rate, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return max(0.0, (1 - self.tokens) / self.rate)


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field -> (name, content)


class FakeBotApi:
    """A fake platform server; subclasses answer its methods in ``_endpoint``."""

    # The methods that send a message to a chat (what slow_sends slows).
    SEND_METHODS: frozenset[str] = frozenset()

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self.send_latency = 0.0  # seconds each send takes to be answered (slow_sends)
        self._changed = asyncio.Condition()
        self._notifying: set[asyncio.Task[None]] = set()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------------

    @classmethod
    async def start(cls, *, port: int = 0, **kwargs: Any) -> Self:
        """Serve on PORT (0: any free one; a closed fake's port: the server is back)."""
        fake = cls(**kwargs)
        # Telegram takes documents of up to 50 MB (a city's digest workbook is over aiohttp's
        # default 1 MB).
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", fake._endpoint)
        fake._add_routes(app)
        fake._runner = web.AppRunner(app, access_log=None)
        await fake._runner.setup()
        await web.TCPSite(fake._runner, "127.0.0.1", port).start()
        fake.port = fake._runner.addresses[0][1]
        return fake

    async def close(self) -> None:
        """Release long polls and paused sends, then stop serving."""
        self._closing = True
        await self._notify()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def _endpoint(self, request: web.Request) -> web.Response:
        raise NotImplementedError

    def _add_routes(self, app: web.Application) -> None:
        """Where a platform serves more than its methods (files): none by default."""

    def slow_sends(self, seconds: float) -> None:
        """From now on, answer each send SECONDS after it arrived, as a real server far away
        does (benches; tests never wait on it)."""
        self.send_latency = seconds

    async def _as_far_away(self, method: str) -> None:
        if self.send_latency and method in self.SEND_METHODS:
            await asyncio.sleep(self.send_latency)

    # -- what tests read --------------------------------------------------------------------

    def calls_of(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    # A timeout argument (ASYNC109) because every wait in a test should state its bound.
    async def wait_for_calls(
        self,
        method: str,
        n: int = 1,
        timeout: float = 5,  # noqa: ASYNC109
    ) -> list[ApiCall]:
        await self.wait_until(lambda: len(self.calls_of(method)) >= n, timeout, f"{n} {method}")
        return self.calls_of(method)[:n]

    async def wait_until(
        self,
        done: Callable[[], bool],
        timeout: float = 5,  # noqa: ASYNC109
        what: str = "",
    ) -> None:
        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(done), timeout)
        except TimeoutError:
            seen = [(c.method, c.params.get("chat_id"), c.params.get("text")) for c in self.calls]
            raise AssertionError(f"waited {timeout}s for {what or done}; calls: {seen}") from None

    # -- telling the waiters ----------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _notify_soon(self) -> None:
        # Pushes are plain calls from tests; the waiters hear of them on the next loop turn.
        task = asyncio.get_running_loop().create_task(self._notify())
        self._notifying.add(task)
        task.add_done_callback(self._notifying.discard)
