"""/flags: the committee office sees the cells flagged with difficulties, and clears them."""

from __future__ import annotations

from bot.core.flags import Flag
from bot.core.i18n import Translator
from bot.core.messages import Choice, Message
from bot.services.flags import AlreadyCleared, Cleared, clear_flag, flagged_cells, parse_number
from handlers.router import Context, Router

# The cells come in one message, a Clear for each: where choices are a numbered list (Zalo, the
# terminal) only the last message's list can be answered. Past this many, the rest come with
# More, so that the list fits a phone's screen.
PAGE = 10


async def flags_list(ctx: Context) -> None:
    await _page(ctx, 0)


async def more_choice(ctx: Context) -> None:
    offset = parse_number(ctx.inbound.choice or "")
    if offset is None:
        await ctx.say("error.stale_choice")
        return
    await _page(ctx, offset)


async def _page(ctx: Context, offset: int) -> None:
    t = ctx.t
    flags = await flagged_cells(ctx.store)
    if not flags:
        await ctx.say("flags.none")
        return
    if offset >= len(flags):
        await ctx.say("flags.end")
        return
    page = flags[offset : offset + PAGE]
    if offset == 0:
        lines = [t("flags.header", count=len(flags))]
    else:
        lines = [t("flags.page", first=offset + 1, last=offset + len(page), count=len(flags))]
    lines += [_item(t, number, flag) for number, flag in enumerate(page, offset + 1)]
    choices = [
        Choice(t("flags.button_clear", code=flag.cell_code), f"unflag:{flag.id}") for flag in page
    ]
    rest = len(flags) - offset - len(page)
    if rest > 0:
        lines.append(t("flags.more", count=rest))
        choices.append(Choice(t("flags.button_more"), f"flagsmore:{offset + PAGE}"))
    await ctx.reply(Message("\n".join(lines), tuple(choices)))


def _item(t: Translator, number: int, flag: Flag) -> str:
    if flag.raised_at is None:
        raised = t("flags.raised_before")
    elif flag.raised_by == "note":
        raised = t("flags.raised_note", member=flag.raised_by_member, day=t.day(flag.raised_at))
    else:
        raised = t("flags.raised_import", day=t.day(flag.raised_at))
    return t(
        "flags.item",
        number=number,
        cell=flag.cell_name,
        code=flag.cell_code,
        organization=flag.organization_name,
        raised=raised,
    )


async def clear_choice(ctx: Context) -> None:
    flag_id = parse_number(ctx.inbound.choice or "")
    outcome = None if flag_id is None else await clear_flag(ctx.store, ctx.me, flag_id, ctx.now)
    if outcome is None:
        await ctx.say("flags.not_found")
    elif isinstance(outcome, Cleared):
        await ctx.say("flags.cleared", cell=outcome.flag.cell_name, code=outcome.flag.cell_code)
    else:
        await _say_already(ctx, outcome)


async def _say_already(ctx: Context, outcome: AlreadyCleared) -> None:
    flag = outcome.flag
    at = ctx.t.when(flag.cleared_at) if flag.cleared_at else ""
    shown = {"cell": flag.cell_name, "code": flag.cell_code, "at": at}
    if flag.cleared_by == "admin":
        await ctx.say("flags.already_cleared_admin", person=flag.cleared_by_person, **shown)
    else:
        await ctx.say("flags.already_cleared_import", **shown)


def register(router: Router) -> None:
    # The office follows the flags in its group (a digest chat) as well as in private.
    router.command("flags", "khokhan", role="admin", group_ok=True)(flags_list)
    router.choice("flagsmore", role="admin", group_ok=True)(more_choice)
    router.choice("unflag", role="admin", group_ok=True)(clear_choice)
