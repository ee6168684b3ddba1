"""What /schedule tells: the members, of a meeting set, moved or cancelled (via the outbox,
once per key), and the secretary, of what was done and who was told."""

from __future__ import annotations

from bot.services.notify import notify
from bot.services.scheduling import Changed, Scheduled, event_stamp
from handlers.router import Context


async def tell_members(ctx: Context, scheduled: Scheduled) -> int:
    """The members yet to visit the organization: a meeting is set, with Will attend. Return
    how many of them the bot could tell."""
    meeting = scheduled.meeting
    key = "schedule.member_told" if meeting.venue else "schedule.member_told_no_venue"
    stamp = event_stamp(ctx.now)  # a meeting set again after a cancellation is news again
    told = 0
    for member in scheduled.to_tell:
        told += await notify(
            ctx.store,
            ctx.config,
            member.person_id,
            key,
            dedupe=f"meeting-set:meeting={meeting.id}:at={stamp}:member={member.code}",
            now=ctx.now,
            choices=(("schedule.button_attend", f"attend:{meeting.id}"),),
            cell=meeting.cell_name,
            organization=meeting.organization_name,
            when=meeting.starts_at,
            venue=meeting.venue,
        )
    return told


async def confirm_scheduled(ctx: Context, scheduled: Scheduled, told: int) -> None:
    """What was set, and whom the bot could tell (and could not)."""
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


async def tell_change(ctx: Context, changed: Changed) -> int:
    """Those who said Will attend, and those yet to visit: the meeting moved, or is off.
    Return how many of them the bot could tell."""
    old, new = changed.old, changed.new
    stamp = event_stamp(ctx.now)
    values: dict[str, object] = {
        "cell": old.cell_name,
        "organization": old.organization_name,
        "when": old.starts_at,
    }
    if new is not None:
        values |= {"new": new.starts_at, "venue": new.venue}
    kind = "meeting-cancelled" if new is None else "meeting-moved"
    told = [(member, True) for member in changed.planners]
    told += [(member, False) for member in changed.others]
    reached = 0
    for member, planned in told:
        key, choices = "schedule.member_cancelled", ()
        if new is not None and planned:  # their plan followed the meeting
            key = "schedule.member_moved_planned"
        elif new is not None:  # they may say Will attend for the new time
            key, choices = (
                "schedule.member_moved",
                (("schedule.button_attend", f"attend:{new.id}"),),
            )
        reached += await notify(
            ctx.store,
            ctx.config,
            member.person_id,
            key,
            dedupe=f"{kind}:meeting={old.id}:at={stamp}:member={member.code}",
            now=ctx.now,
            choices=choices,
            **values,
        )
    return reached


async def confirm_changed(ctx: Context, changed: Changed, reached: int) -> None:
    """What was done, and how many of those concerned the bot could tell (and could not)."""
    old, new, t = changed.old, changed.new, ctx.t
    concerned = len(changed.planners) + len(changed.others)
    lines = [t("schedule.change_told", count=reached)] if reached else []
    if reached < concerned:
        lines.append(t("schedule.change_not_told", count=concerned - reached))
    told = "\n".join(lines) or t("schedule.change_told_none")
    if new is None:
        await ctx.say(
            "schedule.cancelled", cell=old.cell_name, when=t.when(old.starts_at), told=told
        )
    else:
        await ctx.say(
            "schedule.moved",
            cell=old.cell_name,
            when=t.when(old.starts_at),
            new=t.when(new.starts_at),
            venue=new.venue or t("schedule.usual_venue"),
            told=told,
        )
