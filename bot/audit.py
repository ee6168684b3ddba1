"""`checkin-bot audit` as people read it: text for the terminal, CSV, JSON.

Times are local (the committee's zone): in JSON as ISO-8601 with their offset. Of a closed
quarter, it says when it was closed, and which decisions were amendments of its figures (made
after the closing): what each did to the status of its (member, organization) pair.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.decisions import AuditedCheckin, DecisionRecord
from bot.core.quarters import Quarter

# How a check-in's status reads in the text and the decisions' "to" and "from".
_SHOWN = {"pending": "pending", "confirmed": "confirmed", "denied": "absent"}


def audit_json(
    quarter: Quarter,
    checkins: Sequence[AuditedCheckin],
    tz: ZoneInfo,
    closed_at: datetime | None = None,
) -> str:
    def instant(at: datetime) -> str:
        return at.astimezone(tz).isoformat()

    return json.dumps(
        {
            "quarter": str(quarter),
            "start": quarter.start.isoformat(),
            "end": quarter.end.isoformat(),
            "closed_at": closed_at and instant(closed_at),
            "checkins": [
                {
                    "id": c.id,
                    "meeting": instant(c.meeting_at),
                    "member": c.member_code,
                    "member_name": c.member_name,
                    "organization": c.organization_code,
                    "cell": c.cell_code,
                    "cell_name": c.cell_name,
                    "checked_in_at": instant(c.checked_in_at),
                    "status": c.status,
                    "decisions": [
                        {
                            "from": d.previous,
                            "to": d.status,
                            "by": d.by_code,
                            "by_name": d.by_name,
                            "role": d.role,
                            "channel": d.channel,
                            "at": instant(d.at),
                            "amendment": d.amended and {"from": d.amended[0], "to": d.amended[1]},
                        }
                        for d in c.decisions
                    ],
                }
                for c in checkins
            ],
        },
        ensure_ascii=False,
    )


CSV_COLUMNS = [
    "quarter",
    "checkin",
    "meeting",
    "member",
    "member_name",
    "organization",
    "cell",
    "cell_name",
    "checked_in_at",
    "status",
    "decision",
    "from",
    "to",
    "by",
    "by_name",
    "role",
    "channel",
    "decided_at",
    "amended_from",
    "amended_to",
]


def audit_csv(
    quarter: Quarter,
    checkins: Sequence[AuditedCheckin],
    tz: ZoneInfo,
    closed_at: datetime | None = None,
) -> str:
    """One row per decision (numbered from 1 within its check-in); a check-in not decided yet
    has one row with the decision's columns empty. An amendment has its pair's statuses
    before and after it (amended_from, amended_to)."""

    def local(at: datetime) -> str:
        return f"{at.astimezone(tz):%Y-%m-%d %H:%M}"

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in checkins:
        checkin = [
            quarter,
            c.id,
            local(c.meeting_at),
            c.member_code,
            c.member_name,
            c.organization_code,
            c.cell_code,
            c.cell_name,
            local(c.checked_in_at),
            c.status,
        ]
        if not c.decisions:
            writer.writerow(checkin + [""] * 10)
        for number, d in enumerate(c.decisions, 1):
            decision = [number, d.previous, d.status, d.by_code, d.by_name, d.role, d.channel]
            writer.writerow([*checkin, *decision, local(d.at), *(d.amended or ("", ""))])
    return out.getvalue()


def audit_text(
    quarter: Quarter,
    checkins: Sequence[AuditedCheckin],
    tz: ZoneInfo,
    closed_at: datetime | None = None,
) -> str:
    """A check-in a line, its decisions indented under it."""
    counts = {status: sum(c.status == status for c in checkins) for status in _SHOWN}
    changes = sum(d.is_change for c in checkins for d in c.decisions)
    header = (
        f"Audit {quarter} ({quarter.start:%d/%m/%Y} - {quarter.end:%d/%m/%Y}):"
        f" {len(checkins)} check-ins: {counts['confirmed']} confirmed, {counts['denied']} absent,"
        f" {counts['pending']} pending; changed decisions: {changes}"
    )
    if closed_at is not None:
        amendments = sum(d.amended is not None for c in checkins for d in c.decisions)
        header += (
            f"; closed on {closed_at.astimezone(tz):%d/%m/%Y %H:%M}, amendments since: {amendments}"
        )
    lines = [header]
    for c in checkins:
        lines.append(
            f"{c.meeting_at.astimezone(tz):%d/%m/%Y %H:%M}  {c.cell_code} {c.cell_name}"
            f"  {c.member_code} {c.member_name}"
            f"  checked in {c.checked_in_at.astimezone(tz):%d/%m %H:%M}  {_SHOWN[c.status]}"
        )
        lines += [f"    {_decision_line(d, tz)}{_amended(c, d)}" for d in c.decisions]
    return "\n".join(lines) + "\n"


def _amended(c: AuditedCheckin, d: DecisionRecord) -> str:
    if d.amended is None:
        return ""
    before, after = d.amended
    return f"  (amendment: {c.member_code} at {c.organization_code} {before} -> {after})"


def _decision_line(d: DecisionRecord, tz: ZoneInfo) -> str:
    what = _SHOWN[d.status] if not d.is_change else f"{_SHOWN[d.previous]} -> {_SHOWN[d.status]}"
    if d.by_code is None:
        who = "by someone not recorded (decided before the decisions log)"
    else:
        who = f"by {d.by_name} ({d.by_code})"
        if d.role is not None:
            who += f", {d.role}"
    via = f", via {d.channel}" if d.channel else ""
    return f"{d.at.astimezone(tz):%d/%m/%Y %H:%M}  {what}  {who}{via}"
