"""What importing a roster would change, line by line, for a person to read before applying it.

Follows storage/roster.py's rules: codes are the identity, a code that leaves is retired
(assignments are removed), meetings are never removed by an import.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from bot.core.roster import Roster

Kind = Literal["members", "organizations", "cells", "assignments", "meetings"]
What = Literal["added", "updated", "retired", "removed"]
KINDS: tuple[Kind, ...] = ("members", "organizations", "cells", "assignments", "meetings")
WHATS: tuple[What, ...] = ("added", "updated", "retired", "removed")
T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    kind: Kind
    what: What
    key: str  # a code, or what names an assignment or a meeting
    label: str  # a name, or what changed


@dataclass
class RosterDiff:
    changes: list[Change] = field(default_factory=list)

    def of(self, kind: Kind, what: What) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and c.what == what]

    @property
    def total(self) -> int:
        return len(self.changes)


def roster_diff(current: Roster, new: Roster, tz: ZoneInfo) -> RosterDiff:
    """The changes that make CURRENT into NEW."""
    diff = RosterDiff()
    _compare(diff, "members", current.members, new.members, lambda m: m.code, lambda m: m.full_name)
    _compare(
        diff, "organizations", current.organizations, new.organizations,
        lambda o: o.code, lambda o: o.name,
    )  # fmt: skip
    _compare(diff, "cells", current.cells, new.cells, lambda c: c.code, lambda c: c.name)
    _compare(
        diff, "assignments", current.assignments, new.assignments,
        lambda a: (a.member, a.organization, a.start),
        lambda a: f"{a.member} → {a.organization}",
        gone="removed",
    )  # fmt: skip

    def meeting_label(meeting) -> str:
        return f"{meeting.cell} {meeting.starts_at.astimezone(tz):%d/%m/%Y %H:%M}"

    _compare(
        diff, "meetings", current.meetings, new.meetings,
        lambda m: (m.cell, m.starts_at), meeting_label, gone=None,
    )  # fmt: skip
    return diff


def _compare(
    diff: RosterDiff,
    kind: Kind,
    current: Iterable[T],
    new: Iterable[T],
    key: Callable[[T], Hashable],
    label: Callable[[T], str],
    *,
    gone: What | None = "retired",
) -> None:
    before = {key(item): item for item in current}
    after = {key(item): item for item in new}
    for name, item in after.items():
        old = before.get(name)
        if old is None:
            diff.changes.append(Change(kind, "added", _shown(name), label(item)))
        elif old != item:
            diff.changes.append(Change(kind, "updated", _shown(name), _what_changed(old, item)))
    if gone is not None:
        for name, item in before.items():
            if name not in after:
                diff.changes.append(Change(kind, gone, _shown(name), label(item)))


def _shown(key: Hashable) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return " ".join(part.isoformat() if hasattr(part, "isoformat") else str(part) for part in parts)


def _what_changed(old: object, new: object) -> str:
    """ "full_name: A → B; phone: …" for the fields that differ."""
    fields = [
        name
        for name in getattr(old, "__dataclass_fields__", {})
        if getattr(old, name) != getattr(new, name)
    ]
    return "; ".join(
        f"{name}: {_value(getattr(old, name))} → {_value(getattr(new, name))}" for name in fields
    )


def _value(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
