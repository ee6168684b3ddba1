"""Closed quarters: their frozen figures (migration 0012), written once, and their amendments.

The closing reads the quarter's record with the queries the live coverage uses, plus the
check-ins with their names (`checkins_to_freeze`), and writes it with `freeze` in the same
transaction. From then on `frozen` gives the rule its inputs from these tables alone: each
check-in's status is the one it had when closed, or the one of its latest amendment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any, NamedTuple

from bot.core.closing import ClosedQuarter, FrozenQuarter, FrozenVisit
from bot.core.coverage import Amendment, OrganizationInfo, Status, Visit
from bot.core.quarters import Quarter
from storage.db import Database
from storage.timefmt import from_db, to_db


def in_closed_quarter(checkin: str = "ch") -> str:
    """SQL: whether the check-in aliased CHECKIN is at a meeting of a closed quarter."""
    return (
        "EXISTS (SELECT 1 FROM closed_quarters q"
        f" WHERE q.starts_at <= {checkin}.meeting_starts_at"
        f" AND {checkin}.meeting_starts_at < q.ends_at)"
    )


class CheckinToFreeze(NamedTuple):
    checkin_id: int
    member: str
    organization: str
    cell_id: int
    cell: str
    cell_name: str
    meeting_at: datetime
    status: str


class FrozenPair(NamedTuple):
    """A (member, organization) pair of a closed quarter as it stood when closed."""

    member: str
    organization: str
    required: bool
    status: Status
    checkin_id: int | None  # the check-in its status came from; None: missed


def amended_status(visit: str = "v") -> str:
    """SQL: the status the check-in of closed_visits aliased VISIT has now: its latest
    amendment's, else the one it was closed with."""
    return (
        "coalesce((SELECT d.status FROM amendments a JOIN decisions d ON d.id = a.decision_id"
        f" WHERE a.checkin_id = {visit}.checkin_id AND a.quarter = {visit}.quarter"
        f" ORDER BY a.decision_id DESC LIMIT 1), {visit}.status)"
    )


_VISIT = (
    f"v.checkin_id, v.member, v.organization, v.cell, v.counted, v.meeting_at, {amended_status()}"
)
_AMENDMENT = (
    "SELECT a.quarter, v.member, v.organization, a.before, a.after, coalesce(d.by_code, ''),"
    " coalesce(d.by_name, ''), d.decided_at FROM amendments a"
    " JOIN decisions d ON d.id = a.decision_id"
    " JOIN closed_visits v ON v.quarter = a.quarter AND v.checkin_id = a.checkin_id"
)


