"""/confirm: the cell's secretary confirms, or marks absent, each check-in at the cell's meetings."""

from __future__ import annotations

from bot.core.checkins import CheckinAtCell
from bot.core.messages import Choice, Message
from bot.services.confirmations import (
    AlreadyDecided,
    Decided,
    Decision,
    decide_checkin,
    parse_checkin_id,
    pending_checkins,
)
from bot.services.notify import notify
from handlers.router import Context, Router

# One message per check-in keeps each Confirm/Absent pair next to the name it is about; past
# this many the rest wait for the next /confirm, so a phone screen is not flooded.
PAGE = 10


async def confirm_list(ctx: Context) -> None:
    """One message per pending check-in at the caller's cells, each with Confirm / Absent."""
    pending = await pending_checkins(ctx.store, ctx.me)
    if not pending:
        await ctx.say("confirm.none")
        return
    await ctx.say("confirm.header", count=len(pending))
    for checkin in pending[:PAGE]:
        await ctx.reply(_item(ctx, checkin))
    if len(pending) > PAGE:
        await ctx.say("confirm.more", count=len(pending) - PAGE)


def _item(ctx: Context, checkin: CheckinAtCell) -> Message:
    t = ctx.t
    same_day = t.day(checkin.checked_in_at) == t.day(checkin.meeting_starts_at)
    text = t(
        "confirm.item",
        member=checkin.member_name,
        cell=checkin.cell_name,
        meeting=t.when(checkin.meeting_starts_at),
        checked_in=t.clock(checkin.checked_in_at) if same_day else t.when(checkin.checked_in_at),
    )
    return Message(
        text,
        (
            Choice(t("confirm.button_confirm"), f"confirm:{checkin.id}"),
            Choice(t("confirm.button_absent"), f"absent:{checkin.id}"),
        ),
    )


async def confirm_choice(ctx: Context) -> None:
    await _decide(ctx, "confirmed")


async def absent_choice(ctx: Context) -> None:
    await _decide(ctx, "denied")


async def _decide(ctx: Context, status: Decision) -> None:
    checkin_id = parse_checkin_id(ctx.inbound.choice or "")
    if checkin_id is None:
        await ctx.say("confirm.not_found")
        return
    # The decision and the message to the member commit together.
    async with ctx.store.transaction():
        outcome = await decide_checkin(ctx.store, ctx.me, checkin_id, status, ctx.now)
        if isinstance(outcome, Decided):
            await _tell_member(ctx, outcome)
    if outcome is None:
        await ctx.say("confirm.not_found")
    elif isinstance(outcome, AlreadyDecided):
        await _say_already(ctx, outcome.checkin)
    else:
        key = "confirm.done_confirmed" if status == "confirmed" else "confirm.done_denied"
        await ctx.say(key, **_shown(ctx, outcome.checkin))


async def _tell_member(ctx: Context, decided: Decided) -> None:
    checkin = decided.checkin
    await notify(
        ctx.store,
        ctx.config,
        checkin.member_person_id,
        "confirm.told_confirmed" if decided.status == "confirmed" else "confirm.told_denied",
        dedupe=f"decided:checkin={checkin.id}",
        now=ctx.now,
        cell=checkin.cell_name,
        meeting=checkin.meeting_starts_at,
    )


async def _say_already(ctx: Context, checkin: CheckinAtCell) -> None:
    key = "confirm.already_confirmed" if checkin.status == "confirmed" else "confirm.already_denied"
    decided = ctx.t.when(checkin.decided_at or checkin.checked_in_at)
    await ctx.say(key, decided=decided, **_shown(ctx, checkin))


def _shown(ctx: Context, checkin: CheckinAtCell) -> dict[str, str]:
    return {
        "member": checkin.member_name,
        "cell": checkin.cell_name,
        "meeting": ctx.t.when(checkin.meeting_starts_at),
    }


def register(router: Router) -> None:
    router.command("confirm", "xacnhan", role="secretary")(confirm_list)
    # "linked": an admin who is no secretary may decide too; the service checks by check-in.
    router.choice("confirm", role="linked")(confirm_choice)
    router.choice("absent", role="linked")(absent_choice)
