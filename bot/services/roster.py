"""The roster as the office loads it: applied all at once, previewed, and read back whole."""

from __future__ import annotations

from datetime import datetime

from bot.core.config import Config
from bot.core.roster import Roster
from storage.roster import Changes
from storage.store import Store
from storage.timefmt import to_db


async def apply_roster(store: Store, config: Config, roster: Roster, now: datetime) -> Changes:
    """Make the stored roster ROSTER; what it leaves out is retired or ended, not erased."""
    return await store.roster.apply(roster, to_db(now), now.astimezone(config.committee.tz).date())


async def preview_roster(store: Store, config: Config, roster: Roster, now: datetime) -> Changes:
    """What apply_roster would change now; nothing is written."""
    day = now.astimezone(config.committee.tz).date()
    return await store.roster.preview(roster, to_db(now), day)


async def current_roster(store: Store) -> Roster:
    return await store.roster.load()
