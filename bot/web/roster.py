"""/roster: upload a workbook or a zip of CSV files; see its line problems (nothing changed),
or a preview of what it would change, with Apply; download the roster as it stands.

The preview is the import's own plan, worked out and not applied, and is said in the lines
`checkin-bot import` prints (bot.roster.summary), in the admin's language. Reading, working out
and applying a file are done in a worker process (bot.roster.upload says why)."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from aiohttp import web

from bot.core.config import Config
from bot.digest.apart import in_worker
from bot.roster.export import export_roster
from bot.roster.files import RosterFileError
from bot.roster.summary import summary_lines
from bot.roster.upload import apply_upload, preview_upload
from bot.services.roster import current_roster
from bot.services.roster_upload import forget_upload, keep_upload, upload
from bot.web.context import XLSX, Board, admin_of, attachment, board_of, render, translator
from storage.roster import Changes

MAX_UPLOAD_MB = 20


async def roster_page(request: web.Request) -> web.Response:
    return render(request, "roster.html", **_nothing_yet())


def _nothing_yet() -> dict:
    return {"problems": [], "preview": None, "upload_id": "", "file_name": "", "stale": False,
            "applied": None, "message_key": ""}  # fmt: skip


async def check_upload(request: web.Request) -> web.Response:
    """POST /roster: read the file; its problems, or what it would change."""
    board = board_of(request)
    form = await request.post()
    field = form.get("roster")
    if not isinstance(field, web.FileField):
        return render(
            request, "roster.html", **{**_nothing_yet(), "message_key": "board.roster_no_file"}
        )
    name = field.filename or "roster"
    content = await asyncio.to_thread(field.file.read)
    now = board.clock.now()
    try:
        changes = await _in_worker(preview_upload, board, name, content, now)
    except RosterFileError as exc:
        return render(
            request, "roster.html", status=422,
            **{**_nothing_yet(), "problems": [str(p) for p in exc.problems], "file_name": name},
        )  # fmt: skip
    upload_id = await keep_upload(board.store, admin_of(request).person_id, name, content, now)
    return _preview(request, changes, now, upload_id, name, stale=False)


async def apply(request: web.Request) -> web.Response:
    """POST /roster/apply: the previewed file, unless the roster changed since the preview."""
    board = board_of(request)
    form = await request.post()
    upload_id = str(form.get("upload", ""))
    person_id = admin_of(request).person_id
    kept = await upload(board.store, person_id, upload_id)
    if kept is None:
        return render(
            request, "roster.html", **{**_nothing_yet(), "message_key": "board.upload_gone"}
        )
    name, content, stale = kept
    now = board.clock.now()
    if stale:  # someone changed the roster meanwhile: show what this file would change now
        changes = await _in_worker(preview_upload, board, name, content, now)
        upload_id = await keep_upload(board.store, person_id, name, content, now)
        return _preview(request, changes, now, upload_id, name, stale=True)
    changes = await _in_worker(apply_upload, board, name, content, now)
    await forget_upload(board.store, upload_id)
    applied = _said(request, changes, now)
    return render(
        request, "roster.html", **{**_nothing_yet(), "applied": applied, "file_name": name}
    )


async def _in_worker(
    use: Callable[[Path, Config, str, bytes, datetime], Changes],
    board: Board,
    name: str,
    content: bytes,
    now: datetime,
) -> Changes:
    """USE (preview_upload or apply_upload) on the uploaded file, in the worker process."""
    return await in_worker(use, _database(board), board.config, name, content, now)


def _database(board: Board) -> Path:
    # The worker's working directory is not necessarily ours.
    return Path(board.store.db.path).absolute()


def _preview(
    request: web.Request,
    changes: Changes,
    now: datetime,
    upload_id: str,
    name: str,
    *,
    stale: bool,
) -> web.Response:
    preview = _said(request, changes, now) if changes.total else []
    return render(
        request, "roster.html",
        **{**_nothing_yet(), "preview": preview, "upload_id": upload_id, "file_name": name,
           "stale": stale},
    )  # fmt: skip


def _said(request: web.Request, changes: Changes, now: datetime) -> list[str]:
    """CHANGES, made on NOW's day, as `checkin-bot import` says them, in the admin's language."""
    return summary_lines(changes, _local_day(now, board_of(request)), translator(request))


async def download(request: web.Request) -> web.Response:
    """The roster as it stands, as a workbook `checkin-bot import` reads back unchanged."""
    board = board_of(request)
    with tempfile.TemporaryDirectory(prefix="checkin-board-") as folder:
        path = Path(folder) / "roster.xlsx"
        roster = await current_roster(board.store)
        # A city's workbook takes seconds to write: off the event loop.
        await asyncio.to_thread(export_roster, roster, path, board.config.committee.tz)
        content = await asyncio.to_thread(path.read_bytes)
    day = _local_day(board.clock.now(), board).isoformat()
    return attachment(content, f"roster-{day}.xlsx", XLSX)


def _local_day(now: datetime, board: Board) -> date:
    return now.astimezone(board.config.committee.tz).date()


def routes() -> list[web.RouteDef]:
    return [
        web.get("/roster", roster_page),
        web.post("/roster", check_upload),
        web.post("/roster/apply", apply),
        web.get("/roster/roster.xlsx", download),
    ]
