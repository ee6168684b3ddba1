"""Local times as people type them in roster files and in chat."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

_LOCAL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})[ T](\d{1,2}):(\d{2})$")

# A day as typed in chat: 2021-11-25, or day first with one separator throughout and the
# year optional: 25/11, 25/11/2021, 25-11-2021, 25.11.2021, 25/11/21.
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?$")
# A clock time as typed: 19:30, 19.30, 19h30, 19g30 (giờ), 19h, 8g.
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2})|[hg](\d{2})?)$", re.IGNORECASE)


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


@dataclass(frozen=True)
class TimeTypo:
    """Why a typed date and time is no time: its form, or a month, day or clock time that
    does not exist (with the month's length, so that the reply can name it)."""

    problem: Literal["form", "month", "day", "clock"]
    day: int = 0
    month: int = 0
    year: int = 0
    days_in_month: int = 0


def read_typed_time(
    day_text: str, clock_text: str, now: datetime, tz: ZoneInfo
) -> datetime | TimeTypo:
    """The local time in TZ that DAY_TEXT and CLOCK_TEXT name, as a secretary types them.

    A day without a year is the next one to come: this year's, or next year's if this
    year's is already past at NOW (today is still to come).
    """
    day = _typed_day(day_text.strip(), now.astimezone(tz).date())
    clock = _CLOCK.match(clock_text.strip())
    if day is None or clock is None:
        return TimeTypo("form")
    year, month, number = day
    if not 1 <= month <= 12:
        return TimeTypo("month", month=month)
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= number <= days_in_month:
        return TimeTypo("day", number, month, year, days_in_month)
    hours, minutes = int(clock[1]), int(clock[2] or clock[3] or 0)
    if hours > 23 or minutes > 59:
        return TimeTypo("clock")
    return datetime(year, month, number, hours, minutes, tzinfo=tz)


def _typed_day(text: str, today: date) -> tuple[int, int, int] | None:
    """(year, month, day) as typed, not yet checked to exist; None if it is no day's form."""
    if iso := _ISO_DAY.match(text):
        year, month, day = map(int, iso.groups())
        return year, month, day
    if not (day_first := _DAY_FIRST.match(text)):
        return None
    day, month, year = int(day_first[1]), int(day_first[3]), day_first[4]
    if year is not None:
        return int(year) + (2000 if len(year) == 2 else 0), month, day
    # Compared as (month, day), so that 29/02 or 31/04 still get a year to be refused in.
    return today.year + ((month, day) < (today.month, today.day)), month, day
