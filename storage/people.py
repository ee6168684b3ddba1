"""People: the phone-number identities behind members and cell secretaries."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.people import CellRef, MemberRef, Person, Roles
from storage.db import Database


class PeopleRepository:
    def __init__(self, db: Database):
        self.db = db

    _PERSON = (
        "p.id, p.phone,"
        " coalesce(m.full_name, (SELECT c.secretary_name FROM cells c"
        "   WHERE c.secretary_id = p.id AND c.active ORDER BY c.code LIMIT 1), p.phone) AS name,"
        " m.code AS member_code"
    )
    _FROM = " FROM people p LEFT JOIN members m ON m.person_id = p.id AND m.active"
    _SELECT = "SELECT " + _PERSON + _FROM

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

    async def admins(self, codes: Sequence[str], phones: Sequence[str]) -> list[int]:
        """The people who are admins: active members with one of CODES, or with one of PHONES
        (normalised), by person id."""
        marks = ", ".join("?" for _ in codes) or "NULL"
        phone_marks = ", ".join("?" for _ in phones) or "NULL"
        rows = await self.db.fetchall(
            "SELECT DISTINCT p.id" + self._FROM + f" WHERE m.code IN ({marks})"
            f" OR p.phone IN ({phone_marks}) ORDER BY p.id",
            (*codes, *phones),
        )
        return [row[0] for row in rows]

    async def roles(self, person_id: int) -> Roles | None:
        return await roles_of(self.db, person_id)

    async def add(self, phone: str) -> int:
        """A person with no role on the roster yet (an office admin listed by phone)."""
        return await self.db.insert("INSERT INTO people (phone) VALUES (?)", (phone,))

    async def set_language(self, person_id: int, language: str) -> None:
        await self.db.execute("UPDATE people SET language = ? WHERE id = ?", (language, person_id))

    async def language(self, person_id: int) -> str:
        """The language to write to the person in: chosen in chat, else the roster's, else vi."""
        found = await self.db.fetchval(
            "SELECT coalesce(p.language, m.language) FROM people p"
            " LEFT JOIN members m ON m.person_id = p.id AND m.active WHERE p.id = ?",
            (person_id,),
        )
        return found or "vi"

    async def chosen_channel(self, person_id: int) -> str | None:
        """The channel chosen with /channel, or None: the one used last."""
        return await self.db.fetchval("SELECT channel FROM people WHERE id = ?", (person_id,))

    async def choose_channel(self, person_id: int, channel: str | None) -> None:
        await self.db.execute("UPDATE people SET channel = ? WHERE id = ?", (channel, person_id))


async def roles_of(db: Database, person_id: int) -> Roles | None:
    """What the person with PERSON_ID is on the roster today (active rows only).

    Two queries: this runs on every chat update, so the person, their language and their
    membership come in one row.
    """
    row = await db.fetchone(
        "SELECT p.language, m.id, m.full_name, m.language, "
        + PeopleRepository._PERSON
        + PeopleRepository._FROM
        + " WHERE p.id = ?",
        (person_id,),
    )
    if row is None:
        return None
    language, member_id, member_name, member_language, *person = row
    cell_rows = await db.fetchall(
        "SELECT c.id, c.code, c.name, o.code FROM cells c"
        " JOIN organizations o ON o.id = c.organization_id AND o.active"
        " WHERE c.secretary_id = ? AND c.active ORDER BY c.code",
        (person_id,),
    )
    person = Person(*person)
    member = None
    if member_id is not None:
        member = MemberRef(member_id, person.member_code, member_name, member_language)
    return Roles(
        person=person,
        language=language,
        member=member,
        cells=tuple(CellRef(*cell) for cell in cell_rows),
    )
