"""What `checkin-bot import` says it did: counts per table, then what it left out and flagged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from bot.core.roster import Assignment
from storage.roster import Changes, ClearedFlag

# Past this many, a list of codes ends with how many more: a city's re-import may retire
# thousands, and the office reads the first few to see that it meant to.
LISTED = 10
_RETIRED = {"members": "members", "organizations": "organizations", "cells": "cells"}


def summary_lines(changes: Changes, day: date, tz: ZoneInfo) -> list[str]:
    added, updated, removed = changes.added, changes.updated, changes.removed
    lines = [
        f"{table}: {added[table]} added, {updated[table]} updated, {removed[table]} retired"
        for table in ("members", "organizations", "cells")
    ]
    lines += [
        f"assignments: {added['assignments']} added, {updated['assignments']} updated,"
        f" {len(changes.ended)} ended, {len(changes.deleted)} deleted",
        f"meetings: {added['meetings']} added, {updated['meetings']} updated",
        f"difficulty flags: {len(changes.raised)} raised, {len(changes.cleared)} cleared",
    ]
    if changes.retired:
        retired = "; ".join(f"{table} {_listed(codes)}" for table, codes in changes.retired.items())
        lines.append(f"retired from {day}, still counted for the days before: {retired}")
    if changes.ended:
        lines.append(
            "ended, still counted for the days they held: "
            + _listed([f"{a.member} at {a.organization} until {a.end}" for a in changes.ended])
        )
    if changes.deleted:
        lines.append(
            "deleted, as they had not begun: "
            + _listed([f"{a.member} at {a.organization} from {a.start}" for a in changes.deleted])
        )
    if changes.raised:
        lines.append(f"flags raised: {_listed(changes.raised)}")
    if changes.cleared:
        lines.append("flags cleared: " + _listed([_cleared(flag, tz) for flag in changes.cleared]))
    return lines


def _cleared(flag: ClearedFlag, tz: ZoneInfo) -> str:
    if flag.raised_at is None:
        return f"{flag.cell} (flagged on the roster from the start)"
    when = flag.raised_at.astimezone(tz).date()
    if flag.raised_by == "note":
        return f"{flag.cell} (raised by the note of {flag.raised_by_member} on {when})"
    return f"{flag.cell} (raised by an import on {when})"


def _listed(items: Sequence[str] | Sequence[Assignment]) -> str:
    shown = ", ".join(map(str, items[:LISTED]))
    return shown if len(items) <= LISTED else f"{shown} and {len(items) - LISTED} more"
