"""A meeting's date and time as a secretary types them (/schedule, a Move), and what the bot
says when they are no time to set."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.core.local_time import TimeTypo, read_typed_time
from bot.core.messages import Message
from bot.services.scheduling import MAX_AHEAD, MAX_VENUE, Problem, time_problem, venue_problem
from handlers.router import Context


def examples(ctx: Context) -> dict[str, str]:
    """A day a week ahead, as the help's examples write it ({dm}, {dmy}): copying one works."""
    example = (ctx.now + timedelta(days=7)).astimezone(ctx.config.committee.tz)
    return {"dm": f"{example:%d/%m}", "dmy": f"{example:%d/%m/%Y}"}


async def read_time(
    ctx: Context, words: Sequence[str], retry: str
) -> tuple[datetime, str | None] | None:
    """WORDS as DATE TIME [venue...]; None, once it has said why, if they are no time to set.
    RETRY is the text that says how to try again."""
    if len(words) < 2:
        await _typo(ctx, TimeTypo("form"), " ".join(words), "", retry)
        return None
    starts_at = read_typed_time(words[0], words[1], ctx.now, ctx.config.committee.tz)
    if isinstance(starts_at, TimeTypo):
        await _typo(ctx, starts_at, words[0], words[1], retry)
        return None
    venue = " ".join(words[2:]) or None
    problem = time_problem(starts_at, ctx.now) or venue_problem(venue)
    if problem is not None:
        await refuse(ctx, problem, starts_at, cell_id=None)
        return None
    return starts_at, venue


async def refuse(ctx: Context, problem: Problem, starts_at: datetime, cell_id: int | None) -> None:
    """Why no meeting can be set at STARTS_AT (at the cell CELL_ID, if known)."""
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


async def _typo(ctx: Context, typo: TimeTypo, day: str, clock: str, retry: str) -> None:
    """Why DAY CLOCK is no time, in the user's words, then RETRY: how to try again."""
    t = ctx.t
    if typo.problem == "form":
        why = t("schedule.bad_time", given=f"{day} {clock}".strip())
    elif typo.problem == "month":
        why = t("schedule.no_such_month", month=typo.month)
    elif typo.problem == "day":
        why = t(
            "schedule.no_such_day",
            date=f"{typo.day:02d}/{typo.month:02d}/{typo.year}",
            month=t.month(typo.month),
            year=typo.year,
            count=typo.days_in_month,
        )
    else:
        why = t("schedule.no_such_time", given=clock)
    await ctx.reply(Message(f"{why}\n{t(retry, **examples(ctx))}"))
