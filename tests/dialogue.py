"""Dialogue tests against the handlers: a recording port, people who type and tap, a fake clock.

    chat = await people.member("M01")
    replies = await chat.send("/meetings")
    await chat.tap(replies[-1].choices[0])

Everything goes through bot.app.App.handle, exactly as the channel adapters do, on a real
SQLite file holding the sample district. What the bot queues for others is delivered to their
RecordingPort inbox by draining the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.app import App, build_app
from bot.core.clock import FakeClock
from bot.core.config import Config
from bot.core.messages import Choice, Inbound, Message
from bot.core.photos import Photo, PhotoNotFetched, PhotoTooLarge
from bot.sample import demo_start, load_sample
from bot.services.invites import create_invite
from storage.store import Store

CHANNEL = "test"


@dataclass
class RecordingPort:
    """A chat as the handlers see it; records what they say."""

    shares_contacts: bool = True
    replies: list[Message] = field(default_factory=list)
    files: list[tuple[Path, str]] = field(default_factory=list)
    menu: list[tuple[str, str]] = field(default_factory=list)
    # What the platform holds of the photos sent in this chat, by Photo.ref.
    pictures: dict[str, bytes] = field(default_factory=dict)

    async def reply(self, message: Message) -> None:
        self.replies.append(message)

    async def send_file(self, path: Path, caption: str = "") -> None:
        self.files.append((path, caption))

    async def set_menu(self, commands: list[tuple[str, str]]) -> None:
        self.menu = list(commands)

    async def fetch(self, photo: Photo, limit: int) -> bytes:
        if photo.ref not in self.pictures:
            raise PhotoNotFetched(photo.ref)
        content = self.pictures[photo.ref]
        if len(content) > limit:
            raise PhotoTooLarge(photo.ref)
        return content


class InboxSender:
    """The test channel's sender for the outbox: proactive messages land in each chat's inbox."""

    def __init__(self) -> None:
        self.inboxes: dict[str, list[Message]] = {}

    async def send(self, chat_id: str, message: Message) -> None:
        self.inboxes.setdefault(chat_id, []).append(message)

    async def send_file(self, chat_id: str, path: Path, caption: str = "") -> None:
        self.inboxes.setdefault(chat_id, []).append(Message(f"[file {path.name}] {caption}"))


@dataclass
class Person:
    """Someone chatting with the bot in a private chat."""

    app: App
    inbox: InboxSender
    user_id: str
    port: RecordingPort = field(default_factory=RecordingPort)

    async def _handle(self, inbound: Inbound) -> list[Message]:
        before = len(self.port.replies)
        await self.app.handle(inbound, self.port)
        await self.app.delivery.drain()
        return self.port.replies[before:]

    async def send(
        self, text: str, *, private: bool = True, chat_id: str | None = None
    ) -> list[Message]:
        """Type TEXT; return the bot's replies to it."""
        chat = chat_id or self.user_id
        return await self._handle(Inbound.typed(CHANNEL, self.user_id, chat, text, private=private))

    async def tap(self, choice: Choice | str) -> list[Message]:
        """Press a button (or forge one: pass any data string)."""
        data = choice.data if isinstance(choice, Choice) else choice
        return await self._handle(Inbound(CHANNEL, self.user_id, self.user_id, choice=data))

    async def send_photo(self, content: bytes, *, size: int | None = None) -> list[Message]:
        """Send a photo whose bytes are CONTENT (SIZE: what the platform says beforehand)."""
        ref = f"photo-{len(self.port.pictures) + 1}"
        self.port.pictures[ref] = content
        return await self._handle(
            Inbound(CHANNEL, self.user_id, self.user_id, photo=Photo(ref, size))
        )

    async def share_contact(self, phone: str, owner: str | None = None) -> list[Message]:
        owner = self.user_id if owner is None else owner
        return await self._handle(
            Inbound(CHANNEL, self.user_id, self.user_id, contact_phone=phone, contact_user_id=owner)
        )

    @property
    def received(self) -> list[Message]:
        """What the bot sent this person unprompted (via the outbox)."""
        return self.inbox.inboxes.get(self.user_id, [])

    @property
    def last(self) -> Message:
        return self.port.replies[-1]


@dataclass
class World:
    """The sample district behind a bot, and the people who talk to it."""

    app: App
    store: Store
    clock: FakeClock
    config: Config
    inbox: InboxSender

    def stranger(self, user_id: str = "stranger") -> Person:
        return Person(self.app, self.inbox, user_id)

    async def linked(self, code: str, user_id: str | None = None) -> Person:
        """The member (code M..) or the secretary of the cell (code C../O..), linked by invite."""
        person = Person(self.app, self.inbox, user_id or f"user-{code}")
        invite = await create_invite(self.store, self.config, code, self.clock.now())
        replies = await person.send(f"/start {invite.token}")
        assert replies and "/help" in replies[-1].text, replies
        return person

    def now(self) -> datetime:
        return self.clock.now()


async def make_world(tmp_path: Path, config: Config | None = None) -> World:
    config = config or Config()
    clock = FakeClock(demo_start(config))
    store = await Store.open(tmp_path / "bot.sqlite3")
    await load_sample(store, config, clock.now())
    app = build_app(config, store, clock)
    inbox = InboxSender()
    app.add_channel(CHANNEL, inbox)
    return World(app, store, clock, config, inbox)


def texts(messages: list[Message]) -> str:
    return "\n".join(message.text for message in messages)


async def forget_open_quarters_checkins(store: Store) -> None:
    """Remove the check-ins of the quarters not closed, with their notes and decisions (the
    sample's 2021Q3 is closed: its record stays, as a closed quarter's always does)."""
    frozen = "(SELECT checkin_id FROM closed_visits)"
    for table in ("notes", "decisions"):
        await store.db.execute(f"DELETE FROM {table} WHERE checkin_id NOT IN {frozen}")
    await store.db.execute(f"DELETE FROM checkins WHERE id NOT IN {frozen}")
