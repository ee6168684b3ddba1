"""Difficulty flags on cells (khó khăn, vướng mắc), with their history.

A flag is a period in flag_periods: raised by an import (cells.csv's flagged=yes) or by a member's
note that said the meeting raised difficulties, cleared by an import (flagged=no) or by an admin.
The two questions asked of flags are each written once, below: whether a cell is flagged now
(cells.flagged, which migration 0007's triggers keep from the periods) and whether a period held
at some time of a range (a quarter's flagged cells are those flagged at any time inside it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.flags import Flag
from storage.db import Database
from storage.timefmt import maybe_from_db, to_db


def flagged(cell: str = "c") -> str:
    """SQL: whether the cell aliased CELL is flagged now."""
    return f"{cell}.flagged"


def flag_held(period: str = "f") -> str:
    """SQL: whether the flag period aliased PERIOD held at some instant of [:start, :end)."""
    return (
        f"({period}.raised_at IS NULL OR {period}.raised_at < :end)"
        f" AND ({period}.cleared_at IS NULL OR {period}.cleared_at > :start)"
    )


_FLAG = (
    "SELECT f.id, c.id, c.code, c.name, o.code, o.name, f.raised_at, f.raised_by, rm.full_name,"
    " f.cleared_at, f.cleared_by,"
    " coalesce(cm.full_name, (SELECT sc.secretary_name FROM cells sc"
    "   WHERE sc.secretary_id = f.cleared_person ORDER BY sc.code LIMIT 1), cp.phone)"
    " FROM flag_periods f JOIN cells c ON c.id = f.cell_id"
    " JOIN organizations o ON o.id = c.organization_id"
    " LEFT JOIN checkins ch ON ch.id = f.raised_checkin"
    " LEFT JOIN members rm ON rm.id = ch.member_id"
    " LEFT JOIN people cp ON cp.id = f.cleared_person"
    " LEFT JOIN members cm ON cm.person_id = f.cleared_person AND cm.active"
)


class FlagsRepository:
    def __init__(self, db: Database):
        self.db = db

    async def flagged_now(self) -> list[Flag]:
        """The open flags of the cells on the roster, by organization then cell."""
        rows = await self.db.fetchall(
            _FLAG + " WHERE f.cleared_at IS NULL AND c.active AND o.active ORDER BY o.code, c.code"
        )
        return [_flag(row) for row in rows]

    async def get(self, flag_id: int) -> Flag | None:
        row = await self.db.fetchone(_FLAG + " WHERE f.id = ?", (flag_id,))
        return row and _flag(row)

    async def raise_by_note(self, checkin_id: int, at: datetime) -> bool:
        """Flag the cell of the check-in's meeting (its note said the meeting raised
        difficulties); False if the cell is flagged already."""
        raised = await self.db.execute(
            "INSERT INTO flag_periods (cell_id, raised_at, raised_by, raised_checkin)"
            " SELECT ch.cell_id, ?, 'note', ch.id FROM checkins ch WHERE ch.id = ?"
            " AND NOT EXISTS (SELECT 1 FROM flag_periods f"
            "   WHERE f.cell_id = ch.cell_id AND f.cleared_at IS NULL)",
            (to_db(at), checkin_id),
        )
        return raised == 1

    async def clear_by_admin(self, flag_id: int, person_id: int, at: datetime) -> bool:
        """Clear the flag if it is still raised; False if it was cleared before."""
        cleared = await self.db.execute(
            "UPDATE flag_periods SET cleared_at = ?, cleared_by = 'admin', cleared_person = ?"
            " WHERE id = ? AND cleared_at IS NULL",
            (to_db(at), person_id, flag_id),
        )
        return cleared == 1


def _flag(row: Sequence[Any]) -> Flag:
    return Flag(
        *row[:6],
        maybe_from_db(row[6]),
        row[7],
        row[8],
        maybe_from_db(row[9]),
        row[10],
        row[11] if row[10] == "admin" else None,
    )
