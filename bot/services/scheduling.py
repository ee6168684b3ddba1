"""A cell secretary sets the cell's next meeting; the members yet to visit are to be told."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.core.config import Config
from bot.core.meetings import MeetingView, MemberToTell
from bot.core.quarters import Quarter
from bot.core.roster import assigned_on
from bot.services.coverage import member_coverage
from bot.services.identity import Identity
from storage.store import Store

# Far enough for a quarter's planning, near enough that a typo in the year is caught.
MAX_AHEAD = timedelta(days=120)
MAX_VENUE = 200  # as in the roster's cells.csv
CHOICE_TIME = "%Y%m%d%H%M"  # the local time inside "schedule:<cell id>:<time>" choice data
_CHOICE = re.compile(r"^schedule:(\d{1,18}):(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$")

TimeProblem = Literal["past", "too_far"]
Problem = Literal["past", "too_far", "taken", "not_your_cell", "venue_too_long"]


@dataclass(frozen=True)
class Scheduled:
    meeting: MeetingView
    to_tell: tuple[MemberToTell, ...]  # assigned that day, no confirmed visit in its quarter


def time_problem(starts_at: datetime, now: datetime) -> TimeProblem | None:
    if starts_at <= now:
        return "past"
    if starts_at - now > MAX_AHEAD:
        return "too_far"
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
    meeting_id = await store.meetings.schedule(cell_id, starts_at, venue, secretary.person_id, now)
    if meeting_id is None:
        return "taken"
    meeting = await store.meetings.view(meeting_id)
    assert meeting is not None  # just inserted, at a cell the secretary holds
    return Scheduled(meeting, await members_yet_to_visit(store, config, meeting))


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


def choice_data(cell_id: int, starts_at: datetime, config: Config) -> str:
    return f"schedule:{cell_id}:{starts_at.astimezone(config.committee.tz):{CHOICE_TIME}}"


def parse_choice(data: str, config: Config) -> tuple[int, datetime] | None:
    """The cell id and local time named by "schedule:<cell id>:<YYYYMMDDHHMM>", else None."""
    match = _CHOICE.match(data)
    if match is None:
        return None
    cell, year, month, day, hour, minute = map(int, match.groups())
    try:
        starts_at = datetime(year, month, day, hour, minute, tzinfo=config.committee.tz)
    except ValueError:
        return None
    return cell, starts_at
