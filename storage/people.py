"""People: the phone-number identities behind members and cell secretaries."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True)
class Person:
    id: int
    phone: str
    name: str  # the member's name, else the name given as a cell's secretary
    member_code: str | None


class PeopleRepository:
    def __init__(self, db: Database):
        self.db = db

    _SELECT = (
        "SELECT p.id, p.phone,"
        " coalesce(m.full_name, (SELECT c.secretary_name FROM cells c"
        "   WHERE c.secretary_id = p.id AND c.active ORDER BY c.code LIMIT 1), p.phone) AS name,"
        " m.code AS member_code"
        " FROM people p LEFT JOIN members m ON m.person_id = p.id AND m.active"
    )

    async def by_member_code(self, code: str) -> Person | None:
        row = await self.db.fetchone(self._SELECT + " WHERE m.code = ?", (code,))
        return row and Person(*row)

    async def secretary_of_cell(self, cell_code: str) -> Person | None:
        row = await self.db.fetchone(
            self._SELECT
            + " WHERE p.id = (SELECT secretary_id FROM cells WHERE code = ? AND active)",
            (cell_code,),
        )
        return row and Person(*row)

    async def by_phone(self, phone: str) -> Person | None:
        row = await self.db.fetchone(self._SELECT + " WHERE p.phone = ?", (phone,))
        return row and Person(*row)

    async def roles(self, person_id: int) -> Roles | None:
        return await roles_of(self.db, person_id)

    async def add(self, phone: str) -> int:
        """A person with no role on the roster yet (an office admin listed by phone)."""
        return await self.db.insert("INSERT INTO people (phone) VALUES (?)", (phone,))

    async def set_language(self, person_id: int, language: str) -> None:
        await self.db.execute("UPDATE people SET language = ? WHERE id = ?", (language, person_id))


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


async def roles_of(db: Database, person_id: int) -> Roles | None:
    """What the person with PERSON_ID is on the roster today (active rows only)."""
    person_row = await db.fetchone(PeopleRepository._SELECT + " WHERE p.id = ?", (person_id,))
    if person_row is None:
        return None
    language = await db.fetchval("SELECT language FROM people WHERE id = ?", (person_id,))
    member_row = await db.fetchone(
        "SELECT id, code, full_name, language FROM members WHERE person_id = ? AND active",
        (person_id,),
    )
    cell_rows = await db.fetchall(
        "SELECT c.id, c.code, c.name, o.code FROM cells c"
        " JOIN organizations o ON o.id = c.organization_id AND o.active"
        " WHERE c.secretary_id = ? AND c.active ORDER BY c.code",
        (person_id,),
    )
    return Roles(
        person=Person(*person_row),
        language=language,
        member=member_row and MemberRef(*member_row),
        cells=tuple(CellRef(*row) for row in cell_rows),
    )
