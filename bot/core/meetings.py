"""Meetings as the people who go to them see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class MeetingView:
    """A meeting with what a member is shown of its cell and organization."""

    id: int
    starts_at: datetime
    venue: str  # the meeting's own, else the cell's usual place
    kind: str
    cell_id: int
    cell_code: str
    cell_name: str
    flagged: bool
    secretary_id: int | None
    organization_code: str
    organization_name: str
    cancelled_at: datetime | None = None  # by its secretary (or moved elsewhere)


@dataclass(frozen=True)
class AssignedMeeting:
    """A meeting seen through one assignment of a member to the meeting's organization."""

    meeting: MeetingView
    assigned_from: date
    assigned_until: date | None  # inclusive; None = open


@dataclass(frozen=True)
class MemberToTell:
    """A committee member to tell about a meeting."""

    person_id: int
    code: str


@dataclass(frozen=True)
class Assignee:
    """A member seen through one assignment to a meeting's organization."""

    member: MemberToTell
    assigned_from: date
    assigned_until: date | None  # inclusive; None = open
