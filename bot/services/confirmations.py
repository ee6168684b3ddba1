"""The cell's secretary (or an admin) confirms or denies the check-ins at the cell's meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.core.checkins import CheckinAtCell
from bot.services.identity import Identity
from storage.store import Store

Decision = Literal["confirmed", "denied"]


@dataclass(frozen=True)
class Decided:
    """This tap decided the check-in."""

    checkin: CheckinAtCell
    status: Decision


@dataclass(frozen=True)
class AlreadyDecided:
    """Someone decided it before; CHECKIN shows how and when."""

    checkin: CheckinAtCell


async def pending_checkins(store: Store, secretary: Identity) -> list[CheckinAtCell]:
    return await store.checkins.pending_at_cells([cell.id for cell in secretary.cells])


def parse_checkin_id(data: str) -> int | None:
    """The id in "confirm:<id>" / "absent:<id>", else None."""
    _, _, tail = data.partition(":")
    return int(tail) if tail.isdigit() and len(tail) < 19 else None


def may_decide(who: Identity, checkin: CheckinAtCell) -> bool:
    return who.is_admin or who.secretary_of(checkin.cell_id)


async def decide_checkin(
    store: Store, who: Identity, checkin_id: int, status: Decision, now: datetime
) -> Decided | AlreadyDecided | None:
    """Decide a pending check-in; None when it is not one WHO may decide (or does not exist)."""
    checkin = await store.checkins.at_cell(checkin_id)
    if checkin is None or not may_decide(who, checkin):
        return None
    if not await store.checkins.decide(checkin_id, status, who.person_id, now):
        decided = await store.checkins.at_cell(checkin_id)  # e.g. a second tap just before
        return AlreadyDecided(decided or checkin)
    return Decided(checkin, status)
