"""Linking a chat to the roster (/start), /help, /lang, and the command menus per role."""

from __future__ import annotations

from bot.core.i18n import Translator
from bot.core.messages import Message
from bot.services.identity import LANGUAGES, Identity, identify, set_language
from bot.services.linking import TOKEN_SHAPE, link_by_phone, redeem_invite
from handlers.router import Context, Router

# The commands each role sees, in menu order; descriptions are text keys "menu.<command>".
MENU: dict[str, tuple[str, ...]] = {
    "member": ("meetings", "checkin", "note", "status"),
    "secretary": ("schedule", "confirm"),
    "admin": ("confirm", "report", "flags", "web"),
    "anyone": ("help", "lang", "channel"),
}
STRANGER_MENU = ("start", "help")


def menu_for(who: Identity | None) -> tuple[str, ...]:
    if who is None:
        return STRANGER_MENU
    roles = [("member", who.is_member), ("secretary", who.is_secretary), ("admin", who.is_admin)]
    commands = [cmd for role, has in roles if has for cmd in MENU[role]]
    # A secretary who is also an admin has /confirm once.
    return (*dict.fromkeys(commands), *MENU["anyone"])


def menu_entries(t: Translator, who: Identity | None) -> list[tuple[str, str]]:
    return [(command, t(f"menu.{command}")) for command in menu_for(who)]


async def start(ctx: Context) -> None:
    """Link by the invite token in the link, or offer to share the phone number."""
    inbound = ctx.inbound
    if inbound.args:
        await _redeem(ctx, inbound.args[0])
    elif ctx.who is not None:
        await _welcome(ctx, ctx.who)
    elif ctx.port.shares_contacts:
        await ctx.reply(
            Message(ctx.t("start.share_phone"), contact_button=ctx.t("start.share_button"))
        )
    else:
        await ctx.say("start.need_invite")


async def _redeem(ctx: Context, token: str) -> None:
    inbound = ctx.inbound
    outcome = await redeem_invite(
        ctx.store, token, inbound.channel, inbound.user_id, inbound.chat_id, ctx.now
    )
    if outcome != "ok":
        await ctx.say(f"start.invite_{outcome}")
        return
    await _after_link(ctx)


async def _after_link(ctx: Context) -> None:
    who = await identify(ctx.store, ctx.config, ctx.inbound.channel, ctx.inbound.user_id)
    if who is None:  # linked to someone no longer on the roster
        await ctx.say("start.not_on_roster")
        return
    ctx.t = Translator(who.language, ctx.config.committee.tz)
    await _welcome(ctx, who)


async def _welcome(ctx: Context, who: Identity) -> None:
    await ctx.port.set_menu(menu_entries(ctx.t, who))
    await ctx.say("start.welcome", name=who.name, commands=_command_lines(ctx.t, who))


async def contact(ctx: Context) -> None:
    """A shared contact: accepted only when it is the sender's own."""
    inbound = ctx.inbound
    if inbound.contact_user_id != inbound.user_id:
        await ctx.say("start.contact_not_own")
        return
    linked = await link_by_phone(
        ctx.store,
        ctx.config,
        inbound.contact_phone or "",
        inbound.channel,
        inbound.user_id,
        inbound.chat_id,
        ctx.now,
    )
    if not linked:
        await ctx.say("start.phone_unknown")
        return
    await _after_link(ctx)


async def fallback(ctx: Context) -> None:
    """Plain text outside a dialogue: a bare invite token (Zalo), else a pointer to /help."""
    text = (ctx.inbound.text or "").strip()
    if ctx.who is None and TOKEN_SHAPE.match(text):
        await _redeem(ctx, text)
    elif ctx.who is None:
        await ctx.say_how_to_link()
    else:
        await ctx.say("help.hint")


async def help_command(ctx: Context) -> None:
    if ctx.who is None:
        await ctx.say_how_to_link("help.stranger")
        return
    await ctx.say("help.linked", name=ctx.who.name, commands=_command_lines(ctx.t, ctx.who))


async def lang(ctx: Context) -> None:
    choice = ctx.inbound.args[0].lower() if ctx.inbound.args else ""
    if choice not in LANGUAGES:
        await ctx.say("lang.usage")
        return
    await set_language(ctx.store, ctx.me.person_id, choice)
    ctx.t = Translator(choice, ctx.config.committee.tz)
    await ctx.port.set_menu(menu_entries(ctx.t, ctx.me))
    await ctx.say("lang.set")


def _command_lines(t: Translator, who: Identity) -> str:
    return "\n".join(f"/{command} - {description}" for command, description in menu_entries(t, who))


def register(router: Router) -> None:
    router.command("start", "batdau", role="anyone")(start)
    router.command("help", "trogiup", role="anyone", group_ok=True)(help_command)
    router.command("lang", "ngonngu", role="linked")(lang)
    router.contact = contact
    router.fallback = fallback
