"""Routes an inbound event to the handler for it, after working out who is asking.

Authorisation happens twice: here by role (a stranger never reaches a member command), and in
the services by object (a member acts only on their organizations' cells, a secretary only on
their cell), because button data and typed numbers can be forged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.core.config import Config
from bot.core.i18n import Translator
from bot.core.messages import Choice, Inbound, Message
from bot.services import Store, StoreUnavailable
from bot.services.dialogues import Dialogue, dialogue_in_progress, end_dialogue, keep_dialogue
from bot.services.identity import Identity, identify, note_seen, translator_of
from handlers.port import Port

log = logging.getLogger(__name__)

# "decider": a cell's secretary or an admin, who decide check-ins.
Role = Literal["anyone", "linked", "member", "secretary", "admin", "decider"]


@dataclass
class Context:
    inbound: Inbound
    port: Port
    store: Store
    config: Config
    now: datetime
    who: Identity | None
    t: Translator

    async def say(
        self, key: str, *, choices: tuple[Choice, ...] = (), aside: bool = False, **values: Any
    ) -> None:
        """Answer with the text KEY; ASIDE: it answers no question (Message.aside)."""
        await self.port.reply(Message(self.t(key, **values), choices, aside=aside))

    async def say_how_to_link(self, key: str = "error.stranger") -> None:
        """KEY, telling a stranger how to get in: by invite code alone ("<KEY>_token") where
        the chat cannot share a phone number (Zalo, the terminal)."""
        await self.say(key if self.port.shares_contacts else f"{key}_token")

    async def reply(self, message: Message) -> None:
        await self.port.reply(message)

    async def dialogue(self) -> Dialogue | None:
        """The dialogue this user has in progress, if any."""
        return await dialogue_in_progress(self.store, self.inbound.channel, self.inbound.user_id)

    async def keep_dialogue(self, flow: str, state: dict[str, Any]) -> None:
        await keep_dialogue(
            self.store, self.inbound.channel, self.inbound.user_id, flow, state, self.now
        )

    async def end_dialogue(self) -> None:
        await end_dialogue(self.store, self.inbound.channel, self.inbound.user_id)

    @property
    def me(self) -> Identity:
        """The caller, for handlers whose role guarantees they are linked."""
        assert self.who is not None
        return self.who


Handler = Callable[[Context], Awaitable[None]]
FlowHandler = Callable[[Context, dict[str, Any]], Awaitable[None]]


@dataclass
class Route:
    handler: Handler
    role: Role
    # Allowed in the digest chats too (the office's group): the office's own commands.
    group_ok: bool = False


@dataclass
class Router:
    commands: dict[str, Route] = field(default_factory=dict)
    choices: dict[str, Route] = field(default_factory=dict)
    flows: dict[str, FlowHandler] = field(default_factory=dict)
    # Handler for text that is neither a command nor a step of a dialogue (e.g. a bare token).
    fallback: Handler | None = None
    contact: Handler | None = None
    photo: Handler | None = None  # a photo someone linked sent in a private chat

    def command(
        self, name: str, *aliases: str, role: Role, group_ok: bool = False
    ) -> Callable[[Handler], Handler]:
        """Register a command under its English NAME and its Vietnamese ALIASES."""

        def register(handler: Handler) -> Handler:
            for word in (name, *aliases):
                if word in self.commands:
                    raise ValueError(f"/{word} registered twice")
                self.commands[word] = Route(handler, role, group_ok)
            return handler

        return register

    def choice(
        self, prefix: str, *, role: Role, group_ok: bool = False
    ) -> Callable[[Handler], Handler]:
        """Register the handler of options whose data is "PREFIX:..."."""

        def register(handler: Handler) -> Handler:
            if prefix in self.choices:
                raise ValueError(f"choice prefix {prefix!r} registered twice")
            self.choices[prefix] = Route(handler, role, group_ok)
            return handler

        return register

    def flow(self, name: str) -> Callable[[FlowHandler], FlowHandler]:
        """Register the handler of typed text while the dialogue NAME is in progress."""

        def register(handler: FlowHandler) -> FlowHandler:
            self.flows[name] = handler
            return handler

        return register

    async def dispatch(
        self, inbound: Inbound, port: Port, store: Store, config: Config, now: datetime
    ) -> None:
        ctx = Context(inbound, port, store, config, now, None, translator_of(None, config))
        try:
            ctx.who = await identify(store, config, inbound.channel, inbound.user_id)
            if ctx.who is not None:
                ctx.t = translator_of(ctx.who, config)
                if ctx.who.account is not None:
                    await _note_seen(ctx)
            await self._route(ctx)
        except StoreUnavailable as exc:
            # Expected on a full or read-only disk: one line, no traceback. The write was
            # rolled back, so the person is told it did not go through, never that it did.
            log.warning(
                "%s from %s:%s not done: the database could not take it (%s)",
                _what(inbound),
                inbound.channel,
                inbound.user_id,
                exc,
            )
            await ctx.say("error.not_saved")
        except Exception:
            log.exception(
                "handling %s from %s:%s failed", _what(inbound), inbound.channel, inbound.user_id
            )
            await ctx.say("error.internal")

    async def _route(self, ctx: Context) -> None:
        inbound = ctx.inbound
        if inbound.unreadable is not None:
            if inbound.private:  # in a group, other people's stickers are none of our business
                await ctx.reply(Message(ctx.t(inbound.unreadable), aside=True))
            return
        if inbound.photo is not None:
            if not inbound.private or self.photo is None:
                return  # in a group, other people's photos are none of our business
            if ctx.who is None:
                await ctx.say_how_to_link()
            else:
                await self.photo(ctx)
            return
        if inbound.command is not None:
            route = self.commands.get(inbound.command)
            if ctx.who is None and (route is None or route.role != "anyone"):
                await ctx.say_how_to_link()  # a stranger learns only how to get in
                return
            if route is None:
                await ctx.say("error.unknown_command", command=inbound.command)
                return
            if await self._allowed(ctx, route):
                # A command ends a dialogue in progress. Written only when there is one: a
                # command that only reads (/status) still answers while the database cannot
                # be written (read-only, or locked by another process).
                if ctx.who is not None and await ctx.dialogue() is not None:
                    await ctx.end_dialogue()
                await route.handler(ctx)
            return
        if inbound.choice is not None:
            route = self.choices.get(inbound.choice.split(":", 1)[0])
            if route is None:
                await ctx.say("error.stale_choice")
            elif await self._allowed(ctx, route):
                await route.handler(ctx)
            return
        if inbound.contact_phone is not None and self.contact is not None:
            await self.contact(ctx)
            return
        if not inbound.private:
            return  # chatter in a group is none of our business
        if ctx.who is not None:
            in_progress = await ctx.dialogue()
            if in_progress is not None and in_progress[0] in self.flows:
                await self.flows[in_progress[0]](ctx, in_progress[1])
                return
        if self.fallback is not None:
            await self.fallback(ctx)

    async def _allowed(self, ctx: Context, route: Route) -> bool:
        inbound, who = ctx.inbound, ctx.who
        if not inbound.private and not (
            route.group_ok
            and f"{inbound.channel}:{inbound.chat_id}" in ctx.config.access.digest_targets
        ):
            await ctx.say("error.private_only")
            return False
        if route.role == "anyone":
            return True
        if who is None:
            await ctx.say_how_to_link()
            return False
        allowed = {
            "linked": True,
            "member": who.is_member,
            "secretary": who.is_secretary,
            "admin": who.is_admin,
            "decider": who.is_secretary or who.is_admin,
        }[route.role]
        if not allowed:
            await ctx.say(f"error.not_{route.role}")
        return allowed


async def _note_seen(ctx: Context) -> None:
    """Bookkeeping that must not cost the person their answer: it does not wait while another
    process holds the write lock (an import), and a command that only reads (/status) is
    still answered when the database cannot be written."""
    try:
        await note_seen(ctx.store, ctx.me.account, ctx.now)
    except StoreUnavailable as exc:
        # Another process writing (an import) is the usual reason, and no fault: the next
        # update notes it. A full or read-only disk is one, and told.
        log.log(
            logging.DEBUG if exc.locked else logging.WARNING,
            "could not note that %s wrote (%s)",
            ctx.inbound.user_id,
            exc,
        )


def _what(inbound: Inbound) -> str:
    if inbound.command:
        return f"/{inbound.command}"
    if inbound.choice:
        return f"choice {inbound.choice.split(':', 1)[0]}"
    if inbound.photo:
        return "a photo"
    return "something unreadable" if inbound.unreadable else "text"
