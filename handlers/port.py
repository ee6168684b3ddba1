"""What a conversation sees of the outside world: a reply port for plain messages.

Adapters implement it for their chat; nothing here knows a vendor SDK. The events and the
messages themselves are bot.core.messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from bot.core.messages import Message
from bot.core.photos import Photo


class Port(Protocol):
    # Whether the channel can share the user's phone number (Telegram can, Zalo cannot).
    shares_contacts: bool

    async def reply(self, message: Message) -> None:
        """Answer in the chat the event came from."""

    async def send_file(self, path: Path, caption: str = "") -> None:
        """Attach a file in that chat (channels without files say so in text)."""

    async def set_menu(self, commands: list[tuple[str, str]]) -> None:
        """Show these (command, description) pairs as the chat's command menu, if it has one."""

    async def fetch(self, photo: Photo, limit: int) -> bytes:
        """The bytes of a photo sent in this chat: PhotoTooLarge when over LIMIT bytes (read no
        further), PhotoNotFetched when the platform does not give it."""
