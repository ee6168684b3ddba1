"""Closing a quarter (chốt số liệu), and the amendments of a closed one.

`close_quarter` freezes a quarter's figures in one transaction: the coverage rule's inputs as
the record holds them then (who the roster listed, who was required and assigned where, every
check-in with its status, names as they were). Read back, they give the same figures, and no
roster change touches them. `amend` records a later decision on one of its check-ins.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from bot.core.closing import ClosedBy, ClosedQuarter, FrozenQuarter, closable_from
from bot.core.config import Config
from bot.core.coverage import (
    Amendment,
    QuarterCoverage,
    Visit,
    required_pairs,
    tally_visits,
)
from bot.core.decisions import DecisionRecord
from bot.core.quarters import Quarter
from bot.services.coverage import collection_paused, frozen_coverage, with_flags
from storage.closing import CheckinToFreeze, FrozenPair
from storage.store import Store

log = logging.getLogger(__name__)

# A pair's status when closed, and the status of the check-in it came from (missed: none).
_CAME_FROM = {"covered": "confirmed", "pending": "pending"}


@dataclass(frozen=True)
class Closed:
    """The quarter was closed now; COVERAGE is its frozen figures."""

    closed: ClosedQuarter
    coverage: QuarterCoverage


@dataclass(frozen=True)
class AlreadyClosed:
    closed: ClosedQuarter


@dataclass(frozen=True)
class NotYet:
    """The quarter may be closed from CLOSABLE_FROM on, not before."""

    quarter: Quarter
    closable_from: datetime


async def close_quarter(
    store: Store, config: Config, quarter: Quarter, now: datetime, by: ClosedBy
) -> Closed | AlreadyClosed | NotYet:
    """Freeze QUARTER's figures as they are at NOW, once: the first to close it does.

    Read and written in one transaction: nothing changes the record in between, and two
    processes closing at once close it once.
    """
    tz = config.committee.tz
    opens = closable_from(quarter, tz, config.reminders.checkin_closes_after)
    if now < opens:
        return NotYet(quarter, opens)
    with collection_paused():
        async with store.closing.transaction():
            done = await store.closing.closed(quarter)
            if done is not None:
                return AlreadyClosed(done)
            frozen, checkins, off_roster = await _record(store, config, quarter)
            visits = [_visit(checkin, off_roster) for checkin in checkins]
            coverage = await frozen_coverage(quarter, tz, frozen, visits)
            closed = ClosedQuarter(quarter, now, by)
            pairs = _pairs(quarter, config, frozen, checkins, visits)
            bounds = quarter.utc_bounds(tz)
            await store.closing.freeze(closed, bounds, frozen, pairs, checkins, off_roster)
    log.info("quarter %s closed (%s)", quarter, by)
    return Closed(closed, replace(coverage, closed_at=now.astimezone(tz)))


async def _record(
    store: Store, config: Config, quarter: Quarter
) -> tuple[FrozenQuarter, list[CheckinToFreeze], frozenset[int]]:
    """What QUARTER's coverage is computed from now, as quarter_coverage reads it; the
    check-ins (denied ones too); and the ids of the cells on the roster on none of its days."""
    tz = config.committee.tz
    start, end = quarter.utc_bounds(tz)
    roster = await store.coverage.roster_shape(quarter.start, quarter.end)
    organizations = await with_flags(store, quarter, tz, roster.organizations)
    flagged = [cell for org in organizations for cell in org.flagged_cells]
    members = roster.members
    positions = await store.digest.member_positions()
    kinds = await store.digest.organization_kinds()
    frozen = FrozenQuarter(
        members=dict(members),
        positions={code: positions[code] for code in members if code in positions},
        organizations=organizations,
        kinds={org.code: kinds[org.code] for org in organizations if org.code in kinds},
        flagged_cell_names=await store.digest.cell_names(flagged),
        required=frozenset(
            required_pairs(quarter, roster.assignments, config.coverage.minimum_overlap_days)
        ),
        assigned=frozenset(required_pairs(quarter, roster.assignments, 1)),
    )
    checkins = await store.closing.checkins_to_freeze(start, end)
    return frozen, checkins, roster.off_roster


def _visit(checkin: CheckinToFreeze, off_roster: frozenset[int]) -> Visit:
    """The check-in as the coverage rule reads it (store.coverage.visits_between's)."""
    cell = None if checkin.cell_id in off_roster else checkin.cell
    return Visit(checkin.member, checkin.organization, cell, checkin.meeting_at, checkin.status)


def _pairs(
    quarter: Quarter,
    config: Config,
    frozen: FrozenQuarter,
    checkins: list[CheckinToFreeze],
    visits: list[Visit],
) -> list[FrozenPair]:
    """Every assigned pair with its status and the check-in that status came from: the first
    confirmed one (covered), else the first pending one."""
    tally = tally_visits(quarter, config.committee.tz, visits, frozen.assigned)
    first: dict[tuple[tuple[str, str], str], int] = {}
    for checkin in sorted(checkins, key=lambda c: (c.meeting_at, c.checkin_id)):
        first.setdefault(
            ((checkin.member, checkin.organization), checkin.status), checkin.checkin_id
        )
    pairs = []
    for pair in sorted(frozen.assigned):
        status = tally.status(pair)
        came_from = _CAME_FROM.get(status)
        pairs.append(
            FrozenPair(
                *pair,
                pair in frozen.required,
                status,
                None if came_from is None else first[pair, came_from],
            )
        )
    return pairs


async def amend(
    store: Store, config: Config, closed: ClosedQuarter, decision: DecisionRecord
) -> Amendment | None:
    """Record DECISION, on a check-in of the closed quarter, as its amendment: the status of the
    check-in's pair before and after it. In the caller's transaction, with the decision.

    None: the closing did not see the check-in (it cannot have: a quarter is closed only once
    no check-in of it can be made), so its figures do not count it either.
    """
    quarter, tz = closed.quarter, config.committee.tz
    visits = await store.closing.pair_visits(quarter, decision.checkin_id)
    if not visits:
        log.warning("check-in %d of closed %s was not frozen", decision.checkin_id, quarter)
        return None
    this = next(v.visit for v in visits if v.checkin_id == decision.checkin_id)
    pair = (this.member, this.organization)
    before = tally_visits(quarter, tz, [v.visit for v in visits], set()).status(pair)
    after_visits = [
        v.visit._replace(status=decision.status) if v.checkin_id == decision.checkin_id else v.visit
        for v in visits
    ]
    after = tally_visits(quarter, tz, after_visits, set()).status(pair)
    await store.closing.amend(quarter, decision.id, decision.checkin_id, before, after)
    return Amendment(
        quarter, *pair, before, after, decision.by_code or "", decision.by_name or "", decision.at
    )
