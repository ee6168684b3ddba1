"""/meetings: a member's upcoming meetings, and "Will attend" to tell the cell's secretary."""

from __future__ import annotations

from bot.core.i18n import Translator
from bot.core.messages import Choice, Message
from bot.services.agenda import HORIZON, Upcoming, plan_attendance, upcoming_meetings
from bot.services.notify import notify
from handlers.router import Context, Router

# A phone screen of lines and buttons; the rest, the least urgent by suggestion order, a tap
# on More away.
SHOWN = 10


def choice_id(data: str | None) -> int | None:
    """The id after "prefix:" in a choice's data, or None if it is not one (forged data)."""
    _, _, tail = (data or "").partition(":")
    # SQLite integers stop at 2**63: longer digit strings are forged, not ids.
    return int(tail) if tail.isascii() and tail.isdigit() and len(tail) <= 18 else None


def _line(t: Translator, item: Upcoming) -> str:
    meeting = item.meeting
    marks = t("meetings.flagged_mark") if meeting.flagged else ""
    if item.checked_in:
        marks += t("checkin.checked_in_mark")
    elif item.planned:
        marks += t("meetings.planned_mark")
    # A base cell (chi bộ cơ sở) is its own organization: its name once is enough.
    key = (
        "meetings.line_base_cell"
        if meeting.cell_name == meeting.organization_name
        else "meetings.line"
    )
    return t(
        key,
        cell=meeting.cell_name,
        cell_code=meeting.cell_code,
        organization=meeting.organization_name,
        when=t.when(meeting.starts_at),
        venue=meeting.venue or t("meetings.no_venue"),
        marks=marks,
    )


def _attend_choice(t: Translator, item: Upcoming) -> Choice:
    meeting = item.meeting
    day = t.day(meeting.starts_at)[:5]  # dd/mm: the year is the obvious one
    label = t("meetings.attend_button", cell_code=meeting.cell_code, day=day)
    return Choice(label, f"attend:{meeting.id}")


async def meetings(ctx: Context) -> None:
    """List the member's upcoming meetings, most urgent first, each with "Will attend"."""
    await _page(ctx, 0)


async def more(ctx: Context) -> None:
    """ "More": the next page of the list, worked out afresh (data: the first one's place)."""
    first = choice_id(ctx.inbound.choice)
    await _page(ctx, first if first is not None else -1)


async def _page(ctx: Context, first: int) -> None:
    """The upcoming meetings from the FIRST (0: the top of the list), SHOWN of them."""
    t = ctx.t
    upcoming = await upcoming_meetings(ctx.store, ctx.config, ctx.me.member.code, ctx.now)
    days = HORIZON.days
    if not upcoming and first == 0:
        await ctx.say("meetings.none", count=days)
        return
    if not 0 <= first < len(upcoming):  # the list got shorter since (or the data is forged)
        await ctx.say("meetings.no_more")
        return
    shown = upcoming[first : first + SHOWN]
    header = "meetings.header" if first == 0 else "meetings.header_next"
    lines = [t(header, count=days)]
    # Bullets, not numbers: where choices are a numbered list (Zalo, the terminal), the
    # choices' numbers are the only ones on screen, so no one answers a line's number.
    lines += [_line(t, item) for item in shown]
    choices = [_attend_choice(t, item) for item in shown if not (item.planned or item.checked_in)]
    if choices:
        lines.append(t("meetings.pick"))
    left = len(upcoming) - first - len(shown)
    if left:
        lines.append(t("meetings.more", count=left))
        choices.append(Choice(t("meetings.more_button"), f"meetings-more:{first + SHOWN}"))
    await ctx.reply(Message("\n".join(lines), tuple(choices)))


async def attend(ctx: Context) -> None:
    """ "Will attend": record the plan and tell the cell's secretary, once, if the bot can."""
    member = ctx.me.member
    meeting_id = choice_id(ctx.inbound.choice)
    if meeting_id is None:
        await ctx.say("meetings.not_found")
        return
    told = False
    # The plan and the secretary's message commit together: a crash keeps both or neither.
    async with ctx.store.transaction():
        result = await plan_attendance(ctx.store, ctx.config, member.code, meeting_id, ctx.now)
        meeting = result.meeting
        if (
            meeting is not None
            and result.outcome == "planned"
            and meeting.secretary_id not in (None, ctx.me.person_id)
        ):
            told = await notify(
                ctx.store,
                ctx.config,
                meeting.secretary_id,
                "meetings.secretary_told",
                dedupe=f"plan:meeting={meeting.id}:member={member.code}",
                now=ctx.now,
                member=member.name,
                cell=meeting.cell_name,
                when=meeting.starts_at,
            )
    if meeting is None or result.outcome in ("not_found", "not_yours"):
        await ctx.say(f"meetings.{result.outcome}")
        return
    values = {"cell": meeting.cell_name, "when": ctx.t.when(meeting.starts_at)}
    if result.outcome in ("past", "cancelled"):
        await ctx.say(f"meetings.{result.outcome}", **values)
        return
    if result.outcome == "already":
        await ctx.say("meetings.already_planned", **values)
    elif meeting.secretary_id is None:
        await ctx.say("meetings.planned_no_secretary", **values)
    elif meeting.secretary_id == ctx.me.person_id:
        await ctx.say("meetings.planned_own_cell", **values)
    else:
        await ctx.say("meetings.planned" if told else "meetings.planned_not_told", **values)


def register(router: Router) -> None:
    router.command("meetings", "lich", role="member")(meetings)
    router.choice("meetings-more", role="member")(more)
    router.choice("attend", role="member")(attend)
