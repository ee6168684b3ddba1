"""The record of a quarter's decisions: every check-in with each decision on it."""

from __future__ import annotations

from bot.core.config import Config
from bot.core.decisions import AuditedCheckin
from bot.core.quarters import Quarter
from storage.store import Store


async def quarter_audit(store: Store, config: Config, quarter: Quarter) -> list[AuditedCheckin]:
    """Every check-in at a meeting of QUARTER (local time), in meeting order, with its history."""
    start, end = quarter.utc_bounds(config.committee.tz)
    return await store.audit.checkins_between(start, end)
