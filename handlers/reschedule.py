"""A cell secretary's coming meetings (/schedule alone), each with Move and Cancel.

A Move asks for the new time, typed, and goes on in /schedule's dialogue (handlers/schedule.py:
the same reading, the same question for an unusual hour); a Cancel asks once more.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.i18n import Translator
from bot.core.meetings import MeetingView
from bot.core.messages import Choice, Message
from bot.services.scheduling import (
    Changed,
    Problem,
    Unchangeable,
    cancel_meeting,
    coming_meetings,
    meeting_to_change,
    meeting_view,
    move_meeting,
)
from handlers.meetings import choice_id
from handlers.router import Context, Router
from handlers.schedule_news import confirm_changed, tell_change
from handlers.schedule_time import examples, refuse

# A Move waits here for the new date and time to be typed: {"move": meeting id}.
MOVE_FLOW = "schedule_move"


async def coming(ctx: Context) -> None:
    """The cells' coming meetings, each with Move and Cancel, then how to set one."""
    t = ctx.t
    meetings = await coming_meetings(ctx.store, ctx.me, ctx.now)
    usage = t("schedule.usage", **examples(ctx))
    if not meetings:
        await ctx.reply(Message(t("schedule.none_coming") + "\n\n" + usage))
        return
    lines = [t("schedule.coming_header"), *(_line(t, m) for m in meetings)]
    choices = tuple(
        choice
        for meeting in meetings
        for choice in (
            Choice(_button(t, "schedule.button_move", meeting), f"move:{meeting.id}"),
            Choice(_button(t, "schedule.button_cancel", meeting), f"cancel:{meeting.id}"),
        )
    )
    await ctx.reply(Message("\n".join(lines) + "\n\n" + usage, choices))


def _line(t: Translator, meeting: MeetingView) -> str:
    return t(
        "schedule.coming_line",
        cell=meeting.cell_name,
        cell_code=meeting.cell_code,
        when=t.when(meeting.starts_at),
        venue=meeting.venue or t("meetings.no_venue"),
    )


def _button(t: Translator, key: str, meeting: MeetingView) -> str:
    return t(key, cell_code=meeting.cell_code, day=t.day(meeting.starts_at)[:5])


async def ask_move(ctx: Context) -> None:
    """ "Move": ask for the new date and time, to be typed."""
    meeting = await changeable(ctx, choice_id(ctx.inbound.choice))
    if meeting is None:
        return
    await ctx.keep_dialogue(MOVE_FLOW, {"move": meeting.id})
    await ctx.say(
        "schedule.ask_new_time",
        cell=meeting.cell_name,
        when=ctx.t.when(meeting.starts_at),
        **examples(ctx),
    )


async def move(ctx: Context, meeting_id: int, starts_at: datetime, venue: str | None) -> None:
    """Move the meeting to STARTS_AT (the time read and, if unusual, confirmed)."""
    # The move and the members' messages commit together, or not at all.
    async with ctx.store.transaction():
        outcome = await move_meeting(
            ctx.store, ctx.config, ctx.me, meeting_id, starts_at, venue, ctx.now
        )
        if isinstance(outcome, Changed):
            reached = await tell_change(ctx, outcome)
            await ctx.end_dialogue()
    if isinstance(outcome, Changed):
        await confirm_changed(ctx, outcome, reached)
    elif outcome in ("past", "too_far", "taken", "venue_too_long"):
        # Another time may do: the next text typed is taken as one.
        await ctx.keep_dialogue(MOVE_FLOW, {"move": meeting_id})
        meeting = await meeting_view(ctx.store, meeting_id)
        await refuse(ctx, outcome, starts_at, cell_id=meeting and meeting.cell_id)
    else:
        await ctx.end_dialogue()
        await _unchangeable(ctx, outcome, meeting_id)


async def ask_cancel(ctx: Context) -> None:
    """ "Cancel": ask once more, since the members are told."""
    meeting = await changeable(ctx, choice_id(ctx.inbound.choice))
    if meeting is None:
        return
    choices = (
        Choice(ctx.t("schedule.yes_cancel"), f"cancel-yes:{meeting.id}"),
        Choice(ctx.t("schedule.no"), f"cancel-no:{meeting.id}"),
    )
    await ctx.say(
        "schedule.ask_cancel",
        cell=meeting.cell_name,
        when=ctx.t.when(meeting.starts_at),
        choices=choices,
    )


async def cancel(ctx: Context) -> None:
    """ "Yes, cancel": the meeting is off; those who would have come are told."""
    meeting_id = choice_id(ctx.inbound.choice)
    if meeting_id is None:
        await ctx.say("schedule.change_not_found")
        return
    # The cancellation and the members' messages commit together, or not at all.
    async with ctx.store.transaction():
        outcome = await cancel_meeting(ctx.store, ctx.config, ctx.me, meeting_id, ctx.now)
        if isinstance(outcome, Changed):
            reached = await tell_change(ctx, outcome)
    if isinstance(outcome, Changed):
        await confirm_changed(ctx, outcome, reached)
    else:
        await _unchangeable(ctx, outcome, meeting_id)


async def keep(ctx: Context) -> None:
    """ "No" to cancelling: nothing changes."""
    await ctx.say("schedule.kept")


async def changeable(ctx: Context, meeting_id: object) -> MeetingView | None:
    """The meeting MEETING_ID, if the secretary may change it now; else None, once it has
    said why (the id comes from a button or a stored dialogue: it may be anything)."""
    if not isinstance(meeting_id, int):
        await ctx.say("schedule.change_not_found")
        return None
    meeting = await meeting_to_change(ctx.store, ctx.me, meeting_id, ctx.now)
    if isinstance(meeting, str):
        await _unchangeable(ctx, meeting, meeting_id)
        return None
    return meeting


async def _unchangeable(ctx: Context, why: Unchangeable | Problem, meeting_id: int) -> None:
    meeting = await meeting_view(ctx.store, meeting_id)
    # Another cell's meeting is as good as none, to this secretary.
    if why in ("cancelled", "started", "checked_in") and meeting is not None:
        when = ctx.t.when(meeting.starts_at)
        await ctx.say(f"schedule.change_{why}", cell=meeting.cell_name, when=when)
    else:
        await ctx.say("schedule.change_not_found")


def register(router: Router) -> None:
    # The typed new time of a Move is read by handlers/schedule.py (its MOVE_FLOW).
    router.choice("move", role="secretary")(ask_move)
    router.choice("cancel", role="secretary")(ask_cancel)
    router.choice("cancel-yes", role="secretary")(cancel)
    router.choice("cancel-no", role="secretary")(keep)
