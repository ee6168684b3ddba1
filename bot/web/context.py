"""What every page of the board shares: the store, config and clock it serves, the signed-in
admin of the request, and rendering a template in that admin's language."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from aiohttp import web

from bot.core.board import BoardAdmin
from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.i18n import Translator
from bot.core.quarters import Quarter
from bot.services import Store
from bot.services.board import CoverageCache
from bot.web.limits import RateLimit

TEMPLATES = Path(__file__).parent / "templates"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Board:
    """The board of one running bot."""

    config: Config
    store: Store
    clock: Clock
    # /login/<token>: a few tries a minute from one address, and not many more from all.
    sign_in_limit: RateLimit = field(default_factory=lambda: RateLimit(10, 60))
    coverage: CoverageCache = field(default_factory=CoverageCache)
    # A digest at a city's scale takes seconds and a hundred MB to render: one at a time.
    digest_rendering: asyncio.Lock = field(default_factory=asyncio.Lock)
    templates: jinja2.Environment = field(default_factory=lambda: templates())
    # The channels' webhook paths it serves: no session there, the platform's secret instead.
    webhooks: frozenset[str] = frozenset()


BOARD = web.AppKey("board", Board)
ADMIN = web.RequestKey("admin", BoardAdmin)  # the signed-in admin of a request


def templates() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # Every value is escaped, whatever the file's name: names and notes come from people.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["link"] = link
    return environment


def board_of(request: web.Request) -> Board:
    return request.app[BOARD]


def admin_of(request: web.Request) -> BoardAdmin:
    """The admin the session belongs to (the sign-in middleware let only them through)."""
    return request[ADMIN]


def translator(request: web.Request) -> Translator:
    board = board_of(request)
    admin: BoardAdmin | None = request.get(ADMIN)
    return Translator(admin.language if admin else "vi", board.config.committee.tz)


def link(path: str, query: Mapping[str, Any] | None = None) -> str:
    """PATH with QUERY (values already text), for a link or a form's action."""
    return f"{path}?{urlencode(query)}" if query else path


def quarter_label(t: Translator, quarter: Quarter) -> str:
    """ "Quý IV/2021" / "Q4 2021": a page's title."""
    return t.quarter(quarter, heading=True)


def render(
    request: web.Request, template: str, *, status: int = 200, **values: Any
) -> web.Response:
    """TEMPLATE in the admin's language, with what every page shows (who, where, the form key)."""
    board = board_of(request)
    t = values.pop("t", None) or translator(request)
    admin: BoardAdmin | None = request.get(ADMIN)
    html = board.templates.get_template(template).render(
        t=t,
        admin=admin,
        csrf=admin.csrf_token if admin else "",
        committee=board.config.committee.name,
        path=request.path,
        quarter_label=lambda quarter: quarter_label(t, quarter),
        **values,
    )
    return web.Response(text=html, content_type="text/html", charset="utf-8", status=status)


def page_number(text: str | None) -> int:
    """The page asked for in an address (?page=3); anything else is the first."""
    return int(text) if text and text.isdigit() and len(text) < 7 else 1


def see_other(location: str) -> web.Response:
    """After a form: the page to show next (a reload does not post the form again)."""
    return web.Response(status=303, headers={"Location": location})


def attachment(content: bytes, name: str, mime: str) -> web.Response:
    """A file to save, under NAME."""
    return web.Response(
        body=content,
        content_type=mime,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
