"""Durations as people write them in config files: "90s", "30m", "2h", "1d"."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """Return the timedelta for TEXT, or raise ValueError naming the accepted forms."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    try:
        if match:
            amount, unit = match.groups()
            return timedelta(**{_UNITS[unit]: int(amount)})
    except OverflowError:  # more than timedelta holds: as wrong as any other typo
        pass
    raise ValueError(f'"{text}" is not a duration (use 90s, 30m, 2h, 1d)')


def format_duration(delta: timedelta) -> str:
    """Write DELTA back in the shortest exact config form (inverse of parse_duration)."""
    seconds = int(delta.total_seconds())
    for suffix, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{suffix}"
    return f"{seconds}s"
