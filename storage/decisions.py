"""The decisions on check-ins, as recorded: each first decision and each later change.

Rows are added by CheckinsRepository.decide (a decision is one statement: its row sets the
check-in's status); these are the reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.decisions import AuditedCheckin, DecisionRecord
from storage.db import Database
from storage.timefmt import from_db, to_db

_RECORD = (
    "d.id, d.checkin_id, d.status, d.previous, d.by_code, d.by_name, d.role, d.channel,"
    " d.decided_at"
)


def _record(row: Sequence[Any]) -> DecisionRecord:
    return DecisionRecord(*row[:8], from_db(row[8]))


def _audited(row: Sequence[Any]) -> DecisionRecord:
    """_RECORD's columns, then an amendment's before and after (NULL: none)."""
    amended = None if row[9] is None else (row[9], row[10])
    return DecisionRecord(*row[:8], from_db(row[8]), amended)


class DecisionsRepository:
    def __init__(self, db: Database):
        self.db = db

    async def last_of(self, checkin_id: int) -> DecisionRecord | None:
        """The decision the check-in's status comes from, if it has one."""
        row = await self.db.fetchone(
            f"SELECT {_RECORD} FROM decisions d WHERE d.checkin_id = ? ORDER BY d.id DESC LIMIT 1",
            (checkin_id,),
        )
        return row and _record(row)


class AuditQueries:
    """A quarter's check-ins with their decisions (checkin-bot audit)."""

    def __init__(self, db: Database):
        self.db = db

    async def checkins_between(self, start: datetime, end: datetime) -> list[AuditedCheckin]:
        """Every check-in at a meeting starting in [START, END), in meeting order, each with
        its decisions first to last."""
        bounds = (to_db(start), to_db(end))
        rows = await self.db.fetchall(
            "SELECT ch.id, ch.meeting_starts_at, m.code, m.full_name, o.code, c.code, c.name,"
            " ch.checked_in_at, ch.status"
            " FROM checkins ch"
            " CROSS JOIN cells c ON c.id = ch.cell_id"
            " JOIN organizations o ON o.id = c.organization_id"
            " JOIN members m ON m.id = ch.member_id"
            " WHERE ch.meeting_starts_at >= ? AND ch.meeting_starts_at < ?"
            " ORDER BY ch.meeting_starts_at, c.code, m.code, ch.id",
            bounds,
        )
        decided = await self.db.fetchall(
            f"SELECT {_RECORD}, a.before, a.after FROM checkins ch"
            " CROSS JOIN decisions d ON d.checkin_id = ch.id"
            " LEFT JOIN amendments a ON a.decision_id = d.id"
            " WHERE ch.meeting_starts_at >= ? AND ch.meeting_starts_at < ?"
            " ORDER BY d.checkin_id, d.id",
            bounds,
        )
        history: dict[int, list[DecisionRecord]] = {}
        for row in decided:
            history.setdefault(row[1], []).append(_audited(row))
        return [
            AuditedCheckin(
                row[0],
                from_db(row[1]),
                *row[2:7],
                from_db(row[7]),
                row[8],
                tuple(history.get(row[0], ())),
            )
            for row in rows
        ]
