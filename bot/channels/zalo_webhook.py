"""Zalo's webhook: the updates Zalo POSTs, refused (403) without the secret, taken at once.

A body is the bare update, or one wrapped as ``{"ok": true, "result": update}`` ([openclaw] in
bot.channels.zalo_api); the secret comes in the ``X-Bot-Api-Secret-Token`` header ([docs]).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from bot.channels.webhook import BodyReader, Receiver, secret_matches

SECRET_HEADER = "X-Bot-Api-Secret-Token"


def zalo_receiver(secret: str, take: Callable[[dict[str, Any]], None]) -> Receiver:
    """The webhook's receiver: TAKE queues an update and returns at once (200)."""

    async def receive(headers: Mapping[str, str], body: BodyReader) -> int:
        if not secret_matches(secret, headers.get(SECRET_HEADER, "")):
            return 403
        update = update_in(await body())
        if update is None:
            return 400
        take(update)
        return 200

    return receive


def update_in(body: bytes) -> dict[str, Any] | None:
    """The update a webhook body carries: bare, or wrapped as {"ok": true, "result": ...}."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("ok") is True and isinstance(data.get("result"), dict):
        data = data["result"]
    if not isinstance(data, dict) or "event_name" not in data:
        return None
    return data
