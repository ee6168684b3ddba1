"""/healthz: whether the bot is delivering what it queues; no session needed, no roster data."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from bot.services.board import delivery_health
from bot.web.context import board_of

# The backlog is stale when its oldest message waits this long (the `status` command's rule).
STALE_BACKLOG = timedelta(minutes=10)


async def healthz(request: web.Request) -> web.Response:
    board = board_of(request)
    now = board.clock.now()
    health = await delivery_health(board.store, now)
    waiting = health.oldest_queued_at and now - health.oldest_queued_at
    healthy = not waiting or waiting < STALE_BACKLOG
    body = {
        "ok": healthy,
        "delivery": {
            "queued": health.queued,
            "oldest_queued_at": health.oldest_queued_at and health.oldest_queued_at.isoformat(),
            "last_sent_at": health.last_sent_at and health.last_sent_at.isoformat(),
        },
    }
    return web.json_response(body, status=200 if healthy else 503)


def routes() -> list[web.RouteDef]:
    return [web.get("/healthz", healthz)]
