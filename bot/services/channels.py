"""Which chat app the bot writes to first, for a person linked on more than one (/channel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from storage.store import Store

CHANNEL_NAMES = {"telegram": "Telegram", "zalo": "Zalo"}

ChooseOutcome = Literal["chosen", "unknown", "not_linked"]


@dataclass(frozen=True)
class Reach:
    """Where the bot's own messages to a person go."""

    linked: tuple[str, ...]  # channels with a chat the bot can write to, the first one used
    chosen: str | None  # by /channel; None: the one used last

    @property
    def current(self) -> str | None:
        return self.linked[0] if self.linked else None


async def reach_of(store: Store, person_id: int) -> Reach:
    accounts = await store.accounts.for_person(person_id)
    linked = tuple(dict.fromkeys(account.channel for account in accounts))
    return Reach(linked, await store.people.chosen_channel(person_id))


async def choose_channel(store: Store, person_id: int, channel: str) -> ChooseOutcome:
    """Send the bot's own messages to the person on CHANNEL, where they are linked."""
    if channel not in CHANNEL_NAMES:
        return "unknown"
    if channel not in (await reach_of(store, person_id)).linked:
        return "not_linked"
    await store.people.choose_channel(person_id, channel)
    return "chosen"


async def mark_unreachable(store: Store, channel: str, user_id: str, now: datetime) -> None:
    """USER_ID's chat on CHANNEL refused the bot (they blocked it): no messages go there until
    they write again (then identity.note_seen makes it reachable)."""
    account = await store.accounts.find(channel, user_id)
    if account is not None:
        await store.accounts.mark_unreachable(account.id, now)
