"""Check-ins at meetings, their confirmation, and the quality notes written on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.checkins import CheckinAtCell, MemberCheckin, Rating
from bot.core.decisions import Decider, Decision
from storage.closing import in_closed_quarter
from storage.db import Database
from storage.flags import flagged
from storage.timefmt import from_db, maybe_from_db, to_db

# A cell flagged with difficulties today, by the roster or by a member's note: the one place
# this module reads the flag.
_CELL_FLAGGED = flagged()
# The order check-ins wait in for a decision (/confirm): flagged cells first, then the longest
# waiting. Also a position in that order, as a row value.
_WAITING_ORDER = f"NOT {_CELL_FLAGGED}, ch.checked_in_at, ch.id"


class CheckinsRepository:
    def __init__(self, db: Database):
        self.db = db

    async def add(self, meeting_id: int, member_code: str, at: datetime) -> int | None:
        """Record a pending check-in; None if this member already checked in at this meeting."""
        return await self.db.fetchval(
            "INSERT INTO checkins (meeting_id, member_id, checked_in_at)"
            " SELECT ?, id, ? FROM members WHERE code = ? AND active"
            " ON CONFLICT (meeting_id, member_id) DO NOTHING RETURNING id",
            (meeting_id, to_db(at), member_code),
        )

    async def decide(
        self,
        checkin_id: int,
        status: Decision,
        by: Decider | None,
        at: datetime,
        *,
        was: str = "pending",
    ) -> int | None:
        """Record the decision STATUS on the check-in if its status is still WAS; return the
        decision's id in the log, or None if the check-in was not in that state (a second tap,
        another process deciding first). BY None: not recorded (the sample's activity).

        One statement, so it needs no transaction of its own: the log's row sets the status.
        """
        return await self.db.fetchval(
            "INSERT INTO decisions (checkin_id, status, previous, by_person, by_code, by_name,"
            " role, channel, decided_at)"
            " SELECT id, ?, status, ?, ?, ?, ?, ?, ? FROM checkins WHERE id = ? AND status = ?"
            " RETURNING id",
            (
                status,
                by and by.person_id,
                by and by.code,
                by and by.name,
                by and by.role,
                by and by.channel,
                to_db(at),
                checkin_id,
                was,
            ),
        )

    async def write_note(
        self,
        checkin_id: int,
        rating: Rating,
        steps_kept: bool,
        difficulties_raised: bool,
        text: str,
        at: datetime,
    ) -> None:
        await self.db.execute(
            "INSERT INTO notes (checkin_id, rating, steps_kept, difficulties_raised, text, written_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (checkin_id) DO UPDATE SET rating = excluded.rating,"
            " steps_kept = excluded.steps_kept, difficulties_raised = excluded.difficulties_raised,"
            " text = excluded.text, written_at = excluded.written_at",
            (checkin_id, rating, int(steps_kept), int(difficulties_raised), text, to_db(at)),
        )

    _OF_MEMBER = (
        "SELECT ch.id, ch.meeting_id, ch.checked_in_at, ch.status,"
        " EXISTS (SELECT 1 FROM notes n WHERE n.checkin_id = ch.id),"
        " mt.starts_at, c.id, c.code, c.name"
        " FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " JOIN meetings mt ON mt.id = ch.meeting_id JOIN cells c ON c.id = mt.cell_id"
        " WHERE m.code = ?"
    )

    async def of_member_at(self, member_code: str, meeting_id: int) -> MemberCheckin | None:
        """The member's check-in at the meeting, if any."""
        row = await self.db.fetchone(
            self._OF_MEMBER + " AND ch.meeting_id = ?", (member_code, meeting_id)
        )
        return row and _member_checkin(row)

    async def of_member(self, member_code: str, checkin_id: int) -> MemberCheckin | None:
        """The check-in CHECKIN_ID if it is the member's own."""
        row = await self.db.fetchone(self._OF_MEMBER + " AND ch.id = ?", (member_code, checkin_id))
        return row and _member_checkin(row)

    async def latest_not_denied(self, member_code: str) -> MemberCheckin | None:
        """The member's most recent check-in that the secretary has not denied."""
        row = await self.db.fetchone(
            self._OF_MEMBER + " AND ch.status != 'denied'"
            " ORDER BY ch.checked_in_at DESC, ch.id DESC LIMIT 1",
            (member_code,),
        )
        return row and _member_checkin(row)

    _AT_CELL = (
        "SELECT ch.id, ch.status, ch.checked_in_at, ch.decided_at, m.person_id, m.code,"
        f" m.full_name, mt.starts_at, c.id, c.code, c.name, {_CELL_FLAGGED}"
        " FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " JOIN meetings mt ON mt.id = ch.meeting_id JOIN cells c ON c.id = mt.cell_id"
    )

    async def at_cell(self, checkin_id: int) -> CheckinAtCell | None:
        """The check-in with who made it and the meeting and cell it was at."""
        row = await self.db.fetchone(self._AT_CELL + " WHERE ch.id = ?", (checkin_id,))
        return row and _checkin_at_cell(row)

    async def pending_page(
        self,
        *,
        cell_ids: Sequence[int] | None,
        not_of_person: int,
        after: int | None,
        limit: int,
    ) -> tuple[list[CheckinAtCell], int]:
        """Up to LIMIT check-ins awaiting a decision, in _WAITING_ORDER, from the one after
        the check-in AFTER (None: from the first); and how many there are from there on.

        CELL_IDS None: the whole district's. Never those NOT_OF_PERSON made: nobody decides
        their own. AFTER is a position, not an index: the check-in there may have been
        decided since, and the list goes on from where it stood. A secretary's (CELL_IDS
        given) leave out those of closed quarters: only an admin decides them.
        """
        where = " WHERE ch.status = 'pending' AND m.person_id != ?"
        params: list[Any] = [not_of_person]
        if cell_ids is not None:
            where += f" AND ch.cell_id IN ({', '.join('?' for _ in cell_ids)})"
            where += f" AND NOT {in_closed_quarter()}"
            params += cell_ids
        if after is not None:
            where += (
                f" AND ({_WAITING_ORDER}) > (SELECT {_WAITING_ORDER} FROM checkins ch"
                " JOIN cells c ON c.id = ch.cell_id WHERE ch.id = ?)"
            )
            params.append(after)
        rows = await self.db.fetchall(
            self._AT_CELL + where + f" ORDER BY {_WAITING_ORDER} LIMIT ?", (*params, limit)
        )
        count = await self.db.fetchval(
            "SELECT count(*) FROM checkins ch JOIN members m ON m.id = ch.member_id"
            " JOIN cells c ON c.id = ch.cell_id" + where,
            params,
        )
        return [_checkin_at_cell(row) for row in rows], count

    async def of_member_between(
        self, member_code: str, start: datetime, end: datetime
    ) -> list[CheckinAtCell]:
        """The member's check-ins at meetings starting in [START, END), by meeting time."""
        rows = await self.db.fetchall(
            self._AT_CELL + " WHERE m.code = ? AND ch.meeting_starts_at >= ?"
            " AND ch.meeting_starts_at < ? ORDER BY ch.meeting_starts_at, ch.id",
            (member_code, to_db(start), to_db(end)),
        )
        return [_checkin_at_cell(row) for row in rows]


def _member_checkin(row: Sequence[Any]) -> MemberCheckin:
    return MemberCheckin(
        row[0], row[1], from_db(row[2]), row[3], bool(row[4]), from_db(row[5]), *row[6:9]
    )


def _checkin_at_cell(row: Sequence[Any]) -> CheckinAtCell:
    return CheckinAtCell(
        row[0],
        row[1],
        from_db(row[2]),
        maybe_from_db(row[3]),
        *row[4:7],
        from_db(row[7]),
        *row[8:11],
        bool(row[11]),
    )
