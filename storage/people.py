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
