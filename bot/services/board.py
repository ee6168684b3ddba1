"""What the office's board reads and does: one use case per page, on the same rules as the chat.

The quarter's figures come from quarter_coverage (the CLI's and the digest's); a decision on a
pending check-in is the one a secretary's tap makes in chat, telling the member the same way.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from bot.core.board import (
    PAGE_SIZE,
    BoardAdmin,
    BoardLists,
    BoardQuery,
    Page,
    board_lists,
    page_bounds,
    page_of,
)
from bot.core.board_records import (
    AssignmentLine,
    CellLine,
    MeetingLine,
    MemberProfile,
    OrganizationProfile,
    PendingLine,
    VisitLine,
)
from bot.core.checkins import CheckinAtCell
from bot.core.config import Config
from bot.core.coverage import (
    Amendment,
    OrganizationCoverage,
    PairStatus,
    QuarterCoverage,
    Status,
    coverage_for_quarter,
    coverage_of_pairs,
)
from bot.core.quarters import Quarter
from bot.services.agenda import Upcoming, upcoming_meetings
from bot.services.confirmations import Decided, NotDecided, decide_checkin
from bot.services.coverage import member_coverage, quarter_coverage, with_flags
from bot.services.identity import person_identity
from storage.store import Store

T = TypeVar("T")
VISITS_SHOWN = 100  # a member's or an organization's latest check-ins on their page
MEETINGS_AHEAD = timedelta(weeks=4)  # /meetings: the coming weeks
COMING_SHOWN = 200  # an organization's coming meetings on its page (its cells, monthly)
QUARTERS_PICKED = 12  # the quarter picker goes back three years at most


# The quarter's lists are kept for this many queries (filters, search, sort): paging, going
# back and reloading then take no work. Each is thousands of rows the collector walks.
LISTS_KEPT = 8


@dataclass
class CoverageCache:
    """The last quarter's coverage the board computed, kept while the record it was computed
    from stays as it was, and the lists of the last few queries of it: paging through 3,000
    organizations computes them once, not 60 times."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    key: tuple | None = None
    value: tuple[QuarterCoverage, dict[tuple[str, str], frozenset[str]]] | None = None
    lists: OrderedDict[tuple, BoardLists] = field(default_factory=OrderedDict)

    async def get(
        self, store: Store, config: Config, quarter: Quarter
    ) -> tuple[QuarterCoverage, dict[tuple[str, str], frozenset[str]]]:
        return (await self._current(store, config, quarter))[1]

    async def lists_of(
        self, store: Store, config: Config, quarter: Quarter, query: BoardQuery
    ) -> tuple[QuarterCoverage, BoardLists]:
        """The quarter's coverage, and the lists QUERY asks of it (whatever its page)."""
        key, (coverage, duties) = await self._current(store, config, quarter)
        asked = (key, replace(query, page=1))
        found = self.lists.get(asked)
        if found is None:
            # Thousands of rows filtered and sorted: off the event loop, as the coverage rule is.
            found = await asyncio.to_thread(board_lists, coverage, duties, query)
            self.lists[asked] = found
            while len(self.lists) > LISTS_KEPT:
                self.lists.popitem(last=False)
        self.lists.move_to_end(asked)
        return coverage, found

    async def _current(
        self, store: Store, config: Config, quarter: Quarter
    ) -> tuple[tuple, tuple[QuarterCoverage, dict[tuple[str, str], frozenset[str]]]]:
        # One at a time: requests that arrive together wait for the first, then share it.
        async with self.lock:
            key = (quarter, await store.board.record_version())
            if self.key != key or self.value is None:
                coverage = await quarter_coverage(store, config, quarter)
                duties = await store.board.duties(quarter.start, quarter.end)
                self.key, self.value = key, (coverage, duties)
                self.lists.clear()
            return key, self.value


@dataclass(frozen=True)
class QuarterBoard:
    quarter: Quarter
    totals: dict[str, int]  # the whole quarter's, as `coverage --format json`
    rows: Page  # of MemberRow or OrganizationRow, as the query's view asks
    members: int  # how many members, and organizations, the query's filters leave
    organizations: int
    closed_at: datetime | None = None  # closed: its figures are the frozen ones
    amendments: tuple[Amendment, ...] = ()  # made since it was closed, in their order


