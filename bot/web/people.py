"""A member's page and an organization's: assignments, the quarter, visits, coming meetings."""

from __future__ import annotations

from aiohttp import web

from bot.core.quarters import Quarter
from bot.services.board import member_page, organization_page
from bot.web.context import board_of, render


def _quarter(request: web.Request) -> Quarter:
    board = board_of(request)
    try:
        return Quarter.parse(request.query["quarter"])
    except (KeyError, ValueError):
        return Quarter.at(board.clock.now(), board.config.committee.tz)


async def member(request: web.Request) -> web.Response:
    board = board_of(request)
    code = request.match_info["code"]
    page = await member_page(board.store, board.config, code, _quarter(request), board.clock.now())
    if page is None:
        return render(request, "message.html", status=404, message_key="board.member_not_found")
    return render(request, "member.html", page=page)


async def organization(request: web.Request) -> web.Response:
    board = board_of(request)
    code = request.match_info["code"]
    page = await organization_page(
        board.store, board.config, code, _quarter(request), board.clock.now()
    )
    if page is None:
        return render(
            request, "message.html", status=404, message_key="board.organization_not_found"
        )
    return render(request, "organization.html", page=page)


def routes() -> list[web.RouteDef]:
    return [
        web.get("/members/{code}", member),
        web.get("/organizations/{code}", organization),
    ]
