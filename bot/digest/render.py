"""The digest rendered: its texts and files, written together from one reading of the store."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.core.config import Config
from bot.core.i18n import Translator
from bot.core.message_parts import TEXT_LIMITS
from bot.core.quarters import Quarter
from bot.digest.apart import in_worker
from bot.digest.chart import write_chart
from bot.digest.gather import gather_digest
from bot.digest.model import Digest
from bot.digest.text import digest_message
from bot.digest.workbook import write_workbook
from bot.services import Store

# Channels that cannot carry a file (Zalo's bots send photos by URL only): their digest is the
# message alone, saying where the files are.
TEXT_ONLY = frozenset({"zalo"})


@dataclass(frozen=True)
class RenderedDigest:
    text: str  # one message, the files attached after it (Telegram, the terminal)
    text_only: str  # one message where no file can follow (Zalo): it says where they are
    xlsx: Path
    png: Path
    xlsx_caption: str
    png_caption: str

    def text_for(self, channel: str) -> str:
        return self.text_only if channel in TEXT_ONLY else self.text

    def files_for(self, channel: str) -> tuple[tuple[Path, str], ...]:
        """The files and captions to attach in CHANNEL (none where it carries none)."""
        if channel in TEXT_ONLY:
            return ()
        return ((self.xlsx, self.xlsx_caption), (self.png, self.png_caption))


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

    t = Translator(language, config.committee.tz)
    on_telegram = any(target.startswith("telegram:") for target in config.access.digest_targets)
    return _render(asyncio.run(read()), t, folder, _on_the_board(config, quarter), on_telegram)


def _on_the_board(config: Config, quarter: Quarter) -> str | None:
    """The quarter's page on the office's board, when `run` serves it."""
    return f"{config.web.link_base}/quarters/{quarter}" if config.web.enabled else None


def _render(
    digest: Digest, t: Translator, folder: Path, board: str | None, files_on_telegram: bool
) -> RenderedDigest:
    """The digest's files in FOLDER, and its messages; the one for chats without files says
    where the files are (FILES_ON_TELEGRAM: a Telegram digest chat gets them)."""
    folder.mkdir(parents=True, exist_ok=True)
    xlsx = folder / f"digest-{digest.quarter}.xlsx"
    png = folder / f"digest-{digest.quarter}.png"
    write_workbook(digest, xlsx, t)
    write_chart(digest, png, t)
    quarter = t.quarter(digest.quarter)
    return RenderedDigest(
        text=digest_message(
            digest, t, limit=TEXT_LIMITS["telegram"], files_attached=True, board=board
        ),
        text_only=digest_message(
            digest,
            t,
            limit=TEXT_LIMITS["zalo"],
            files_attached=False,
            board=board,
            files_on_telegram=files_on_telegram,
        ),
        xlsx=xlsx,
        png=png,
        xlsx_caption=t("digest.workbook_caption", quarter=quarter),
        png_caption=t("digest.chart_caption", quarter=quarter),
    )
