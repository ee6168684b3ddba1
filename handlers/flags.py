"""/flags: the committee office sees the cells flagged with difficulties, and clears them."""

from __future__ import annotations

from bot.core.flags import Flag
from bot.core.messages import Choice, Message
from bot.services.flags import AlreadyCleared, Cleared, clear_flag, flagged_cells, parse_number
from handlers.router import Context, Router

# One message per cell keeps each Clear next to the cell it is about; past this many the rest
# come with More, so a phone screen is not flooded.
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
    flags = await flagged_cells(ctx.store)
    if not flags:
        await ctx.say("flags.none")
        return
    if offset >= len(flags):
        await ctx.say("flags.end")
        return
    if offset == 0:
        await ctx.say("flags.header", count=len(flags))
    for flag in flags[offset : offset + PAGE]:
        await ctx.reply(_item(ctx, flag))
    rest = len(flags) - offset - PAGE
    if rest > 0:
        more = Choice(ctx.t("flags.button_more"), f"flagsmore:{offset + PAGE}")
        await ctx.reply(Message(ctx.t("flags.more", count=rest), (more,)))


def _item(ctx: Context, flag: Flag) -> Message:
    t = ctx.t
    if flag.raised_at is None:
        raised = t("flags.raised_before")
    elif flag.raised_by == "note":
        raised = t("flags.raised_note", member=flag.raised_by_member, day=t.day(flag.raised_at))
    else:
        raised = t("flags.raised_import", day=t.day(flag.raised_at))
    text = t(
        "flags.item",
        cell=flag.cell_name,
        code=flag.cell_code,
        organization=flag.organization_name,
        raised=raised,
    )
    return Message(text, (Choice(t("flags.button_clear"), f"unflag:{flag.id}"),))


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
    router.command("flags", "khokhan", role="admin")(flags_list)
    router.choice("flagsmore", role="admin")(more_choice)
    router.choice("unflag", role="admin")(clear_choice)
