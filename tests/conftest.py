"""Shared fixtures: a config, an opened store on a real SQLite file, the sample roster."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dialogue import World, make_world

from bot.core.config import Config, Storage
from bot.sample import SAMPLE_DIR
from storage.db import Database
from storage.store import Store

ROSTER_FILES = ("members", "organizations", "cells", "assignments", "meetings")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's SQLite file lives (not created until something opens it)."""
    return tmp_path / "checkin-bot.sqlite3"


@pytest.fixture
def config(db_path: Path) -> Config:
    """All defaults, except that storage.path points into the test's tmp_path."""
    return Config(storage=Storage(path=str(db_path)))


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """The sample district behind a bot at the demo's clock (see tests/dialogue.py)."""
    opened = await make_world(tmp_path)
    try:
        yield opened
    finally:
        await opened.store.close()


@pytest.fixture
async def store(config: Config) -> AsyncIterator[Store]:
    """A Store opened (and migrated) on config.storage.path, closed after the test."""
    opened = await Store.open(config.storage.path)
    try:
        yield opened
    finally:
        await opened.close()


def copy_sample_roster(target: Path) -> Path:
    """Copy the sample district's roster CSV files (not activity.csv) to the folder TARGET."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ROSTER_FILES:
        shutil.copyfile(SAMPLE_DIR / f"{name}.csv", target / f"{name}.csv")
    return target


@pytest.fixture
def sample_roster_dir(tmp_path: Path) -> Path:
    """A private copy of the sample roster folder, free to edit."""
    return copy_sample_roster(tmp_path / "roster")


async def dump(db: Database | Store) -> dict[str, list[tuple]]:
    """Every table's rows as sorted tuples: compare two dumps for "database exactly as before"."""
    if isinstance(db, Store):
        db = db.db
    tables = [
        row[0]
        for row in await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    return {
        table: sorted(
            (tuple(row) for row in await db.fetchall(f'SELECT * FROM "{table}"')), key=repr
        )
        for table in tables
    }


def soffice() -> str:
    """LibreOffice's program, for the tests that open our files in it: skipped where it is
    missing, except under CI, where it must be there (.ci/run installs it)."""
    found = shutil.which("soffice")
    if found is None:
        how = "install LibreOffice Calc: apt-get install -y libreoffice-calc-nogui"
        if os.environ.get("CI") == "true":
            pytest.fail(f"soffice is missing under CI ({how})")
        pytest.skip(f"soffice is missing: {how}")
    return found
