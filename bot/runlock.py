"""One `checkin-bot run` per database: an exclusive lock on a file beside it.

Two bots on one database send messages twice (each re-queues the other's rows in flight at its
start, and both drain the outbox), and fight over Telegram's getUpdates. The lock is the
operating system's (flock), so it goes with the process however that ends, kill -9 included:
the next `run` takes over at once. The file also says who holds it (pid, since when), for the
refusal and for `checkin-bot status`; the other subcommands never take it.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

SUFFIX = ".run-lock"


class RunLockError(Exception):
    """The lock cannot be had; ``problems`` holds one line per problem."""

    def __init__(self, *problems: str):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Holder:
    pid: int | None
    since: datetime | None


def lock_path(database: str | Path) -> Path:
    return Path(f"{database}{SUFFIX}")


class RunLock:
    """Held from take() until release() (or the process's end)."""

    def __init__(self, path: Path, file: IO[str]):
        self.path = path
        self._file = file

    @classmethod
    def take(cls, database: str | Path, now: datetime) -> RunLock:
        """The lock of DATABASE, or RunLockError saying who holds it."""
        path = lock_path(database)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            file = path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise RunLockError(
                f"storage.path: cannot write beside the database ({path}: {exc.strerror})"
            ) from None
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.close()
            raise RunLockError(_refusal(database, holder(database))) from None
        file.seek(0)
        file.truncate()
        file.write(json.dumps({"pid": os.getpid(), "since": now.isoformat()}))
        file.flush()
        return cls(path, file)

    def release(self) -> None:
        """Let the next `run` have the database (the file stays: removing it would race)."""
        if not self._file.closed:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()


def holder(database: str | Path) -> Holder | None:
    """Who runs the bot on DATABASE now, if anyone does."""
    path = lock_path(database)
    try:
        file = path.open(encoding="utf-8")
    except OSError:
        return None
    with file:
        try:
            fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder_in(path)
        fcntl.flock(file, fcntl.LOCK_UN)
        return None  # a file left by a run that has ended


def _holder_in(path: Path) -> Holder:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Holder(int(data["pid"]), datetime.fromisoformat(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return Holder(None, None)  # caught between the lock and the writing of who holds it


def _refusal(database: str | Path, found: Holder | None) -> str:
    who = "another `checkin-bot run`"
    if found is not None and found.pid is not None:
        since = f", since {found.since:%Y-%m-%d %H:%M:%S %z}" if found.since else ""
        who += f" (pid {found.pid}{since})"
    return f"{database}: {who} is already serving this database; stop it first"
