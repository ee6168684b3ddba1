"""The roster aggregate in SQLite: apply a whole roster as a diff, and read it back.

Codes are the identity. Applying writes only what differs, so applying the same roster twice
changes nothing. What a roster leaves out keeps its history (migration 0007): members,
organizations and cells are retired from the day of the import and still count for the days
they were on the roster; an assignment that has begun is ended the day before the import (one
that has not begun is deleted); meetings are never deleted by an import, since secretaries also
set them in chat. The file's flagged column is each cell's flag now: yes raises it, no clears
it, whoever raised it.

An import reads the stored roster and works out the difference first, then takes the write lock
only to apply it, after checking that the roster did not change in between (roster_version).
That difference, worked out and not applied, is the preview the board shows before an import.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from bot.core.roster import Assignment, Cell, Meeting, Member, Organization, Roster
from storage.db import Database
from storage.timefmt import from_db, maybe_from_db, to_db

# Plans worked out while another process kept changing the roster before the last one is
# worked out under the write lock, so that an import always ends.
PLANS_OUTSIDE_THE_LOCK = 3
# The roster's version (migration 0006), for whoever keeps something worked out from it.
ROSTER_VERSION = "SELECT changes FROM roster_version"

log = logging.getLogger(__name__)


def on_roster_between(row: str) -> str:
    """SQL: whether the member, organization or cell aliased ROW was on the roster on some day
    of [:first, :last] (ISO dates). Its one definition: a quarter counts what it listed."""
    return (
        f"({row}.listed_from IS NULL OR {row}.listed_from <= :last)"
        f" AND ({row}.active OR {row}.retired_on > :first)"
    )


class ClearedFlag(NamedTuple):
    """A cell's flag an import cleared, and how it had been raised."""

    cell: str
    raised_by: str  # import or note
    raised_at: datetime | None  # None: before the flags' history was kept
    raised_by_member: str | None  # the code of the member whose note raised it


@dataclass
class Changes:
    """What an import changed, or would change (its plan's, before it runs). REMOVED counts
    what it left out: retired, ended or deleted."""

    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    retired: dict[str, list[str]] = field(default_factory=dict)  # table -> codes
    ended: list[Assignment] = field(default_factory=list)  # end: the last day it held
    deleted: list[Assignment] = field(default_factory=list)  # left out before its start
    raised: list[str] = field(default_factory=list)  # cells flagged by this import
    cleared: list[ClearedFlag] = field(default_factory=list)

    @property
    def total(self) -> int:
        counted = (*self.added.values(), *self.updated.values(), *self.removed.values())
        return sum(counted) + len(self.raised) + len(self.cleared)


@dataclass
class _Step:
    """One statement run for each of its rows. COUNTS names the Counter of Changes (and its
    table) whose planned figure the statement's row count replaces, for statements written to
    be right whatever happened since the plan (the database counts what they did)."""

    sql: str
    rows: list[tuple[Any, ...]]
    counts: tuple[str, str] | None = None


@dataclass
class _Plan:
    version: int  # roster_version when the stored roster was read
    steps: list[_Step]
    changes: Changes


@dataclass(frozen=True)
class _Stored:
    id: int
    values: tuple[Any, ...]


