"""Choices as numbered lists, for chats without buttons (the terminal, Zalo): reply with the number.

A number answers the last list the bot sent to that chat, until a newer list replaces it or
LIST_KEPT has passed. A message without choices in between ("did not understand", a weekly
suggestion) leaves it: the member's "1" still means what the list said. Only a dialogue that
asked for typed text after the list takes a number as text. A list sent unasked (the
outbox's) says that its numbers answer it. The messages of one reply make one list: their
numbers go on from one message to the next (/confirm's check-ins, each with Confirm and
Absent, are 1-2, 3-4, ...), so that each line can be answered, not only the last message's.
The lists live in the store, so a restart between question and answer changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.messages import Inbound, Message
from bot.services.identity import translator_for
from storage.store import Store

# "2", " 2 ", "2." : what people type to pick the second line of a list.
_NUMBER = re.compile(r"\s*(\d{1,9})\.?\s*")
# How long a list is answered by number: a day covers a reminder read the next morning; a
# number typed later than that is more likely meant for something else.
LIST_KEPT = timedelta(hours=24)


def render(message: Message, first: int = 1) -> str:
    """The message's text with its choices as "  1. label" lines under it (numbered from
    FIRST)."""
    lines = [message.text] if message.text else []
    numbered = enumerate(message.choices, first)
    lines += [f"  {number}. {choice.label}" for number, choice in numbered]
    return "\n".join(lines)


def typed_number(text: str) -> int | None:
    match = _NUMBER.fullmatch(text)
    return int(match.group(1)) if match else None


@dataclass
class NumberedChoices:
    """The numbered lists of one channel's chats."""

    store: Store
    config: Config
    clock: Clock
    channel: str

    async def offer(
        self,
        chat_id: str,
        message: Message,
        *,
        unasked: bool = False,
        earlier: Sequence[str] = (),
    ) -> str:
        """Remember MESSAGE as shown in the chat (see remember); return the text to show."""
        text = await self.shown(chat_id, message, unasked=unasked, earlier=earlier)
        await self.remember(chat_id, message, earlier)
        return text

    async def shown(
        self,
        chat_id: str,
        message: Message,
        *,
        unasked: bool = False,
        earlier: Sequence[str] = (),
    ) -> str:
        """MESSAGE as the chat shows it, its numbers going on from the EARLIER choices of the
        same reply; a list sent UNASKED says which numbers answer it, in the language of the
        chat's person (a private chat's id is its person's)."""
        text = render(message, first=len(earlier) + 1)
        if unasked and message.choices:
            t = await translator_for(self.store, self.config, self.channel, chat_id)
            count = len(message.choices)
            hint = t("numbered.reply_one") if count == 1 else t("numbered.reply_range", count=count)
            text += "\n" + hint
        return text

    async def remember(self, chat_id: str, message: Message, earlier: Sequence[str] = ()) -> None:
        """MESSAGE's choices, after the EARLIER ones of the same reply, become the chat's list;
        a message without choices leaves the list as it is, noting that it came after it; an
        aside (a refusal, "please type") leaves everything as it was, on every channel."""
        conversations = self.store.conversations
        if message.aside:
            return
        if message.choices:
            options = [*earlier, *(choice.data for choice in message.choices)]
            await conversations.put_choices(self.channel, chat_id, options, self.clock.now())
        else:
            await conversations.put_plain(self.channel, chat_id)

    async def read(
        self,
        user_id: str,
        chat_id: str,
        text: str,
        *,
        private: bool = True,
        display_name: str = "",
    ) -> Inbound | Message:
        """What TEXT means: a pick from the chat's list, typed text, or a refusal to show as is.

        A refusal changes nothing: the list stays, so the user can type the right number.
        """
        typed = Inbound.typed(
            self.channel, user_id, chat_id, text, private=private, display_name=display_name
        )
        number = typed_number(text)
        if number is None:
            return typed
        offered = await self.store.conversations.offered(self.channel, chat_id)
        expired = offered is not None and self.clock.now() - offered.offered_at > LIST_KEPT
        options = offered.options if offered is not None and not expired else []
        if not private and not 1 <= number <= len(options):
            return typed  # in a group, a number that answers no list is chatter, not a mistake
        # A dialogue that asked for typed text after the list (the list is gone, or a message
        # without choices came last) takes "5" as text.
        text_asked = not options or offered.plain_after
        if text_asked and await self.store.conversations.get(self.channel, user_id) is not None:
            return typed
        if not options:
            key = "numbered.expired" if expired else "numbered.no_list"
            return await self._refusal(user_id, key)
        if not 1 <= number <= len(options):
            return await self._refusal(
                user_id, "numbered.out_of_range", number=number, count=len(options)
            )
        return Inbound(
            self.channel,
            user_id,
            chat_id,
            private,
            choice=options[number - 1],
            display_name=display_name,
        )

    async def _refusal(self, user_id: str, key: str, **values: object) -> Message:
        t = await translator_for(self.store, self.config, self.channel, user_id)
        return Message(t(key, **values))
