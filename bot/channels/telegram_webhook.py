"""Telegram's webhook: the updates Telegram POSTs, refused (403) without the secret, queued for
python-telegram-bot's Application at once (PTB's own webhook server, in its Updater, cannot
be mounted on another server; this receiver can: bot.channels.webhook)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from telegram import Update
from telegram.ext import Application

from bot.channels.webhook import BodyReader, Receiver, secret_matches

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def telegram_receiver(secret: str, application: Application) -> Receiver:
    """The webhook's receiver: an update goes on the Application's queue, answered 200."""

    async def receive(headers: Mapping[str, str], body: BodyReader) -> int:
        if not secret_matches(secret, headers.get(SECRET_HEADER, "")):
            return 403
        try:
            update = Update.de_json(json.loads(await body()), application.bot)
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("telegram webhook: a body that is not an update (%s) refused", exc)
            return 400
        await application.update_queue.put(update)
        return 200

    return receive