class RosterRepository:
    def __init__(self, db: Database):
        self.db = db

    async def load(self) -> Roster:
        """The roster as it stands: what is on it now, the meetings of its cells (not those
        cancelled)."""
        db = self.db
        members = [
            Member(r["code"], r["full_name"], r["phone"], r["position"], r["language"])
            for r in await db.fetchall(
                "SELECT m.code, m.full_name, p.phone, m.position, m.language"
                " FROM members m JOIN people p ON p.id = m.person_id WHERE m.active"
            )
        ]
        organizations = [
            Organization(r["code"], r["name"], r["kind"])
            for r in await db.fetchall("SELECT code, name, kind FROM organizations WHERE active")
        ]
        cells = [
            Cell(
                r["code"],
                r["org"],
                r["name"],
                r["secretary_name"],
                r["phone"],
                r["venue"],
                bool(r["flagged"]),
                bool(r["implied"]),
            )
            for r in await db.fetchall(
                "SELECT c.code, o.code AS org, c.name, c.secretary_name, p.phone, c.venue,"
                " c.flagged, c.implied FROM cells c JOIN organizations o ON o.id = c.organization_id"
                " LEFT JOIN people p ON p.id = c.secretary_id WHERE c.active"
            )
        ]
        assignments = [
            Assignment(
                r["member"],
                r["org"],
                r["duty"],
                date.fromisoformat(r["start_date"]),
                date.fromisoformat(r["end_date"]) if r["end_date"] else None,
            )
            for r in await db.fetchall(
                "SELECT m.code AS member, o.code AS org, a.duty, a.start_date, a.end_date"
                " FROM assignments a JOIN members m ON m.id = a.member_id"
                " JOIN organizations o ON o.id = a.organization_id WHERE a.left_on IS NULL"
            )
        ]
        meetings = [
            Meeting(r["cell"], from_db(r["starts_at"]), r["venue"], r["kind"])
            for r in await db.fetchall(
                "SELECT c.code AS cell, mt.starts_at, mt.venue, mt.kind"
                " FROM meetings mt JOIN cells c ON c.id = mt.cell_id"
                " WHERE c.active AND mt.cancelled_at IS NULL"
            )
        ]
        return Roster(members, organizations, cells, assignments, meetings).sorted()

    async def apply(self, roster: Roster, now_db: str, today: date) -> Changes:
        """Make the stored roster ROSTER as of NOW_DB (TODAY: its local day); report what changed.

        The difference is worked out before the write lock is taken, and applied in one short
        transaction only if the roster is still the one it was worked out from.
        """
        for _ in range(PLANS_OUTSIDE_THE_LOCK):
            plan = await self._plan(roster, now_db, today)
            if not plan.steps:
                return plan.changes  # nothing to write: no lock to take
            async with self.db.transaction():
                if await self.version() == plan.version:
                    await self._run(plan)
                    return plan.changes
            log.info("the roster changed while the import was worked out: working it out again")
        async with self.db.transaction():
            plan = await self._plan(roster, now_db, today)
            await self._run(plan)
            return plan.changes

    async def preview(self, roster: Roster, now_db: str, today: date) -> Changes:
        """What apply would change now, worked out the same way and written nowhere."""
        return (await self._plan(roster, now_db, today)).changes

    async def version(self) -> int:
        """The roster's version (migration 0006): it moves with every change to the roster."""
        return await self.db.fetchval(ROSTER_VERSION)

    async def _run(self, plan: _Plan) -> None:
        for step in plan.steps:
            changed = await self.db.executemany(step.sql, step.rows)
            if step.counts is not None:
                counter, table = step.counts
                getattr(plan.changes, counter)[table] = changed

    # -- working out the difference ----------------------------------------------------------

    async def _plan(self, roster: Roster, now_db: str, today: date) -> _Plan:
        # The version is read first: a change after it makes the plan stale, never wrong.
        version = await self.version()
        plan = _Plan(version, [], Changes())
        # The first roster says how the district has been: what it lists (and flags) counts
        # from before the bot kept any history; what later ones add counts from their day.
        first_roster = not await self.db.fetchval("SELECT count(*) FROM organizations")
        listed_from = None if first_roster else today.isoformat()
        await self._plan_people(roster, plan)
        cells = await self._plan_roster_rows(roster, plan, today, listed_from)
        await self._plan_assignments(roster.assignments, plan, today)
        await self._plan_meetings(roster.meetings, plan, now_db)
        await self._plan_flags(roster.cells, cells, plan, None if first_roster else now_db)
        return plan

    async def _plan_people(self, roster: Roster, plan: _Plan) -> None:
        """A person per phone; a member's changed phone moves their person along."""
        db = self.db
        by_phone = {r["phone"]: r["id"] for r in await db.fetchall("SELECT id, phone FROM people")}
        stored = {
            r["code"]: (r["person_id"], r["phone"])
            for r in await db.fetchall(
                "SELECT m.code, m.person_id, p.phone FROM members m JOIN people p ON p.id = m.person_id"
            )
        }
        renumbered = []
        for member in roster.members:
            old = stored.get(member.code)
            if old and old[1] != member.phone and member.phone not in by_phone:
                # Same person, new number: keep their chat link by renumbering the person.
                renumbered.append((member.phone, old[0]))
                del by_phone[old[1]]
                by_phone[member.phone] = old[0]
        phones = {m.phone for m in roster.members}
        phones |= {c.secretary_phone for c in roster.cells if c.secretary_phone}
        plan.steps += _steps(
            ("UPDATE people SET phone = ? WHERE id = ?", renumbered),
            (
                "INSERT INTO people (phone) VALUES (?) ON CONFLICT (phone) DO NOTHING",
                [(p,) for p in sorted(phones - by_phone.keys())],
            ),
        )

    async def _plan_roster_rows(
        self, roster: Roster, plan: _Plan, today: date, listed_from: str | None
    ) -> dict[str, _Stored]:
        """Members, organizations and cells; return the stored cells (their flags are next)."""
        organizations = await self._stored("SELECT code, id, name, kind, active FROM organizations")
        _plan_rows(
            "organizations",
            organizations,
            {o.code: (o.name, o.kind, 1) for o in roster.organizations},
            plan,
            today,
            insert="INSERT INTO organizations (code, name, kind, active, listed_from)"
            " VALUES (?, ?, ?, ?, ?)",
            update="UPDATE organizations SET name = ?, kind = ?, active = ?, retired_on = NULL"
            " WHERE id = ?",
            listed_from=listed_from,
        )
        cells = await self._stored(
            "SELECT c.code, c.id, o.code, c.name, c.secretary_name, p.phone, c.venue, c.implied,"
            " c.active, c.flagged FROM cells c JOIN organizations o ON o.id = c.organization_id"
            " LEFT JOIN people p ON p.id = c.secretary_id"
        )
        _plan_rows(
            "cells",
            {code: _Stored(row.id, row.values[:-1]) for code, row in cells.items()},
            {
                c.code: (
                    c.organization,
                    c.name,
                    c.secretary_name,
                    c.secretary_phone,
                    c.venue,
                    int(c.implied),
                    1,
                )
                for c in roster.cells
            },
            plan,
            today,
            insert="INSERT INTO cells (code, organization_id, name, secretary_name,"
            " secretary_id, venue, implied, active, listed_from) VALUES"
            " (?, (SELECT id FROM organizations WHERE code = ?), ?, ?,"
            " (SELECT id FROM people WHERE phone = ?), ?, ?, ?, ?)",
            update="UPDATE cells SET organization_id = (SELECT id FROM organizations"
            " WHERE code = ?), name = ?, secretary_name = ?,"
            " secretary_id = (SELECT id FROM people WHERE phone = ?), venue = ?, implied = ?,"
            " active = ?, retired_on = NULL WHERE id = ?",
            listed_from=listed_from,
        )
        members = await self._stored(
            "SELECT m.code, m.id, p.phone, m.full_name, m.position, m.language, m.active"
            " FROM members m JOIN people p ON p.id = m.person_id"
        )
        _plan_rows(
            "members",
            members,
            {m.code: (m.phone, m.full_name, m.position, m.language, 1) for m in roster.members},
            plan,
            today,
            insert="INSERT INTO members (code, person_id, full_name, position, language, active,"
            " listed_from) VALUES (?, (SELECT id FROM people WHERE phone = ?), ?, ?, ?, ?, ?)",
            update="UPDATE members SET person_id = (SELECT id FROM people WHERE phone = ?),"
            " full_name = ?, position = ?, language = ?, active = ?, retired_on = NULL"
            " WHERE id = ?",
            listed_from=listed_from,
        )
        return cells

    async def _plan_assignments(
        self, assignments: list[Assignment], plan: _Plan, today: date
    ) -> None:
        stored = {
            (r[0], r[1], date.fromisoformat(r[2])): r[3:]
            for r in await self.db.fetchall(
                "SELECT m.code, o.code, a.start_date, a.id, a.duty, a.end_date, a.left_on"
                " FROM assignments a JOIN members m ON m.id = a.member_id"
                " JOIN organizations o ON o.id = a.organization_id"
            )
        }
        wanted = {a.key: a for a in assignments}
        changes = plan.changes
        yesterday = today - timedelta(days=1)
        ended, deleted, updated, new = [], [], [], []
        for key, (row_id, duty, end, left_on) in sorted(stored.items()):
            if key in wanted or left_on is not None:
                continue
            if key[2] < today:
                # It had begun: it held until yesterday at the latest, and that is kept.
                last = yesterday if end is None else min(date.fromisoformat(end), yesterday)
                ended.append((last.isoformat(), today.isoformat(), row_id))
                changes.ended.append(Assignment(*key[:2], duty, key[2], last))
            else:
                deleted.append((row_id,))
                changes.deleted.append(
                    Assignment(*key[:2], duty, key[2], end and date.fromisoformat(end))
                )
        for key, assignment in wanted.items():
            values = (assignment.duty, assignment.end and assignment.end.isoformat())
            found = stored.get(key)
            if found is None:
                new.append((*key[:2], key[2].isoformat(), *values))
            elif found[3] is not None:
                updated.append((*values, found[0]))  # left out before: back on the roster
                changes.added["assignments"] += 1
            elif tuple(found[1:3]) != values:
                updated.append((*values, found[0]))
                changes.updated["assignments"] += 1
        plan.steps += _steps(
            ("UPDATE assignments SET end_date = ?, left_on = ? WHERE id = ?", ended),
            ("DELETE FROM assignments WHERE id = ?", deleted),
            (
                "UPDATE assignments SET duty = ?, end_date = ?, left_on = NULL WHERE id = ?",
                updated,
            ),
            (
                "INSERT INTO assignments (member_id, organization_id, start_date, duty, end_date)"
                " VALUES ((SELECT id FROM members WHERE code = ?),"
                " (SELECT id FROM organizations WHERE code = ?), ?, ?, ?)",
                new,
            ),
        )
        changes.added["assignments"] += len(new)
        changes.removed["assignments"] += len(ended) + len(deleted)

    async def _plan_meetings(self, meetings: list[Meeting], plan: _Plan, now_db: str) -> None:
        """Add the file's meetings and update their venue and kind; delete none.

        Secretaries set meetings in chat whatever the roster's version, so these statements
        are written to be right whatever happened since the plan; the database counts what
        they did, in place of the plan's figures.
        """
        stored = {
            (r[0], r[1]): (r[2], r[3])
            for r in await self.db.fetchall(
                "SELECT c.code, mt.starts_at, mt.venue, mt.kind FROM meetings mt"
                " JOIN cells c ON c.id = mt.cell_id"
            )
        }
        new, changed = [], []
        for meeting in meetings:
            key = (meeting.cell, to_db(meeting.starts_at))
            values = (meeting.venue, meeting.kind)
            if key not in stored:
                new.append((*key, *values, now_db))
            elif stored[key] != values:
                changed.append((*values, *key, *values))
        plan.changes.added["meetings"] = len(new)
        plan.changes.updated["meetings"] = len(changed)
        cell = "(SELECT id FROM cells WHERE code = ?)"
        if changed:
            plan.steps.append(
                _Step(
                    f"UPDATE meetings SET venue = ?, kind = ? WHERE cell_id = {cell}"
                    " AND starts_at = ? AND (venue IS NOT ? OR kind IS NOT ?)",
                    changed,
                    ("updated", "meetings"),
                )
            )
        if new:
            plan.steps.append(
                _Step(
                    f"INSERT INTO meetings (cell_id, starts_at, venue, kind, created_at)"
                    f" VALUES ({cell}, ?, ?, ?, ?) ON CONFLICT (cell_id, starts_at) DO NOTHING",
                    new,
                    ("added", "meetings"),
                )
            )

    async def _plan_flags(
        self, cells: list[Cell], stored: dict[str, _Stored], plan: _Plan, now_db: str | None
    ) -> None:
        """Raise or clear each listed cell's flag as the file says (implied cells have no row
        to say it, so theirs is left as it is), at NOW_DB (None: the first roster's flags)."""
        flagged_now = {code for code, row in stored.items() if row.values[-1]}
        stated = {c.code: c.flagged for c in cells if not c.implied}
        raise_ = sorted(code for code, flag in stated.items() if flag and code not in flagged_now)
        clear = {code for code, flag in stated.items() if not flag and code in flagged_now}
        if clear:
            open_flags = await self.db.fetchall(
                "SELECT c.code, f.raised_by, f.raised_at, m.code FROM flag_periods f"
                " JOIN cells c ON c.id = f.cell_id"
                " LEFT JOIN checkins ch ON ch.id = f.raised_checkin"
                " LEFT JOIN members m ON m.id = ch.member_id"
                " WHERE f.cleared_at IS NULL ORDER BY c.code"
            )
            plan.changes.cleared = [
                ClearedFlag(r[0], r[1], maybe_from_db(r[2]), r[3])
                for r in open_flags
                if r[0] in clear
            ]
        plan.changes.raised = raise_
        cell = "(SELECT id FROM cells WHERE code = ?)"
        plan.steps += _steps(
            (
                "UPDATE flag_periods SET cleared_at = ?, cleared_by = 'import'"
                f" WHERE cleared_at IS NULL AND cell_id = {cell}",
                [(now_db, code) for code in sorted(clear)],
            ),
            (
                f"INSERT INTO flag_periods (cell_id, raised_at, raised_by) VALUES ({cell}, ?,"
                " 'import')",
                [(code, now_db) for code in raise_],
            ),
        )

    async def _stored(self, sql: str) -> dict[str, _Stored]:
        """Map code -> stored row, for SQL selecting the code, the id, then the values."""
        return {row[0]: _Stored(row[1], tuple(row[2:])) for row in await self.db.fetchall(sql)}


