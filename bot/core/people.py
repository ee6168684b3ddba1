"""People: the roster person behind a phone number, their roles, and their chat accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Account:
    id: int
    channel: str
    user_id: str
    chat_id: str
    person_id: int
    # As find() reads them (for_person leaves them out): when the user last wrote, and
    # whether the channel said they blocked the bot.
    last_seen_at: datetime | None = None
    blocked: bool = False


@dataclass(frozen=True)
class Person:
    id: int
    phone: str
    name: str  # the member's name, else the name given as a cell's secretary
    member_code: str | None


@dataclass(frozen=True)
class MemberRef:
    id: int
    code: str
    name: str
    language: str | None  # as the roster says


@dataclass(frozen=True)
class CellRef:
    id: int
    code: str
    name: str
    organization_code: str


@dataclass(frozen=True)
class Roles:
    person: Person
    language: str | None  # chosen in chat
    member: MemberRef | None
    cells: tuple[CellRef, ...]  # where this person is the secretary
