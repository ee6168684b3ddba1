"""/confirm: the check-ins waiting for a decision, each with Confirm / Absent, ten at a time.

A cell's secretary sees their cells' check-ins; an admin the whole district's, and with
`/confirm CODE` one member's check-ins of the quarter, to change a decision. Nobody sees or
decides their own. Every tap is judged again by the decision service (buttons can be forged).
"""

from __future__ import annotations

from bot.core.checkins import CheckinAtCell
from bot.core.coverage import Amendment
from bot.core.decisions import Decision, DecisionRecord
from bot.core.messages import Choice, Message
from bot.core.quarters import Quarter
from bot.services.confirmations import (
    Decided,
    NotDecided,
    change_data,
    decide_checkin,
    member_checkins,
    parse_change,
    parse_checkin_id,
    pending_page,
)
from bot.services.decision_requests import decision_choices
from handlers.router import Context, Router

MORE = "confirm-more"  # the choice of the next page: "confirm-more:<last check-in shown>"


async def confirm_list(ctx: Context) -> None:
    """The first page of check-ins waiting for the caller; an admin's /confirm CODE [QUARTER]:
    a member's (of a closed quarter too, whose decisions an admin still changes)."""
    args = ctx.inbound.args
    if not (args and ctx.me.is_admin):
        await _page(ctx, after=None)
        return
    quarter = Quarter.at(ctx.now, ctx.config.committee.tz)
    if len(args) > 1:
        try:
            quarter = Quarter.parse(args[1])
        except ValueError:
            await ctx.say("confirm.bad_quarter", text=args[1], example=str(quarter.previous()))
            return
    await _member(ctx, args[0], quarter)


async def more_choice(ctx: Context) -> None:
    """More: the page after the check-in the button was under."""
    after = parse_checkin_id(ctx.inbound.choice or "")
    if after is None:
        await ctx.say("error.stale_choice")
    else:
        await _page(ctx, after)


async def _page(ctx: Context, after: int | None) -> None:
    """One message per check-in, so that each Confirm / Absent pair sits by its name; More goes
    under the last, where a chat of numbered choices can still answer it."""
    t = ctx.t
    page = await pending_page(ctx.store, ctx.me, after)
    if not page.checkins:
        if after is not None:
            await ctx.say("confirm.none_more")
        else:
            await ctx.say("confirm.none_district" if page.district else "confirm.none")
        return
    if after is None:
        header = "confirm.header_district" if page.district else "confirm.header"
        await ctx.say(header, count=page.waiting)
    last = page.checkins[-1]
    for checkin in page.checkins:
        message = _item(ctx, checkin)
        if checkin is last and page.more:
            more = Choice(t("confirm.button_more"), f"{MORE}:{checkin.id}")
            text = f"{message.text}\n\n{t('confirm.more', count=page.more)}"
            message = Message(text, (*message.choices, more))
        await ctx.reply(message)


async def _member(ctx: Context, code: str, quarter: Quarter) -> None:
    """An admin's look at one member's check-ins of QUARTER, to decide or change each."""
    code = code.upper()
    found = await member_checkins(ctx.store, ctx.config, code, quarter)
    if found is None:
        await ctx.say("confirm.member_unknown", code=code)
        return
    label = _quarter(ctx, quarter)
    if not found.checkins:
        await ctx.say("confirm.member_none", member=found.name, code=code, quarter=label)
        return
    await ctx.say("confirm.member_header", member=found.name, code=code, quarter=label)
    for checkin, last in found.checkins:
        await ctx.reply(_item(ctx, checkin, last, show_state=True))


def _item(
    ctx: Context,
    checkin: CheckinAtCell,
    last: DecisionRecord | None = None,
    *,
    show_state: bool = False,
) -> Message:
    t = ctx.t
    same_day = t.day(checkin.checked_in_at) == t.day(checkin.meeting_starts_at)
    text = t(
        "confirm.item",
        member=checkin.member_name,
        cell=checkin.cell_name,
        flag=t("meetings.flagged_mark") if checkin.cell_flagged else "",
        meeting=t.when(checkin.meeting_starts_at),
        checked_in=t.clock(checkin.checked_in_at) if same_day else t.when(checkin.checked_in_at),
    )
    if show_state:
        text += "\n" + _state(ctx, checkin, last)
    return Message(text, _choices(ctx, checkin))


def _state(ctx: Context, checkin: CheckinAtCell, last: DecisionRecord | None) -> str:
    if checkin.status == "pending":
        return ctx.t("confirm.state_pending")
    return ctx.t(f"confirm.state_{checkin.status}", **_decided(ctx, checkin, last))


