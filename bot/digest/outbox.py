"""The quarterly digest on its way out: rendered once, queued for each digest chat once."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
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


# A rendering's folder is named by when it was made (UTC), then a few random letters.
MADE_AT = "%Y%m%dT%H%M%SZ"


def digests_root(config: Config) -> Path:
    """Where queued digests' files wait to be sent: beside the database."""
    return Path(config.storage.path).resolve().parent / "digests"


def digest_folder(config: Config, quarter: Quarter, now: datetime) -> Path:
    """A new folder for one rendering of QUARTER's digest (digests/<quarter>/<made at>-...).

    Its files are never written again: the messages queued with them send what they were
    queued with, whatever is rendered later (another chat's digest, `digest --send`).
    """
    quarter_folder = digests_root(config) / str(quarter)
    quarter_folder.mkdir(parents=True, exist_ok=True)
    made_at = now.astimezone(UTC).strftime(MADE_AT)
    return Path(tempfile.mkdtemp(prefix=f"{made_at}-", dir=quarter_folder))


def remove_old_digest_folders(
    config: Config, before: datetime, still_to_send: Collection[str]
) -> list[Path]:
    """Remove the renderings made before BEFORE whose files no message STILL_TO_SEND will
    carry; return them. Folders not named as digest_folder names them are left alone."""
    waiting = {Path(file).parent for file in still_to_send}
    removed = []
    for quarter_folder in _folders_in(digests_root(config)):
        for rendering in _folders_in(quarter_folder):
            made_at = _made_at(rendering.name)
            if made_at is not None and made_at < before and rendering not in waiting:
                shutil.rmtree(rendering)
                removed.append(rendering)
    return removed


def _folders_in(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.is_dir()) if folder.is_dir() else []


def _made_at(name: str) -> datetime | None:
    try:
        return datetime.strptime(name.partition("-")[0], MADE_AT).replace(tzinfo=UTC)
    except ValueError:
        return None


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
    folder = digest_folder(config, quarter, now)
    rendered = await render_digest(store, config, quarter, now, folder, language=DIGEST_LANGUAGE)
    messages: list[Queued] = []
    for chat in fresh:
        channel = chat.partition(":")[0]
        text = message_payload(Message(rendered.text_for(channel)))
        messages.append(Queued(keys[chat], text, now, chat=chat, bulk=True))
        for path, caption in rendered.files_for(channel):
            kind = path.suffix.removeprefix(".")
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
    else:  # every chat had it queued by another process meanwhile: nothing points here
        shutil.rmtree(folder)
    return fresh
