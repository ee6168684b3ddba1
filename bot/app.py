"""The one place that wires the application: store, clock, router, delivery, scheduler,
channels and ticker.

build_bot is what `checkin-bot run` runs; build_app is its part without the network edges (no
channels, no ticker), which tests and the demo drive by hand with their own channel.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.channels import Channel, enabled
from bot.channels.webhook import OnTheBoard, OwnServers, WebhookPlace
from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.messages import Inbound, Message
from bot.core.photos import Photo
from bot.core.quiet_hours import QuietHours
from bot.delivery import ChannelSender, Delivery, TransientError, Unreachable
from bot.digest.render import render_digest
from bot.scheduler import Scheduler, Ticker
from bot.services.channels import mark_unreachable
from bot.web.server import BoardService
from handlers import (
    account,
    channel,
    checkin,
    confirm,
    flags,
    meetings,
    note,
    report,
    reschedule,
    schedule,
    status,
    web,
)
from handlers.port import Port
from handlers.router import Router
from storage.store import Store

log = logging.getLogger(__name__)


@dataclass
class App:
    config: Config
    store: Store
    clock: Clock
    router: Router
    delivery: Delivery
    scheduler: Scheduler
    senders: dict[str, ChannelSender] = field(default_factory=dict)
    webhooks: WebhookPlace = field(default_factory=OwnServers)

    async def handle(self, inbound: Inbound, port: Port) -> None:
        """Answer one inbound event; what it queued for others goes out right after."""
        now = self.clock.now()
        await self.router.dispatch(
            inbound, _Answered(port, inbound, self), self.store, self.config, now
        )

    def add_channel(self, name: str, sender: ChannelSender) -> None:
        self.senders[name] = sender


@dataclass
class Bot:
    """Everything `checkin-bot run` starts, and stops in the reverse order (bot.runner)."""

    app: App
    channels: list[Channel]
    ticker: Ticker


class _Answered:
    """PORT, for one inbound event. A chat that refuses the bot's answer (its user blocked the
    bot) is marked unreachable; an answer that cannot go (the platform is down) is given up:
    either with one line in the log, and nothing more said in that chat for this event."""

    def __init__(self, port: Port, inbound: Inbound, app: App):
        self.port = port
        self.inbound = inbound
        self.app = app
        self.shares_contacts = port.shares_contacts
        self._refused = False

    async def reply(self, message: Message) -> None:
        if not self._refused:
            async with self._refusal():
                await self.port.reply(message)

    async def send_file(self, path: Path, caption: str = "") -> None:
        if not self._refused:
            async with self._refusal():
                await self.port.send_file(path, caption)

    async def set_menu(self, commands: list[tuple[str, str]]) -> None:
        if not self._refused:
            async with self._refusal():
                await self.port.set_menu(commands)

    async def fetch(self, photo: Photo, limit: int) -> bytes:
        return await self.port.fetch(photo, limit)

    @contextlib.asynccontextmanager
    async def _refusal(self) -> AsyncIterator[None]:
        try:
            yield
        except Unreachable as exc:
            self._refused = True
            inbound = self.inbound
            private = inbound.private  # the chat is its user's: they are out of reach
            log.warning(
                "%s chat %s refused the answer (%s)%s",
                inbound.channel,
                inbound.chat_id,
                exc,
                ": marked unreachable" if private else "",
            )
            if private:
                app = self.app
                await mark_unreachable(app.store, inbound.channel, inbound.user_id, app.clock.now())
        except TransientError as exc:
            self._refused = True
            inbound = self.inbound
            log.warning(
                "%s chat %s: an answer could not go (%s)", inbound.channel, inbound.chat_id, exc
            )


def build_router() -> Router:
    """Every command, button and dialogue the bot answers, in one visible list."""
    router = Router()
    # account first: it owns /start and the fallbacks (shared contacts, text outside a dialogue).
    # The others register distinct commands and choice prefixes; the router refuses clashes.
    for feature in (
        account,
        meetings,
        checkin,
        note,
        status,
        schedule,
        reschedule,
        confirm,
        flags,
        channel,
        web,
    ):
        feature.register(router)
    report.register(router, render_digest)
    return router


def build_app(config: Config, store: Store, clock: Clock) -> App:
    """The application without its channels and ticker."""
    # Shared with the App: a channel added later (at its start) is used by delivery too.
    senders: dict[str, ChannelSender] = {}
    delivery = Delivery(store, clock, senders, QuietHours.of(config))
    # Whatever is queued (a handler's notice, a tick's reminders) wakes delivery at once
    # instead of at its next idle look.
    store.outbox.on_queued = delivery.wake
    scheduler = Scheduler(config, store)
    return App(config, store, clock, build_router(), delivery, scheduler, senders)


def build_bot(config: Config, store: Store, clock: Clock) -> Bot:
    """The whole application: build_app, the channels enabled in CONFIG (not started: each
    registers its sender when it starts), and the scheduler's ticker."""
    app = build_app(config, store, clock)
    channels: list[Channel] = []
    if config.web.enabled:
        # The board's server serves the webhooks too: one port behind the reverse proxy. So it
        # starts first, ready for the updates a channel asks for when it sets its webhook, and
        # stops last, after the channels have stopped taking them. Its last decisions are
        # queued before delivery's final drain, like the chats'.
        webhooks = OnTheBoard()
        app.webhooks = webhooks
        channels.append(BoardService(config, store, clock, webhooks))
    channels += [CHANNELS[name](app) for name in enabled(config)]
    return Bot(app, channels, Ticker(app.scheduler, clock, config.reminders.tick))


def _telegram(app: App) -> Channel:
    # Imported here so that the CLI's other commands do not load python-telegram-bot.
    from bot.channels.telegram import TelegramChannel

    return TelegramChannel(app, app.config.telegram)


def _zalo(app: App) -> Channel:
    from bot.channels.zalo import ZaloChannel

    return ZaloChannel(app, app.config.zalo)


# Adding a platform: a channel module under bot/channels, and one entry here.
CHANNELS: dict[str, Callable[[App], Channel]] = {"telegram": _telegram, "zalo": _zalo}
