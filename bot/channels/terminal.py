"""The terminal channel, and the demo that runs on it (`checkin-bot demo`).

The demo is the whole bot on a fresh copy of the sample district: the real router, services,
outbox and delivery, with a FakeClock the user moves forward. Input comes from an injected
line source and output goes to an injected stream, so a test can script a whole session.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.app import App, build_app
from bot.channels.numbered import NumberedChoices, render
from bot.core.clock import FakeClock
from bot.core.config import Access, Config, Storage, Web
from bot.core.durations import parse_duration
from bot.core.i18n import LANGUAGES, Translator
from bot.core.messages import Inbound, Message
from bot.core.quarters import Quarter
from bot.reports import coverage_text
from bot.sample import demo_start, load_sample
from bot.services.coverage import quarter_coverage
from bot.services.identity import identify, translator_for
from bot.services.invites import create_invite
from bot.services.web_sessions import create_sign_in
from bot.web.server import bind_free_port, serve_board
from storage.store import Store

CHANNEL = "terminal"
# The sample's admin in the demo, so that /report can be tried: a standing member.
DEMO_ADMIN = "M01"
# A few secretaries worth being at the demo's start: C0102 meets right then (check-ins to
# confirm), C0103 is flagged, O10 is an organization that is its own only cell.
DEMO_SECRETARIES = ("C0102", "C0103", "O10")
OFFICE_CHAT = "demo-office"
# Characters of a message to someone else than the person being played.
SUMMARY_WIDTH = 90
# How far the demo clock moves between two looks for due work: reminders arrive within this
# much of their time, and a month's jump stays quick.
DEMO_TICK = timedelta(minutes=30)
OFFICE_CODE = "office"
# The demo's board: on this machine only, at the first free port from this one.
BOARD_HOST, BOARD_FIRST_PORT = "127.0.0.1", 8080

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

    async def reply(self, message: Message) -> None:
        self.screen.show(await self.chats.offer(self.chat_id, message))

    async def send_file(self, path: Path, caption: str = "") -> None:
        if self.keep_in is not None:
            self.keep_in.mkdir(parents=True, exist_ok=True)
            path = Path(shutil.copy2(path, self.keep_in / path.name))
        self.screen.show(_file_line(self.screen.t, path, caption))

    async def set_menu(self, commands: list[tuple[str, str]]) -> None:
        """A terminal has no menu; /help lists the same commands."""


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

    async def send(self, chat_id: str, message: Message) -> None:
        # Offered to every chat, so that whoever is played later can answer with a number.
        text = await self.chats.offer(chat_id, message)
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
        t = self.screen.t
        at = f"{t.day(self.clock.now())[:5]} {t.clock(self.clock.now())}"
        return t("demo.to", name=self.name_of(chat_id), at=at)


class _Silent:
    """The port of the demo's own set-up (linking everyone): nobody needs to read that."""

    shares_contacts = False

    async def reply(self, message: Message) -> None:
        pass

    async def send_file(self, path: Path, caption: str = "") -> None:
        pass

    async def set_menu(self, commands: list[tuple[str, str]]) -> None:
        pass


def _file_line(t: Translator, path: Path, caption: str) -> str:
    return " ".join(part for part in (t("demo.file", path=path), caption) if part)


@dataclass(frozen=True)
class Persona:
    """Someone the demo's user can be, chatting from their own terminal chat."""

    kind: str  # "member", "secretary" or "office"
    code: str  # member code, cell code, or OFFICE_CODE
    name: str
    detail: str  # member: position; secretary: the cell's name; office: the admin's code
    user_id: str
    chat_id: str
    private: bool = True

    def label(self, t: Translator) -> str:
        return t("demo.office_label") if self.kind == "office" else f"{self.code} {self.name}"

    def description(self, t: Translator) -> str:
        if self.kind == "member":
            return t(f"demo.position_{self.detail}")
        if self.kind == "secretary":
            return t("demo.secretary", cell=self.detail)
        return t("demo.office", name=self.name, code=self.detail)


