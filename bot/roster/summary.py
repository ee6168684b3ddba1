"""What an import does, line by line: what `checkin-bot import` says it did (in English, dates
as the roster files write them), and the board's preview of an upload and what its Apply did
(in the admin's language, dates as in chat). One summary of one plan (storage.roster.Changes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from bot.core.i18n import Translator
from storage.roster import Changes, ClearedFlag

# Past this many, a list of codes ends with how many more: a city's re-import may retire
# thousands, and the office reads the first few to see that it meant to.
LISTED = 10
TABLES = ("members", "organizations", "cells")

DateShown = Callable[[date], str]


def day_month_year(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def summary_lines(
    changes: Changes, day: date, t: Translator, dates: DateShown = day_month_year
) -> list[str]:
    """CHANGES, made (or to be made) on DAY, in T's language with DATES as they are shown."""
    added, updated, removed = changes.added, changes.updated, changes.removed
    lines = [
        t(
            "roster.rows",
            kind=t(f"roster.kind_{table}"),
            added=added[table],
            updated=updated[table],
            retired=removed[table],
        )
        for table in TABLES
    ]
    lines += [
        t(
            "roster.assignments",
            added=added["assignments"],
            updated=updated["assignments"],
            ended=len(changes.ended),
            deleted=len(changes.deleted),
        ),
        t("roster.meetings", added=added["meetings"], updated=updated["meetings"]),
        t("roster.flags", raised=len(changes.raised), cleared=len(changes.cleared)),
    ]
    if changes.retired:
        retired = "; ".join(
            f"{t(f'roster.kind_{table}')} {_listed(codes, t)}"
            for table, codes in changes.retired.items()
        )
        lines.append(t("roster.retired", day=dates(day), lists=retired))
    if changes.ended:
        items = [
            t("roster.ended_item", member=a.member, organization=a.organization, day=dates(a.end))
            for a in changes.ended
        ]
        lines.append(t("roster.ended", items=_listed(items, t)))
    if changes.deleted:
        items = [
            t(
                "roster.deleted_item",
                member=a.member,
                organization=a.organization,
                day=dates(a.start),
            )
            for a in changes.deleted
        ]
        lines.append(t("roster.deleted", items=_listed(items, t)))
    if changes.raised:
        lines.append(t("roster.raised", items=_listed(changes.raised, t)))
    if changes.cleared:
        cleared = [_cleared(flag, t, dates) for flag in changes.cleared]
        lines.append(t("roster.cleared", items=_listed(cleared, t)))
    return lines


def _cleared(flag: ClearedFlag, t: Translator, dates: DateShown) -> str:
    if flag.raised_at is None:
        return t("roster.cleared_from_start", cell=flag.cell)
    day = dates(flag.raised_at.astimezone(t.tz).date())
    if flag.raised_by == "note":
        return t("roster.cleared_note", cell=flag.cell, member=flag.raised_by_member, day=day)
    return t("roster.cleared_import", cell=flag.cell, day=day)


def _listed(items: Sequence[str], t: Translator) -> str:
    shown = ", ".join(items[:LISTED])
    if len(items) <= LISTED:
        return shown
    return t("roster.and_more", shown=shown, count=len(items) - LISTED)
