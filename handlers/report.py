"""/report: the committee office's look at the current quarter to date, with the digest's files.

The same rendering as the end-of-quarter digest: its one message as the reply, then the
workbook and the chart attached where the chat carries files. The rendering itself sits on top
of the handlers (bot.digest), so the wiring hands it in.
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
    def text_for(self, channel: str) -> str:
        """The digest as one message that CHANNEL carries."""

    def files_for(self, channel: str) -> tuple[tuple[Path, str], ...]:
        """The files and their captions to attach in CHANNEL."""


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
            channel = ctx.inbound.channel
            await ctx.reply(Message(rendered.text_for(channel)))
            for path, caption in rendered.files_for(channel):
                await ctx.port.send_file(path, caption)

    # Allowed in the configured digest chats too: the office reads it together there.
    router.command("report", "baocao", role="admin", group_ok=True)(report)
