"""The roster aggregate in SQLite: apply a whole roster as a diff, and read it back.

Codes are the identity. Applying writes only what differs, so applying the same roster twice
changes nothing. Members, organizations and cells that leave the roster are retired
(``active = 0``), not deleted: their check-ins stay in past quarters' record. Assignments that
leave it are deleted (the file is the truth about who is assigned). Meetings are never deleted
by an import, since secretaries also set them in chat.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.core.roster import Assignment, Cell, Meeting, Member, Organization, Roster
from storage.db import Database
from storage.timefmt import from_db, to_db

TABLES = ("members", "organizations", "cells", "assignments", "meetings")


@dataclass
class Changes:
    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.added.values()) + sum(self.updated.values()) + sum(self.removed.values())

    def lines(self) -> list[str]:
        return [
            f"{table}: {self.added[table]} added, {self.updated[table]} updated,"
            f" {self.removed[table]} removed"
            for table in TABLES
        ]


@dataclass(frozen=True)
class _Stored:
    id: int
    values: tuple[Any, ...]


class RosterRepository:
    def __init__(self, db: Database):
        self.db = db

    async def load(self) -> Roster:
        """The roster as it stands: active members, organizations and cells, their meetings
        (not those cancelled)."""
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
                " JOIN organizations o ON o.id = a.organization_id"
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

    async def apply(self, roster: Roster, now_db: str) -> Changes:
        """Make the stored roster equal ROSTER, in one transaction; report what changed."""
        changes = Changes()
        async with self.db.transaction():
            people = await self._people_for(roster)
            orgs = await self._sync_organizations(roster.organizations, changes)
            cells = await self._sync_cells(roster.cells, orgs, people, changes)
            members = await self._sync_members(roster.members, people, changes)
            await self._sync_assignments(roster.assignments, members, orgs, changes)
            await self._sync_meetings(roster.meetings, cells, now_db, changes)
        return changes

    # -- people ------------------------------------------------------------------------

    async def _people_for(self, roster: Roster) -> dict[str, int]:
        """Ensure a person per phone; a member's changed phone moves their person along."""
        db = self.db
        by_phone = {r["phone"]: r["id"] for r in await db.fetchall("SELECT id, phone FROM people")}
        stored = {
            r["code"]: (r["person_id"], r["phone"])
            for r in await db.fetchall(
                "SELECT m.code, m.person_id, p.phone FROM members m JOIN people p ON p.id = m.person_id"
            )
        }
        for member in roster.members:
            old = stored.get(member.code)
            if old and old[1] != member.phone and member.phone not in by_phone:
                # Same person, new number: keep their chat link by renumbering the person.
                await db.execute("UPDATE people SET phone = ? WHERE id = ?", (member.phone, old[0]))
                del by_phone[old[1]]
                by_phone[member.phone] = old[0]
        phones = {m.phone for m in roster.members}
        phones |= {c.secretary_phone for c in roster.cells if c.secretary_phone}
        new_phones = sorted(phones - by_phone.keys())
        if new_phones:
            await db.executemany(
                "INSERT INTO people (phone) VALUES (?)", [(p,) for p in new_phones]
            )
            rows = await db.fetchall("SELECT id, phone FROM people")
            by_phone = {r["phone"]: r["id"] for r in rows}
        return by_phone

    # -- one sync per table ------------------------------------------------------------

    async def _stored(self, sql: str, width: int) -> dict[Any, _Stored]:
        """Map key -> stored row, for SQL selecting key column(s), id, then the values."""
        result = {}
        for row in await self.db.fetchall(sql):
            key = row[0] if width == 1 else tuple(row[:width])
            result[key] = _Stored(row[width], tuple(row[width + 1 :]))
        return result

    async def _sync(
        self,
        table: str,
        stored: dict[Any, _Stored],
        wanted: dict[Any, tuple],
        changes: Changes,
        *,
        insert: str,
        update: str,
        remove: str | None,
        insert_params,
        has_active_flag: bool = True,
    ) -> None:
        """Insert, update and remove rows so that the table holds WANTED.

        INSERT takes insert_params(key, values); UPDATE takes the values then the id; REMOVE
        takes the id. Where rows have an active flag (last value) retired rows count as gone.
        """
        new = [insert_params(k, v) for k, v in wanted.items() if k not in stored]
        changed = [
            (*v, stored[k].id) for k, v in wanted.items() if k in stored and stored[k].values != v
        ]
        gone = [
            (row.id,)
            for k, row in stored.items()
            if k not in wanted and (not has_active_flag or row.values[-1])
        ]
        # Removals first: a code that leaves may hand its person (phone) to one that arrives.
        if gone and remove:
            await self.db.executemany(remove, gone)
        if changed:
            await self.db.executemany(update, changed)
        if new:
            await self.db.executemany(insert, new)
        changes.added[table] += len(new)
        changes.updated[table] += len(changed)
        changes.removed[table] += len(gone) if remove else 0

    async def _ids(self, sql: str) -> dict[Any, int]:
        return {
            (row[0] if len(row) == 2 else tuple(row[:-1])): row[-1]
            for row in await self.db.fetchall(sql)
        }

    async def _sync_organizations(
        self, organizations: list[Organization], changes: Changes
    ) -> dict[str, int]:
        stored = await self._stored("SELECT code, id, name, kind, active FROM organizations", 1)
        wanted = {o.code: (o.name, o.kind, 1) for o in organizations}
        await self._sync(
            "organizations",
            stored,
            wanted,
            changes,
            insert="INSERT INTO organizations (code, name, kind, active) VALUES (?, ?, ?, ?)",
            update="UPDATE organizations SET name = ?, kind = ?, active = ? WHERE id = ?",
            remove="UPDATE organizations SET active = 0 WHERE id = ?",
            insert_params=lambda code, values: (code, *values),
        )
        return await self._ids("SELECT code, id FROM organizations")

    async def _sync_cells(
        self, cells: list[Cell], orgs: dict[str, int], people: dict[str, int], changes: Changes
    ) -> dict[str, int]:
        stored = await self._stored(
            "SELECT code, id, organization_id, name, secretary_name, secretary_id, venue, flagged,"
            " implied, active FROM cells",
            1,
        )
        wanted = {
            c.code: (
                orgs[c.organization],
                c.name,
                c.secretary_name,
                people[c.secretary_phone] if c.secretary_phone else None,
                c.venue,
                int(c.flagged),
                int(c.implied),
                1,
            )
            for c in cells
        }
        await self._sync(
            "cells",
            stored,
            wanted,
            changes,
            insert="INSERT INTO cells (code, organization_id, name, secretary_name, secretary_id,"
            " venue, flagged, implied, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            update="UPDATE cells SET organization_id = ?, name = ?, secretary_name = ?,"
            " secretary_id = ?, venue = ?, flagged = ?, implied = ?, active = ? WHERE id = ?",
            remove="UPDATE cells SET active = 0 WHERE id = ?",
            insert_params=lambda code, values: (code, *values),
        )
        return await self._ids("SELECT code, id FROM cells")

    async def _sync_members(
        self, members: list[Member], people: dict[str, int], changes: Changes
    ) -> dict[str, int]:
        stored = await self._stored(
            "SELECT code, id, person_id, full_name, position, language, active FROM members", 1
        )
        wanted = {
            m.code: (people[m.phone], m.full_name, m.position, m.language, 1) for m in members
        }
        await self._sync(
            "members",
            stored,
            wanted,
            changes,
            insert="INSERT INTO members (code, person_id, full_name, position, language, active)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            update="UPDATE members SET person_id = ?, full_name = ?, position = ?, language = ?,"
            " active = ? WHERE id = ?",
            remove="UPDATE members SET active = 0 WHERE id = ?",
            insert_params=lambda code, values: (code, *values),
        )
        return await self._ids("SELECT code, id FROM members")

    async def _sync_assignments(
        self,
        assignments: list[Assignment],
        members: dict[str, int],
        orgs: dict[str, int],
        changes: Changes,
    ) -> None:
        stored = await self._stored(
            "SELECT member_id, organization_id, start_date, id, duty, end_date FROM assignments", 3
        )
        wanted = {
            (members[a.member], orgs[a.organization], a.start.isoformat()): (
                a.duty,
                a.end.isoformat() if a.end else None,
            )
            for a in assignments
        }
        await self._sync(
            "assignments",
            stored,
            wanted,
            changes,
            insert="INSERT INTO assignments (member_id, organization_id, start_date, duty, end_date)"
            " VALUES (?, ?, ?, ?, ?)",
            update="UPDATE assignments SET duty = ?, end_date = ? WHERE id = ?",
            remove="DELETE FROM assignments WHERE id = ?",
            insert_params=lambda key, values: (*key, *values),
            has_active_flag=False,
        )

    async def _sync_meetings(
        self, meetings: list[Meeting], cells: dict[str, int], now_db: str, changes: Changes
    ) -> None:
        stored = await self._stored("SELECT cell_id, starts_at, id, venue, kind FROM meetings", 2)
        wanted = {(cells[m.cell], to_db(m.starts_at)): (m.venue, m.kind) for m in meetings}
        await self._sync(
            "meetings",
            stored,
            wanted,
            changes,
            insert="INSERT INTO meetings (cell_id, starts_at, venue, kind, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            update="UPDATE meetings SET venue = ?, kind = ? WHERE id = ?",
            remove=None,
            insert_params=lambda key, values: (*key, *values, now_db),
            has_active_flag=False,
        )
