"""/report: the committee office's look at the current quarter to date, with the digest's files.

The same rendering as the end-of-quarter digest (bot.digest): its short text as the reply,
then the workbook and the chart attached.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot.digest import render_digest
from bot.quarters import Quarter
from handlers.port import Message
from handlers.router import Context, Router


async def report(ctx: Context) -> None:
    quarter = Quarter.at(ctx.now, ctx.config.committee.tz)
    # The files exist only until they are sent: the chat keeps its own copy.
    with tempfile.TemporaryDirectory(prefix="checkin-report-") as folder:
        rendered = await render_digest(
            ctx.store, ctx.config, quarter, ctx.now, Path(folder), language=ctx.t.language
        )
        await ctx.reply(Message(rendered.short_text))
        await ctx.port.send_file(rendered.xlsx, rendered.xlsx_caption)
        await ctx.port.send_file(rendered.png, rendered.png_caption)


def register(router: Router) -> None:
    # Allowed in the configured digest chats too: the office reads it together there.
    router.command("report", "baocao", role="admin", group_ok=True)(report)
