"""Calendar quarters in the committee's local time (quý I-IV)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"quarter number must be 1-4, not {self.number}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read "2021Q4" (also "2021-Q4", "2021q4")."""
        match = _QUARTER.match(text)
        if not match:
            raise ValueError(f'"{text}" is not a quarter (use e.g. 2021Q4)')
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def at(cls, instant: datetime, tz: ZoneInfo) -> Quarter:
        """The quarter that INSTANT falls in, on the committee's local calendar."""
        return cls.of(instant.astimezone(tz).date())

    @cached_property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @cached_property
    def end(self) -> date:
        """The last day, inclusive."""
        return self.next().start - timedelta(days=1)

    @property
    def roman(self) -> str:
        """The number as Vietnamese writes it: "Quý IV/2021"."""
        return ("I", "II", "III", "IV")[self.number - 1]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def utc_bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) of the quarter in UTC: local midnight of its first day to the next's."""
        return local_midnight_utc(self.start, tz), local_midnight_utc(self.next().start, tz)

    def overlap_days(self, first: date, last: date | None) -> int:
        """Days of [first, last] (both inclusive; None = open) that fall inside the quarter."""
        lo = max(first, self.start)
        hi = self.end if last is None else min(last, self.end)
        return max(0, (hi - lo).days + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def local_midnight_utc(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
