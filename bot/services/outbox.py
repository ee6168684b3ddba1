"""Messages on their way out: what a queued row says, and queuing one under its key."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.core.messages import Choice, Message
from storage.store import Store


def message_payload(message: Message) -> dict:
    return {"text": message.text, "choices": [[c.label, c.data] for c in message.choices]}


def file_payload(path: Path, caption: str = "") -> dict:
    return {"file": str(path), "caption": caption}


def payload_message(payload: dict) -> Message:
    return Message(
        payload["text"], tuple(Choice(label, data) for label, data in payload.get("choices", ()))
    )


async def queue_message(
    store: Store,
    key: str,
    message: Message,
    now: datetime,
    *,
    person_id: int | None = None,
    chat: str | None = None,
    due_at: datetime | None = None,
) -> bool:
    return await store.outbox.enqueue(
        key, message_payload(message), due_at or now, now, person_id=person_id, chat=chat
    )
