"""Write a Roster back as the same files it is imported from (import after export = identity)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.i18n import Translator
from bot.core.roster import Roster
from bot.printing import PAGE, PAGES
from bot.roster.files import SPECS, Printed, write_tables


def export_roster(roster: Roster, path: Path, tz: ZoneInfo, language: str = "vi") -> None:
    """ROSTER as files at PATH; a workbook's printed pages say what each sheet is, in
    LANGUAGE (its sheets keep the files' names, which import reads)."""
    t = Translator(language, tz)
    printed = Printed(
        {spec.name: t(f"workbook.roster_{spec.name}") for spec in SPECS},
        t("workbook.page_of", page=PAGE, pages=PAGES),
    )
    write_tables(path, roster_tables(roster, tz), printed)


def roster_tables(roster: Roster, tz: ZoneInfo) -> dict[str, tuple[list[str], list[list[str]]]]:
    roster = roster.sorted()
    rows = {
        "members": [
            [m.code, m.full_name, m.phone, m.position, m.language or ""] for m in roster.members
        ],
        "organizations": [[o.code, o.name, o.kind] for o in roster.organizations],
        "cells": [
            [
                c.code,
                c.organization,
                c.name,
                c.secretary_name or "",
                c.secretary_phone or "",
                c.venue or "",
                "yes" if c.flagged else "no",
            ]
            for c in roster.cells
            if not c.implied
        ],
        "assignments": [
            [
                a.member,
                a.organization,
                a.duty,
                a.start.isoformat(),
                a.end.isoformat() if a.end else "",
            ]
            for a in roster.assignments
        ],
        "meetings": [
            [m.cell, m.starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"), m.venue or "", m.kind]
            for m in roster.meetings
        ],
    }
    return {spec.name: (list(spec.columns), rows[spec.name]) for spec in SPECS}
