"""Coverage of a quarter, read from the store."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from bot.config import Config
from bot.coverage import QuarterCoverage, coverage_for_quarter
from bot.quarters import Quarter
from storage.store import Store


async def quarter_coverage(store: Store, config: Config, quarter: Quarter) -> QuarterCoverage:
    # A city's quarter builds ~20,000 visits and as many pairs, all kept: the cyclic garbage
    # collector would walk them (and the rest of the heap) several times over for nothing
    # while they are made, about a fifth of the whole computation.
    with collection_paused():
        return await _quarter_coverage(store, config, quarter)


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (reference counting still frees as usual)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


async def _quarter_coverage(store: Store, config: Config, quarter: Quarter) -> QuarterCoverage:
    tz = config.committee.tz
    start, end = quarter.utc_bounds(tz)
    roster = await store.coverage.roster_shape(quarter.start, quarter.end)
    return coverage_for_quarter(
        quarter,
        tz,
        members=roster.members,
        organizations=roster.organizations,
        assignments=roster.assignments,
        visits=await store.coverage.visits_between(start, end),
        minimum_overlap_days=config.coverage.minimum_overlap_days,
    )
