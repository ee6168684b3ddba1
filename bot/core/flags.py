"""Difficulty flags on cells (khó khăn, vướng mắc) as the committee office sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

RaisedBy = Literal["import", "note"]
ClearedBy = Literal["import", "admin"]


@dataclass(frozen=True)
class Flag:
    """One flag of a cell, from when it was raised until it was cleared (None: flagged now)."""

    id: int
    cell_id: int
    cell_code: str
    cell_name: str
    organization_code: str
    organization_name: str
    raised_at: datetime | None  # None: on the first roster, or before the flags had a history
    raised_by: RaisedBy
    raised_by_member: str | None  # the name of the member whose note raised it
    cleared_at: datetime | None = None
    cleared_by: ClearedBy | None = None
    cleared_by_person: str | None = None  # the name of the admin who cleared it