async def quarter_board(
    store: Store, config: Config, quarter: Quarter, query: BoardQuery, cache: CoverageCache
) -> QuarterBoard:
    coverage, lists = await cache.lists_of(store, config, quarter, query)
    rows = lists.members if query.view == "members" else lists.organizations
    return QuarterBoard(
        quarter,
        dict(coverage.totals),
        page_of(rows, query.page),
        len(lists.members),
        len(lists.organizations),
        coverage.closed_at,
        tuple(coverage.amendments),
    )


def quarters_to_pick(first_day: date | None, now: datetime, tz: ZoneInfo) -> list[Quarter]:
    """The quarters the record covers, newest first: from the first assignment's to NOW's."""
    current = Quarter.at(now, tz)
    first = Quarter.of(first_day) if first_day else current
    quarters = [current]
    while quarters[-1] > first and len(quarters) < QUARTERS_PICKED:
        quarters.append(quarters[-1].previous())
    return quarters


async def quarters_known(store: Store, config: Config, now: datetime) -> list[Quarter]:
    return quarters_to_pick(await store.board.first_day(), now, config.committee.tz)


async def closed_quarters(store: Store, quarters: list[Quarter]) -> set[Quarter]:
    """Those of QUARTERS that are closed (the picker marks them)."""
    return {quarter for quarter in quarters if await store.closing.closed(quarter) is not None}


# -- a member, an organization ---------------------------------------------------------------


@dataclass(frozen=True)
class MemberPage:
    member: MemberProfile
    quarter: Quarter
    pairs: list[PairStatus]  # the quarter's required organizations and how each stands
    organization_names: dict[str, str]
    assignments: list[AssignmentLine]
    visits: list[VisitLine]
    coming: list[Upcoming]


async def member_page(
    store: Store, config: Config, code: str, quarter: Quarter, now: datetime
) -> MemberPage | None:
    member = await store.board.member(code)
    if member is None:
        return None
    pairs, names, _ = await member_coverage(store, config, quarter, code)
    coming = await upcoming_meetings(store, config, code, now) if member.active else []
    return MemberPage(
        member,
        quarter,
        pairs,
        names,
        await store.board.assignments_of_member(code),
        await store.board.visits_of_member(code, VISITS_SHOWN),
        coming,
    )


@dataclass(frozen=True)
class OrganizationPage:
    organization: OrganizationProfile
    quarter: Quarter
    coverage: OrganizationCoverage | None  # None: no longer on the roster
    required: list[tuple[str, str, Status]]  # (code, name, status) of the members required
    cells: list[CellLine]
    assignments: list[AssignmentLine]
    visits: list[VisitLine]
    coming: list[MeetingLine]


async def organization_page(
    store: Store, config: Config, code: str, quarter: Quarter, now: datetime
) -> OrganizationPage | None:
    organization = await store.board.organization(code)
    if organization is None:
        return None
    coverage, required = await organization_coverage(store, config, quarter, code)
    coming = await store.board.meetings(
        now, now + MEETINGS_AHEAD, offset=0, limit=COMING_SHOWN, organization_code=code
    )
    return OrganizationPage(
        organization,
        quarter,
        coverage,
        required,
        await store.board.cells_of(code),
        await store.board.assignments_at(code),
        await store.board.visits_at(code, VISITS_SHOWN),
        coming,
    )


async def organization_coverage(
    store: Store, config: Config, quarter: Quarter, code: str
) -> tuple[OrganizationCoverage | None, list[tuple[str, str, Status]]]:
    """quarter_coverage's part for one organization, and (code, name, status) of each member
    required there: the rule on its own assignments and visits only (as member_coverage does
    for a member)."""
    if await store.closing.closed(quarter) is not None:
        return await _closed_organization_coverage(store, config, quarter, code)
    tz = config.committee.tz
    start, end = quarter.utc_bounds(tz)
    roster = await store.coverage.roster_shape(quarter.start, quarter.end)
    organizations = [org for org in roster.organizations if org.code == code]
    if not organizations:
        return None, []
    # The quarter's flagged cells, as quarter_coverage counts them (a roster's own flags are
    # today's only).
    organizations = await with_flags(store, quarter, tz, organizations)
    assignments = [a for a in roster.assignments if a.organization == code]
    coverage = coverage_for_quarter(
        quarter,
        tz,
        members={a.member: roster.members.get(a.member, a.member) for a in assignments},
        organizations=organizations,
        assignments=assignments,
        visits=await store.board.coverage_visits_at(code, start, end),
        minimum_overlap_days=config.coverage.minimum_overlap_days,
    )
    required = [(m.code, m.name, pair.status) for m in coverage.members for pair in m.organizations]
    return coverage.organizations[0], required


