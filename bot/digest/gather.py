"""Reading a quarter's digest from the store."""

from __future__ import annotations

from datetime import datetime

from bot.core.closing import closing_moment
from bot.core.config import Config
from bot.core.quarters import Quarter
from bot.digest.model import Digest
from bot.services import Store
from bot.services.coverage import quarter_coverage


async def gather_digest(store: Store, config: Config, quarter: Quarter, now: datetime) -> Digest:
    """Read what the digest of QUARTER says, as of NOW: of a closed quarter, its frozen record."""
    tz = config.committee.tz
    start, end = quarter.utc_bounds(tz)
    queries = store.digest
    coverage = await quarter_coverage(store, config, quarter)
    if coverage.closed_at is not None:
        frozen = await store.closing.frozen(quarter)
        positions, kinds = frozen.positions, frozen.kinds
        flagged_cell_names = frozen.flagged_cell_names
        visits = await queries.closed_visits(str(quarter))
    else:
        positions = await queries.member_positions()
        kinds = await queries.organization_kinds()
        flagged_cell_names = await queries.cell_names(
            cell for o in coverage.organizations for cell in o.flagged_cells
        )
        visits = await queries.visits_between(start, end)
    made_during = await store.closing.amendments_made_between(start, min(now, end))
    earlier = tuple(a._replace(at=a.at.astimezone(tz)) for a in made_during if a.quarter != quarter)
    return Digest(
        committee=config.committee.name,
        quarter=quarter,
        as_of=now,
        as_of_day=min(now.astimezone(tz).date(), quarter.end),
        coverage=coverage,
        member_positions=positions,
        organization_kinds=kinds,
        flagged_cell_names=flagged_cell_names,
        visits=tuple(visits),
        unreachable=tuple(await queries.unreachable()),
        closed_at=coverage.closed_at,
        closes_at=closing_moment(
            quarter, tz, config.coverage.close_after, config.reminders.checkin_closes_after
        ),
        amendments=coverage.amendments + earlier,
    )
