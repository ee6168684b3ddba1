"""/schedule: a cell secretary sets the date, time and place of the cell's next meeting."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core.local_time import TimeTypo, read_typed_time
from bot.core.messages import Choice
from bot.services.dialogues import Dialogue
from bot.services.notify import notify
from bot.services.scheduling import (
    MAX_AHEAD,
    MAX_VENUE,
    Problem,
    Scheduled,
    Unusual,
    choice_data,
    choice_time,
    parse_choice,
    parse_choice_time,
    schedule_meeting,
    time_problem,
    unusual_time,
    venue_problem,
)
from handlers.router import Context, Router

# What /schedule still needs while it asks (is this time meant? which cell?) waits here:
# {"at": ISO time, "venue": str | None, "cell": id | None, "confirmed": bool}.
FLOW = "schedule"


async def schedule(ctx: Context) -> None:
    """Read "/schedule DATE TIME [venue...]" and set the meeting, asking what it must first."""
    args = ctx.inbound.args
    if len(args) < 2:
        await _usage(ctx, "schedule.usage")
        return
    starts_at = read_typed_time(args[0], args[1], ctx.now, ctx.config.committee.tz)
    if isinstance(starts_at, TimeTypo):
        await _typo(ctx, starts_at, args[0], args[1])
        return
    venue = " ".join(args[2:]) or None
    problem = time_problem(starts_at, ctx.now) or venue_problem(venue)
    if problem is not None:
        await _refuse(ctx, problem, starts_at, cell_id=None)
        return
    cells = ctx.me.cells
    state = {
        "at": starts_at.isoformat(),
        "venue": venue,
        "cell": cells[0].id if len(cells) == 1 else None,
        "confirmed": False,
    }
    await _go_on(ctx, state)


async def _go_on(ctx: Context, state: dict[str, Any]) -> None:
    """The next step of a /schedule: confirm an unusual time, pick the cell, or set it."""
    starts_at = datetime.fromisoformat(state["at"])
    unusual = unusual_time(starts_at, ctx.now, ctx.config.committee.tz)
    problem = time_problem(starts_at, ctx.now)  # again: the question may have waited
    if problem is not None:
        await _refuse(ctx, problem, starts_at, cell_id=state.get("cell"))
    elif unusual is not None and not state.get("confirmed"):
        await ctx.keep_dialogue(FLOW, state)
        await _ask_to_confirm(ctx, unusual, starts_at)
    elif state.get("cell") is None:
        await ctx.keep_dialogue(FLOW, state)
        await _ask_cell(ctx, starts_at)
    else:
        await _schedule(ctx, state["cell"], starts_at, state.get("venue"))


async def _ask_to_confirm(ctx: Context, unusual: Unusual, starts_at: datetime) -> None:
    at = choice_time(starts_at, ctx.config)
    choices = (
        Choice(ctx.t("schedule.yes"), f"schedule-yes:{at}"),
        Choice(ctx.t("schedule.no"), f"schedule-no:{at}"),
    )
    await ctx.say(f"schedule.confirm_{unusual}", when=ctx.t.when(starts_at), choices=choices)


async def _ask_cell(ctx: Context, starts_at: datetime) -> None:
    choices = tuple(
        # Names repeat across organizations ("Chi bộ Cơ quan UBND phường"); codes do not.
        Choice(f"{cell.name} ({cell.code})", choice_data(cell.id, starts_at, ctx.config))
        for cell in ctx.me.cells
    )
    await ctx.say("schedule.pick_cell", when=ctx.t.when(starts_at), choices=choices)


async def confirm_time(ctx: Context) -> None:
    """ "Yes" to an unusual time: go on where the /schedule waited."""
    waiting = await _waiting_for(ctx)
    if waiting is None:
        await ctx.say("schedule.stale_choice")
        return
    await _go_on(ctx, {**waiting[1], "confirmed": True})


async def decline_time(ctx: Context) -> None:
    """ "No" to an unusual time: nothing is set."""
    if await _waiting_for(ctx) is None:
        await ctx.say("schedule.stale_choice")
        return
    await ctx.end_dialogue()
    await ctx.say("schedule.declined")


async def _waiting_for(ctx: Context) -> Dialogue | None:
    """The /schedule in progress, if the chosen "<prefix>:<time>" is the time it asks about."""
    _, _, at = (ctx.inbound.choice or "").partition(":")
    starts_at = parse_choice_time(at, ctx.config)
    waiting = await ctx.dialogue()
    return waiting if starts_at is not None and _waits_for(waiting, starts_at) else None


async def pick_cell(ctx: Context) -> None:
    """The cell chosen by a secretary of several; the venue comes from the waiting dialogue."""
    picked = parse_choice(ctx.inbound.choice or "", ctx.config)
    waiting = await ctx.dialogue()
    if picked is None or waiting is None or not _waits_for(waiting, picked[1]):
        await ctx.say("schedule.stale_choice")
        return
    await _go_on(ctx, {**waiting[1], "cell": picked[0]})


def _waits_for(waiting: Dialogue | None, starts_at: datetime) -> bool:
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
            await _tell_members(ctx, outcome)
            await ctx.end_dialogue()
    if isinstance(outcome, Scheduled):
        await _confirm_scheduled(ctx, outcome)
    else:
        await _refuse(ctx, outcome, starts_at, cell_id=cell_id)


async def _tell_members(ctx: Context, scheduled: Scheduled) -> None:
    meeting = scheduled.meeting
    key = "schedule.member_told" if meeting.venue else "schedule.member_told_no_venue"
    for member in scheduled.to_tell:
        await notify(
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


async def _confirm_scheduled(ctx: Context, scheduled: Scheduled) -> None:
    meeting, t = scheduled.meeting, ctx.t
    told = (
        t(
            "schedule.told_some",
            count=len(scheduled.to_tell),
            organization=meeting.organization_name,
        )
        if scheduled.to_tell
        else t("schedule.told_none", organization=meeting.organization_name)
    )
    await ctx.say(
        "schedule.done",
        cell=meeting.cell_name,
        when=t.when(meeting.starts_at),
        venue=meeting.venue or t("schedule.usual_venue"),
        told=told,
    )


async def _refuse(ctx: Context, problem: Problem, starts_at: datetime, cell_id: int | None) -> None:
    t = ctx.t
    if problem == "past":
        await ctx.say("schedule.past", when=t.when(starts_at), now=t.when(ctx.now))
    elif problem == "too_far":
        last = t.day(ctx.now + MAX_AHEAD)
        await ctx.say("schedule.too_far", when=t.when(starts_at), count=MAX_AHEAD.days, last=last)
    elif problem == "taken":
        cell = next((c.name for c in ctx.me.cells if c.id == cell_id), "")
        await ctx.say("schedule.taken", cell=cell, when=t.when(starts_at))
    elif problem == "venue_too_long":
        await ctx.say("schedule.venue_too_long", count=MAX_VENUE)
    else:
        await ctx.say("schedule.not_your_cell")


async def _typo(ctx: Context, typo: TimeTypo, day: str, clock: str) -> None:
    """Why DAY CLOCK is no time, in the user's words; the form's help if it is not one."""
    if typo.problem == "form":
        await _usage(ctx, "schedule.bad_time", given=f"{day} {clock}")
    elif typo.problem == "month":
        await ctx.say("schedule.no_such_month", month=typo.month)
    elif typo.problem == "day":
        await ctx.say(
            "schedule.no_such_day",
            date=f"{typo.day:02d}/{typo.month:02d}/{typo.year}",
            month=ctx.t.month(typo.month),
            year=typo.year,
            count=typo.days_in_month,
        )
    else:
        await ctx.say("schedule.no_such_time", given=clock)


async def _usage(ctx: Context, key: str, **values: object) -> None:
    # The examples are a week ahead, so that copying one works.
    example = (ctx.now + timedelta(days=7)).astimezone(ctx.config.committee.tz)
    await ctx.say(key, dm=f"{example:%d/%m}", dmy=f"{example:%d/%m/%Y}", **values)


def register(router: Router) -> None:
    router.command("schedule", "datlich", role="secretary")(schedule)
    router.choice("schedule", role="secretary")(pick_cell)
    router.choice("schedule-yes", role="secretary")(confirm_time)
    router.choice("schedule-no", role="secretary")(decline_time)
