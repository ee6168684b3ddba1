"""The digest rendered: its texts and files, written together from one reading of the store."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.core.config import Config
from bot.core.i18n import Translator
from bot.core.quarters import Quarter
from bot.digest.apart import in_worker
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
    """Write digest-<quarter>.xlsx and .png into FOLDER; return them with the texts.

    Seconds of CPU at city scale: done in a process of its own (bot.digest.apart), which
    reads the store's database through a connection of its own.
    """
    path, folder = _absolute(store.db.path), _absolute(folder)
    return await in_worker(_read_and_render, path, config, quarter, now, folder, language)


def _absolute(path: str | Path) -> Path:
    # The worker's working directory is the one it was started in, not ours of today.
    return Path(path).absolute()


def _read_and_render(
    path: Path, config: Config, quarter: Quarter, now: datetime, folder: Path, language: str
) -> RenderedDigest:
    """In the worker: the digest read from the database at PATH, then written into FOLDER."""

    async def read() -> Digest:
        async with await Store.open(path) as store:
            return await gather_digest(store, config, quarter, now)

    return _render(asyncio.run(read()), Translator(language, config.committee.tz), folder)


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
