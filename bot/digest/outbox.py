"""The quarterly digest on its way out: rendered once, queued for each digest chat once."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bot.core.config import Config
from bot.core.messages import Message
from bot.core.quarters import Quarter
from bot.core.reminders import digest_chat_key
from bot.digest.render import render_digest
from bot.services import Store
from bot.services.outbox import file_payload, message_payload
from storage.outbox import Queued

log = logging.getLogger(__name__)

# The digest goes to the office in the committee's language.
DIGEST_LANGUAGE = "vi"


def digest_folder(config: Config, quarter: Quarter) -> Path:
    """Where a quarter's queued digest files wait to be sent: beside the database."""
    return Path(config.storage.path).resolve().parent / "digests" / str(quarter)


async def queue_digest(
    store: Store,
    config: Config,
    quarter: Quarter,
    now: datetime,
    chats: Sequence[str] | None = None,
) -> list[str]:
    """Queue QUARTER's digest for CHATS (default: every digest chat) that have not had it.

    Returns the chats it was queued for now. A chat's digest is one message, then the files
    its channel carries, all keyed under the chat's digest key and queued in one transaction:
    the message's key decides whether the chat has had it. Once the quarter is closed, its
    digest is the final one, under keys of its own: a chat has each once.
    """
    targets = list(dict.fromkeys(config.access.digest_targets if chats is None else chats))
    final = await store.closing.closed(quarter) is not None
    keys = {chat: digest_chat_key(quarter, chat, final=final) for chat in targets}
    done = await store.outbox.queued_keys(list(keys.values()))
    fresh = [chat for chat in targets if keys[chat] not in done]
    if not fresh:
        return []
    rendered = await render_digest(
        store, config, quarter, now, digest_folder(config, quarter), language=DIGEST_LANGUAGE
    )
    messages: list[Queued] = []
    for chat in fresh:
        channel = chat.partition(":")[0]
        text = message_payload(Message(rendered.text_for(channel)))
        messages.append(Queued(keys[chat], text, now, chat=chat))
        for path, caption in rendered.files_for(channel):
            kind = path.suffix.removeprefix(".")
            payload = file_payload(path, caption)
            messages.append(Queued(f"{keys[chat]}:file={kind}", payload, now, chat=chat))
    async with store.transaction():
        # Asked again under the write lock: another process (`digest --send` beside `run`)
        # may have queued some chat's digest while this one rendered.
        done = await store.outbox.queued_keys([keys[chat] for chat in fresh])
        fresh = [chat for chat in fresh if keys[chat] not in done]
        await store.outbox.enqueue_all([m for m in messages if m.chat in fresh], now)
    if fresh:
        log.info("digest %s queued for %s", quarter, ", ".join(fresh))
    return fresh
