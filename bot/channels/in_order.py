"""One person's updates one at a time, in the order they came; different people's side by side.

Both networked channels use it: Telegram through PTB's update processor (which bounds how
many run at once itself), Zalo through submit() (bounded here). asyncio locks are first come,
first served, so a person's second message waits for the first to be answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Hashable
from typing import Any

log = logging.getLogger(__name__)


class InOrder:
    """Runs each sender's work in turn; at most LIMIT pieces of work at once (None: no bound)."""

    def __init__(self, limit: int | None = None):
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._waiting: dict[Hashable, int] = {}  # work holding or awaiting each sender's lock
        self._slots = asyncio.Semaphore(limit) if limit is not None else None
        self._running: set[asyncio.Task[None]] = set()

    async def run(self, sender: Hashable, work: Awaitable[Any]) -> None:
        """Await WORK once the sender's earlier work is done (and a slot is free)."""
        async with self._turn(sender):
            await work

    def submit(self, sender: Hashable, work: Awaitable[Any]) -> None:
        """Run WORK in the background, in its turn; a failure is logged, not raised."""
        task = asyncio.create_task(self._logged(sender, work))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def join(self) -> None:
        """Wait for everything submitted so far to be done."""
        while self._running:
            await asyncio.wait(set(self._running))

    async def _logged(self, sender: Hashable, work: Awaitable[Any]) -> None:
        try:
            await self.run(sender, work)
        except Exception:
            log.exception("an update from %s failed", sender)

    @contextlib.asynccontextmanager
    async def _turn(self, sender: Hashable) -> AsyncIterator[None]:
        lock = self._locks.setdefault(sender, asyncio.Lock())
        self._waiting[sender] = self._waiting.get(sender, 0) + 1
        try:
            async with lock:
                if self._slots is None:
                    yield
                else:
                    async with self._slots:
                        yield
        finally:
            self._waiting[sender] -= 1
            if not self._waiting[sender]:  # forget idle people, or the dicts grow forever
                del self._waiting[sender], self._locks[sender]
