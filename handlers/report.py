"""/report: the committee office's short look at the current quarter's coverage, to date."""

from __future__ import annotations

from collections.abc import Sequence

from bot.coverage import QuarterCoverage
from bot.quarters import Quarter
from bot.services.coverage import quarter_coverage
from handlers.i18n import Translator
from handlers.port import Message
from handlers.router import Context, Router

# Enough to act on from a phone; the digest's files carry the full lists.
SHOWN = 15
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


async def report(ctx: Context) -> None:
    quarter = Quarter.at(ctx.now, ctx.config.committee.tz)
    coverage = await quarter_coverage(ctx.store, ctx.config, quarter)
    t = ctx.t
    sections = [
        _headline(t, coverage, t.day(ctx.now)),
        _unvisited_organizations(t, coverage),
        _unvisited_flagged(t, coverage),
        _missed_members(t, coverage),
        t("report.files_later"),
    ]
    await ctx.reply(Message("\n\n".join(sections)))


def _headline(t: Translator, coverage: QuarterCoverage, day: str) -> str:
    totals = coverage.totals
    required = totals["required"]
    percent = round(100 * totals["covered"] / required) if required else 0
    return t(
        "report.headline",
        roman=ROMAN[coverage.quarter.number],
        year=coverage.quarter.year,
        day=day,
        percent=percent,
        **totals,
    )


def _unvisited_organizations(t: Translator, coverage: QuarterCoverage) -> str:
    lines = [f"{o.code} {o.name}" for o in coverage.organizations if o.cells_visited == 0]
    if not lines:
        return t("report.all_organizations_visited")
    return t("report.unvisited_organizations", count=len(lines), lines=_capped(t, lines))


def _unvisited_flagged(t: Translator, coverage: QuarterCoverage) -> str:
    lines = [
        f"{cell} ({o.name})"
        for o in coverage.organizations
        for cell in o.flagged_cells
        if cell not in o.flagged_visited
    ]
    if not lines:
        return t("report.flagged_all_visited")
    return t("report.unvisited_flagged", count=len(lines), lines=_capped(t, lines))


def _missed_members(t: Translator, coverage: QuarterCoverage) -> str:
    lines = []
    for member in coverage.members:
        missed = [p.organization for p in member.organizations if p.status == "missed"]
        if missed:
            lines.append(f"{member.name}: {', '.join(missed)}")
    if not lines:
        return t("report.no_missed_members")
    return t("report.missed_members", count=len(lines), lines=_capped(t, lines))


def _capped(t: Translator, lines: Sequence[str]) -> str:
    shown = [f"• {line}" for line in lines[:SHOWN]]
    if len(lines) > SHOWN:
        shown.append(t("report.and_more", count=len(lines) - SHOWN))
    return "\n".join(shown)


def register(router: Router) -> None:
    # Allowed in the configured digest chats too: the office reads it together there.
    router.command("report", "baocao", role="admin", group_ok=True)(report)
