"""Dialogues in progress (the note, a secretary's choice of cell): one per chat user, kept in
the store so that a restart between two steps loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.store import Store

Dialogue = tuple[str, dict[str, Any]]  # (flow, its state)


async def dialogue_in_progress(store: Store, channel: str, user_id: str) -> Dialogue | None:
    return await store.conversations.get(channel, user_id)


async def keep_dialogue(
    store: Store, channel: str, user_id: str, flow: str, state: dict[str, Any], now: datetime
) -> None:
    """Start FLOW, or move it on to STATE (it replaces any other dialogue of the user)."""
    await store.conversations.put(channel, user_id, flow, state, now)


async def end_dialogue(store: Store, channel: str, user_id: str) -> None:
    await store.conversations.clear(channel, user_id)
