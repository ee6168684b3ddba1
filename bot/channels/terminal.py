"""The terminal channel: a chat in a terminal window, where choices are numbered lines.

bot.channels.demo runs the demo (`checkin-bot demo`) on it. Input comes from an injected line
source and output goes to an injected stream, so a test can script a whole session.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import shutil
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from bot.channels.numbered import NumberedChoices
from bot.core.clock import FakeClock
from bot.core.i18n import Translator
from bot.core.messages import Message
from bot.core.photos import Photo, PhotoNotFetched

CHANNEL = "terminal"
# Characters of a message to someone else than the person being played.
SUMMARY_WIDTH = 90

# The next typed line, or None at the end of input.
ReadLine = Callable[[], Awaitable[str | None]]


class Screen:
    """Where the demo writes; ``t`` is the language of its own lines (the current person's)."""

    def __init__(self, out: TextIO, t: Translator):
        self.out = out
        self.t = t

    def show(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def ask(self, prompt: str) -> None:
        self.out.write(prompt)
        self.out.flush()


class TerminalPort:
    """One terminal chat as the handlers see it: choices become numbered lines."""

    # A terminal cannot share a phone number: /start asks for an invite code instead.
    shares_contacts = False

    def __init__(
        self, screen: Screen, chats: NumberedChoices, chat_id: str, keep_in: Path | None = None
    ):
        self.screen = screen
        self.chats = chats
        self.chat_id = chat_id
        # Where a file sent in reply is copied, so it can still be opened afterwards: the
        # sender (/report) removes its own copy once it is sent.
        self.keep_in = keep_in
        self.listed: list[str] = []  # this reply's choices so far: its next numbers follow

    async def reply(self, message: Message) -> None:
        shown = await self.chats.offer(self.chat_id, message, earlier=self.listed)
        self.listed += [choice.data for choice in message.choices]
        self.screen.show(shown)

    async def send_file(self, path: Path, caption: str = "") -> None:
        if self.keep_in is not None:
            self.keep_in.mkdir(parents=True, exist_ok=True)
            path = Path(shutil.copy2(path, self.keep_in / path.name))
        self.screen.show(_file_line(self.screen.t, path, caption))

    async def set_menu(self, commands: list[tuple[str, str]]) -> None:
        """A terminal has no menu; /help lists the same commands."""

    async def fetch(self, photo: Photo, limit: int) -> bytes:
        raise PhotoNotFetched("the terminal sends no photos")


class TerminalSender:
    """Proactive messages (the outbox) to any chat of the demo, labelled with whom they are for.

    Messages to the person being played are shown whole; to the others, their first line, so
    that a fan-out of reminders reads as a list and not as pages.
    """

    def __init__(
        self,
        screen: Screen,
        chats: NumberedChoices,
        name_of: Callable[[str], str],
        watching: Callable[[str], bool],
        clock: FakeClock,
    ):
        self.screen = screen
        self.chats = chats
        self.name_of = name_of
        self.watching = watching
        self.clock = clock  # messages are stamped with the demo time they arrive at
        self.start_year = clock.now().astimezone(screen.t.tz).year

    async def send(self, chat_id: str, message: Message) -> None:
        # Offered to every chat, so that whoever is played later can answer with a number.
        text = await self.chats.offer(chat_id, message, unasked=True)
        self.screen.show(f"{self._to(chat_id)} {self._shown(chat_id, text)}")

    async def send_file(self, chat_id: str, path: Path, caption: str = "") -> None:
        line = _file_line(self.screen.t, path, caption)
        self.screen.show(f"{self._to(chat_id)} {self._shown(chat_id, line)}")

    def _shown(self, chat_id: str, text: str) -> str:
        if self.watching(chat_id):
            return text
        first = text.split("\n", 1)[0]
        if len(first) > SUMMARY_WIDTH or first != text:
            first = first[: SUMMARY_WIDTH - 1].rstrip() + "…"
        return first

    def _to(self, chat_id: str) -> str:
        t, now = self.screen.t, self.clock.now()
        # "20/11 08:30" while the demo is in the year it started in; "03/01/2022 08:00" after.
        day = t.day(now) if now.astimezone(t.tz).year != self.start_year else t.day(now)[:5]
        return t("demo.to", name=self.name_of(chat_id), at=f"{day} {t.clock(now)}")


class Silent:
    """A port whose answers nobody reads: the demo's own set-up (linking everyone)."""

    shares_contacts = False

    async def reply(self, message: Message) -> None:
        pass

    async def send_file(self, path: Path, caption: str = "") -> None:
        pass

    async def set_menu(self, commands: list[tuple[str, str]]) -> None:
        pass

    async def fetch(self, photo: Photo, limit: int) -> bytes:
        raise PhotoNotFetched("the demo's set-up sends no photos")


def _file_line(t: Translator, path: Path, caption: str) -> str:
    return " ".join(part for part in (t("demo.file", path=path), caption) if part)


class StdinLines:
    """Lines from standard input, read by a daemon thread so that the event loop never blocks
    and Ctrl-C never waits for Enter. Bytes are decoded as UTF-8 whatever the locale says."""

    def __init__(self, stream: TextIO):
        try:
            self._fd: int | None = stream.fileno()
        except (OSError, ValueError, AttributeError):  # no real stdin (e.g. under pytest)
            self._fd = None
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._reader: threading.Thread | None = None

    async def __call__(self) -> str | None:
        if self._fd is None:
            return None
        if self._reader is None:
            loop = asyncio.get_running_loop()
            self._reader = threading.Thread(target=self._pump, args=(loop,), daemon=True)
            self._reader.start()
        return await self._lines.get()

    def _pump(self, loop: asyncio.AbstractEventLoop) -> None:
        assert self._fd is not None
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pending = ""
        while True:
            try:
                chunk = os.read(self._fd, 4096)
            except OSError:
                chunk = b""
            pending += decoder.decode(chunk, final=not chunk)
            *lines, pending = pending.split("\n")
            if not chunk:
                lines += [pending, None] if pending else [None]
            for line in lines:
                with contextlib.suppress(RuntimeError):  # the demo has already ended
                    loop.call_soon_threadsafe(self._lines.put_nowait, line and line.rstrip("\r"))
            if not chunk:
                return


def interactive(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError, AttributeError):
        return False


def utf8_output(stream: TextIO) -> None:
    """Make STREAM write UTF-8 whatever the locale says, so that diacritics show."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8", errors="replace")
