"""Reading a quarter's digest from the store."""

from __future__ import annotations

from datetime import datetime

from bot.core.config import Config
from bot.core.quarters import Quarter
from bot.digest.model import Digest
from bot.services import Store
from bot.services.coverage import quarter_coverage


async def gather_digest(store: Store, config: Config, quarter: Quarter, now: datetime) -> Digest:
    """Read what the digest of QUARTER says, as of NOW."""
    tz = config.committee.tz
    start, end = quarter.utc_bounds(tz)
    queries = store.digest
    coverage = await quarter_coverage(store, config, quarter)
    return Digest(
        committee=config.committee.name,
        quarter=quarter,
        as_of=now,
        as_of_day=min(now.astimezone(tz).date(), quarter.end),
        coverage=coverage,
        member_positions=await queries.member_positions(),
        organization_kinds=await queries.organization_kinds(),
        flagged_cell_names=await queries.cell_names(
            cell for o in coverage.organizations for cell in o.flagged_cells
        ),
        visits=tuple(await queries.visits_between(start, end)),
        unreachable=tuple(await queries.unreachable()),
    )
