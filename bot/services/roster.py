"""Importing and exporting the roster files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.config import Config
from bot.roster.export import export_roster
from bot.roster.files import read_tables
from bot.roster.parse import parse_roster
from storage.roster import Changes
from storage.store import Store
from storage.timefmt import to_db


async def import_roster(store: Store, config: Config, path: Path, now: datetime) -> Changes:
    """Load the roster at PATH; on any problem raise RosterFileError and change nothing."""
    roster = parse_roster(read_tables(path), config.committee.tz)
    return await store.roster.apply(roster, to_db(now))


async def export_roster_to(store: Store, config: Config, path: Path) -> None:
    export_roster(await store.roster.load(), path, config.committee.tz)
