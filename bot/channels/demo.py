"""The demo (`checkin-bot demo`): the whole bot on a fresh copy of the sample district, in a
terminal (bot.channels.terminal).

The real router, services, outbox and delivery, with a FakeClock the user moves forward. Its
files (the database, the log, the files sent in replies) are in a temporary folder, removed
when it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.app import App, build_app
from bot.channels.numbered import NumberedChoices, render
from bot.channels.terminal import (
    CHANNEL,
    ReadLine,
    Screen,
    Silent,
    TerminalPort,
    TerminalSender,
)
from bot.core.clock import FakeClock
from bot.core.config import Access, Config, Storage, Web
from bot.core.durations import parse_duration
from bot.core.i18n import LANGUAGES, Translator
from bot.core.messages import Inbound, Message
from bot.core.quarters import Quarter
from bot.sample import demo_start, load_sample
from bot.services.coverage import quarter_coverage
from bot.services.identity import identify, translator_for
from bot.services.invites import create_invite
from bot.services.web_sessions import create_sign_in
from bot.web.server import bind_free_port, serve_board
from storage.store import Store

# The sample's admin in the demo, so that /report can be tried: a standing member.
DEMO_ADMIN = "M01"
# The secretaries one can be, each with a check-in waiting in the sample: C0102 meets right
# at the start, C0103 is flagged, O10 is an organization that is its own only cell.
DEMO_SECRETARIES = ("C0102", "C0103", "O10")
OFFICE_CHAT = "demo-office"
OFFICE_CODE = "office"
# How far the demo clock moves between two looks for due work: reminders arrive within this
# much of their time, and a month's jump stays quick.
DEMO_TICK = timedelta(minutes=30)
# The longest jump of the clock at once: a year and a bit, which takes a minute or two.
MOST_AT_ONCE = timedelta(days=400)
# A jump longer than this says where the clock is, every PROGRESS_EVERY of demo time.
PROGRESS_EVERY = timedelta(days=7)
# The demo's board: on this machine only, at the first free port from this one.
BOARD_HOST, BOARD_FIRST_PORT = "127.0.0.1", 8080
LOG_FILE = "demo.log"


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
            return f"{both(self.t.tz, 'demo.who_prompt')} > "
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
        """Everyone who can be played; before anyone is, in both languages (who one picks
        sets the language)."""
        self.choosing = True
        self.screen.show(both(self.t.tz, "demo.who_title"))
        for number, persona in enumerate(self.personas, 1):
            label = persona.label(self.t)
            if self.persona is None:
                description = " / ".join(persona.description(t) for t in self._translators())
            else:
                description = persona.description(self.t)
            self.screen.show(f"  {number:>2}. {label} – {description}")

    async def _pick(self, text: str) -> None:
        if not text:
            self.choosing = self.persona is None  # changed their mind: stay who they were
            return
        persona = self._persona_for(text)
        if persona is None:
            count = len(self.personas)
            self.screen.show(self._both("demo.who_unknown", text=text, count=count))
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
        if delta > MOST_AT_ONCE:
            days = self.t("common.days", count=MOST_AT_ONCE.days)
            self.screen.show(self.t("demo.time_too_far", most=days))
            return
        await self._live_until(self.clock.now() + delta)
        self.screen.show(self.t("demo.time_moved", now=self.t.when(self.clock.now())))

    async def _live_until(self, target: datetime) -> None:
        """Move the clock to TARGET a step at a time, running what falls due on the way, as
        `run` would at its ticks: reminders, nudges and the digest arrive in order. A long
        jump says where the clock is every PROGRESS_EVERY."""
        long_jump = target - self.clock.now() > PROGRESS_EVERY
        next_progress = self.clock.now() + PROGRESS_EVERY
        while self.clock.now() < target:
            step = self.clock.now()
            self.clock.set(min(step + DEMO_TICK, target))
            await self.app.scheduler.run_due(self.clock.now())
            await self._show_closings(step)
            await self.app.delivery.drain()
            if long_jump and next_progress <= self.clock.now() < target:
                next_progress += PROGRESS_EVERY
                left = self.t("common.days_left", count=(target - self.clock.now()).days)
                self.screen.show(
                    self.t("demo.progress", now=self.t.when(self.clock.now()), left=left)
                )

    async def _show_closings(self, since: datetime) -> None:
        """A line when the bot closes a quarter: nobody is messaged then, and the final
        digest may wait for the quiet hours to end."""
        for closed in await self.app.store.closing.closed_since(since):
            if closed.quarter not in self.closings_shown:
                self.closings_shown.add(closed.quarter)
                t = self.t
                quarter = t.quarter(closed.quarter)
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
            await self.app.handle(start, Silent())
            if await identify(self.app.store, self.app.config, CHANNEL, persona.user_id) is None:
                raise RuntimeError(f"demo: could not link {persona.code}")

    def _both(self, key: str, **values: object) -> str:
        """KEY in both languages while nobody is played yet (the choice sets the language),
        else in the language of the person played."""
        if self.persona is not None:
            return self.t(key, **values)
        return " / ".join(t(key, **values) for t in self._translators())

    def _translators(self) -> list[Translator]:
        return [Translator(language, self.t.tz) for language in LANGUAGES]

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
    """The demo from start to end, on a fresh database that is gone afterwards; the log goes
    to a file beside it, never into the chat."""
    screen = Screen(out, Translator("vi", config.committee.tz))
    # Ctrl-C while the sample loads: leaving the demo is not a failure (the REPL handles later ones).
    with (
        contextlib.suppress(asyncio.CancelledError),
        tempfile.TemporaryDirectory(prefix="checkin-bot-demo-") as folder,
        logs_in(Path(folder) / LOG_FILE),
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
                await demo.run(await _intro(store, config, clock.now(), Path(folder)))
            finally:
                await board.close()


@contextlib.contextmanager
def logs_in(path: Path) -> Iterator[None]:
    """For the demo's length, log records go to the file PATH, not to the terminal where the
    chat is (a test's own capture of the log stays)."""
    root = logging.getLogger()
    on_screen = [
        handler
        for handler in root.handlers
        if isinstance(handler, logging.StreamHandler)
        and getattr(handler, "stream", None) in (sys.stderr, sys.stdout, sys.__stderr__)
    ]
    to_file = logging.FileHandler(path, encoding="utf-8")
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for handler in on_screen:
        root.removeHandler(handler)
    root.addHandler(to_file)
    try:
        yield
    finally:
        root.removeHandler(to_file)
        to_file.close()
        for handler in on_screen:
            root.addHandler(handler)


def both(tz, key: str, **values: object) -> str:
    """KEY in every language, "vi / en"."""
    return " / ".join(Translator(language, tz)(key, **values) for language in LANGUAGES)


async def _intro(store: Store, config: Config, now: datetime, folder: Path) -> list[str]:
    """What this is, where its files are, the demo clock, and where the district stands this
    quarter: in both languages, before anyone is chosen."""
    vi, en = (Translator(language, config.committee.tz) for language in LANGUAGES)
    quarter = Quarter.at(now, config.committee.tz)
    totals = (await quarter_coverage(store, config, quarter)).totals
    board = config.web.link_base
    lines = []
    for t in (vi, en):
        lines += [
            t("demo.banner"),
            t("demo.files", folder=folder),
            t("demo.clock", now=t.when(now)),
            t("demo.standing", quarter=t.quarter(quarter), **totals),
            t("demo.board", url=board),
        ]
    return [*lines, ""]
