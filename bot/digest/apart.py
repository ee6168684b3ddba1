"""The digest rendered in a process of its own, so that the chat never waits for it.

Drawing the chart holds Python's GIL for a tenth of a second at a time (matplotlib's Agg is
C++ that does not let go of it), writing the workbook for tens of milliseconds, and reading and
tallying a city's quarter is another second of Python. In a thread of the bot's own process,
each of those stretches stands between the chat's updates and their answers. A worker process
does it all through a connection of its own and hands back what it wrote; the bot's loop only
waits. One at a time, so that renderings queue rather than take both cores from the bot; a
fresh one for each rendering, so that the 150 MB a city's digest takes go back to the system
when it is done, not kept by an idle worker for months (starting one costs about a second and
a half, which a digest or a /report, seconds long anyway, bears).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

Result = TypeVar("Result")

# How much less CPU the worker is given than the bot when both want it (POSIX nice).
NICENESS = 10

_worker: ProcessPoolExecutor | None = None


async def in_worker(function: Callable[..., Result], *args: Any) -> Result:
    """FUNCTION(*ARGS) in the worker process (picklable, both ways)."""
    global _worker
    if _worker is None:
        # Spawned, not forked: the bot's threads (aiosqlite's, the channels') must not be
        # copied mid-step into the child. Niced: on a busy machine the chat comes first.
        _worker = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_lower_priority,
            max_tasks_per_child=1,
        )
    try:
        return await asyncio.get_running_loop().run_in_executor(_worker, function, *args)
    except BrokenProcessPool:
        _worker = None  # it died (killed, out of memory): the next digest starts a new one
        raise


def _lower_priority() -> None:
    if hasattr(os, "nice"):  # not on Windows
        os.nice(NICENESS)
