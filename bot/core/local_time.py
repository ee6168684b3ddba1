"""Local times as people type them in roster files and in chat."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

_LOCAL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})[ T](\d{1,2}):(\d{2})$")


def parse_local_time(text: str, tz: ZoneInfo) -> datetime:
    """Read "2021-12-05 08:00" or "05/12/2021 08:00" as a local time in TZ (aware)."""
    match = _LOCAL_TIME.match(text.strip())
    try:
        if match:
            day_text, hours, minutes = match.groups()
            if "/" in day_text:
                d, m, y = map(int, day_text.split("/"))
                day = date(y, m, d)
            else:
                day = date.fromisoformat(day_text)
            return datetime(day.year, day.month, day.day, int(hours), int(minutes), tzinfo=tz)
    except ValueError:
        pass
    raise ValueError(
        f'"{text}" is not a date and time (use YYYY-MM-DD HH:MM, e.g. 2021-12-05 08:00)'
    )
