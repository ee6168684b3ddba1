"""Coverage of a quarter, read from the store."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from datetime import date
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.core.closing import ClosedQuarter, FrozenQuarter
from bot.core.config import Config
from bot.core.coverage import (
    OrganizationInfo,
    PairStatus,
    QuarterCoverage,
    Visit,
    coverage_for_quarter,
    coverage_of_pairs,
    required_pairs,
    tally_visits,
)
from bot.core.quarters import Quarter
from bot.core.roster import assigned_on
from storage.store import Store


async def quarter_coverage(store: Store, config: Config, quarter: Quarter) -> QuarterCoverage:
    # A city's quarter builds tens of thousands of visits and as many pairs, all kept: the
    # cyclic garbage collector would walk them (and the rest of the heap) several times over
    # for nothing while they are made.
    with collection_paused():
        return await _quarter_coverage(store, config, quarter)


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (reference counting still frees as usual)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


async def _quarter_coverage(store: Store, config: Config, quarter: Quarter) -> QuarterCoverage:
    closed = await store.closing.closed(quarter)
    if closed is not None:
        return await _closed_coverage(store, config, closed)
    tz = config.committee.tz
    start, end = quarter.utc_bounds(tz)
    roster = await store.coverage.roster_shape(quarter.start, quarter.end)
    visits = await store.coverage.visits_between(start, end, roster.off_roster)
    # A city's quarter is a tenth of a second of pure Python: on a thread, so that the loop
    # keeps answering the chat meanwhile (it gets the GIL back at every switch interval).
    return await asyncio.to_thread(
        coverage_for_quarter,
        quarter,
        tz,
        members=roster.members,
        organizations=await with_flags(store, quarter, tz, roster.organizations),
        assignments=roster.assignments,
        visits=visits,
        minimum_overlap_days=config.coverage.minimum_overlap_days,
    )


async def _closed_coverage(store: Store, config: Config, closed: ClosedQuarter) -> QuarterCoverage:
    """A closed quarter's coverage: the rule on its frozen inputs, its check-ins amended; with
    when it was closed and its amendments."""
    tz, quarter = config.committee.tz, closed.quarter
    frozen = await store.closing.frozen(quarter)
    visits = await store.closing.frozen_visits(quarter)
    coverage = await frozen_coverage(quarter, tz, frozen, [v.visit for v in visits])
    amendments = await store.closing.amendments_of(quarter)
    return dataclasses.replace(
        coverage,
        closed_at=closed.closed_at.astimezone(tz),
        amendments=tuple(a._replace(at=a.at.astimezone(tz)) for a in amendments),
    )


async def frozen_coverage(
    quarter: Quarter, tz: ZoneInfo, frozen: FrozenQuarter, visits: list[Visit]
) -> QuarterCoverage:
    """The rule on a closed QUARTER's inputs (FROZEN, VISITS), off the event loop."""
    return await asyncio.to_thread(
        coverage_of_pairs,
        quarter,
        tz,
        members=frozen.members,
        organizations=frozen.organizations,
        required=frozen.required,
        assigned=frozen.assigned,
        visits=visits,
    )


async def with_flags(
    store: Store, quarter: Quarter, tz: ZoneInfo, organizations: list[OrganizationInfo]
) -> list[OrganizationInfo]:
    """ORGANIZATIONS with the cells flagged at some time inside QUARTER."""
    start, end = quarter.utc_bounds(tz)
    flagged = await store.coverage.flagged_cells(quarter.start, quarter.end, start, end)
    return [
        org._replace(flagged_cells=flagged[org.code]) if org.code in flagged else org
        for org in organizations
    ]


async def still_assigned(
    store: Store, config: Config, quarter: Quarter, day: date
) -> set[tuple[str, str]]:
    """(member, organization) pairs with an assignment that holds on some day from DAY to the
    quarter's end: those a member can still cover (an ended one counts, and cannot)."""
    roster = await store.coverage.roster_shape(quarter.start, quarter.end)
    return {
        (a.member, a.organization)
        for a in roster.assignments
        if (first := max(day, a.start)) <= quarter.end and assigned_on(first, a.start, a.end)
    }


class MemberQuarter(NamedTuple):
    pairs: list[PairStatus]  # the member's required organizations, with their status
    names: dict[str, str]  # organization code -> name, for those
    # Every organization the member covered in the quarter, required there or not.
    covered: frozenset[str]


async def member_coverage(
    store: Store, config: Config, quarter: Quarter, member_code: str
) -> MemberQuarter:
    """The member's own part of quarter_coverage: what /status and /meetings need.

    A pair's status depends only on that member's assignments and visits, so the rule runs on
    those alone, not on the whole district's (a city's tens of thousands of visits at every command).
    """
    if await store.closing.closed(quarter) is not None:
        return await _closed_member_coverage(store, config, quarter, member_code)
    tz = config.committee.tz
    start, end = quarter.utc_bounds(tz)
    # Once the roster has changed, the whole roster's shape is read again: thousands of rows
    # made objects at once, which set the cyclic collector walking the whole heap in the
    # middle of this member's reply (bench/heavy.py caught a /status waiting on it).
    with collection_paused():
        roster = await store.member_coverage.roster_shape(quarter.start, quarter.end)
    assignments = [a for a in roster.assignments if a.member == member_code]
    codes = {a.organization for a in assignments}
    visits = await store.member_coverage.visits_of_member(
        member_code, start, end, roster.off_roster
    )
    return _member_quarter(
        quarter,
        tz,
        member_code,
        roster.members.get(member_code),
        [org for org in roster.organizations if org.code in codes],
        required_pairs(quarter, assignments, config.coverage.minimum_overlap_days),
        required_pairs(quarter, assignments, 1),
        visits,
    )


async def _closed_member_coverage(
    store: Store, config: Config, quarter: Quarter, member_code: str
) -> MemberQuarter:
    """member_coverage of a closed quarter: from its frozen figures."""
    frozen = await store.closing.frozen(quarter)
    visits = await store.closing.frozen_visits(quarter, member=member_code)
    assigned = {pair for pair in frozen.assigned if pair[0] == member_code}
    codes = {organization for _, organization in assigned}
    return _member_quarter(
        quarter,
        config.committee.tz,
        member_code,
        frozen.members.get(member_code),
        [org for org in frozen.organizations if org.code in codes],
        {pair for pair in frozen.required if pair[0] == member_code},
        assigned,
        [v.visit for v in visits],
    )


def _member_quarter(
    quarter: Quarter,
    tz: ZoneInfo,
    member_code: str,
    name: str | None,
    organizations: list[OrganizationInfo],
    required: AbstractSet[tuple[str, str]],
    assigned: AbstractSet[tuple[str, str]],
    visits: list[Visit],
) -> MemberQuarter:
    """The rule on one member's pairs and visits."""
    coverage = coverage_of_pairs(
        quarter,
        tz,
        members={} if name is None else {member_code: name},
        organizations=organizations,
        required=required,
        assigned=assigned,
        visits=visits,
    )
    pairs = next((m.organizations for m in coverage.members if m.code == member_code), [])
    tally = tally_visits(quarter, tz, visits, assigned=set())
    covered = frozenset(
        v.organization for v in visits if tally.status((member_code, v.organization)) == "covered"
    )
    return MemberQuarter(pairs, {org.code: org.name for org in organizations}, covered)
