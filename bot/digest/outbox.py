"""The quarterly digest on its way out: rendered once, queued for each digest chat once."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bot.core.config import Config
from bot.core.i18n import Translator
from bot.core.message_parts import parts_for
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
# Channels that cannot carry a file (Zalo's bots send photos by URL only): their digest is the
# text, and a line saying where the files are.
TEXT_ONLY = frozenset({"zalo"})


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

    Returns the chats it was queued for now. A chat's digest is several rows (the text in
    parts its channel accepts, then the files), all keyed under the chat's digest key and
    queued in one transaction: the first key decides whether the chat has had it, so a later
    render of a different length cannot add a stray part.
    """
    targets = list(config.access.digest_targets if chats is None else chats)
    keys = {chat: digest_chat_key(quarter, chat) for chat in targets}
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
        for number, part in enumerate(parts_for(channel, rendered.text), 1):
            key = keys[chat] if number == 1 else f"{keys[chat]}:part={number}"
            messages.append(Queued(key, message_payload(Message(part)), now, chat=chat, bulk=True))
        if channel in TEXT_ONLY:
            where = Translator(DIGEST_LANGUAGE, config.committee.tz)("digest.files_elsewhere")
            payload = message_payload(Message(where))
            messages.append(
                Queued(f"{keys[chat]}:files-elsewhere", payload, now, chat=chat, bulk=True)
            )
            continue
        files = (
            ("xlsx", rendered.xlsx, rendered.xlsx_caption),
            ("png", rendered.png, rendered.png_caption),
        )
        for kind, path, caption in files:
            payload = file_payload(path, caption)
            messages.append(Queued(f"{keys[chat]}:file={kind}", payload, now, chat=chat, bulk=True))
    async with store.transaction():
        # Asked again under the write lock: another process (`digest --send` beside `run`)
        # may have queued some chat's digest while this one rendered.
        done = await store.outbox.queued_keys([keys[chat] for chat in fresh])
        fresh = [chat for chat in fresh if keys[chat] not in done]
        await store.outbox.enqueue_all([m for m in messages if m.chat in fresh], now)
    if fresh:
        log.info("digest %s queued for %s", quarter, ", ".join(fresh))
    return fresh
