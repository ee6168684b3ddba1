"""The one place that wires the application: store, clock, router, scheduler, delivery, channels."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.messages import Inbound
from bot.core.quiet_hours import QuietHours
from bot.delivery import ChannelSender, Delivery
from bot.digest.render import render_digest
from bot.scheduler import Scheduler
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


@dataclass
class App:
    config: Config
    store: Store
    clock: Clock
    router: Router
    delivery: Delivery
    scheduler: Scheduler
    senders: dict[str, ChannelSender] = field(default_factory=dict)

    async def handle(self, inbound: Inbound, port: Port) -> None:
        """Answer one inbound event; what it queued for others goes out right after."""
        await self.router.dispatch(inbound, port, self.store, self.config, self.clock.now())

    def add_channel(self, name: str, sender: ChannelSender) -> None:
        self.senders[name] = sender


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
    senders: dict[str, ChannelSender] = {}
    # Delivery shares the senders dict, so channels added later are used too.
    delivery = Delivery(store, clock, senders, QuietHours.of(config))
    return App(config, store, clock, build_router(), delivery, Scheduler(config, store), senders)
