"""A small disk that a test can fill up and free again, and turn read-only.

    with small_disk(tmp_path) as disk:
        store = await Store.open(disk.folder / "bot.sqlite3")
        disk.fill(store.db)      # no byte left: the next write that needs room fails
        ...
        disk.free(store.db)      # room again

Where the test may mount file systems (root on Linux) the disk is a real tmpfs of SIZE,
mounted on a folder of tmp_path for the test and unmounted after: every process, the bot's
and the CLI's, meets the same full disk, and ENOSPC comes from the kernel. Elsewhere the folder
is a plain one and `fill` plays the full disk with SQLite's max_page_count on the databases it
is given (this process only; a write that fits in a page already there still succeeds): tests
that need the real thing check `disk.real` and skip.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from storage.db import Database

CHUNK = 4096  # tmpfs hands out pages: writing page by page fills it to the last one
UNLIMITED_PAGES = 1_073_741_823  # SQLite's default max_page_count


@dataclass
class SmallDisk:
    folder: Path
    real: bool  # a tmpfs of its own; else SQLite's max_page_count plays it
    _filler: Path = field(init=False)

    def __post_init__(self) -> None:
        self._filler = self.folder / ".filler"

    def fill(self, *databases: Database, leave: int = 0) -> None:
        """Leave no free byte, or about LEAVE (real); or let DATABASES grow no more (played)."""
        if self.real:
            with self._filler.open("ab", buffering=0) as filler:
                with contextlib.suppress(OSError):
                    while True:
                        filler.write(b"\0" * CHUNK)
                filler.truncate(max(0, filler.tell() - leave))
            return
        for db in databases:
            pages = db._connection.raw.execute("PRAGMA page_count").fetchone()[0]
            db._connection.raw.execute(f"PRAGMA max_page_count = {pages}")

    def free(self, *databases: Database) -> None:
        """Room again, as after fill()."""
        if self.real:
            self._filler.unlink(missing_ok=True)
            return
        for db in databases:
            db._connection.raw.execute(f"PRAGMA max_page_count = {UNLIMITED_PAGES}")

    def read_only(self) -> None:
        """Remount the disk read-only (real only; nothing may have a file open for writing)."""
        assert self.real, "only a real disk turns read-only"
        subprocess.run(["mount", "-o", "remount,ro", str(self.folder)], check=True)

    def bytes_free(self) -> int:
        stats = os.statvfs(self.folder)
        return stats.f_bavail * stats.f_frsize


@contextlib.contextmanager
def small_disk(tmp_path: Path, size: str = "4m") -> Iterator[SmallDisk]:
    """A SmallDisk of SIZE (tmpfs's size= option) on a new folder of TMP_PATH."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder))
    try:
        yield SmallDisk(folder, real=mounted)
    finally:
        if mounted:
            # Lazily: a process the test failed to end may still hold a file there.
            subprocess.run(["umount", "-l", str(folder)], check=True)


def _mount(*args: str) -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    try:
        done = subprocess.run(["mount", *args], capture_output=True, check=False)
    except FileNotFoundError:
        return False
    return done.returncode == 0
