"""/schedule: a cell secretary sets the date, time and place of the cell's next meeting."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core.local_time import parse_local_time
from bot.core.messages import Choice
from bot.services.notify import notify
from bot.services.scheduling import (
    MAX_AHEAD,
    MAX_VENUE,
    Problem,
    Scheduled,
    choice_data,
    parse_choice,
    schedule_meeting,
    time_problem,
    venue_problem,
)
from handlers.router import Context, Router

# A secretary of several cells picks one; the typed venue waits here (callback data is short).
FLOW = "schedule"


async def schedule(ctx: Context) -> None:
    """Read "/schedule DATE TIME [venue...]" and set the meeting, asking which cell if need be."""
    args = ctx.inbound.args
    if len(args) < 2:
        await _usage(ctx, "schedule.usage")
        return
    given = f"{args[0]} {args[1]}"
    try:
        starts_at = parse_local_time(given, ctx.config.committee.tz)
    except ValueError:
        await _usage(ctx, "schedule.bad_time", given=given)
        return
    venue = " ".join(args[2:]) or None
    problem = time_problem(starts_at, ctx.now) or venue_problem(venue)
    if problem is not None:
        await _refuse(ctx, problem, starts_at, cell_id=None)
    elif len(ctx.me.cells) == 1:
        await _schedule(ctx, ctx.me.cells[0].id, starts_at, venue)
    else:
        await _ask_cell(ctx, starts_at, venue)


async def _ask_cell(ctx: Context, starts_at: datetime, venue: str | None) -> None:
    await ctx.keep_dialogue(FLOW, {"at": starts_at.isoformat(), "venue": venue})
    choices = tuple(
        # Names repeat across organizations ("Chi bộ Cơ quan UBND phường"); codes do not.
        Choice(f"{cell.name} ({cell.code})", choice_data(cell.id, starts_at, ctx.config))
        for cell in ctx.me.cells
    )
    await ctx.say("schedule.pick_cell", when=ctx.t.when(starts_at), choices=choices)


async def pick_cell(ctx: Context) -> None:
    """The cell chosen by a secretary of several; the venue comes from the waiting dialogue."""
    inbound = ctx.inbound
    picked = parse_choice(inbound.choice or "", ctx.config)
    waiting = await ctx.dialogue()
    if picked is None or not _waits_for(waiting, picked[1]):
        await ctx.say("schedule.stale_choice")
        return
    cell_id, starts_at = picked
    assert waiting is not None
    await _schedule(ctx, cell_id, starts_at, waiting[1].get("venue"))


def _waits_for(waiting: tuple[str, dict[str, Any]] | None, starts_at: datetime) -> bool:
    """Whether the dialogue in progress is the /schedule that offered this time."""
    return (
        waiting is not None and waiting[0] == FLOW and waiting[1].get("at") == starts_at.isoformat()
    )


async def _schedule(ctx: Context, cell_id: int, starts_at: datetime, venue: str | None) -> None:
    # The meeting and the messages to the members are decided together, or not at all.
    async with ctx.store.transaction():
        outcome = await schedule_meeting(
            ctx.store, ctx.config, ctx.me, cell_id, starts_at, venue, ctx.now
        )
        if isinstance(outcome, Scheduled):
            told = await _tell_members(ctx, outcome)
            await ctx.end_dialogue()
    if isinstance(outcome, Scheduled):
        await _confirm_scheduled(ctx, outcome, told)
    else:
        await _refuse(ctx, outcome, starts_at, cell_id=cell_id)


async def _tell_members(ctx: Context, scheduled: Scheduled) -> int:
    """Tell the members yet to visit that the meeting is set; return how many could be."""
    meeting = scheduled.meeting
    key = "schedule.member_told" if meeting.venue else "schedule.member_told_no_venue"
    told = 0
    for member in scheduled.to_tell:
        told += await notify(
            ctx.store,
            ctx.config,
            member.person_id,
            key,
            dedupe=f"meeting-set:meeting={meeting.id}:member={member.code}",
            now=ctx.now,
            choices=(("schedule.button_attend", f"attend:{meeting.id}"),),
            cell=meeting.cell_name,
            organization=meeting.organization_name,
            when=meeting.starts_at,
            venue=meeting.venue,
        )
    return told


async def _confirm_scheduled(ctx: Context, scheduled: Scheduled, told: int) -> None:
    meeting, t = scheduled.meeting, ctx.t
    organization = meeting.organization_name
    lines = []
    if told:
        lines.append(t("schedule.told_some", count=told, organization=organization))
    if told < len(scheduled.to_tell):
        untold = len(scheduled.to_tell) - told
        lines.append(t("schedule.not_told", count=untold, organization=organization))
    if not scheduled.to_tell:
        lines.append(t("schedule.told_none", organization=organization))
    await ctx.say(
        "schedule.done",
        cell=meeting.cell_name,
        when=t.when(meeting.starts_at),
        venue=meeting.venue or t("schedule.usual_venue"),
        told="\n".join(lines),
    )


async def _refuse(ctx: Context, problem: Problem, starts_at: datetime, cell_id: int | None) -> None:
    t = ctx.t
    if problem == "past":
        await ctx.say("schedule.past", when=t.when(starts_at), now=t.when(ctx.now))
    elif problem == "too_far":
        last = t.day(ctx.now + MAX_AHEAD)
        await ctx.say("schedule.too_far", when=t.when(starts_at), days=MAX_AHEAD.days, last=last)
    elif problem == "taken":
        cell = next((c.name for c in ctx.me.cells if c.id == cell_id), "")
        await ctx.say("schedule.taken", cell=cell, when=t.when(starts_at))
    elif problem == "venue_too_long":
        await ctx.say("schedule.venue_too_long", limit=MAX_VENUE)
    else:
        await ctx.say("schedule.not_your_cell")


async def _usage(ctx: Context, key: str, **values: object) -> None:
    # The example is a week ahead, so that copying it works.
    example = (ctx.now + timedelta(days=7)).astimezone(ctx.config.committee.tz)
    await ctx.say(key, iso=f"{example:%Y-%m-%d}", dmy=f"{example:%d/%m/%Y}", **values)


def register(router: Router) -> None:
    router.command("schedule", "datlich", role="secretary")(schedule)
    router.choice("schedule", role="secretary")(pick_cell)
