"""The chat channels: each turns its platform's updates into Inbound events for App.handle.

telegram (python-telegram-bot; the only module that imports it), zalo (the Zalo Bot Platform,
on our own httpx client: zalo_api), terminal (a chat in a terminal) and demo (`checkin-bot
demo`, on the terminal), numbered (choices as numbered lists, for channels without buttons)
and in_order (one person's updates in turn). bot.app builds
the networked ones enabled in the config; this module says what stops them from starting.
"""

from __future__ import annotations

import re
from typing import Protocol
from urllib.parse import urlsplit

from bot.core.config import Channel as ChannelSettings
from bot.core.config import Config


class Channel(Protocol):
    name: str

    async def start(self) -> None:
        """Register the channel's outbox sender with the app and start taking updates."""

    async def stop(self) -> None:
        """Stop taking updates; let the handlers already running finish."""

    async def close(self) -> None:
        """Release connections; the outbox no longer sends through this channel."""


# Section names in the config that describe a channel (bot.app.CHANNELS builds each).
CONFIGURED = ("telegram", "zalo")
# What Telegram accepts as a webhook secret token.
SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Zalo's setWebhook wants 8-256 characters (bot.channels.zalo_api's docstring: [docs]); it
# names no alphabet, so the secret keeps to one that is safe in a header.
SECRET_SHAPES = {"telegram": SECRET_SHAPE, "zalo": re.compile(r"^[A-Za-z0-9_-]{8,256}$")}
SECRET_LENGTHS = {"telegram": "1-256", "zalo": "8-256"}


def enabled(config: Config) -> list[str]:
    return [name for name in CONFIGURED if _settings(config, name).enabled]


def webhook_path(settings: ChannelSettings) -> str:
    """The path the platform POSTs updates to: webhook_url's."""
    return urlsplit(settings.webhook_url).path or "/"


def webhook_paths(config: Config) -> dict[str, str]:
    """{channel: its webhook's path} of the enabled channels that take updates by webhook."""
    return {
        name: webhook_path(_settings(config, name))
        for name in enabled(config)
        if _settings(config, name).mode == "webhook"
    }


def problems(config: Config) -> list[str]:
    """What stops the enabled channels from starting, one line per problem with its key."""
    names = enabled(config)
    if not names:
        return [
            "no channel enabled: set telegram.enabled = true and telegram.token in the config"
            " (or CHECKIN_BOT_TELEGRAM_TOKEN), or the same under [zalo]; `checkin-bot demo` runs"
            " without one"
        ]
    found: list[str] = []
    listening: dict[str, str] = {}  # webhook_listen -> the channel that took it
    for name in names:
        settings = _settings(config, name)
        if not settings.token.strip():
            variable = f"CHECKIN_BOT_{name.upper()}_TOKEN"
            found.append(f"{name}.token: required when {name}.enabled = true (or set {variable})")
        if settings.mode == "webhook":
            found.extend(_webhook_problems(name, settings))
            if config.web.enabled:
                continue  # served by the board's server: webhook_listen is not used
            # Both sections default to the same address; two servers cannot share it.
            other = listening.setdefault(settings.webhook_listen, name)
            if other != name:
                found.append(
                    f"{name}.webhook_listen: {settings.webhook_listen} is {other}'s webhook"
                    " address too: give each channel its own port"
                )
    return found


def _webhook_problems(name: str, settings: ChannelSettings) -> list[str]:
    found = []
    if not settings.webhook_url.startswith(("https://", "http://")):
        found.append(f"{name}.webhook_url: required in webhook mode (the public https:// address)")
    if not SECRET_SHAPES[name].match(settings.webhook_secret):
        found.append(
            f"{name}.webhook_secret: required in webhook mode: {SECRET_LENGTHS[name]} letters,"
            " digits, _ or - (requests without it are refused)"
        )
    return found


def _settings(config: Config, name: str) -> ChannelSettings:
    return getattr(config, name)
