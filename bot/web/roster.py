"""/roster: upload a workbook or a zip of CSV files; see its line problems (nothing changed),
or a preview of what it would change, with Apply; download the roster as it stands.

The preview is the import's own plan, worked out and not applied, and is said in the lines
`checkin-bot import` prints (bot.roster.summary), in the admin's language."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import datetime
from pathlib import Path

from aiohttp import web

from bot.core.roster import Roster
from bot.roster.export import export_roster
from bot.roster.files import RosterFileError
from bot.roster.summary import summary_lines
from bot.roster.upload import read_upload
from bot.services.roster import current_roster, preview_roster
from bot.services.roster_upload import apply_upload, keep_upload, upload
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
    try:
        roster = await _read(board, name, content)
    except RosterFileError as exc:
        return render(
            request, "roster.html", status=422,
            **{**_nothing_yet(), "problems": [str(p) for p in exc.problems], "file_name": name},
        )  # fmt: skip
    now = board.clock.now()
    upload_id = await keep_upload(board.store, admin_of(request).person_id, name, content, now)
    return await _preview(request, roster, upload_id, name, stale=False)


async def apply(request: web.Request) -> web.Response:
    """POST /roster/apply: the previewed file, unless the roster changed since the preview."""
    board = board_of(request)
    form = await request.post()
    upload_id = str(form.get("upload", ""))
    kept = await upload(board.store, admin_of(request).person_id, upload_id)
    if kept is None:
        return render(
            request, "roster.html", **{**_nothing_yet(), "message_key": "board.upload_gone"}
        )
    name, content, stale = kept
    roster = await _read(board, name, content)
    now = board.clock.now()
    if stale:  # someone changed the roster meanwhile: show what this file would change now
        upload_id = await keep_upload(board.store, admin_of(request).person_id, name, content, now)
        return await _preview(request, roster, upload_id, name, stale=True)
    changes = await apply_upload(board.store, board.config, upload_id, roster, now)
    applied = _said(request, changes)
    return render(
        request, "roster.html", **{**_nothing_yet(), "applied": applied, "file_name": name}
    )


async def _read(board: Board, name: str, content: bytes) -> Roster:
    # Checking a city's roster takes a while: off the event loop, so the chats go on.
    return await asyncio.to_thread(read_upload, name, content, board.config.committee.tz)


async def _preview(
    request: web.Request, roster: Roster, upload_id: str, name: str, *, stale: bool
) -> web.Response:
    board = board_of(request)
    changes = await preview_roster(board.store, board.config, roster, board.clock.now())
    preview = _said(request, changes) if changes.total else []
    return render(
        request, "roster.html",
        **{**_nothing_yet(), "preview": preview, "upload_id": upload_id, "file_name": name,
           "stale": stale},
    )  # fmt: skip


def _said(request: web.Request, changes: Changes) -> list[str]:
    """CHANGES as `checkin-bot import` says them, in the admin's language."""
    board = board_of(request)
    day = board.clock.now().astimezone(board.config.committee.tz).date()
    return summary_lines(changes, day, translator(request))


async def download(request: web.Request) -> web.Response:
    """The roster as it stands, as a workbook `checkin-bot import` reads back unchanged."""
    board = board_of(request)
    with tempfile.TemporaryDirectory(prefix="checkin-board-") as folder:
        path = Path(folder) / "roster.xlsx"
        roster = await current_roster(board.store)
        # A city's workbook takes seconds to write: off the event loop.
        await asyncio.to_thread(export_roster, roster, path, board.config.committee.tz)
        content = await asyncio.to_thread(path.read_bytes)
    day = _local_day(board.clock.now(), board)
    return attachment(content, f"roster-{day}.xlsx", XLSX)


def _local_day(now: datetime, board: Board) -> str:
    return now.astimezone(board.config.committee.tz).date().isoformat()


def routes() -> list[web.RouteDef]:
    return [
        web.get("/roster", roster_page),
        web.post("/roster", check_upload),
        web.post("/roster/apply", apply),
        web.get("/roster/roster.xlsx", download),
    ]
