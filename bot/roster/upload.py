"""A roster uploaded through the board: a workbook, or a zip of the CSV files, read as
`checkin-bot import` reads a file or a folder (bot.roster.files), whatever its name claims;
previewed, then applied.

Reading a city's roster and working out what it changes are seconds of Python: the board has
them done in a worker process (bot.digest.apart), through a connection of its own, as the
command line's import does beside the running bot. In the bot's process they would stand
between the chats and their answers (bench/board.py).
"""

from __future__ import annotations

import asyncio
import io
import re
import tempfile
import zipfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.config import Config
from bot.core.roster import Roster
from bot.roster.files import SPECS, Problem, RosterFileError, read_tables
from bot.roster.parse import parse_roster
from bot.services.roster import apply_roster, preview_roster
from storage.roster import Changes
from storage.store import Store

# A city's roster as CSV is a few MB; more than this unpacked is not a roster (or a zip bomb).
MAX_UNPACKED = 64 * 1024 * 1024
_CSV_NAMES = {f"{spec.name}.csv" for spec in SPECS}


def read_upload(name: str, content: bytes, tz: ZoneInfo) -> Roster:
    """The roster in CONTENT (uploaded as NAME); RosterFileError lists every problem."""
    shown = _safe_name(name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise _not_a_roster(shown) from None
    with archive, tempfile.TemporaryDirectory(prefix="checkin-upload-") as folder:
        if "[Content_Types].xml" in archive.namelist():  # an Office file: a workbook
            path = Path(folder) / (Path(shown).stem + ".xlsx")
            path.write_bytes(content)
        else:
            path = Path(folder) / "roster"
            _unpack_csv(archive, path, shown)
        return parse_roster(read_tables(path), tz)


def preview_upload(
    database: Path, config: Config, name: str, content: bytes, now: datetime
) -> Changes:
    """In a worker: what importing the upload into DATABASE would do now (nothing written);
    RosterFileError lists its problems."""
    return _with_roster(database, config, name, content, now, preview_roster)


def apply_upload(
    database: Path, config: Config, name: str, content: bytes, now: datetime
) -> Changes:
    """In a worker: import the upload into DATABASE; what it changed."""
    return _with_roster(database, config, name, content, now, apply_roster)


def _with_roster(
    database: Path,
    config: Config,
    name: str,
    content: bytes,
    now: datetime,
    use: Callable[[Store, Config, Roster, datetime], Awaitable[Changes]],
) -> Changes:
    roster = read_upload(name, content, config.committee.tz)

    async def used() -> Changes:
        async with await Store.open(database) as store:
            return await use(store, config, roster, now)

    return asyncio.run(used())


def _unpack_csv(archive: zipfile.ZipFile, folder: Path, shown: str) -> None:
    """The roster's CSV files from ARCHIVE into FOLDER, by their names, whatever folder
    inside the zip holds them; nothing else is written."""
    folder.mkdir()
    found: dict[str, zipfile.ZipInfo] = {}
    problems = []
    for entry in archive.infolist():
        base = entry.filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
        if entry.is_dir() or base not in _CSV_NAMES or "__macosx" in entry.filename.lower():
            continue
        if base in found:
            problems.append(Problem(shown, 0, base, "in the zip twice (keep one)"))
        found[base] = entry
    if sum(entry.file_size for entry in found.values()) > MAX_UNPACKED:
        problems.append(Problem(shown, 0, "-", "too large once unpacked for a roster"))
    if not found:
        problems.append(
            Problem(
                shown,
                0,
                "-",
                f"no roster files in the zip (expected {', '.join(sorted(_CSV_NAMES))})",
            )
        )
    if problems:
        raise RosterFileError(problems)
    for base, entry in found.items():
        with archive.open(entry) as source:
            data = source.read(MAX_UNPACKED + 1)
        if len(data) > MAX_UNPACKED:
            raise RosterFileError([Problem(shown, 0, base, "too large once unpacked")])
        (folder / base).write_bytes(data)


def _not_a_roster(shown: str) -> RosterFileError:
    return RosterFileError(
        [Problem(shown, 0, "-", "not an .xlsx workbook nor a .zip of the roster's CSV files")]
    )


def _safe_name(name: str) -> str:
    """The uploaded file's own name, as problems name it (no folders, nothing odd)."""
    base = re.sub(r"[^\w.\- ]", "_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return base[:80] or "roster"
