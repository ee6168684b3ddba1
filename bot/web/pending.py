"""/pending: every check-in awaiting a decision, with Confirm / Absent, as in chat."""

from __future__ import annotations

from aiohttp import web

from bot.services.board import checkin_shown, decide_pending, pending_page
from bot.web.context import admin_of, board_of, link, page_number, render, see_other


async def pending(request: web.Request) -> web.Response:
    board = board_of(request)
    page = await pending_page(board.store, page_number(request.query.get("page")))
    notice = None
    shown = request.query.get("checkin", "")
    outcome = request.query.get("outcome", "")
    if (
        shown.isdigit()
        and len(shown) < 19
        and outcome in ("decided", "already", "own", "not_found")
    ):
        told = request.query.get("told") == "1"
        notice = (outcome, await checkin_shown(board.store, int(shown)), told)
    return render(request, "pending.html", page=page, notice=notice)


async def decide(request: web.Request) -> web.Response:
    """POST /pending/<id>: the decision the form's button names; then the list again."""
    board = board_of(request)
    form = await request.post()
    status = {"confirm": "confirmed", "absent": "denied"}.get(str(form.get("decision")))
    checkin_id = request.match_info["checkin"]
    if status is None or not checkin_id.isdigit() or len(checkin_id) >= 19:
        raise web.HTTPBadRequest()
    decision = await decide_pending(
        board.store, board.config, admin_of(request), int(checkin_id), status, board.clock.now()
    )
    query = {"outcome": decision.outcome, "checkin": checkin_id}
    if decision.member_told:
        query["told"] = "1"
    page = str(form.get("page", ""))
    if page.isdigit() and page != "1":
        query["page"] = page
    return see_other(link("/pending", query))


def routes() -> list[web.RouteDef]:
    return [web.get("/pending", pending), web.post("/pending/{checkin}", decide)]
