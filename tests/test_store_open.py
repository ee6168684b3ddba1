"""A database the bot cannot use stops the start: one line saying what to do, exit 2, at once.

Each fault is a real file on a real disk: a file that is not SQLite, a half-copied database, a
database from a newer build, a path that cannot be written (a read-only file system, a folder
that cannot be made), a full disk. Every CLI subcommand that opens the store meets each one
in-process (its exit code, its one line, and no thread left behind: aiosqlite's thread, left
running, kept the process alive for ever); `run` and `coverage` meet each one as real processes
that must end by themselves.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from disk import SmallDisk, small_disk
from fakes.telegram_api import FakeTelegram
from test_cli import _isolated, run  # noqa: F401  (_isolated: a working directory of its own)

from bot.cli import main
from bot.sample import SAMPLE_DIR
from storage import db_file
from storage.db import Database
from storage.faults import StoreUnusable

ROOT = Path(__file__).resolve().parent.parent
PROCESS_TIMEOUT_S = 20  # a hang, not a slow start: the bot ends in well under a second


@dataclass
class Fault:
    """A config whose storage.path the bot cannot use, and words its one line must have."""

    config: Path
    database: Path
    says: str


def write_config(folder: Path, database: Path) -> Path:
    config = folder / "config.toml"
    config.write_text(f'[storage]\npath = "{database}"\n', encoding="utf-8")
    return config


def sample_database(path: Path) -> None:
    """The sample district imported into PATH (through the CLI, as the office does)."""
    config = write_config(path.parent, path)
    assert main(["import", str(SAMPLE_DIR), "--config", str(config)]) == 0
    config.unlink()


def not_sqlite(tmp_path: Path) -> Fault:
    database = tmp_path / "bot.sqlite3"
    # storage.path pointed at the roster by mistake: a file, but no database.
    shutil.copyfile(SAMPLE_DIR / "members.csv", database)
    return Fault(write_config(tmp_path, database), database, "not an SQLite database")


def half_copied(tmp_path: Path) -> Fault:
    whole = tmp_path / "whole.sqlite3"
    sample_database(whole)
    database = tmp_path / "bot.sqlite3"
    data = whole.read_bytes()
    database.write_bytes(data[: len(data) // 2])
    return Fault(write_config(tmp_path, database), database, "cut short")


def newer_schema(tmp_path: Path) -> Fault:
    database = tmp_path / "bot.sqlite3"
    sample_database(database)
    with closing(sqlite3.connect(database)) as conn, conn:
        conn.execute(
            "INSERT INTO schema_migrations (name, applied_at)"
            " VALUES ('0999_from_a_newer_build', '2022-01-01T00:00:00+00:00')"
        )
    return Fault(write_config(tmp_path, database), database, "0999_from_a_newer_build")


def folder_cannot_be_made(tmp_path: Path) -> Fault:
    in_the_way = tmp_path / "data"
    in_the_way.write_text("a file where the database's folder should be\n", encoding="utf-8")
    database = in_the_way / "bot.sqlite3"
    return Fault(write_config(tmp_path, database), database, "cannot create its folder")


FAULTS: dict[str, Callable[[Path], Fault]] = {
    "not_sqlite": not_sqlite,
    "half_copied": half_copied,
    "newer_schema": newer_schema,
    "folder_cannot_be_made": folder_cannot_be_made,
}


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    with small_disk(tmp_path) as made:
        if not made.real:
            pytest.skip("needs a tmpfs of its own (root on Linux)")
        yield made


def read_only_disk(disk: SmallDisk) -> Fault:
    database = disk.folder / "bot.sqlite3"
    sample_database(database)
    disk.read_only()
    return Fault(write_config(disk.folder.parent, database), database, "read-only")


def full_disk(disk: SmallDisk) -> Fault:
    database = disk.folder / "bot.sqlite3"
    sample_database(database)
    disk.fill()
    return Fault(write_config(disk.folder.parent, database), database, "disk is full")


def new_database_on_a_full_disk(disk: SmallDisk) -> Fault:
    disk.fill()
    database = disk.folder / "bot.sqlite3"
    return Fault(write_config(disk.folder.parent, database), database, "disk is full")


DISK_FAULTS: dict[str, Callable[[SmallDisk], Fault]] = {
    "read_only_disk": read_only_disk,
    "full_disk": full_disk,
    "new_database_on_a_full_disk": new_database_on_a_full_disk,
}


def the_fault(request: pytest.FixtureRequest, tmp_path: Path) -> Fault:
    name = request.param
    if name in DISK_FAULTS:
        return DISK_FAULTS[name](request.getfixturevalue("disk"))
    return FAULTS[name](tmp_path)


@pytest.fixture(params=[*FAULTS, *DISK_FAULTS])
def fault(request: pytest.FixtureRequest, tmp_path: Path) -> Fault:
    return the_fault(request, tmp_path)


def left_running(before: set[threading.Thread]) -> list[threading.Thread]:
    """Threads started since BEFORE that do not end (a closed connection's thread ends soon
    after close() returns: it is given the time)."""
    started = [thread for thread in threading.enumerate() if thread not in before]
    for thread in started:
        thread.join(timeout=5)
    return [thread for thread in started if thread.is_alive()]


def contents(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def subcommands(tmp_path: Path) -> list[list[str]]:
    """Every subcommand that opens the store (demo opens a fresh one of its own)."""
    return [
        ["import", str(SAMPLE_DIR)],
        ["export", str(tmp_path / "exported")],
        ["coverage"],
        ["digest", "--out", str(tmp_path / "digest")],
        ["backup", str(tmp_path / "backup.sqlite3")],
        ["invite", "M01"],
    ]


def test_every_subcommand_stops_with_one_line_and_exit_2(fault, tmp_path, capsys):
    before = contents(fault.database)
    threads = set(threading.enumerate())

    for args in subcommands(tmp_path):
        code, out, err = run(capsys, fault.config, *args)

        assert code == 2, (args, err)
        [line] = err.splitlines()
        # backup looks first whether there is a database to copy at all.
        says = "no database there yet" if args[0] == "backup" and before is None else fault.says
        assert str(fault.database) in line and says in line, (args, line)
        assert "Traceback" not in err and out == ""
        assert not left_running(threads), f"{args}: a thread was left running"
    assert contents(fault.database) == before
    assert not (tmp_path / "exported").exists() and not (tmp_path / "digest").exists()
    assert not (tmp_path / "backup.sqlite3").exists()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    started = await FakeTelegram.start()
    yield started
    await started.close()


async def checkin_bot(config: Path, *args: str) -> tuple[int, str]:
    """Run `checkin-bot ARGS --config CONFIG` as a process; its exit code and stderr."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("CHECKIN_BOT_TELEGRAM_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, "--config", str(config),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=environment,
    )  # fmt: skip
    try:
        _, err = await asyncio.wait_for(process.communicate(), PROCESS_TIMEOUT_S)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"`checkin-bot {' '.join(args)}` hung") from None
    return process.returncode or 0, err.decode("utf-8")


