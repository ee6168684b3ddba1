"""Choices as numbered lists, for chats without buttons (the terminal, Zalo): reply with the number.

A number answers the list in the last message the bot sent to that chat: every message sent
replaces the chat's list with its own choices, or with none. So a number never reaches back
past what the user has on screen, and an answered list (followed by the bot's answer) is
spent. The lists live in the store, so a restart between question and answer changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.messages import Inbound, Message
from bot.services.identity import translator_for
from storage.store import Store

# "2", " 2 ", "2." : what people type to pick the second line of a list.
_NUMBER = re.compile(r"\s*(\d{1,9})\.?\s*")


def render(message: Message) -> str:
    """The message's text with its choices as "  1. label" lines under it."""
    lines = [message.text] if message.text else []
    lines += [f"  {number}. {choice.label}" for number, choice in enumerate(message.choices, 1)]
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

    async def offer(self, chat_id: str, message: Message) -> str:
        """Make MESSAGE's choices the chat's current list; return the text to show."""
        options = [choice.data for choice in message.choices]
        await self.store.conversations.put_choices(self.channel, chat_id, options, self.clock.now())
        return render(message)

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
        options = await self.store.conversations.choices(self.channel, chat_id)
        if not private and not 1 <= number <= len(options):
            return typed  # in a group, a number that answers no list is chatter, not a mistake
        if not options:
            if await self.store.conversations.get(self.channel, user_id) is not None:
                return typed  # a dialogue asked for free text, and "5" is text too
            return await self._refusal(user_id, "numbered.no_list")
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
