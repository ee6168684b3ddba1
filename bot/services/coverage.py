"""Coverage of a quarter, read from the store."""

from __future__ import annotations

from bot.config import Config
from bot.coverage import QuarterCoverage, coverage_for_quarter
from bot.quarters import Quarter
from storage.store import Store


async def quarter_coverage(store: Store, config: Config, quarter: Quarter) -> QuarterCoverage:
    tz = config.committee.tz
    start, end = quarter.utc_bounds(tz)
    queries = store.coverage
    return coverage_for_quarter(
        quarter,
        tz,
        members=await queries.member_names(),
        organizations=await queries.organizations(),
        assignments=await queries.assignments_between(quarter.start, quarter.end),
        visits=await queries.visits_between(start, end),
        minimum_overlap_days=config.coverage.minimum_overlap_days,
    )
