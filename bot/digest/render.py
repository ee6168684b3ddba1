"""The digest rendered: its texts and files, written together from one reading of the store."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.core.config import Config
from bot.core.i18n import Translator
from bot.core.quarters import Quarter
from bot.digest.chart import write_chart
from bot.digest.gather import gather_digest
from bot.digest.model import Digest
from bot.digest.text import digest_text
from bot.digest.workbook import write_workbook
from bot.services import Store


@dataclass(frozen=True)
class RenderedDigest:
    text: str  # the full digest, one piece (the outbox cuts it to each channel's length)
    short_text: str  # /report's reply
    xlsx: Path
    png: Path
    xlsx_caption: str
    png_caption: str


async def render_digest(
    store: Store,
    config: Config,
    quarter: Quarter,
    now: datetime,
    folder: Path,
    language: str = "vi",
) -> RenderedDigest:
    """Write digest-<quarter>.xlsx and .png into FOLDER; return them with the texts."""
    digest = await gather_digest(store, config, quarter, now)
    t = Translator(language, config.committee.tz)
    # Seconds of CPU at city scale: off the event loop, so the bot keeps answering meanwhile.
    return await asyncio.to_thread(_render, digest, t, Path(folder))


def _render(digest: Digest, t: Translator, folder: Path) -> RenderedDigest:
    folder.mkdir(parents=True, exist_ok=True)
    xlsx = folder / f"digest-{digest.quarter}.xlsx"
    png = folder / f"digest-{digest.quarter}.png"
    write_workbook(digest, xlsx, t)
    write_chart(digest, png, t)
    quarter = digest.quarter_title(t)
    return RenderedDigest(
        text=digest_text(digest, t),
        short_text=digest_text(digest, t, short=True),
        xlsx=xlsx,
        png=png,
        xlsx_caption=t("digest.workbook_caption", quarter=quarter),
        png_caption=t("digest.chart_caption", quarter=quarter),
    )
