"""Deciding check-ins: the cell's secretary or an admin confirms or denies; an admin changes.

`decide_checkin` is the one way a decision is made, whatever the channel (a chat's button, the
office's board): it checks who may, records the decision with who made it and through which
channel, and tells the member, all in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.core.checkins import CheckinAtCell
from bot.core.closing import ClosedQuarter
from bot.core.config import Config
from bot.core.coverage import Amendment
from bot.core.decisions import (
    Decider,
    DeciderRole,
    Decision,
    DecisionRecord,
    judge,
    role_for,
)
from bot.core.quarters import Quarter
from bot.services.closing import amend
from bot.services.identity import Identity
from bot.services.notify import Phrase, notify
from storage.store import Store

# Check-ins shown per /confirm page: one message each, so a phone screen is not flooded.
PAGE = 10
DECISIONS: tuple[Decision, ...] = ("confirmed", "denied")


@dataclass(frozen=True)
class PendingPage:
    checkins: list[CheckinAtCell]
    waiting: int  # how many wait from the first of this page on (the page included)
    district: bool  # the whole district's (an admin), else the caller's cells'

    @property
    def more(self) -> int:
        """How many wait after this page."""
        return self.waiting - len(self.checkins)


async def pending_page(
    store: Store, who: Identity, after: int | None = None, size: int = PAGE
) -> PendingPage:
    """The check-ins WHO may decide, flagged cells first, then the longest waiting: SIZE of
    them from the one after the check-in AFTER (None: from the first). Never their own."""
    cells = None if who.is_admin else [cell.id for cell in who.cells]
    checkins, waiting = await store.checkins.pending_page(
        cell_ids=cells, not_of_person=who.person_id, after=after, limit=size
    )
    return PendingPage(checkins, waiting, who.is_admin)


@dataclass(frozen=True)
class MemberCheckins:
    """A member's check-ins at this quarter's meetings, each with its last decision."""

    name: str
    checkins: list[tuple[CheckinAtCell, DecisionRecord | None]]


async def member_checkins(
    store: Store, config: Config, member_code: str, quarter: Quarter
) -> MemberCheckins | None:
    """The member's check-ins at QUARTER's meetings (for an admin to decide or change); None
    when no member on the roster has that code."""
    person = await store.people.by_member_code(member_code)
    if person is None:
        return None
    start, end = quarter.utc_bounds(config.committee.tz)
    checkins = await store.checkins.of_member_between(member_code, start, end)
    return MemberCheckins(
        person.name,
        [(checkin, await store.decisions.last_of(checkin.id)) for checkin in checkins],
    )


def parse_checkin_id(data: str) -> int | None:
    """The id in "confirm:<id>" / "absent:<id>", else None."""
    _, _, tail = data.partition(":")
    return int(tail) if tail.isdigit() and len(tail) < 19 else None


def change_data(checkin_id: int, status: Decision) -> str:
    """The choice of an admin's deliberate change of a decision to STATUS."""
    return f"change-decision:{checkin_id}:{status}"


def parse_change(data: str) -> tuple[int, Decision] | None:
    """The check-in and the status of change_data's choice, else None (a forged one)."""
    _, _, tail = data.partition(":")
    checkin, _, status = tail.partition(":")
    checkin_id = parse_checkin_id(f":{checkin}")
    decision = next((d for d in DECISIONS if d == status), None)
    if checkin_id is None or decision is None:
        return None
    return checkin_id, decision


@dataclass(frozen=True)
class Decided:
    """The request decided the check-in (or changed its decision)."""

    checkin: CheckinAtCell  # as it was before
    decision: DecisionRecord
    member_told: bool
    amendment: Amendment | None = None  # the check-in's quarter was closed: what it amended


@dataclass(frozen=True)
class NotDecided:
    """Nothing changed; WHY says what the requester is told."""

    why: Literal["already", "offer_change", "ask_office", "closed"]
    checkin: CheckinAtCell  # as it is now
    last: DecisionRecord | None  # the decision it has, if any
    closed: ClosedQuarter | None = None  # the check-in's quarter, when it is closed


Refused = Literal["not_found", "own"]


async def decide_checkin(
    store: Store,
    config: Config,
    who: Identity,
    checkin_id: int,
    status: Decision,
    now: datetime,
    channel: str,
    *,
    change: bool = False,
) -> Decided | NotDecided | Refused:
    """WHO, through CHANNEL, gives the check-in the status STATUS: a first decision (its cell's
    secretary or an admin, never its author), or with CHANGE an admin's change of an earlier
    one. Once the check-in's quarter is closed, only an admin decides, and the decision is an
    amendment of its figures. The decision, its record, the amendment and the message to the
    member commit together.

    "not_found" also answers a check-in WHO may not decide: a forged button learns nothing.
    """
    async with store.transaction():
        checkin = await store.checkins.at_cell(checkin_id)
        if checkin is None:
            return "not_found"
        secretary = who.secretary_of(checkin.cell_id)
        closed = await store.closing.containing(checkin.meeting_starts_at)
        verdict = judge(
            own=checkin.member_person_id == who.person_id,
            admin=who.is_admin,
            secretary=secretary,
            current=checkin.status,
            wanted=status,
            change=change,
            closed=closed is not None,
        )
        if verdict == "own":
            return "own"
        if verdict == "not_allowed":
            return "not_found"
        if verdict not in ("decide", "change"):
            last = await store.decisions.last_of(checkin_id)
            return NotDecided(verdict, checkin, last, closed)
        role = role_for(verdict, secretary=secretary, closed=closed is not None)
        by = _decider(who, role, channel)
        decided = await store.checkins.decide(checkin_id, status, by, now, was=checkin.status)
        decision = await store.decisions.last_of(checkin_id)
        # The transaction holds the check-in since it was read: nobody decided it meanwhile.
        assert decision is not None and decision.id == decided
        amendment = None if closed is None else await amend(store, config, closed, decision)
        told = await _tell_member(store, config, checkin, decision, now)
    return Decided(checkin, decision, told, amendment)


def _decider(who: Identity, role: DeciderRole, channel: str) -> Decider:
    code = who.member.code if who.member is not None else who.phone
    return Decider(who.person_id, code, who.name, role, channel)


async def _tell_member(
    store: Store, config: Config, checkin: CheckinAtCell, decision: DecisionRecord, now: datetime
) -> bool:
    kind = "changed" if decision.is_change else "told"
    return await notify(
        store,
        config,
        checkin.member_person_id,
        f"confirm.{kind}_{decision.status}",
        dedupe=f"decided:checkin={checkin.id}:decision={decision.id}",
        now=now,
        by=Phrase(f"confirm.role_{decision.role}"),
        cell=checkin.cell_name,
        meeting=checkin.meeting_starts_at,
    )
