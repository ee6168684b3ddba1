"""/meetings: the meetings of the coming weeks by day, flagged cells marked, who will attend."""

from __future__ import annotations

from aiohttp import web

from bot.services.board import MEETINGS_AHEAD, meetings_page
from bot.web.context import board_of, page_number, render


async def meetings(request: web.Request) -> web.Response:
    board = board_of(request)
    flagged = request.query.get("flagged") == "1"
    planned = request.query.get("planned") == "1"
    page = await meetings_page(
        board.store,
        board.clock.now(),
        flagged_only=flagged,
        planned_only=planned,
        number=page_number(request.query.get("page")),
    )
    query = {key: "1" for key, on in (("flagged", flagged), ("planned", planned)) if on}
    return render(
        request,
        "meetings.html",
        page=page,
        flagged=flagged,
        planned=planned,
        query=query,
        weeks=MEETINGS_AHEAD.days // 7,
    )


def routes() -> list[web.RouteDef]:
    return [web.get("/meetings", meetings)]
