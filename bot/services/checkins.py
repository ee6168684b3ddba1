"""Checking in at a meeting: when the window is open, and who may check in where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.core.checkins import MemberCheckin
from bot.core.config import Config
from bot.core.meetings import MeetingView
from bot.services.agenda import HORIZON, assigned_meeting, assigned_meetings
from storage.store import Store


@dataclass(frozen=True)
class Window:
    """When check-in at a meeting is possible, both ends inclusive."""

    opens: datetime
    closes: datetime

    def is_open(self, now: datetime) -> bool:
        return self.opens <= now <= self.closes


def checkin_window(config: Config, starts_at: datetime) -> Window:
    reminders = config.reminders
    return Window(
        starts_at - reminders.checkin_opens_before, starts_at + reminders.checkin_closes_after
    )


@dataclass(frozen=True)
class OpenCheckins:
    meetings: list[MeetingView]  # those whose window is open now
    next_meeting: MeetingView | None  # when none is open: the next one within the horizon
    checked_in: frozenset[int] = frozenset()  # ids of the open ones the member is checked in at


async def open_for_checkin(
    store: Store, config: Config, member_code: str, now: datetime
) -> OpenCheckins:
    """The member's meetings open for check-in at NOW, or else the next one coming."""
    reminders = config.reminders
    open_now = await assigned_meetings(
        store,
        config,
        member_code,
        now - reminders.checkin_closes_after,
        now + reminders.checkin_opens_before,
    )
    if open_now:
        since = now - reminders.checkin_closes_after
        checked_in = await store.meetings.checked_in_at(member_code, since)
        return OpenCheckins(open_now, None, frozenset(checked_in))
    coming = await assigned_meetings(store, config, member_code, now, now + HORIZON)
    return OpenCheckins([], next((m for m in coming if m.starts_at > now), None))


CheckinOutcome = Literal[
    "checked_in", "already", "not_found", "not_yours", "not_yet", "closed", "cancelled"
]


@dataclass(frozen=True)
class CheckinResult:
    outcome: CheckinOutcome
    meeting: MeetingView | None = None
    window: Window | None = None
    checkin: MemberCheckin | None = None  # the new one, or the earlier one ("already")


async def check_in(
    store: Store, config: Config, member_code: str, meeting_id: int, now: datetime
) -> CheckinResult:
    """Check the member in at the meeting, if it is theirs and its window is open at NOW."""
    meeting = await assigned_meeting(store, config, member_code, meeting_id)
    if isinstance(meeting, str):
        return CheckinResult(meeting)
    if meeting.cancelled_at is not None:
        return CheckinResult("cancelled", meeting)
    window = checkin_window(config, meeting.starts_at)
    # Inserting decides between a first tap and a repeated one (the pair is unique), so the
    # common case, a first tap in an open window, is one statement.
    added = await store.checkins.add(meeting.id, member_code, now) if window.is_open(now) else None
    if added is not None:
        checkin = MemberCheckin(
            added, meeting.id, now, "pending", False, meeting.starts_at, *_cell_of(meeting)
        )
        return CheckinResult("checked_in", meeting, window, checkin)
    earlier = await store.checkins.of_member_at(member_code, meeting.id)
    if earlier is not None:  # "already checked in at HH:MM", even once the window has closed
        return CheckinResult("already", meeting, window, earlier)
    return CheckinResult("not_yet" if now < window.opens else "closed", meeting, window)


def _cell_of(meeting: MeetingView) -> tuple[int, str, str]:
    return meeting.cell_id, meeting.cell_code, meeting.cell_name
