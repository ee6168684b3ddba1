"""/checkin: check in at a meeting whose window is open; its secretary (or the office) is asked
to decide."""

from __future__ import annotations

from datetime import datetime

from bot.core.decisions import OfficeReason
from bot.core.i18n import Translator
from bot.core.meetings import MeetingView
from bot.core.messages import Choice, Message
from bot.services.agenda import HORIZON
from bot.services.checkins import CheckinResult, check_in, checkin_window, open_for_checkin
from bot.services.decision_requests import ask_for_decision
from handlers.meetings import choice_id
from handlers.router import Context, Router


def _moment(t: Translator, instant: datetime) -> str:
    """A window's edge, short: "07:30 05/12"."""
    return f"{t.clock(instant)} {t.day(instant)[:5]}"


def _open_line(t: Translator, meeting: MeetingView, checked_in: bool) -> str:
    line = t(
        "checkin.open_line",
        cell=meeting.cell_name,
        cell_code=meeting.cell_code,
        when=t.when(meeting.starts_at),
        venue=meeting.venue or t("meetings.no_venue"),
    )
    return line + t("checkin.checked_in_mark") if checked_in else line


async def checkin(ctx: Context) -> None:
    """Offer the meetings open for check-in now, or say when the next window opens."""
    t = ctx.t
    found = await open_for_checkin(ctx.store, ctx.config, ctx.me.member.code, ctx.now)
    if found.meetings:
        # A meeting checked in at is listed as done, without a button to do it again.
        choices = tuple(
            Choice(t("checkin.button", cell_code=m.cell_code), f"checkin:{m.id}")
            for m in found.meetings
            if m.id not in found.checked_in
        )
        header = t("checkin.open_header" if choices else "checkin.all_checked_in")
        lines = [header, *(_open_line(t, m, m.id in found.checked_in) for m in found.meetings)]
        await ctx.reply(Message("\n".join(lines), choices))
        return
    coming = found.next_meeting
    if coming is None:
        await ctx.say("checkin.none_coming", count=HORIZON.days)
        return
    opens = checkin_window(ctx.config, coming.starts_at).opens
    await ctx.say(
        "checkin.none_open",
        cell=coming.cell_name,
        when=t.when(coming.starts_at),
        opens=_moment(t, opens),
    )


async def check_in_at(ctx: Context) -> None:
    """A tap on "Check in": re-checked here, since the button may be old or forged."""
    meeting_id = choice_id(ctx.inbound.choice)
    if meeting_id is None:
        await ctx.say("checkin.not_found")
        return
    # The check-in and the request to decide it commit together: a crash keeps both or neither.
    office_reason = None
    async with ctx.store.transaction():
        result = await check_in(ctx.store, ctx.config, ctx.me.member.code, meeting_id, ctx.now)
        if result.outcome == "checked_in":
            assert result.meeting is not None and result.checkin is not None
            office_reason = await ask_for_decision(
                ctx.store, ctx.config, ctx.me, result.meeting, result.checkin, ctx.now
            )
    if result.outcome in ("not_found", "not_yours"):
        await ctx.say(f"checkin.{result.outcome}")
    elif result.outcome == "cancelled":
        assert result.meeting is not None
        await ctx.say(
            "checkin.cancelled",
            cell=result.meeting.cell_name,
            when=ctx.t.when(result.meeting.starts_at),
        )
    elif result.outcome in ("not_yet", "closed"):
        await _outside_window(ctx, result)
    else:
        await _checked_in(ctx, result, office_reason)


async def _outside_window(ctx: Context, result: CheckinResult) -> None:
    t, meeting, window = ctx.t, result.meeting, result.window
    assert meeting is not None and window is not None
    await ctx.say(
        f"checkin.{result.outcome}",
        cell=meeting.cell_name,
        when=t.when(meeting.starts_at),
        opens=_moment(t, window.opens),
        closes=_moment(t, window.closes),
    )


async def _checked_in(
    ctx: Context, result: CheckinResult, office_reason: OfficeReason | None
) -> None:
    meeting, checkin = result.meeting, result.checkin
    assert meeting is not None and checkin is not None
    time = ctx.t.clock(checkin.checked_in_at)
    if result.outcome == "already":
        await ctx.say("checkin.already", cell=meeting.cell_name, time=time)
        return
    if office_reason is None:
        decides = ctx.t("checkin.secretary_asked", cell=meeting.cell_name)
    else:
        decides = ctx.t(f"checkin.office_decides_{office_reason}")
    await ctx.say("checkin.done", cell=meeting.cell_name, time=time, decides=decides)


def register(router: Router) -> None:
    router.command("checkin", "diemdanh", role="member")(checkin)
    router.choice("checkin", role="member")(check_in_at)
