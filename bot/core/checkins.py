"""Check-ins at meetings, as the member and the cell's secretary see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

Rating = Literal["good", "fair", "average", "poor"]
RATINGS: tuple[Rating, ...] = get_args(Rating)  # the four levels, best first


@dataclass(frozen=True)
class MemberCheckin:
    """A member's check-in with the meeting and cell it was at."""

    id: int
    meeting_id: int
    checked_in_at: datetime
    status: str  # pending, confirmed, denied
    has_note: bool
    meeting_starts_at: datetime
    cell_id: int
    cell_code: str
    cell_name: str


@dataclass(frozen=True)
class CheckinAtCell:
    """A check-in as the cell's secretary, or the office, decides on it."""

    id: int
    status: str  # pending, confirmed, denied
    checked_in_at: datetime
    decided_at: datetime | None
    member_person_id: int
    member_code: str
    member_name: str
    meeting_starts_at: datetime
    cell_id: int
    cell_code: str
    cell_name: str
    cell_flagged: bool  # with difficulties, today
