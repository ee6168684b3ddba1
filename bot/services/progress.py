"""A member's progress in the current quarter, and what to attend next where it is not done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.config import Config
from bot.core.coverage import Status
from bot.core.meetings import MeetingView
from bot.core.quarters import Quarter
from bot.services.agenda import assigned_meetings
from bot.services.coverage import member_coverage
from storage.store import Store


@dataclass(frozen=True)
class OrganizationProgress:
    code: str
    name: str
    status: Status
    next_meeting: MeetingView | None  # only where not yet covered: the one to attend next


@dataclass(frozen=True)
class Progress:
    quarter: Quarter
    days_left: int  # counting today
    organizations: list[OrganizationProgress]

    def count(self, status: Status) -> int:
        return sum(1 for org in self.organizations if org.status == status)


def next_to_attend(meetings: list[MeetingView], organization_code: str) -> MeetingView | None:
    """The organization's next meeting, a flagged cell's first (Regulation 239)."""
    own = [m for m in meetings if m.organization_code == organization_code]
    return min(own, key=lambda m: (not m.flagged, m.starts_at, m.cell_code), default=None)


async def member_progress(
    store: Store, config: Config, member_code: str, now: datetime
) -> Progress:
    """Coverage of the member's required organizations in the quarter of NOW, to date."""
    tz = config.committee.tz
    quarter = Quarter.at(now, tz)
    own = await member_coverage(store, config, quarter, member_code)
    _, quarter_end = quarter.utc_bounds(tz)
    # Only this quarter's meetings can still cover it, and not one the member is at already.
    checked_in = await store.meetings.checked_in_at(member_code, now)
    remaining = [
        m
        for m in await assigned_meetings(store, config, member_code, now, quarter_end)
        if now < m.starts_at < quarter_end and m.id not in checked_in
    ]
    organizations = [
        OrganizationProgress(
            pair.organization,
            own.names.get(pair.organization, pair.organization),
            pair.status,
            None if pair.status == "covered" else next_to_attend(remaining, pair.organization),
        )
        for pair in own.pairs
    ]
    days_left = (quarter.end - now.astimezone(tz).date()).days + 1
    return Progress(quarter, days_left, organizations)
