"""What a conversation sees of the outside world: plain inbound events and a reply port.

Adapters (Telegram, Zalo, the terminal) turn their updates into ``Inbound`` and render
``Message`` in their own way: choices become inline buttons on Telegram and numbered lists
where a channel has none. Nothing here knows a vendor SDK.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Choice:
    label: str
    data: str  # opaque to the user; handlers re-check everything it names (it can be forged)


@dataclass(frozen=True)
class Message:
    text: str
    choices: tuple[Choice, ...] = ()
    contact_button: str = ""  # label of a "share my phone number" button, where there is one


@dataclass(frozen=True)
class Inbound:
    """One thing a user did: a command, plain text, a chosen option or a shared contact."""

    channel: str  # "telegram", "zalo", "terminal"
    user_id: str
    chat_id: str
    private: bool = True
    command: str | None = None  # without "/", lower case, as typed (aliases resolved later)
    args: tuple[str, ...] = ()
    text: str | None = None
    choice: str | None = None  # Choice.data of the option picked
    contact_phone: str | None = None
    contact_user_id: str | None = None  # whose contact it is; must be the sender's own
    display_name: str = ""

    @classmethod
    def typed(
        cls,
        channel: str,
        user_id: str,
        chat_id: str,
        text: str,
        *,
        private: bool = True,
        display_name: str = "",
    ) -> Inbound:
        """What a user typed: "/cmd args" (also "/cmd@botname") is a command, else text."""
        stripped = text.strip()
        if stripped.startswith("/") and len(stripped) > 1:
            word, *args = stripped[1:].split()
            return cls(
                channel,
                user_id,
                chat_id,
                private,
                command=word.split("@", 1)[0].lower(),
                args=tuple(args),
                text=stripped,
                display_name=display_name,
            )
        return cls(channel, user_id, chat_id, private, text=stripped, display_name=display_name)


class Port(Protocol):
    # Whether the channel can share the user's phone number (Telegram can, Zalo cannot).
    shares_contacts: bool

    async def reply(self, message: Message) -> None:
        """Answer in the chat the event came from."""

    async def send_file(self, path: Path, caption: str = "") -> None:
        """Attach a file in that chat (channels without files say so in text)."""

    async def set_menu(self, commands: list[tuple[str, str]]) -> None:
        """Show these (command, description) pairs as the chat's command menu, if it has one."""
