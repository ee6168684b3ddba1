"""Who decides a check-in, and a decision as the record keeps it: pure rules, no I/O.

The cell's secretary or an admin decides a pending check-in; never the person who checked in,
whatever other roles they hold. Once decided, only an admin changes it; once its quarter is
closed, only an admin decides it at all (an amendment of the closed figures). Every decision
and change is a new entry of the record, never a rewrite of an earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Decision = Literal["confirmed", "denied"]
DeciderRole = Literal["secretary", "admin"]
# Whether the bot can write to someone: linked on a channel and not blocked there.
Reach = Literal["reachable", "not_linked", "blocked"]
# Why a check-in goes to the office instead of its cell's secretary.
OfficeReason = Literal["own", "no_secretary", "not_linked", "blocked"]
OFFICE_REASONS: tuple[OfficeReason, ...] = ("own", "no_secretary", "not_linked", "blocked")


@dataclass(frozen=True)
class Decider:
    """Who decides, as the record keeps them: as they were then, whatever the roster says later."""

    person_id: int
    code: str  # their member code, else their phone
    name: str
    role: DeciderRole
    channel: str  # telegram, zalo, terminal, cli, web


@dataclass(frozen=True)
class DecisionRecord:
    """One entry of a check-in's decisions: the first decision, or a later change."""

    id: int
    checkin_id: int
    status: Decision
    previous: str  # pending (a first decision), confirmed or denied (a change)
    # None: decided before decisions were recorded, by someone the check-in did not name.
    by_code: str | None
    by_name: str | None
    role: DeciderRole | None
    channel: str | None  # None: not recorded (before the log)
    at: datetime
    # Made after its quarter was closed: the status of the check-in's (member, organization)
    # pair before and after it (an amendment of the closed figures). Read by the audit only.
    amended: tuple[str, str] | None = None

    @property
    def is_change(self) -> bool:
        return self.previous != "pending"


# What a tap on Confirm / Absent (or on an admin's Change) does to a check-in:
#   decide        a pending check-in gets its first decision
#   change        an admin changes a decided one, on purpose
#   already       it already has the status asked for: nothing to do
#   offer_change  an admin tapped an old Confirm / Absent on a decided one: ask first
#   ask_office    a secretary may not change a decision once made
#   own           nobody decides their own check-in
#   not_allowed   neither the cell's secretary nor an admin
#   closed        the check-in's quarter is closed: only an admin decides (an amendment)
Verdict = Literal[
    "decide", "change", "already", "offer_change", "ask_office", "own", "not_allowed", "closed"
]


def judge(
    *,
    own: bool,
    admin: bool,
    secretary: bool,
    current: str,
    wanted: Decision,
    change: bool,
    closed: bool = False,
) -> Verdict:
    """The verdict on a request to give a check-in whose status is CURRENT the status WANTED.

    OWN: the requester made the check-in; SECRETARY: of its cell; CHANGE: the request is an
    admin's deliberate change, not a Confirm / Absent button that may be old; CLOSED: the
    check-in's quarter is closed.
    """
    if own:
        return "own"
    if not (admin or secretary):
        return "not_allowed"
    if closed and not admin:
        return "closed"
    if current == wanted:
        return "already"
    if current == "pending":
        return "decide"
    if not admin:
        return "ask_office"
    return "change" if change else "offer_change"


def role_for(verdict: Verdict, *, secretary: bool, closed: bool = False) -> DeciderRole:
    """The role a decision is recorded under: a change, or any decision once the quarter is
    closed, is always the office's."""
    return "secretary" if verdict == "decide" and secretary and not closed else "admin"


def who_is_asked(
    author_person_id: int, secretary_id: int | None, secretary_reach: Reach | None
) -> OfficeReason | None:
    """Why a new check-in goes to the office, or None when its cell's secretary is asked."""
    if secretary_id is None:
        return "no_secretary"
    if secretary_id == author_person_id:
        return "own"
    if secretary_reach != "reachable":
        return "blocked" if secretary_reach == "blocked" else "not_linked"
    return None


@dataclass(frozen=True)
class AuditedCheckin:
    """A check-in of a quarter with every decision on it, for the record (checkin-bot audit)."""

    id: int
    meeting_at: datetime
    member_code: str
    member_name: str
    organization_code: str
    cell_code: str
    cell_name: str
    checked_in_at: datetime
    status: str  # pending, confirmed, denied: the last decision's, or pending
    decisions: tuple[DecisionRecord, ...]  # first to last
