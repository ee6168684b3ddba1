"""A channel's first calls (who am I, where do updates go), tried until the platform answers.

A platform that is down, slow or busy at the moment the bot starts (a 429, a 5xx, a timeout, a
refused connection) is waited out with a backoff and one line in the log, not a crash; what
will not pass by waiting (a refused token) is the channel's to raise.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from bot.outage import Outage, backoff_step

log = logging.getLogger(__name__)

T = TypeVar("T")
# Waits (seconds) before the 1st, 2nd, ... retry of a call that failed for a reason that
# passes (429, 5xx, the network); the last one repeats. Zalo's polling and replies use it too.
BACKOFF: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 30.0)
# What a channel's wait_for answers for a fault that passes but names no wait of its own.
USE_BACKOFF = -1.0

Pause = Callable[[float], Awaitable[None]]


async def until_answered(
    what: str,
    call: Callable[[], Awaitable[T]],
    wait_for: Callable[[Exception], float | None],
    *,
    backoff: Sequence[float] = BACKOFF,
    pause: Pause = asyncio.sleep,
) -> T:
    """CALL's result, once the platform answers. WAIT_FOR says, for a failure, how long to
    wait (USE_BACKOFF: the backoff's next step), or None when waiting will not help (the
    failure is raised)."""
    trouble = Outage(log, what)
    while True:
        try:
            result = await call()
        except Exception as exc:
            asked = wait_for(exc)
            if asked is None:
                raise
            wait = backoff_step(backoff, trouble.failures + 1) if asked == USE_BACKOFF else asked
            trouble.failed(exc, f"trying again in {wait:g}s (and on, quietly)")
            await pause(wait)
            continue
        trouble.works()
        return result
