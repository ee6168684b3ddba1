"""A cell secretary sets, moves or cancels the cell's meetings; the members concerned are to be
told.

A move cancels the meeting and sets a new one at the new time, rather than changing the time
in place: a meeting's messages are keyed by its id (a reminder already sent for the old time
would keep the new time's from going out) and check-ins copy its start. A meeting someone has
checked in at is neither moved nor cancelled: it is taking place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.core.config import Config
from bot.core.meetings import MeetingView, MemberToTell
from bot.core.quarters import Quarter
from bot.core.roster import assigned_on
from bot.services.agenda import assigned_meeting
from bot.services.coverage import member_coverage
from bot.services.identity import Identity
from storage.store import Store

# Far enough for a quarter's planning, near enough that a typo in the year is caught.
MAX_AHEAD = timedelta(days=120)
# A meeting sooner than this, or at night, is likely a typo (or a surprise to the members who
# would come): it is set only once the secretary confirms it.
SHORT_NOTICE = timedelta(hours=1)
NIGHT_STARTS, NIGHT_ENDS = time(22, 0), time(5, 0)
MAX_VENUE = 200  # as in the roster's cells.csv
CHOICE_TIME = "%Y%m%d%H%M"  # the local time inside choice data ("schedule:<cell id>:<time>")
_CHOICE = re.compile(r"^schedule:(\d{1,18}):(\d{12})$")
_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$")

# Coming meetings a secretary is shown, to move or cancel: a cell meets about once a month.
SHOWN_COMING = 10

TimeProblem = Literal["past", "too_far"]
Unusual = Literal["soon", "night"]
Problem = Literal["past", "too_far", "taken", "not_your_cell", "venue_too_long"]
# Why a meeting cannot be moved or cancelled.
Unchangeable = Literal["not_found", "not_your_cell", "cancelled", "started", "checked_in"]


@dataclass(frozen=True)
class Scheduled:
    meeting: MeetingView
    to_tell: tuple[MemberToTell, ...]  # assigned that day, no confirmed visit in its quarter


@dataclass(frozen=True)
class Changed:
    """A meeting moved or cancelled, and the members to tell."""

    old: MeetingView
    new: MeetingView | None  # where it moved; None: cancelled
    planners: tuple[MemberToTell, ...]  # said Will attend (their plan follows a move)
    others: tuple[MemberToTell, ...]  # yet to visit the organization, told of it too


def event_stamp(now: datetime) -> str:
    """NOW in an outbox key: a meeting set again, or changed again, is news again."""
    return f"{now.astimezone(UTC):%Y%m%dT%H%M%S}"


def time_problem(starts_at: datetime, now: datetime) -> TimeProblem | None:
    if starts_at <= now:
        return "past"
    if starts_at - now > MAX_AHEAD:
        return "too_far"
    return None


def unusual_time(starts_at: datetime, now: datetime, tz: ZoneInfo) -> Unusual | None:
    """Why a meeting at STARTS_AT should be confirmed first: too soon, or at night."""
    if starts_at - now < SHORT_NOTICE:
        return "soon"
    clock = starts_at.astimezone(tz).time()
    if clock > NIGHT_STARTS or clock < NIGHT_ENDS:
        return "night"
    return None


async def schedule_meeting(
    store: Store,
    config: Config,
    secretary: Identity,
    cell_id: int,
    starts_at: datetime,
    venue: str | None,
    now: datetime,
) -> Scheduled | Problem:
    """Store a regular meeting of CELL_ID at STARTS_AT (VENUE None: the cell's usual place)."""
    if not secretary.secretary_of(cell_id):
        return "not_your_cell"
    problem = time_problem(starts_at, now) or venue_problem(venue)
    if problem is not None:
        return problem
    meeting_id = await _set(store, cell_id, starts_at, venue, secretary.person_id, now)
    if meeting_id is None:
        return "taken"
    meeting = await store.meetings.view(meeting_id)
    assert meeting is not None  # just inserted, at a cell the secretary holds
    return Scheduled(meeting, await members_yet_to_visit(store, config, meeting))


async def meeting_view(store: Store, meeting_id: int) -> MeetingView | None:
    """The meeting with its cell and organization, while both are on the roster."""
    return await store.meetings.view(meeting_id)


async def coming_meetings(store: Store, secretary: Identity, now: datetime) -> list[MeetingView]:
    """The secretary's cells' next meetings, soonest first, not cancelled."""
    cell_ids = [cell.id for cell in secretary.cells]
    return await store.meetings.coming_at_cells(cell_ids, now, SHOWN_COMING)


async def meeting_to_change(
    store: Store, secretary: Identity, meeting_id: int, now: datetime
) -> MeetingView | Unchangeable:
    """The meeting, if the secretary may move or cancel it now; else why not.

    Button data can be forged, so every change of a meeting starts here.
    """
    meeting = await store.meetings.view(meeting_id)
    if meeting is None:
        return "not_found"
    if not secretary.secretary_of(meeting.cell_id):
        return "not_your_cell"
    if meeting.cancelled_at is not None:
        return "cancelled"
    if meeting.starts_at <= now:
        return "started"
    if await store.meetings.has_checkins(meeting.id):
        return "checked_in"
    return meeting


async def cancel_meeting(
    store: Store, config: Config, secretary: Identity, meeting_id: int, now: datetime
) -> Changed | Unchangeable:
    """Cancel a coming meeting of the secretary's cell: no plans, reminders or check-ins any
    more. The caller holds the transaction, with the messages to the members."""
    meeting = await meeting_to_change(store, secretary, meeting_id, now)
    if isinstance(meeting, str):
        return meeting
    planners = tuple(await store.meetings.planners(meeting.id))
    others = await _others_to_tell(store, config, meeting, planners)
    if not await store.meetings.cancel(meeting.id, secretary.person_id, now):
        return "checked_in"  # someone checked in meanwhile (the write lock orders us)
    await store.outbox.drop_queued_about_meeting(meeting.id)
    return Changed(meeting, None, planners, others)


async def move_meeting(
    store: Store,
    config: Config,
    secretary: Identity,
    meeting_id: int,
    starts_at: datetime,
    venue: str | None,
    now: datetime,
) -> Changed | Unchangeable | Problem:
    """Move a coming meeting to STARTS_AT (VENUE None: where it was to be): the meeting is
    cancelled and one set at the new time, with the plans of those still assigned then.
    The caller holds the transaction, with the messages to the members."""
    meeting = await meeting_to_change(store, secretary, meeting_id, now)
    if isinstance(meeting, str):
        return meeting
    problem = time_problem(starts_at, now) or venue_problem(venue)
    if problem is not None:
        return problem
    if await store.meetings.taken(meeting.cell_id, starts_at):
        return "taken"
    venue = venue if venue is not None else await store.meetings.own_venue(meeting.id)
    planners = await store.meetings.planners(meeting.id)  # the cancellation drops them
    if not await store.meetings.cancel(meeting.id, secretary.person_id, now):
        return "checked_in"  # someone checked in meanwhile (nothing is written then)
    await store.outbox.drop_queued_about_meeting(meeting.id)
    new_id = await _set(
        store, meeting.cell_id, starts_at, venue, secretary.person_id, now, kind=meeting.kind
    )
    assert new_id is not None  # free a moment ago, under the caller's write lock
    new = await store.meetings.view(new_id)
    assert new is not None  # just set, at a cell the secretary holds
    kept = []
    for planner in planners:
        # The plan follows the meeting, where the member is still assigned on its new day.
        if not isinstance(await assigned_meeting(store, config, planner.code, new_id), str):
            await store.plans.add(new_id, planner.code, now)
            kept.append(planner)
    others = await _others_to_tell(store, config, new, tuple(kept))
    return Changed(meeting, new, tuple(kept), others)


async def _set(
    store: Store,
    cell_id: int,
    starts_at: datetime,
    venue: str | None,
    set_by: int,
    now: datetime,
    kind: str = "regular",
) -> int | None:
    """The meeting's id, set at STARTS_AT; None if the cell meets then already."""
    meeting_id = await store.meetings.schedule(cell_id, starts_at, venue, set_by, now, kind)
    if meeting_id is not None:
        # Set again after a cancellation: what was still queued about it then (the news of
        # the cancellation) no longer holds.
        await store.outbox.drop_queued_about_meeting(meeting_id)
    return meeting_id


async def _others_to_tell(
    store: Store, config: Config, meeting: MeetingView, planners: tuple[MemberToTell, ...]
) -> tuple[MemberToTell, ...]:
    """The members yet to visit the meeting's organization (told when it was set), less
    PLANNERS."""
    planning = {planner.code for planner in planners}
    return tuple(
        member
        for member in await members_yet_to_visit(store, config, meeting)
        if member.code not in planning
    )


def venue_problem(venue: str | None) -> Problem | None:
    return "venue_too_long" if venue is not None and len(venue) > MAX_VENUE else None


async def members_yet_to_visit(
    store: Store, config: Config, meeting: MeetingView
) -> tuple[MemberToTell, ...]:
    """Members assigned to the meeting's organization on its day who have not covered it in
    the meeting's quarter (a pending check-in may still be denied, so it does not count)."""
    tz = config.committee.tz
    quarter = Quarter.at(meeting.starts_at, tz)
    day = meeting.starts_at.astimezone(tz).date()
    rows = await store.meetings.assignees(meeting.id)
    assigned = dict.fromkeys(  # once each, in the order of their codes
        row.member for row in rows if assigned_on(day, row.assigned_from, row.assigned_until)
    )
    yet_to_visit = []
    for member in assigned:
        own = await member_coverage(store, config, quarter, member.code)
        if meeting.organization_code not in own.covered:
            yet_to_visit.append(member)
    return tuple(yet_to_visit)


def choice_time(starts_at: datetime, config: Config) -> str:
    """STARTS_AT as choice data carries it: local YYYYMMDDHHMM."""
    return f"{starts_at.astimezone(config.committee.tz):{CHOICE_TIME}}"


def parse_choice_time(text: str, config: Config) -> datetime | None:
    """The local time of choice_time's TEXT, else None (forged data)."""
    match = _TIME.match(text)
    if match is None:
        return None
    try:
        return datetime(*map(int, match.groups()), tzinfo=config.committee.tz)
    except ValueError:
        return None


def choice_data(cell_id: int, starts_at: datetime, config: Config) -> str:
    return f"schedule:{cell_id}:{choice_time(starts_at, config)}"


def parse_choice(data: str, config: Config) -> tuple[int, datetime] | None:
    """The cell id and local time named by "schedule:<cell id>:<YYYYMMDDHHMM>", else None."""
    match = _CHOICE.match(data)
    starts_at = match and parse_choice_time(match[2], config)
    return (int(match[1]), starts_at) if match and starts_at else None
