"""Who may see the board: sign-in by a one-time link, a session cookie, a form key per session.

Every route but /login, /healthz, the style sheet and the channels' webhooks (which check their
platform's secret instead) needs an admin's session: without one, the answer is the sign-in
page, which shows nothing of the roster. Every POST must carry the session's form key (CSRF).
Opening a link only shows a Sign in button; pressing it spends the link, so a link preview
fetched by a chat app does not use it up.
"""

from __future__ import annotations

import hmac
import secrets
import time

from aiohttp import web

from bot.core.i18n import LANGUAGES, Translator
from bot.services.web_sessions import check_sign_in, session_admin, sign_in, sign_out
from bot.web.context import ADMIN, board_of, render, see_other

SESSION_COOKIE = "checkin_board"
# The sign-in form's own key (before there is a session): a cookie the form must match.
SIGN_IN_COOKIE = "checkin_board_sign_in"
PUBLIC = ("/login", "/healthz", "/static/")
SECURITY_HEADERS = {
    # Nothing but this server's own style sheet and images; no scripts at all; forms post
    # only here; no framing.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self';"
    " form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # A sign-in link in the address bar must not travel to another site as a referrer.
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _public(path: str) -> bool:
    return any(path == p or path.startswith(p if p.endswith("/") else p + "/") for p in PUBLIC)


@web.middleware
async def security_headers(request: web.Request, handler) -> web.StreamResponse:
    """The headers every answer carries, and how long the server took (Server-Timing)."""
    started = time.perf_counter()
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    response.headers.update(SECURITY_HEADERS)
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    if isinstance(response, web.HTTPException) and response.status >= 400:
        raise response
    return response


@web.middleware
async def require_admin(request: web.Request, handler) -> web.StreamResponse:
    board = board_of(request)
    if _public(request.path) or request.path in board.webhooks:
        return await handler(request)
    session_id = request.cookies.get(SESSION_COOKIE, "")
    admin = session_id and await session_admin(
        board.store, board.config, session_id, board.clock.now()
    )
    if not admin:
        response = sign_in_page(request, "board.session_ended" if session_id else "", 401)
        if session_id:
            response.del_cookie(SESSION_COOKIE)
        return response
    request[ADMIN] = admin
    if request.method == "POST":
        form = await request.post()
        if not hmac.compare_digest(str(form.get("csrf", "")), admin.csrf_token):
            return render(request, "message.html", status=403, message_key="board.stale_form")
    elif request.method not in ("GET", "HEAD"):
        raise web.HTTPMethodNotAllowed(request.method, ["GET", "POST"])
    return await handler(request)


def sign_in_page(request: web.Request, reason: str = "", status: int = 200) -> web.Response:
    """The page anyone without a session gets: how to sign in, in both languages."""
    tz = board_of(request).config.committee.tz
    return render(
        request,
        "sign_in.html",
        status=status,
        languages=[Translator(language, tz) for language in LANGUAGES],
        reason=reason,
        token="",
        form_key="",
    )


async def login(request: web.Request) -> web.Response:
    return sign_in_page(request)


async def login_link(request: web.Request) -> web.Response:
    """GET /login/<token>: a Sign in button, if the link is still good (it stays unused)."""
    board = board_of(request)
    if not board.sign_in_limit.allow(request.remote or "", board.clock.now()):
        return sign_in_page(request, "board.too_many", 429)
    token = request.match_info["token"]
    outcome = await check_sign_in(board.store, board.config, token, board.clock.now())
    if outcome != "ok":
        return _refused(request, outcome)
    form_key = secrets.token_urlsafe(32)
    tz = board.config.committee.tz
    response = render(
        request,
        "sign_in.html",
        languages=[Translator(language, tz) for language in LANGUAGES],
        reason="",
        token=token,
        form_key=form_key,
    )
    response.set_cookie(SIGN_IN_COOKIE, form_key, **_cookie_flags(request, max_age=600))
    return response


async def login_submit(request: web.Request) -> web.Response:
    """POST /login/<token>: spend the link, open the session, go to the board."""
    board = board_of(request)
    now = board.clock.now()
    if not board.sign_in_limit.allow(request.remote or "", now):
        return sign_in_page(request, "board.too_many", 429)
    form = await request.post()
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not hmac.compare_digest(str(form.get("form_key", "")), expected):
        return sign_in_page(request, "board.stale_sign_in", 403)
    outcome, session = await sign_in(board.store, board.config, request.match_info["token"], now)
    if session is None:
        return _refused(request, outcome)
    response = see_other("/")
    max_age = int((session.expires_at - now).total_seconds())
    response.set_cookie(SESSION_COOKIE, session.id, **_cookie_flags(request, max_age=max_age))
    response.del_cookie(SIGN_IN_COOKIE)
    return response


def _refused(request: web.Request, outcome: str) -> web.Response:
    status = {"unknown": 404, "used": 410, "expired": 410}.get(outcome, 403)
    return sign_in_page(request, f"board.link_{outcome}", status)


async def logout_page(request: web.Request) -> web.Response:
    return render(request, "sign_out.html")


async def logout(request: web.Request) -> web.Response:
    board = board_of(request)
    await sign_out(board.store, request.cookies.get(SESSION_COOKIE, ""), board.clock.now())
    del request[ADMIN]
    response = sign_in_page(request, "board.signed_out")
    response.del_cookie(SESSION_COOKIE)
    return response


def _cookie_flags(request: web.Request, *, max_age: int) -> dict:
    secure = board_of(request).config.web.link_base.startswith("https://")
    return {
        "max_age": max_age,
        "path": "/",
        "httponly": True,
        "samesite": "Strict",
        "secure": secure,
    }


def routes() -> list[web.RouteDef]:
    return [
        web.get("/login", login),
        web.get("/login/{token}", login_link),
        web.post("/login/{token}", login_submit),
        web.get("/logout", logout_page),
        web.post("/logout", logout),
    ]
