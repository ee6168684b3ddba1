"""/meetings: a member's upcoming meetings, and "Will attend" to tell the cell's secretary."""

from __future__ import annotations

from bot.core.i18n import Translator
from bot.core.messages import Choice, Message
from bot.services.agenda import HORIZON, Upcoming, plan_attendance, upcoming_meetings
from bot.services.notify import notify
from handlers.router import Context, Router

# A phone screen of lines and buttons; the rest are the least urgent by suggestion order.
SHOWN = 10


def choice_id(data: str | None) -> int | None:
    """The id after "prefix:" in a choice's data, or None if it is not one (forged data)."""
    _, _, tail = (data or "").partition(":")
    # SQLite integers stop at 2**63: longer digit strings are forged, not ids.
    return int(tail) if tail.isascii() and tail.isdigit() and len(tail) <= 18 else None


def _line(t: Translator, item: Upcoming) -> str:
    meeting = item.meeting
    marks = t("meetings.flagged_mark") if meeting.flagged else ""
    marks += t("meetings.planned_mark") if item.planned else ""
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
    t = ctx.t
    upcoming = await upcoming_meetings(ctx.store, ctx.config, ctx.me.member.code, ctx.now)
    days = HORIZON.days
    if not upcoming:
        await ctx.say("meetings.none", days=days)
        return
    shown = upcoming[:SHOWN]
    lines = [t("meetings.header", days=days)]
    # Bullets, not numbers: where choices are a numbered list (Zalo, the terminal), the
    # choices' numbers are the only ones on screen, so no one answers a line's number.
    lines += [_line(t, item) for item in shown]
    if len(upcoming) > SHOWN:
        lines.append(t("meetings.more", count=len(upcoming) - SHOWN))
    choices = tuple(_attend_choice(t, item) for item in shown if not item.planned)
    if choices:
        lines.append(t("meetings.pick"))
    await ctx.reply(Message("\n".join(lines), choices))


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
    if result.outcome == "past":
        await ctx.say("meetings.past", **values)
    elif result.outcome == "already":
        await ctx.say("meetings.already_planned", **values)
    elif meeting.secretary_id is None:
        await ctx.say("meetings.planned_no_secretary", **values)
    elif meeting.secretary_id == ctx.me.person_id:
        await ctx.say("meetings.planned_own_cell", **values)
    else:
        await ctx.say("meetings.planned" if told else "meetings.planned_not_told", **values)


def register(router: Router) -> None:
    router.command("meetings", "lich", role="member")(meetings)
    router.choice("attend", role="member")(attend)
