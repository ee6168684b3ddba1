"""The message model: what a user did (``Inbound``) and what the bot says (``Message``).

Adapters (Telegram, Zalo, the terminal) turn their updates into ``Inbound`` and render
``Message`` in their own way: choices become inline buttons on Telegram and numbered lists
where a channel has none.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.core.photos import Photo


@dataclass(frozen=True)
class Choice:
    label: str
    data: str  # opaque to the user; handlers re-check everything it names (it can be forged)


@dataclass(frozen=True)
class Message:
    text: str
    choices: tuple[Choice, ...] = ()
    contact_button: str = ""  # label of a "share my phone number" button, where there is one
    # An aside (a refusal, "please type"): it answers no question, so a chat of numbered lists
    # keeps the list it has on screen instead of having it replaced.
    aside: bool = False


@dataclass(frozen=True)
class Inbound:
    """One thing a user did: a command, plain text, a chosen option, a shared contact, a photo,
    or something the channel cannot read."""

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
    # Something the channel cannot read (a sticker, a voice message): the text key the bot
    # answers with, in the sender's language, in a private chat (in a group it is none of the
    # bot's business).
    unreadable: str | None = None
    photo: Photo | None = None  # a picture sent (its caption is not read)

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
        """What a user typed: "/cmd args" (also "/cmd@botname") is a command, else text.

        Text is composed (NFC) here, for every channel: phones and some keyboards send
        Vietnamese decomposed ("ô" + a tone mark as two characters), and the same words
        must compare, store and search as one.
        """
        stripped = unicodedata.normalize("NFC", text.strip())
        display_name = unicodedata.normalize("NFC", display_name)
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
