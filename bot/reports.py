"""Coverage as people read it: a text table for the terminal, CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json

from bot.core.coverage import QuarterCoverage


def coverage_json(coverage: QuarterCoverage) -> str:
    # No indent: Python's C encoder only serves compact output; a city's coverage is large.
    return json.dumps(coverage.to_json(), ensure_ascii=False)


def coverage_csv(coverage: QuarterCoverage) -> str:
    """One row per required (member, organization) pair."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["quarter", "member", "member_name", "organization", "status"])
    for member in coverage.members:
        for pair in member.organizations:
            writer.writerow(
                [coverage.quarter, member.code, member.name, pair.organization, pair.status]
            )
    return out.getvalue()


def coverage_text(
    coverage: QuarterCoverage, organization_names: dict[str, str] | None = None
) -> str:
    q, t = coverage.quarter, coverage.totals
    names = organization_names or {o.code: o.name for o in coverage.organizations}
    lines = [
        f"Coverage {q} ({q.start:%d/%m/%Y} - {q.end:%d/%m/%Y})",
        f"required {t['required']}   covered {t['covered']}   pending {t['pending']}"
        f"   missed {t['missed']}",
    ]
    if coverage.closed_at is not None:
        lines.append(
            f"closed on {coverage.closed_at:%d/%m/%Y %H:%M}: frozen figures, changed only by"
            f" amendments ({len(coverage.amendments)})"
        )
    lines += ["", "MEMBERS"]
    width = max((len(m.name) for m in coverage.members), default=10)
    for member in coverage.members:
        pairs = ", ".join(f"{p.organization} {p.status}" for p in member.organizations) or "-"
        lines.append(f"  {member.code:<6} {member.name:<{width}}  {pairs}")
    lines += [
        "",
        "ORGANIZATIONS                                   cells  visited  flagged not visited",
    ]
    for org in coverage.organizations:
        unvisited = sorted(set(org.flagged_cells) - set(org.flagged_visited))
        name = names.get(org.code, "")[:38]
        lines.append(
            f"  {org.code:<6} {name:<38} {org.cells:>5}  {org.cells_visited:>7}  "
            f"{', '.join(unvisited) or '-'}"
        )
    if coverage.amendments:
        lines += ["", "AMENDMENTS (decisions after closing)"]
        lines += [
            f"  {a.at:%d/%m/%Y %H:%M}  {a.member} at {a.organization}: {a.before} -> {a.after},"
            f" by {a.by_name} ({a.by_code})"
            for a in coverage.amendments
        ]
    return "\n".join(lines) + "\n"
