"""A cell secretary sets the cell's next meeting; the members yet to visit are to be told."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.core.config import Config
from bot.core.meetings import MeetingView, MemberToTell
from bot.core.quarters import Quarter
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

TimeProblem = Literal["past", "too_far"]
Unusual = Literal["soon", "night"]
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
    quarter_start, quarter_end = Quarter.at(meeting.starts_at, tz).utc_bounds(tz)
    day = meeting.starts_at.astimezone(tz).date()
    members = await store.meetings.members_yet_to_visit(meeting.id, day, quarter_start, quarter_end)
    return tuple(members)


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