@pytest.mark.parametrize("command", ["run", "coverage"])
async def test_the_process_ends_at_once_with_one_line_and_exit_2(fault, fake, command):
    config = fault.config
    if command == "run":
        with config.open("a", encoding="utf-8") as file:
            file.write(
                f'[telegram]\nenabled = true\ntoken = "{fake.token}"\n'
                f'api_base_url = "{fake.api_base_url}"\n'
            )
    before = contents(fault.database)

    code, err = await checkin_bot(config, command)

    assert code == 2, err
    [line] = err.splitlines()
    assert str(fault.database) in line and fault.says in line
    assert contents(fault.database) == before
    assert not fake.calls  # stopped before any channel started


# -- Database.open on its own ----------------------------------------------------------------


async def test_a_fresh_database_opens_and_one_on_a_disk_with_room_too(tmp_path):
    db = await Database.open(tmp_path / "new" / "bot.sqlite3")
    await db.close()
    db = await Database.open(tmp_path / "new" / "bot.sqlite3")  # and again, now that it exists
    assert await db.fetchval("SELECT count(*) FROM schema_migrations") > 0
    await db.close()


async def test_an_empty_file_is_a_new_database(tmp_path):
    (tmp_path / "bot.sqlite3").touch()
    db = await Database.open(tmp_path / "bot.sqlite3")
    assert await db.fetchval("SELECT count(*) FROM members") == 0
    await db.close()


async def test_a_database_whose_log_holds_its_last_pages_is_not_taken_for_half_copied(tmp_path):
    path = tmp_path / "bot.sqlite3"
    await asyncio.to_thread(sample_database, path)
    # A reader holding an old snapshot keeps the checkpoint from copying the log back, so the
    # file stays as it was while the log beside it holds the rest.
    writer = sqlite3.connect(path, isolation_level=None)
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM members").fetchone()
        writer.execute("CREATE TABLE filler (x)")
        writer.executemany("INSERT INTO filler VALUES (?)", [("x" * 1000,)] * 500)
        db = await Database.open(path)
        assert await db.fetchval("SELECT count(*) FROM filler") == 500
        await db.close()
    finally:
        reader.close()
        writer.close()


async def test_a_header_that_counts_more_pages_than_the_file_holds_is_refused(tmp_path):
    path = tmp_path / "bot.sqlite3"
    await asyncio.to_thread(sample_database, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 4096])  # the last page did not make it

    with pytest.raises(StoreUnusable, match="cut short"):
        await Database.open(path)


async def test_a_database_locked_past_the_timeout_while_it_must_migrate(tmp_path, monkeypatch):
    monkeypatch.setattr("storage.db.BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "bot.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)  # an empty database: every step pending
    other.execute("BEGIN IMMEDIATE")
    threads = set(threading.enumerate())
    try:
        with pytest.raises(StoreUnusable, match="write lock"):
            await Database.open(path)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not left_running(threads)


@pytest.mark.parametrize(("left", "starts"), [(512 * 1024, False), (2 * 1024 * 1024, True)])
async def test_a_nearly_full_disk_is_full_below_the_room_a_start_needs(disk, left, starts):
    path = disk.folder / "bot.sqlite3"
    await asyncio.to_thread(sample_database, path)
    disk.fill(leave=left)
    assert (disk.bytes_free() < db_file.MIN_FREE_BYTES) is not starts

    if starts:
        db = await Database.open(path)
        await db.execute("UPDATE members SET full_name = full_name || '.'")
        await db.close()
    else:
        with pytest.raises(StoreUnusable, match="disk is full"):
            await Database.open(path)
