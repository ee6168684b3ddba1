"""Housekeeping, once a day from the scheduler's tick: the outbox's sent and dropped rows older
than `[storage] keep_sent` are purged, and so are the digests' folders rendered before then
whose files no message still waits to carry."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from bot.core.config import Config
from bot.digest.outbox import remove_old_digest_folders
from storage.faults import StoreUnavailable
from storage.store import Store

log = logging.getLogger(__name__)

EVERY = timedelta(days=1)


class Housekeeping:
    def __init__(self, config: Config, store: Store):
        self.config = config
        self.store = store
        self._last: datetime | None = None  # this process's last purge: a start purges too

    async def run_due(self, now: datetime) -> None:
        """Purge, unless this process did within a day. A failure is logged and waits for the
        next day too: nothing here is urgent."""
        if self._last is not None and now - self._last < EVERY:
            return
        self._last = now
        try:
            rows, folders = await purge(self.store, self.config, now)
        except (StoreUnavailable, OSError) as exc:
            log.warning("housekeeping failed (%s); it is tried again in a day", exc)
            return
        if rows or folders:
            log.info(
                "housekeeping: %d old outbox rows and %d digest folders removed", rows, folders
            )


async def purge(store: Store, config: Config, now: datetime) -> tuple[int, int]:
    """Remove what was done with before NOW - keep_sent; return (rows, digest folders)."""
    before = now - config.storage.keep_sent
    rows = await store.housekeeping.purge_done(before)
    still_to_send = await store.housekeeping.files_still_to_send()
    # File work: off the loop.
    removed = await asyncio.to_thread(remove_old_digest_folders, config, before, still_to_send)
    return rows, len(removed)
