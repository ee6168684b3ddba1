"""How instants are written to SQLite: UTC ISO-8601 text with its offset, never naive.

The fixed width ("2021-12-05T01:00:00+00:00") keeps text order equal to time order, so
range queries on indexed columns work on the strings directly.
"""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(instant: datetime) -> str:
    if instant.tzinfo is None:
        raise ValueError(f"refusing to store a naive datetime: {instant!r}")
    return instant.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text)


def maybe_from_db(text: str | None) -> datetime | None:
    return None if text is None else from_db(text)
