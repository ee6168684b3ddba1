"""/healthz: whether the scheduler ticks and delivery sends, for a monitor; no session needed,
so it says nothing of the roster (no names, no codes)."""

from __future__ import annotations

from aiohttp import web

from bot.services.health import health
from bot.web.context import board_of


async def healthz(request: web.Request) -> web.Response:
    board = board_of(request)
    found = await health(board.store, board.config, board.clock.now())
    shown = found.as_json()
    body = {
        "ok": found.healthy,
        "problems": found.problems,
        "now": shown["now"],
        "last_tick": shown["last_tick"],
        "backlog": shown["backlog"],
        "oldest_due_at": found.oldest_due and shown["oldest_due"]["due_at"],  # type: ignore[index]
        "last_sent": shown["last_sent"],
    }
    return web.json_response(body, status=200 if found.healthy else 503)


def routes() -> list[web.RouteDef]:
    return [web.get("/healthz", healthz)]
