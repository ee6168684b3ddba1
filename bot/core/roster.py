"""The roster as plain values: what the files say, after checking and normalising."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Position = Literal["standing", "member"]
Kind = Literal["committee", "cell"]
Duty = Literal["in_charge", "follow"]
MeetingKind = Literal["regular", "thematic"]
Language = Literal["vi", "en"]


@dataclass(frozen=True)
class Member:
    code: str
    full_name: str
    phone: str  # national form, see bot.phones
    position: Position
    language: Language | None = None  # None: not given (the interface defaults to vi)


@dataclass(frozen=True)
class Organization:
    code: str
    name: str
    kind: Kind


@dataclass(frozen=True)
class Cell:
    code: str
    organization: str
    name: str
    secretary_name: str | None = None
    secretary_phone: str | None = None
    venue: str | None = None
    flagged: bool = False
    # The own cell of a kind=cell organization whose row the file left out: not exported.
    implied: bool = False


def assigned_on(day: date, start: date, end: date | None) -> bool:
    """Whether an assignment from START to END holds on DAY (both ends inclusive; None: open).

    The one definition of "assigned on that day": who may plan for or check in at a meeting,
    and who is told of it, all ask this of the meeting's local calendar day.
    """
    return start <= day and (end is None or day <= end)


@dataclass(frozen=True)
class Assignment:
    member: str
    organization: str
    duty: Duty
    start: date
    end: date | None = None  # inclusive; None = open

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.member, self.organization, self.start)


@dataclass(frozen=True)
class Meeting:
    cell: str
    starts_at: datetime  # aware
    venue: str | None = None
    kind: MeetingKind = "regular"


@dataclass
class Roster:
    members: list[Member] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)

    def sorted(self) -> Roster:
        """The same roster in a canonical order, so two rosters compare equal by value."""
        return Roster(
            members=sorted(self.members, key=lambda m: m.code),
            organizations=sorted(self.organizations, key=lambda o: o.code),
            cells=sorted(self.cells, key=lambda c: c.code),
            assignments=sorted(self.assignments, key=lambda a: a.key),
            meetings=sorted(self.meetings, key=lambda m: (m.cell, m.starts_at)),
        )