def _choices(ctx: Context, checkin: CheckinAtCell) -> tuple[Choice, ...]:
    """Confirm / Absent while pending; once decided, the change an admin may make. None on
    one's own check-in."""
    t = ctx.t
    if checkin.member_person_id == ctx.me.person_id:
        return ()
    if checkin.status == "pending":
        return tuple(Choice(t(label), data) for label, data in decision_choices(checkin.id))
    other: Decision = "denied" if checkin.status == "confirmed" else "confirmed"
    return (Choice(t(f"confirm.button_change_{other}"), change_data(checkin.id, other)),)


async def confirm_choice(ctx: Context) -> None:
    await _decide(ctx, parse_checkin_id(ctx.inbound.choice or ""), "confirmed")


async def absent_choice(ctx: Context) -> None:
    await _decide(ctx, parse_checkin_id(ctx.inbound.choice or ""), "denied")


async def change_choice(ctx: Context) -> None:
    """An admin's deliberate change of a decision (offered after an old Confirm / Absent)."""
    parsed = parse_change(ctx.inbound.choice or "")
    if parsed is None:
        await ctx.say("confirm.not_found")
    else:
        await _decide(ctx, *parsed, change=True)


async def _decide(
    ctx: Context, checkin_id: int | None, status: Decision, *, change: bool = False
) -> None:
    if checkin_id is None:
        await ctx.say("confirm.not_found")
        return
    outcome = await decide_checkin(
        ctx.store,
        ctx.config,
        ctx.me,
        checkin_id,
        status,
        ctx.now,
        ctx.inbound.channel,
        change=change,
    )
    if isinstance(outcome, Decided):
        await _say_decided(ctx, outcome)
    elif isinstance(outcome, NotDecided):
        await _say_not_decided(ctx, outcome, status)
    else:
        await ctx.say(f"confirm.{outcome}")


async def _say_decided(ctx: Context, decided: Decided) -> None:
    t, decision = ctx.t, decided.decision
    kind = "done_changed" if decision.is_change else "done"
    lines = [t(f"confirm.{kind}_{decision.status}", **_shown(ctx, decided.checkin))]
    if decided.amendment is not None:
        lines.append(_amended(ctx, decided.amendment, decided.checkin))
    told = "confirm.member_told" if decided.member_told else "confirm.member_not_told"
    lines.append(t(told, member=decided.checkin.member_name))
    await ctx.reply(Message("\n".join(lines)))


def _amended(ctx: Context, amendment: Amendment, checkin: CheckinAtCell) -> str:
    t = ctx.t
    return t(
        "closing.amended",
        quarter=_quarter(ctx, amendment.quarter),
        member=checkin.member_name,
        organization=amendment.organization,
        before=t(f"closing.status_{amendment.before}"),
        after=t(f"closing.status_{amendment.after}"),
    )


def _quarter(ctx: Context, quarter: Quarter) -> str:
    return ctx.t.quarter(quarter)


async def _say_not_decided(ctx: Context, outcome: NotDecided, wanted: Decision) -> None:
    t, checkin = ctx.t, outcome.checkin
    if outcome.closed is not None and outcome.why == "closed":
        quarter, closed = _quarter(ctx, outcome.closed.quarter), outcome.closed.closed_at
        await ctx.say(
            "closing.refused", quarter=quarter, closed=t.when(closed), **_shown(ctx, checkin)
        )
        return
    values = {**_shown(ctx, checkin), **_decided(ctx, checkin, outcome.last)}
    if outcome.why == "offer_change":
        change = Choice(t(f"confirm.button_change_{wanted}"), change_data(checkin.id, wanted))
        await ctx.say(f"confirm.offer_change_{checkin.status}", choices=(change,), **values)
        return
    text = t(f"confirm.already_{checkin.status}", **values)
    if outcome.why == "ask_office":
        text += "\n" + t("confirm.ask_office")
    await ctx.reply(Message(text))


def _decided(ctx: Context, checkin: CheckinAtCell, last: DecisionRecord | None) -> dict[str, str]:
    """When the check-in was decided, and by whom when the record says."""
    t = ctx.t
    at = last.at if last is not None else checkin.decided_at or checkin.checked_in_at
    by = ""
    if last is not None and last.role is not None:
        by = t(f"confirm.by_{last.role}", name=last.by_name)
    return {"decided": t.when(at), "by": by}


def _shown(ctx: Context, checkin: CheckinAtCell) -> dict[str, str]:
    return {
        "member": checkin.member_name,
        "cell": checkin.cell_name,
        "meeting": ctx.t.when(checkin.meeting_starts_at),
    }


def register(router: Router) -> None:
    # The office decides in its group (a digest chat) as well as in private.
    router.command("confirm", "xacnhan", role="decider", group_ok=True)(confirm_list)
    router.choice(MORE, role="decider", group_ok=True)(more_choice)
    # "linked": whether this person may decide this check-in is the service's to judge.
    router.choice("confirm", role="linked", group_ok=True)(confirm_choice)
    router.choice("absent", role="linked", group_ok=True)(absent_choice)
    router.choice("change-decision", role="linked", group_ok=True)(change_choice)
