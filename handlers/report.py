"""/report: the committee office's look at the current quarter to date, with the digest's files.

The same rendering as the end-of-quarter digest: its short text as the reply, then the workbook
and the chart attached. The rendering itself sits on top of the handlers (bot.digest), so the
wiring hands it in.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from bot.core.config import Config
from bot.core.messages import Message
from bot.core.quarters import Quarter
from bot.services import Store
from handlers.router import Context, Router


class RenderedReport(Protocol):
    short_text: str
    xlsx: Path
    png: Path
    xlsx_caption: str
    png_caption: str


# (store, config, quarter, now, folder, language): the digest's texts and files in FOLDER.
RenderReport = Callable[[Store, Config, Quarter, datetime, Path, str], Awaitable[RenderedReport]]


def register(router: Router, render: RenderReport) -> None:
    async def report(ctx: Context) -> None:
        quarter = Quarter.at(ctx.now, ctx.config.committee.tz)
        # The files exist only until they are sent: the chat keeps its own copy.
        with tempfile.TemporaryDirectory(prefix="checkin-report-") as folder:
            rendered = await render(
                ctx.store, ctx.config, quarter, ctx.now, Path(folder), ctx.t.language
            )
            await ctx.reply(Message(rendered.short_text))
            await ctx.port.send_file(rendered.xlsx, rendered.xlsx_caption)
            await ctx.port.send_file(rendered.png, rendered.png_caption)

    # Allowed in the configured digest chats too: the office reads it together there.
    router.command("report", "baocao", role="admin", group_ok=True)(report)
