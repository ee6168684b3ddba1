"""What a channel adapter is given: the application as far as an adapter may see it.

Adapters turn their platform's updates into Inbound events for ``handle`` and register the
outbox's way out through them with ``add_channel``; bot.app.App is the one implementation.
A Protocol rather than App itself, because bot.app builds the channels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bot.channels.webhook import WebhookPlace
from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.messages import Inbound
from bot.services import Store

if TYPE_CHECKING:
    from bot.delivery import ChannelSender
    from handlers.port import Port


class Host(Protocol):
    config: Config
    store: Store  # for the numbered lists a chat without buttons keeps, and updates seen
    clock: Clock
    webhooks: WebhookPlace  # where a channel in webhook mode takes its updates

    async def handle(self, inbound: Inbound, port: Port) -> None:
        """Answer one inbound event through PORT."""

    def add_channel(self, name: str, sender: ChannelSender) -> None:
        """From now on the outbox sends NAME's messages through SENDER."""
