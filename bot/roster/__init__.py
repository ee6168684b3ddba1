"""The roster files the office keeps: CSV folders and workbooks, read, checked and written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.core.config import Config
from bot.roster.export import export_roster
from bot.roster.files import read_tables
from bot.roster.parse import parse_roster
from bot.services.roster import apply_roster, current_roster
from storage.roster import Changes
from storage.store import Store


async def import_roster(store: Store, config: Config, path: Path, now: datetime) -> Changes:
    """Load the roster at PATH; on any problem raise RosterFileError and change nothing."""
    roster = parse_roster(read_tables(path), config.committee.tz)
    return await apply_roster(store, config, roster, now)


async def export_roster_to(store: Store, config: Config, path: Path) -> None:
    export_roster(await current_roster(store), path, config.committee.tz)