async def _closed_organization_coverage(
    store: Store, config: Config, quarter: Quarter, code: str
) -> tuple[OrganizationCoverage | None, list[tuple[str, str, Status]]]:
    """organization_coverage of a closed quarter: from its frozen figures."""
    frozen = await store.closing.frozen(quarter)
    organizations = [org for org in frozen.organizations if org.code == code]
    if not organizations:
        return None, []
    visits = await store.closing.frozen_visits(quarter, organization=code)
    assigned = {pair for pair in frozen.assigned if pair[1] == code}
    coverage = coverage_of_pairs(
        quarter,
        config.committee.tz,
        members={m: frozen.members.get(m, m) for m, _ in assigned},
        organizations=organizations,
        required={pair for pair in frozen.required if pair[1] == code},
        assigned=assigned,
        visits=[v.visit for v in visits],
    )
    required = [(m.code, m.name, pair.status) for m in coverage.members for pair in m.organizations]
    return coverage.organizations[0], required


# -- pending check-ins -----------------------------------------------------------------------


async def pending_page(store: Store, number: int) -> Page[PendingLine]:
    """A page of the pending check-ins, flagged cells first, then the oldest."""
    total = await store.board.pending_count()
    return await _page(total, number, lambda offset: store.board.pending(offset, PAGE_SIZE))


async def _page(total: int, number: int, read: Callable[[int], Awaitable[list[T]]]) -> Page[T]:
    """Page NUMBER of TOTAL items, READ from the store from an offset."""
    number, pages, offset = page_bounds(total, number)
    return Page(await read(offset), number, pages, total)


DecisionOutcome = Literal["decided", "already", "not_found", "own"]


@dataclass(frozen=True)
class BoardDecision:
    outcome: DecisionOutcome
    checkin: CheckinAtCell | None = None
    member_told: bool = False  # decided, and the member's message queued to a reachable chat


async def decide_pending(
    store: Store,
    config: Config,
    admin: BoardAdmin,
    checkin_id: int,
    status: Literal["confirmed", "denied"],
    now: datetime,
) -> BoardDecision:
    """Confirm or deny a pending check-in as the admin, exactly as a tap in chat does
    (bot.services.confirmations): recorded with them and the channel "web", never their own,
    and the member told in the same transaction."""
    who = await person_identity(store, config, admin.person_id)
    if who is None or not who.is_admin:
        return BoardDecision("not_found")
    outcome = await decide_checkin(store, config, who, checkin_id, status, now, "web")
    if isinstance(outcome, Decided):
        checkin = await store.checkins.at_cell(checkin_id)
        return BoardDecision("decided", checkin, member_told=outcome.member_told)
    if isinstance(outcome, NotDecided):
        return BoardDecision("already", outcome.checkin)
    return BoardDecision(outcome, await store.checkins.at_cell(checkin_id))


async def checkin_shown(store: Store, checkin_id: int) -> CheckinAtCell | None:
    return await store.checkins.at_cell(checkin_id)


# -- coming meetings -------------------------------------------------------------------------


async def meetings_page(
    store: Store, now: datetime, *, flagged_only: bool, planned_only: bool, number: int
) -> Page[MeetingLine]:
    """A page of the meetings of the coming weeks, by time."""
    end = now + MEETINGS_AHEAD
    total = await store.board.meetings_count(
        now, end, flagged_only=flagged_only, planned_only=planned_only
    )
    number, pages, offset = page_bounds(total, number)
    lines = await store.board.meetings(
        now,
        end,
        flagged_only=flagged_only,
        planned_only=planned_only,
        offset=offset,
        limit=PAGE_SIZE,
    )
    return Page(lines, number, pages, total)
