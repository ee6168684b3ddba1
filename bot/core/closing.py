"""Closing a quarter (chốt số liệu): when it may be closed, when the bot closes it, and what a
closed quarter keeps. Pure rules, no I/O.

A quarter may be closed once it has ended and the check-in window of its last meetings has
shut (no check-in of it can arrive afterwards); the bot closes it `coverage.close_after` after
its end, time for late decisions. Its figures are then frozen: the rule's inputs as they were
(who was listed, required and assigned where, every check-in with its status), and every
later decision on one of its check-ins is an amendment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from bot.core.coverage import OrganizationInfo, Visit
from bot.core.quarters import Quarter

ClosedBy = Literal["bot", "cli"]


@dataclass(frozen=True)
class ClosedQuarter:
    quarter: Quarter
    closed_at: datetime  # aware
    closed_by: ClosedBy


class FrozenVisit(NamedTuple):
    """A check-in of a closed quarter as the coverage rule reads it, with its id."""

    checkin_id: int
    visit: Visit  # its status amended by any later decision


@dataclass(frozen=True)
class FrozenQuarter:
    """The coverage rule's inputs for a quarter as they were when it was closed, but for its
    check-ins (FrozenVisit)."""

    members: dict[str, str]  # code -> name, every member the roster listed in the quarter
    positions: dict[str, str]  # code -> standing | member
    organizations: list[OrganizationInfo]  # with their cells then and their flagged cells
    kinds: dict[str, str]  # organization code -> committee | cell
    flagged_cell_names: dict[str, str]  # cell code -> name
    required: frozenset[tuple[str, str]]  # (member, organization) overlapping long enough
    assigned: frozenset[tuple[str, str]]  # ... overlapping at all (a visit counts for its cell)


def closable_from(quarter: Quarter, tz: ZoneInfo, checkin_closes_after: timedelta) -> datetime:
    """When QUARTER may be closed: after its last day, once a check-in at a meeting of that
    day can no longer be made (reminders.checkin_closes_after)."""
    return quarter.utc_bounds(tz)[1] + checkin_closes_after


def closing_moment(
    quarter: Quarter, tz: ZoneInfo, close_after: timedelta, checkin_closes_after: timedelta
) -> datetime:
    """When the bot closes QUARTER: CLOSE_AFTER after its end, never before it may be."""
    return quarter.utc_bounds(tz)[1] + max(close_after, checkin_closes_after)


def quarter_due_to_close(
    now: datetime, tz: ZoneInfo, close_after: timedelta, checkin_closes_after: timedelta
) -> Quarter:
    """The latest quarter whose closing moment is NOW or earlier."""
    return Quarter.at(now - max(close_after, checkin_closes_after), tz).previous()