def _plan_rows(
    table: str,
    stored: dict[str, _Stored],
    wanted: dict[str, tuple],
    plan: _Plan,
    today: date,
    *,
    insert: str,
    update: str,
    listed_from: str | None,
) -> None:
    """Retire, update (or put back) and add rows so that TABLE lists WANTED.

    Values are those of UPDATE, the last one the active flag; INSERT takes the code, the
    values, then the listing day; UPDATE takes the values, then the id.
    """
    retired = sorted(code for code, row in stored.items() if code not in wanted and row.values[-1])
    changed = [
        (*values, stored[code].id)
        for code, values in wanted.items()
        if code in stored and stored[code].values != values
    ]
    new = [(code, *values, listed_from) for code, values in wanted.items() if code not in stored]
    # Retirements first: a code that leaves may hand its person (phone) to one that arrives.
    plan.steps += _steps(
        (
            f"UPDATE {table} SET active = 0, retired_on = ? WHERE id = ?",
            [(today.isoformat(), stored[code].id) for code in retired],
        ),
        (update, changed),
        (insert, new),
    )
    changes = plan.changes
    changes.added[table] += len(new)
    changes.updated[table] += len(changed)
    changes.removed[table] += len(retired)
    if retired:
        changes.retired[table] = retired


def _steps(*statements: tuple[str, list[tuple[Any, ...]]]) -> list[_Step]:
    """The statements that have rows to run, in order."""
    return [_Step(sql, rows) for sql, rows in statements if rows]
