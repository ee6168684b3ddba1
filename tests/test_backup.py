"""Nightly backups with a retention count, and a restore the committee's IT clerk can do.

The CLI runs in-process with a FakeClock against real SQLite files; the live database is held
open by a bot-like connection while it is backed up, its last writes still in the WAL.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.clock import FakeClock
from bot.core.config import ENV_CONFIG, ENV_TELEGRAM_TOKEN, ENV_ZALO_TOKEN, load_config
from bot.sample import load_sample
from storage.store import Store

NIGHT = datetime(2021, 11, 20, 19, 30, tzinfo=UTC)  # 02:30 local on 21/11/2021
Q4 = "2021Q4"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for variable in (ENV_CONFIG, ENV_TELEGRAM_TOKEN, ENV_ZALO_TOKEN):
        monkeypatch.delenv(variable, raising=False)
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")


def write_config(path: Path, database: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[storage]\npath = "{database.as_posix()}"\n', encoding="utf-8")
    return path


@pytest.fixture
def live(tmp_path: Path) -> Path:
    """The config of a database holding the sample district and its quarter of check-ins."""
    config = write_config(tmp_path / "etc" / "config.toml", tmp_path / "state" / "bot.sqlite3")

    async def seed() -> None:
        loaded = load_config(config)
        async with await Store.open(loaded.storage.path) as store:
            await load_sample(store, loaded, NIGHT)

    asyncio.run(seed())
    return config


def cli(capsys: pytest.CaptureFixture[str], *args: object, now: datetime = NIGHT):
    """Run `checkin-bot ARGS` in-process; return (exit code, stdout lines, stderr lines)."""
    capsys.readouterr()
    code = main([str(arg) for arg in args], clock=FakeClock(now))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def quick_check(path: Path) -> str:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return db.execute("PRAGMA quick_check").fetchone()[0]


def test_nightly_backups_keep_the_newest_n(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backups = tmp_path / "state" / "backups"
    names = []
    for night in range(5):
        now = NIGHT + timedelta(days=night)
        code, out, err = cli(capsys, "backup", backups, "--keep", 3, "--config", live, now=now)
        assert code == 0, err
        name = f"checkin-bot-202111{21 + night}-023000.sqlite3"
        names.append(name)
        assert out[0] == f"Backup written to {backups / name}"
        if night < 3:
            assert out[1:] == []
        else:
            assert out[1:] == [f"Removed 1 older than the newest 3: {names[night - 3]}"]

    assert sorted(p.name for p in backups.iterdir()) == names[2:]  # nothing half-written beside
    assert all(quick_check(backups / name) == "ok" for name in names[2:])


def test_a_folder_without_keep_gets_a_dated_backup_and_loses_none(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "by-hand"
    folder.mkdir()
    (folder / "checkin-bot-20200101-000000.sqlite3").write_bytes(b"an old one")

    code, out, err = cli(capsys, "backup", folder, "--config", live)

    assert code == 0, err
    assert out == [f"Backup written to {folder / 'checkin-bot-20211121-023000.sqlite3'}"]
    assert len(list(folder.iterdir())) == 2


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["{file}", "--keep", "2"], "{file}: exists and is not a folder (--keep needs a folder"),
        (["{folder}", "--keep", "0"], "argument --keep: '0' is not a whole number of 1 or more"),
        (["{folder}", "--keep", "x"], "argument --keep: 'x' is not a whole number of 1 or more"),
    ],
    ids=["keep into a file", "keep none", "keep what"],
)
def test_keep_needs_a_folder_and_a_count(
    live: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    file, folder = tmp_path / "a-file", tmp_path / "backups"
    file.write_bytes(b"keep me")
    filled = [arg.format(file=file, folder=folder) for arg in args]

    try:
        code, _, err = cli(capsys, "backup", *filled, "--config", live)
    except SystemExit as exit:  # argparse refuses a bad argument itself
        code, err = exit.code, capsys.readouterr().err.splitlines()

    assert code == 2
    assert expected.format(file=file) in err[-1]
    assert file.read_bytes() == b"keep me"
    assert not folder.exists()


def test_backup_then_restore_into_a_new_path_gives_the_same_coverage(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = Path(load_config(live).storage.path)
    backups = tmp_path / "state" / "backups"
    # The bot is running: its connection is open and its latest writes are still in the WAL.
    with closing(sqlite3.connect(database)) as bot:
        bot.execute("PRAGMA wal_autocheckpoint = 0")
        with bot:
            bot.execute("UPDATE checkins SET status = 'confirmed' WHERE status = 'pending'")
        assert Path(f"{database}-wal").stat().st_size > 0
        code, _, err = cli(capsys, "backup", backups, "--keep", 14, "--config", live)
        assert code == 0, err
        code, live_coverage, err = cli(
            capsys, "coverage", "--quarter", Q4, "--format", "json", "--config", live
        )
        assert code == 0, err

    # The README's restore, on another machine: copy the backup into place, point a config at it.
    (backup,) = backups.iterdir()
    restored = tmp_path / "new-server" / "var" / "lib" / "checkin-bot" / "checkin-bot.sqlite3"
    restored.parent.mkdir(parents=True)
    shutil.copyfile(backup, restored)
    new_config = write_config(tmp_path / "new-server" / "etc" / "config.toml", restored)

    code, restored_coverage, err = cli(
        capsys, "coverage", "--quarter", Q4, "--format", "json", "--config", new_config
    )

    assert code == 0, err
    assert restored_coverage == live_coverage
    assert '"pending": 0' in live_coverage[0] and '"covered": 0' not in live_coverage[0]
    assert quick_check(restored) == "ok"


# -- a full disk ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path, live: Path) -> Iterator[Path]:
    """A tmpfs with room for one backup of the live database and a half."""
    size = (tmp_path / "state" / "bot.sqlite3").stat().st_size * 3 // 2
    mount = tmp_path / "small-disk"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a full-disk test mounts a small tmpfs, which needs root: {mounted.stderr}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_backup_cut_short_by_a_full_disk_leaves_nothing_and_removes_no_old_one(
    live: Path, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first_night = "checkin-bot-20211121-023000.sqlite3"
    code, _, err = cli(capsys, "backup", small_disk, "--keep", 1, "--config", live)
    assert code == 0, err

    code, out, err = cli(
        capsys, "backup", small_disk, "--keep", 1, "--config", live, now=NIGHT + timedelta(days=1)
    )

    target = small_disk / "checkin-bot-20211122-023000.sqlite3"
    assert code == 1
    assert out == []
    assert len(err) == 1 and err[0].startswith(f"{target}: the backup failed (")
    assert err[0].endswith("); no backup was written")
    assert "full" in err[0]
    assert [p.name for p in small_disk.iterdir()] == [first_night]
    assert quick_check(small_disk / first_night) == "ok"

    (small_disk / first_night).unlink()  # the clerk makes room
    code, out, err = cli(
        capsys, "backup", small_disk, "--keep", 1, "--config", live, now=NIGHT + timedelta(days=1)
    )
    assert code == 0, err
    assert [p.name for p in small_disk.iterdir()] == [target.name]
