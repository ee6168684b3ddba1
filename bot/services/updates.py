"""Updates a channel already took, so that one delivered twice is answered once.

Zalo has no offset to confirm updates by; Telegram re-delivers a webhook call whose answer was
lost, and hands out again, after a restart, the updates of a poll it did not see confirmed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.clock import Clock
from storage.store import Store

# How long an update's id is remembered: a platform re-delivers within minutes.
UPDATES_KEPT = timedelta(days=7)
FORGET_EVERY = timedelta(days=1)


class SeenUpdates:
    """The updates CHANNEL delivered, by the platform's own id."""

    def __init__(self, store: Store, clock: Clock, channel: str):
        self.store = store
        self.clock = clock
        self.channel = channel
        self._forgotten_at: datetime | None = None

    async def first_time(self, update_id: str) -> bool:
        """Note UPDATE_ID; False if it was delivered before."""
        now = self.clock.now()
        if self._forgotten_at is None or now - self._forgotten_at > FORGET_EVERY:
            await self.forget_old(now)
        return await self.store.updates_seen.first_time(self.channel, update_id, now)

    async def forget_old(self, now: datetime) -> None:
        await self.store.updates_seen.forget_before(now - UPDATES_KEPT)
        self._forgotten_at = now
