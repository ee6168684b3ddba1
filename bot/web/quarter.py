"""The quarter board (/, /quarters/<Q>) and its downloads: the coverage as CSV and as the CLI's
JSON, and the digest's workbook and chart."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from aiohttp import web

from bot.core.board import BoardQuery
from bot.core.quarters import Quarter
from bot.reports import coverage_csv, coverage_json
from bot.services.board import closed_quarters, quarter_board, quarters_known
from bot.web.context import XLSX, admin_of, attachment, board_of, render, see_other


def _quarter(request: web.Request) -> Quarter:
    text = request.match_info.get("quarter")
    board = board_of(request)
    if text is None:
        return Quarter.at(board.clock.now(), board.config.committee.tz)
    try:
        return Quarter.parse(text)
    except ValueError:
        raise web.HTTPNotFound() from None


async def quarter_page(request: web.Request) -> web.Response:
    board = board_of(request)
    quarter = _quarter(request)
    query = BoardQuery.read(request.query)
    shown = await quarter_board(board.store, board.config, quarter, query, board.coverage)
    now = board.clock.now()
    current = Quarter.at(now, board.config.committee.tz)
    quarters = await quarters_known(board.store, board.config, now)
    return render(
        request,
        "quarter.html",
        board=shown,
        query=query,
        quarters=quarters,
        closed=await closed_quarters(board.store, quarters),
        to_date=now if quarter == current else None,
        here=f"/quarters/{quarter}",
    )


async def pick_quarter(request: web.Request) -> web.Response:
    """GET /quarters?quarter=2021Q4 (the picker's form): that quarter's own address."""
    try:
        quarter = Quarter.parse(request.query.get("quarter", ""))
    except ValueError:
        raise web.HTTPNotFound() from None
    return see_other(f"/quarters/{quarter}")


async def coverage_csv_file(request: web.Request) -> web.Response:
    board = board_of(request)
    quarter = _quarter(request)
    coverage, _ = await board.coverage.get(board.store, board.config, quarter)
    return attachment(coverage_csv(coverage).encode("utf-8"), f"coverage-{quarter}.csv", "text/csv")


async def coverage_api(request: web.Request) -> web.Response:
    """GET /api/coverage?quarter=2021Q4: `coverage --format json`, byte for byte."""
    board = board_of(request)
    text = request.query.get("quarter")
    try:
        quarter = (
            Quarter.parse(text)
            if text
            else Quarter.at(board.clock.now(), board.config.committee.tz)
        )
    except ValueError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    coverage, _ = await board.coverage.get(board.store, board.config, quarter)
    return web.Response(
        text=coverage_json(coverage), content_type="application/json", charset="utf-8"
    )


async def digest_file(request: web.Request) -> web.Response:
    """The digest's workbook (.xlsx) or chart (.png) of the quarter, in the admin's language."""
    from bot.digest.render import render_digest  # loads openpyxl and matplotlib: only when asked

    board = board_of(request)
    quarter = _quarter(request)
    kind = request.match_info["kind"]
    async with board.digest_rendering:
        with tempfile.TemporaryDirectory(prefix="checkin-board-") as folder:
            rendered = await render_digest(
                board.store,
                board.config,
                quarter,
                board.clock.now(),
                Path(folder),
                admin_of(request).language,
            )
            path = rendered.xlsx if kind == "xlsx" else rendered.png
            content = await asyncio.to_thread(path.read_bytes)
    return attachment(content, path.name, XLSX if kind == "xlsx" else "image/png")


def routes() -> list[web.RouteDef]:
    return [
        web.get("/", quarter_page),
        web.get("/quarters", pick_quarter),
        web.get("/quarters/{quarter}", quarter_page),
        web.get("/quarters/{quarter}/coverage.csv", coverage_csv_file),
        web.get("/quarters/{quarter}/digest.{kind:xlsx|png}", digest_file),
        web.get("/api/coverage", coverage_api),
    ]