class ClosingRepository:
    def __init__(self, db: Database):
        self.db = db  # point lookups, in place
        self.bulk = db.threaded  # a quarter's rows, on the worker thread

    def transaction(self):
        """The closing's transaction: its BEGIN and COMMIT (of a quarter's rows) on the worker."""
        return self.bulk.transaction()

    async def closed(self, quarter: Quarter) -> ClosedQuarter | None:
        row = await self.db.fetchone(
            "SELECT quarter, closed_at, closed_by FROM closed_quarters WHERE quarter = ?",
            (str(quarter),),
        )
        return row and _closed(row)

    async def containing(self, instant: datetime) -> ClosedQuarter | None:
        """The closed quarter INSTANT (a meeting's start) falls in, if any."""
        at = to_db(instant)
        row = await self.db.fetchone(
            "SELECT quarter, closed_at, closed_by, ends_at FROM closed_quarters"
            " WHERE starts_at <= ? ORDER BY starts_at DESC LIMIT 1",
            (at,),
        )
        return _closed(row) if row is not None and at < row[3] else None

    async def closed_since(self, since: datetime) -> list[ClosedQuarter]:
        """Quarters closed at SINCE or later, in the order they were."""
        rows = await self.db.fetchall(
            "SELECT quarter, closed_at, closed_by FROM closed_quarters WHERE closed_at >= ?"
            " ORDER BY closed_at",
            (to_db(since),),
        )
        return [_closed(row) for row in rows]

    # -- closing -------------------------------------------------------------------------------

    async def checkins_to_freeze(self, start: datetime, end: datetime) -> list[CheckinToFreeze]:
        """Every check-in at a meeting starting in [START, END), denied ones too, with the codes
        and the cell's name it carries."""
        rows = await self.bulk.fetchall(
            "SELECT ch.id, m.code, o.code, ch.cell_id, ch.cell_code, c.name,"
            " ch.meeting_starts_at, ch.status FROM checkins ch"
            " CROSS JOIN cells c ON c.id = ch.cell_id"
            " JOIN members m ON m.id = ch.member_id"
            " JOIN organizations o ON o.id = ch.organization_id"
            " WHERE ch.meeting_starts_at >= ? AND ch.meeting_starts_at < ?",
            (to_db(start), to_db(end)),
        )
        return [CheckinToFreeze(*row[:6], from_db(row[6]), row[7]) for row in rows]

    async def freeze(
        self,
        closed: ClosedQuarter,
        bounds: tuple[datetime, datetime],
        frozen: FrozenQuarter,
        pairs: Iterable[FrozenPair],
        checkins: Iterable[CheckinToFreeze],
        off_roster: AbstractSet[int],
    ) -> None:
        """Write the closed quarter's figures; CHECKINS are its check-ins, those at a cell in
        OFF_ROSTER (ids) not counted among its organization's cells. In the caller's
        transaction."""
        quarter = str(closed.quarter)
        await self.bulk.execute(
            "INSERT INTO closed_quarters (quarter, starts_at, ends_at, closed_at, closed_by)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                quarter,
                to_db(bounds[0]),
                to_db(bounds[1]),
                to_db(closed.closed_at),
                closed.closed_by,
            ),
        )
        await self.bulk.executemany(
            "INSERT INTO closed_members (quarter, code, name, position) VALUES (?, ?, ?, ?)",
            [
                (quarter, code, name, frozen.positions.get(code, ""))
                for code, name in frozen.members.items()
            ],
        )
        await self.bulk.executemany(
            "INSERT INTO closed_organizations (quarter, code, name, kind, cells)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (quarter, o.code, o.name, frozen.kinds.get(o.code, ""), o.cells)
                for o in frozen.organizations
            ],
        )
        await self.bulk.executemany(
            "INSERT INTO closed_flagged_cells (quarter, cell, organization, name)"
            " VALUES (?, ?, ?, ?)",
            [
                (quarter, cell, o.code, frozen.flagged_cell_names.get(cell, ""))
                for o in frozen.organizations
                for cell in o.flagged_cells
            ],
        )
        await self.bulk.executemany(
            "INSERT INTO closed_pairs (quarter, member, organization, required, status,"
            " checkin_id) VALUES (?, ?, ?, ?, ?, ?)",
            [(quarter, p.member, p.organization, int(p.required), *p[3:]) for p in pairs],
        )
        members, organizations = frozen.members, {o.code: o.name for o in frozen.organizations}
        await self.bulk.executemany(
            "INSERT INTO closed_visits (quarter, checkin_id, member, member_name, organization,"
            " organization_name, cell, cell_name, counted, meeting_at, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    quarter,
                    c.checkin_id,
                    c.member,
                    members.get(c.member, c.member),
                    c.organization,
                    organizations.get(c.organization, c.organization),
                    c.cell,
                    c.cell_name,
                    int(c.cell_id not in off_roster),
                    to_db(c.meeting_at),
                    c.status,
                )
                for c in checkins
            ],
        )

    # -- a closed quarter's figures ------------------------------------------------------------

    async def frozen(self, quarter: Quarter) -> FrozenQuarter:
        """The rule's inputs for the closed QUARTER but its check-ins (frozen_visits)."""
        q = (str(quarter),)
        members = await self.bulk.fetchall(
            "SELECT code, name, position FROM closed_members WHERE quarter = ?", q
        )
        flagged: dict[str, list[str]] = {}
        names = {}
        for cell, organization, name in await self.bulk.fetchall(
            "SELECT cell, organization, name FROM closed_flagged_cells WHERE quarter = ?"
            " ORDER BY cell",
            q,
        ):
            flagged.setdefault(organization, []).append(cell)
            names[cell] = name
        organizations = await self.bulk.fetchall(
            "SELECT code, name, kind, cells FROM closed_organizations WHERE quarter = ?", q
        )
        pairs = await self.bulk.fetchall(
            "SELECT member, organization, required FROM closed_pairs WHERE quarter = ?", q
        )
        return FrozenQuarter(
            members={code: name for code, name, _ in members},
            positions={code: position for code, _, position in members},
            organizations=[
                OrganizationInfo(code, name, cells, tuple(flagged.get(code, ())))
                for code, name, _, cells in organizations
            ],
            kinds={code: kind for code, _, kind, _ in organizations},
            flagged_cell_names=names,
            required=frozenset((m, o) for m, o, required in pairs if required),
            assigned=frozenset((m, o) for m, o, _ in pairs),
        )

    async def frozen_visits(
        self, quarter: Quarter, *, member: str | None = None, organization: str | None = None
    ) -> list[FrozenVisit]:
        """Every check-in of the closed QUARTER (or only MEMBER's, or at ORGANIZATION), amended."""
        rows = await self.bulk.fetchall(
            f"SELECT {_VISIT} FROM closed_visits v WHERE v.quarter = ?"
            " AND coalesce(v.member = ?, 1) AND coalesce(v.organization = ?, 1)",
            (str(quarter), member, organization),
        )
        return [_frozen_visit(row) for row in rows]

    async def pair_visits(self, quarter: Quarter, checkin_id: int) -> list[FrozenVisit]:
        """The closed QUARTER's check-ins by the member of CHECKIN_ID at its organization (it
        among them), amended; none if the closing did not see it."""
        rows = await self.db.fetchall(
            f"SELECT {_VISIT} FROM closed_visits v JOIN closed_visits this"
            " ON this.quarter = v.quarter AND this.member = v.member"
            " AND this.organization = v.organization"
            " WHERE this.quarter = ? AND this.checkin_id = ?",
            (str(quarter), checkin_id),
        )
        return [_frozen_visit(row) for row in rows]

    # -- amendments ----------------------------------------------------------------------------

    async def amend(
        self, quarter: Quarter, decision_id: int, checkin_id: int, before: Status, after: Status
    ) -> None:
        """Record the decision DECISION_ID as an amendment of QUARTER: BEFORE and AFTER are its
        pair's statuses. In the caller's transaction, with the decision."""
        await self.db.execute(
            "INSERT INTO amendments (decision_id, quarter, checkin_id, before, after)"
            " VALUES (?, ?, ?, ?, ?)",
            (decision_id, str(quarter), checkin_id, before, after),
        )

    async def amendments_of(self, quarter: Quarter) -> list[Amendment]:
        """The amendments of QUARTER, oldest first."""
        rows = await self.db.fetchall(
            _AMENDMENT + " WHERE a.quarter = ? ORDER BY a.decision_id", (str(quarter),)
        )
        return [_amendment(row) for row in rows]

    async def amendments_made_between(self, start: datetime, end: datetime) -> list[Amendment]:
        """The amendments made in [START, END), to any quarter, oldest first."""
        rows = await self.db.fetchall(
            _AMENDMENT + " WHERE d.decided_at >= ? AND d.decided_at < ? ORDER BY a.decision_id",
            (to_db(start), to_db(end)),
        )
        return [_amendment(row) for row in rows]


def _closed(row: Sequence[Any]) -> ClosedQuarter:
    return ClosedQuarter(Quarter.parse(row[0]), from_db(row[1]), row[2])


def _frozen_visit(row: Sequence[Any]) -> FrozenVisit:
    checkin, member, organization, cell, counted, meeting_at, status = row
    return FrozenVisit(
        checkin, Visit(member, organization, cell if counted else None, from_db(meeting_at), status)
    )


def _amendment(row: Sequence[Any]) -> Amendment:
    quarter, *fields, at = row
    return Amendment(Quarter.parse(quarter), *fields, from_db(at))
