"""What the board's pages show of the roster and the record, one line per thing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class MemberProfile:
    code: str
    name: str
    position: str  # standing, member
    phone: str
    active: bool


@dataclass(frozen=True)
class OrganizationProfile:
    code: str
    name: str
    kind: str  # committee, cell
    active: bool


@dataclass(frozen=True)
class AssignmentLine:
    member_code: str
    member_name: str
    organization_code: str
    organization_name: str
    duty: str  # in_charge, follow
    start: date
    end: date | None  # inclusive; None = open


@dataclass(frozen=True)
class CellLine:
    code: str
    name: str
    secretary_name: str
    secretary_phone: str
    venue: str
    flagged: bool


@dataclass(frozen=True)
class VisitLine:
    """A check-in with its meeting, its decision and the member's note on the meeting."""

    checkin_id: int
    member_code: str
    member_name: str
    organization_code: str
    organization_name: str
    cell_code: str
    cell_name: str
    meeting_starts_at: datetime
    checked_in_at: datetime
    status: str  # pending, confirmed, denied
    decided_at: datetime | None
    rating: str | None  # good, fair, average, poor; None: no note
    steps_kept: bool | None
    difficulties_raised: bool | None
    note: str
    photos: tuple[str, ...] = ()  # the file names of its photos (storage/photos.py), in order


@dataclass(frozen=True)
class PendingLine:
    checkin_id: int
    member_code: str
    member_name: str
    organization_code: str
    organization_name: str
    cell_code: str
    cell_name: str
    flagged: bool
    meeting_starts_at: datetime
    checked_in_at: datetime


@dataclass(frozen=True)
class MeetingLine:
    id: int
    starts_at: datetime
    venue: str
    kind: str
    organization_code: str
    organization_name: str
    cell_code: str
    cell_name: str
    flagged: bool
    attending: tuple[tuple[str, str], ...]  # (code, name) of who said Will attend