async def demo_personas(store: Store) -> list[Persona]:
    """Every member, a few secretaries, and the office's group chat where the admin types."""
    roster = await store.roster.load()
    people = [
        Persona("member", m.code, m.full_name, m.position, f"demo-{m.code}", f"demo-{m.code}")
        for m in roster.members
    ]
    cells = {cell.code: cell for cell in roster.cells}
    for code in DEMO_SECRETARIES:
        cell = cells.get(code)
        if cell is not None and cell.secretary_phone:
            user = f"demo-{code}"
            people.append(
                Persona("secretary", code, cell.secretary_name or code, cell.name, user, user)
            )
    admin = next((m for m in roster.members if m.code == DEMO_ADMIN), None)
    if admin is not None:
        people.append(
            Persona(
                "office",
                OFFICE_CODE,
                admin.full_name,
                admin.code,
                f"demo-{admin.code}",
                OFFICE_CHAT,
                private=False,
            )
        )
    return people


def demo_config(config: Config, folder: Path, board_port: int = BOARD_FIRST_PORT) -> Config:
    """The deployment's settings, on a throwaway database, with the demo's admin and office,
    and its board on this machine."""
    return config.model_copy(
        update={
            "storage": Storage(path=str(folder / "demo.sqlite3")),
            "access": Access(admins=[DEMO_ADMIN], digest_chats=[f"{CHANNEL}:{OFFICE_CHAT}"]),
            "web": Web(enabled=True, listen=f"{BOARD_HOST}:{board_port}"),
        }
    )


