"""Reads the quarterly digest needs beyond coverage: the visits with their notes, and who the
bot cannot reach. storage.coverage gives the numbers; these give the record behind them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Literal, NamedTuple

from storage.closing import amended_status
from storage.db import Database
from storage.photos import photo_names
from storage.timefmt import from_db, maybe_from_db, to_db

Reason = Literal["not_linked", "blocked"]


class DigestVisit(NamedTuple):
    """A check-in at a meeting of the quarter (denied ones too), with its note if any."""

    meeting_at: datetime  # aware (UTC as stored)
    member_code: str
    member_name: str
    organization_code: str
    organization_name: str
    cell_code: str
    cell_name: str
    status: str  # pending, confirmed, denied
    rating: str | None  # None: no note
    steps_kept: bool | None
    difficulties_raised: bool | None
    note: str | None
    # The decision the status comes from (the last in the log); None while pending. The name
    # and code are None for a decision made before the log named who made it.
    decided_by_name: str | None
    decided_by_code: str | None
    decided_role: str | None  # secretary, admin, or None: not recorded
    decided_at: datetime | None
    photos: tuple[str, ...]  # the names of its photos' files, in the order they came


class UnreachablePerson(NamedTuple):
    """A member or cell secretary whom no message of the bot can reach, and why."""

    name: str
    member_code: str | None
    cells: tuple[str, ...]  # codes of the active cells whose secretary they are
    reason: Reason
    since: datetime | None  # blocked: when the last of their accounts was found blocked


# A visit's note, the decision its status comes from, and its photos' files, for the check-in
# aliased ch.
_NOTE_AND_DECISION = (
    "n.rating, n.steps_kept, n.difficulties_raised, n.text,"
    f" d.by_name, d.by_code, d.role, d.decided_at, {photo_names('ch')}"
)
_NOTE_AND_DECISION_JOINS = (
    " LEFT JOIN notes n ON n.checkin_id = ch.id"
    " LEFT JOIN decisions d ON d.id ="
    "  (SELECT max(last.id) FROM decisions last WHERE last.checkin_id = ch.id)"
)


class DigestQueries:
    def __init__(self, db: Database):
        self.db = db

    async def visits_between(self, start: datetime, end: datetime) -> list[DigestVisit]:
        """Every check-in at meetings starting in [start, end), in meeting order."""
        # CROSS JOIN keeps the quarter's index range on checkins as the outer loop (SQLite
        # never reorders it); the rest are primary-key probes, one per check-in.
        rows = await self.db.fetchall(
            "SELECT ch.meeting_starts_at, m.code, m.full_name, o.code, o.name, c.code, c.name,"
            f" ch.status, {_NOTE_AND_DECISION}"
            " FROM checkins ch"
            " CROSS JOIN cells c ON c.id = ch.cell_id"
            " JOIN organizations o ON o.id = c.organization_id"
            " JOIN members m ON m.id = ch.member_id"
            f"{_NOTE_AND_DECISION_JOINS}"
            " WHERE ch.meeting_starts_at >= ? AND ch.meeting_starts_at < ?"
            " ORDER BY ch.meeting_starts_at, c.code, m.code",
            (to_db(start), to_db(end)),
        )
        return [_visit(row) for row in rows]

    async def closed_visits(self, quarter: str) -> list[DigestVisit]:
        """visits_between's of the closed QUARTER: its check-ins as it was closed (names as
        they were), with the status of their latest amendment, in meeting order."""
        rows = await self.db.fetchall(
            "SELECT v.meeting_at, v.member, v.member_name, v.organization, v.organization_name,"
            f" v.cell, v.cell_name, {amended_status('v')}, {_NOTE_AND_DECISION}"
            " FROM closed_visits v CROSS JOIN checkins ch ON ch.id = v.checkin_id"
            f"{_NOTE_AND_DECISION_JOINS}"
            " WHERE v.quarter = ? ORDER BY v.meeting_at, v.cell, v.member",
            (quarter,),
        )
        return [_visit(row) for row in rows]

    async def unreachable(self) -> list[UnreachablePerson]:
        """Members and secretaries of active cells with no account, or only blocked ones.

        Members first (by code), then secretaries who are not members (by their first cell).
        """
        # Only the unreachable come back: each row probes accounts_by_person for a reachable
        # account and, when there is none, for the last time one was found blocked (NULL: no
        # account at all).
        members = await self.db.fetchall(
            "SELECT m.person_id, m.code, m.full_name,"
            " (SELECT max(a.unreachable_at) FROM accounts a WHERE a.person_id = m.person_id)"
            " FROM members m WHERE m.active AND NOT EXISTS (SELECT 1 FROM accounts a"
            "  WHERE a.person_id = m.person_id AND a.unreachable_at IS NULL)"
            " ORDER BY m.code"
        )
        secretaries = await self.db.fetchall(
            "SELECT c.secretary_id, c.code, c.secretary_name,"
            " (SELECT max(a.unreachable_at) FROM accounts a WHERE a.person_id = c.secretary_id)"
            " FROM cells c JOIN organizations o ON o.id = c.organization_id AND o.active"
            " WHERE c.active AND c.secretary_id IS NOT NULL AND NOT EXISTS (SELECT 1"
            "  FROM accounts a WHERE a.person_id = c.secretary_id AND a.unreachable_at IS NULL)"
            " ORDER BY c.code"
        )
        cells: dict[int, list[str]] = {}
        for person, code, _, _ in secretaries:
            cells.setdefault(person, []).append(code)
        people = {person: (code, name, blocked) for person, code, name, blocked in members}
        for person, _, name, blocked in secretaries:
            people.setdefault(person, (None, name or "", blocked))
        return [
            UnreachablePerson(
                name,
                code,
                tuple(cells.get(person, ())),
                "not_linked" if blocked is None else "blocked",
                maybe_from_db(blocked),
            )
            for person, (code, name, blocked) in people.items()
        ]

    async def member_positions(self) -> dict[str, str]:
        """Members' positions by code (retired members too: a quarter may count them)."""
        return dict(await self.db.fetchall("SELECT code, position FROM members"))

    async def organization_kinds(self) -> dict[str, str]:
        """Organizations' kinds by code (retired ones too: a quarter may count them)."""
        return dict(await self.db.fetchall("SELECT code, kind FROM organizations"))

    async def cell_names(self, codes: Iterable[str]) -> dict[str, str]:
        """The names of the cells with these codes, by code."""
        return dict(
            await self.db.fetchall(
                "SELECT code, name FROM cells WHERE code IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(codes)),),
            )
        )


def _visit(row) -> DigestVisit:
    (
        at,
        *names,
        status,
        rating,
        steps,
        difficulties,
        text,
        by_name,
        by_code,
        role,
        decided,
        photos,
    ) = row
    return DigestVisit(
        from_db(at),
        *names,
        status,
        rating,
        None if steps is None else bool(steps),
        None if difficulties is None else bool(difficulties),
        text,
        by_name,
        by_code,
        role,
        maybe_from_db(decided),
        tuple(json.loads(photos)),
    )
