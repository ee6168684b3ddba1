"""/schedule: a cell secretary sets the date, time and place of the cell's next meeting, or
moves or cancels one of its coming meetings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core.messages import Choice
from bot.services.dialogues import Dialogue
from bot.services.scheduling import (
    Scheduled,
    Unusual,
    choice_data,
    choice_time,
    parse_choice,
    parse_choice_time,
    schedule_meeting,
    time_problem,
    unusual_time,
)
from handlers import reschedule
from handlers.reschedule import MOVE_FLOW
from handlers.router import Context, Router
from handlers.schedule_news import confirm_scheduled, tell_members
from handlers.schedule_time import examples, read_time, refuse

# What /schedule still needs while it asks (is this time meant? which cell?) waits here:
# {"at": ISO time, "venue": str | None, "cell": id | None, "confirmed": bool, "move": id}
# ("move": the meeting the time is for, when it moves one).
FLOW = "schedule"


async def schedule(ctx: Context) -> None:
    """Read "/schedule DATE TIME [venue...]" and set the meeting, asking what it must first;
    with nothing after it, list the coming meetings to move or cancel."""
    args = ctx.inbound.args
    if not args:
        await reschedule.coming(ctx)
        return
    if len(args) < 2:
        await ctx.say("schedule.usage", **examples(ctx))
        return
    read = await read_time(ctx, args, retry="schedule.retry")
    if read is not None:
        starts_at, venue = read
        cells = ctx.me.cells
        state = {
            "at": starts_at.isoformat(),
            "venue": venue,
            "cell": cells[0].id if len(cells) == 1 else None,
            "confirmed": False,
        }
        await _go_on(ctx, state)


async def new_time_typed(ctx: Context, state: dict[str, Any]) -> None:
    """The new date and time of the meeting being moved, as typed (the venue may follow)."""
    meeting = await reschedule.changeable(ctx, state.get("move"))
    if meeting is None:
        await ctx.end_dialogue()
        return
    read = await read_time(ctx, (ctx.inbound.text or "").split(), retry="schedule.retry_move")
    if read is not None:  # else the dialogue waits for another try
        starts_at, venue = read
        move = {"at": starts_at.isoformat(), "venue": venue, "cell": meeting.cell_id}
        await _go_on(ctx, {**move, "confirmed": False, "move": meeting.id})


async def _go_on(ctx: Context, state: dict[str, Any]) -> None:
    """The next step of a /schedule: confirm an unusual time, pick the cell, or set it."""
    starts_at = datetime.fromisoformat(state["at"])
    unusual = unusual_time(starts_at, ctx.now, ctx.config.committee.tz)
    problem = time_problem(starts_at, ctx.now)  # again: the question may have waited
    if problem is not None:
        await refuse(ctx, problem, starts_at, cell_id=state.get("cell"))
    elif unusual is not None and not state.get("confirmed"):
        await ctx.keep_dialogue(FLOW, state)
        await _ask_to_confirm(ctx, unusual, starts_at)
    elif isinstance(state.get("move"), int):
        await reschedule.move(ctx, state["move"], starts_at, state.get("venue"))
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
    """ "No" to an unusual time: nothing is set (a move waits for another time)."""
    waiting = await _waiting_for(ctx)
    if waiting is None:
        await ctx.say("schedule.stale_choice")
        return
    moving = waiting[1].get("move")
    if isinstance(moving, int):
        await ctx.keep_dialogue(MOVE_FLOW, {"move": moving})
        await ctx.say("schedule.declined_move")
    else:
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
            told = await tell_members(ctx, outcome)
            await ctx.end_dialogue()
    if isinstance(outcome, Scheduled):
        await confirm_scheduled(ctx, outcome, told)
    else:
        await refuse(ctx, outcome, starts_at, cell_id=cell_id)


def register(router: Router) -> None:
    router.command("schedule", "datlich", role="secretary")(schedule)
    router.choice("schedule", role="secretary")(pick_cell)
    router.choice("schedule-yes", role="secretary")(confirm_time)
    router.choice("schedule-no", role="secretary")(decline_time)
    router.flow(MOVE_FLOW)(new_time_typed)