class Demo:
    """The read-eval-print loop of the demo, over an app wired to the terminal."""

    def __init__(
        self,
        app: App,
        clock: FakeClock,
        personas: list[Persona],
        read_line: ReadLine,
        screen: Screen,
        *,
        echo: bool = False,
        files: Path | None = None,
    ):
        self.app = app
        self.files = files  # where files sent in a reply are kept for the demo's length
        self.clock = clock
        self.personas = personas
        self.read_line = read_line
        self.screen = screen
        self.echo = echo  # input that is not typed on a terminal is shown after its prompt
        self.chats = NumberedChoices(app.store, app.config, clock, CHANNEL)
        self.persona: Persona | None = None
        self.choosing = True
        self.closings_shown: set[Quarter] = set()
        sender = TerminalSender(screen, self.chats, self._name_of_chat, self._watching, clock)
        app.add_channel(CHANNEL, sender)

    @property
    def t(self) -> Translator:
        return self.screen.t

    async def run(self, intro: Sequence[str] = ()) -> None:
        """Link everyone, greet, then answer line by line until :quit, end of input or Ctrl-C."""
        await self._link_everyone()
        for line in intro:
            self.screen.show(line)
        self._show_personas()
        try:
            while True:
                line = await self._next_line()
                if line is None or not await self._answer(line.strip()):
                    break
        except asyncio.CancelledError:  # Ctrl-C: a way out like any other
            self.screen.show("")
        self.screen.show(self.t("demo.bye"))

    async def _next_line(self) -> str | None:
        self.screen.ask(self._prompt())
        line = await self.read_line()
        if line is None or self.echo:
            self.screen.show("" if line is None else line)
        return line

    def _prompt(self) -> str:
        if self.choosing or self.persona is None:
            return f"{self._both('demo.who_prompt')} > "
        now = self.clock.now().astimezone(self.app.config.committee.tz)
        return f"[{now:%d/%m/%Y %H:%M} | {self.persona.label(self.t)}] > "

    async def _answer(self, line: str) -> bool:
        """Act on one line; False when the demo should end."""
        if line.startswith(":"):
            return await self._demo_command(line)
        if self.choosing:
            await self._pick(line)
        elif line:
            await self._say(line)
        return True

    async def _demo_command(self, line: str) -> bool:
        word, _, rest = line.partition(" ")
        word = word.lower()
        if word in (":quit", ":q", ":exit"):
            return False
        if word == ":help":
            self.screen.show(self.t("demo.help"))
        elif word == ":who":
            self._show_personas()
        elif word == ":time":
            await self._move_clock(rest.strip())
        elif word == ":web":
            await self._board_link()
        else:
            self.screen.show(self.t("demo.unknown_command", command=word))
        return True

    def _show_personas(self) -> None:
        self.choosing = True
        self.screen.show(self._both("demo.who_title"))
        for number, persona in enumerate(self.personas, 1):
            label, description = persona.label(self.t), persona.description(self.t)
            self.screen.show(f"  {number:>2}. {label} – {description}")

    async def _pick(self, text: str) -> None:
        if not text:
            self.choosing = self.persona is None  # changed their mind: stay who they were
            return
        persona = self._persona_for(text)
        if persona is None:
            count = len(self.personas)
            self.screen.show(self.t("demo.who_unknown", text=text, count=count))
            return
        self.persona, self.choosing = persona, False
        await self._follow_language()
        self.screen.show(self.t("demo.you_are", who=persona.label(self.t)))

    def _persona_for(self, text: str) -> Persona | None:
        if text.isdigit() and 1 <= int(text) <= len(self.personas):
            return self.personas[int(text) - 1]
        return next((p for p in self.personas if p.code.lower() == text.lower()), None)

    async def _say(self, line: str) -> None:
        """Send LINE to the bot as the current person, or pick from their numbered list."""
        persona = self.persona
        assert persona is not None
        understood = await self.chats.read(
            persona.user_id, persona.chat_id, line, private=persona.private
        )
        if isinstance(understood, Message):
            self.screen.show(render(understood))
        else:
            await self.app.handle(
                understood, TerminalPort(self.screen, self.chats, persona.chat_id, self.files)
            )
        await self._follow_language()  # /lang changes the demo's language too
        await self.app.delivery.drain()

    async def _board_link(self) -> None:
        """A sign-in link to the demo's board, for the office (its admin) only."""
        persona = self.persona
        if self.choosing or persona is None or persona.kind != "office":
            self.screen.show(self.t("demo.web_office_only"))
            return
        store, config = self.app.store, self.app.config
        admin = await store.people.by_member_code(persona.detail)
        assert admin is not None  # the office persona exists only when its admin does
        sign_in = await create_sign_in(store, config, admin.id, self.clock.now())
        expires = self.t.when(sign_in.expires_at)
        self.screen.show(self.t("demo.web_link", link=sign_in.link(config), expires=expires))

    async def _move_clock(self, text: str) -> None:
        if text.startswith("-"):
            self.screen.show(self.t("demo.time_backwards"))
            return
        try:
            delta = parse_duration(text.removeprefix("+"))
        except ValueError:
            delta = None
        if not text.startswith("+") or delta is None:
            self.screen.show(self.t("demo.time_usage", now=self.t.when(self.clock.now())))
            return
        await self._live_until(self.clock.now() + delta)
        self.screen.show(self.t("demo.time_moved", now=self.t.when(self.clock.now())))

    async def _live_until(self, target: datetime) -> None:
        """Move the clock to TARGET a step at a time, running what falls due on the way, as
        `run` would at its ticks: reminders, nudges and the digest arrive in order."""
        while self.clock.now() < target:
            step = self.clock.now()
            self.clock.set(min(step + DEMO_TICK, target))
            await self.app.scheduler.run_due(self.clock.now())
            await self._show_closings(step)
            await self.app.delivery.drain()

    async def _show_closings(self, since: datetime) -> None:
        """A line when the bot closes a quarter: nobody is messaged then, and the final
        digest may wait for the quiet hours to end."""
        for closed in await self.app.store.closing.closed_since(since):
            if closed.quarter not in self.closings_shown:
                self.closings_shown.add(closed.quarter)
                t = self.t
                quarter = t("closing.quarter", roman=closed.quarter.roman, year=closed.quarter.year)
                self.screen.show(t("demo.closed", at=t.when(closed.closed_at), quarter=quarter))

    async def _follow_language(self) -> None:
        user_id = self.persona.user_id if self.persona is not None else ""
        self.screen.t = await translator_for(self.app.store, self.app.config, CHANNEL, user_id)

    async def _link_everyone(self) -> None:
        """Link every persona's chat through the real /start path, so all of them get messages."""
        for persona in self.personas:
            if persona.kind == "office":
                continue  # the admin types there from their own, already linked, account
            invite = await create_invite(
                self.app.store, self.app.config, persona.code, self.clock.now()
            )
            start = Inbound.typed(
                CHANNEL, persona.user_id, persona.chat_id, f"/start {invite.token}"
            )
            await self.app.handle(start, _Silent())
            if await identify(self.app.store, self.app.config, CHANNEL, persona.user_id) is None:
                raise RuntimeError(f"demo: could not link {persona.code}")

    def _both(self, key: str) -> str:
        """A line in both languages, for choosing who to be (the choice sets the language)."""
        return " / ".join(Translator(language, self.t.tz)(key) for language in LANGUAGES)

    def _watching(self, chat_id: str) -> bool:
        """Whether CHAT_ID is the chat of the person being played (the admin's includes the
        office's group, where the digest arrives)."""
        persona = self.persona
        if persona is None:
            return False
        if chat_id == OFFICE_CHAT:
            return persona.kind == "office" or persona.code == DEMO_ADMIN
        return chat_id == persona.chat_id

    def _name_of_chat(self, chat_id: str) -> str:
        if chat_id == OFFICE_CHAT:
            return self.t("demo.office_label")
        persona = next((p for p in self.personas if p.chat_id == chat_id), None)
        return persona.label(self.t) if persona else chat_id


