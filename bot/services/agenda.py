"""A member's agenda: the upcoming meetings of their organizations' cells, and their plans."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.core.config import Config
from bot.core.meetings import AssignedMeeting, MeetingView
from bot.core.quarters import Quarter
from bot.core.roster import assigned_on
from bot.services.coverage import member_coverage
from storage.store import Store

# How far ahead /meetings looks: a month and a half shows the next meeting of every cell.
HORIZON = timedelta(days=45)


@dataclass(frozen=True)
class Upcoming:
    meeting: MeetingView
    organization_covered: bool  # this quarter, by this member
    planned: bool
    checked_in: bool  # the member is there already (the window opens before the start)


PlanOutcome = Literal["planned", "already", "not_found", "not_yours", "past", "cancelled"]


@dataclass(frozen=True)
class PlanResult:
    outcome: PlanOutcome
    meeting: MeetingView | None = None


def assigned_on_meeting_day(row: AssignedMeeting, tz: ZoneInfo) -> bool:
    """Whether the assignment holds on the meeting's local calendar day."""
    day = row.meeting.starts_at.astimezone(tz).date()
    return assigned_on(day, row.assigned_from, row.assigned_until)


def meetings_while_assigned(rows: Iterable[AssignedMeeting], tz: ZoneInfo) -> list[MeetingView]:
    """The meetings of ROWS held while one of the member's assignments held, in ROWS' order."""
    seen: dict[int, MeetingView] = {}
    for row in rows:
        if row.meeting.id not in seen and assigned_on_meeting_day(row, tz):
            seen[row.meeting.id] = row.meeting
    return list(seen.values())


async def assigned_meetings(
    store: Store, config: Config, member_code: str, first: datetime, last: datetime
) -> list[MeetingView]:
    """Meetings starting in [FIRST, LAST] that the member is assigned to attend, by time."""
    rows = await store.meetings.of_member_organizations(member_code, first, last)
    return meetings_while_assigned(rows, config.committee.tz)


async def assigned_meeting(
    store: Store, config: Config, member_code: str, meeting_id: int
) -> MeetingView | Literal["not_found", "not_yours"]:
    """The meeting, if the member is assigned to its organization on its day; else why not.

    Button data can be forged, so every action on a meeting starts here.
    """
    rows = await store.meetings.of_member_organization(member_code, meeting_id)
    found = meetings_while_assigned(rows, config.committee.tz)
    if found:
        return found[0]
    return "not_found" if await store.meetings.view(meeting_id) is None else "not_yours"


async def covered_organizations(
    store: Store, config: Config, member_code: str, now: datetime
) -> set[str]:
    """Codes of the organizations the member has covered in the quarter of NOW."""
    quarter = Quarter.at(now, config.committee.tz)
    own = await member_coverage(store, config, quarter, member_code)
    return {pair.organization for pair in own.pairs if pair.status == "covered"}


def suggestion_order(meeting: MeetingView, covered: set[str]) -> tuple:
    """Regulation 239: flagged cells first, then organizations not yet visited, then soonest."""
    return (
        not meeting.flagged,
        meeting.organization_code in covered,
        meeting.starts_at,
        meeting.cell_code,
    )


async def upcoming_meetings(
    store: Store, config: Config, member_code: str, now: datetime, horizon: timedelta = HORIZON
) -> list[Upcoming]:
    """The member's meetings starting after NOW and within HORIZON, in suggestion order."""
    meetings = [
        meeting
        for meeting in await assigned_meetings(store, config, member_code, now, now + horizon)
        if meeting.starts_at > now
    ]
    covered = await covered_organizations(store, config, member_code, now)
    planned = await store.plans.meetings_planned(member_code, now)
    checked_in = await store.meetings.checked_in_at(member_code, now)
    meetings.sort(key=lambda meeting: suggestion_order(meeting, covered))
    return [
        Upcoming(
            meeting,
            meeting.organization_code in covered,
            meeting.id in planned,
            meeting.id in checked_in,
        )
        for meeting in meetings
    ]


async def plan_attendance(
    store: Store, config: Config, member_code: str, meeting_id: int, now: datetime
) -> PlanResult:
    """Record "Will attend" for an upcoming meeting of one of the member's organizations."""
    meeting = await assigned_meeting(store, config, member_code, meeting_id)
    if isinstance(meeting, str):
        return PlanResult(meeting)
    if meeting.cancelled_at is not None:
        return PlanResult("cancelled", meeting)
    if meeting.starts_at <= now:
        return PlanResult("past", meeting)
    added = await store.plans.add(meeting.id, member_code, now)
    return PlanResult("planned" if added else "already", meeting)