async def run_demo(config: Config, read_line: ReadLine, out: TextIO, *, echo: bool = False) -> None:
    """The demo from start to end, on a fresh database that is gone afterwards."""
    screen = Screen(out, Translator("vi", config.committee.tz))
    # Ctrl-C while the sample loads: leaving the demo is not a failure (the REPL handles later ones).
    with (
        contextlib.suppress(asyncio.CancelledError),
        tempfile.TemporaryDirectory(prefix="checkin-bot-demo-") as folder,
        bind_free_port(BOARD_HOST, BOARD_FIRST_PORT) as board_socket,
    ):
        config = demo_config(config, Path(folder), board_socket.getsockname()[1])
        clock = FakeClock(demo_start(config))
        async with await Store.open(config.storage.path) as store:
            await load_sample(store, config, clock.now())
            app = build_app(config, store, clock)
            personas = await demo_personas(store)
            files = Path(folder) / "files"
            demo = Demo(app, clock, personas, read_line, screen, echo=echo, files=files)
            # The board reads the same database at the demo's clock.
            board = await serve_board(config, store, clock, sock=board_socket)
            try:
                await demo.run(await _intro(store, config, clock.now()))
            finally:
                await board.close()


async def _intro(store: Store, config: Config, now: datetime) -> list[str]:
    """What this is, the demo clock, and where the district stands this quarter."""
    vi, en = (Translator(language, config.committee.tz) for language in LANGUAGES)
    summary = coverage_text(
        await quarter_coverage(store, config, Quarter.at(now, config.committee.tz))
    )
    board = config.web.link_base
    return [
        vi("demo.banner"),
        en("demo.banner"),
        f"{vi('demo.clock', now=vi.when(now))} / {en('demo.clock', now=en.when(now))}",
        *summary.splitlines()[:2],
        vi("demo.board", url=board),
        en("demo.board", url=board),
        "",
    ]


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
