"""Quiet hours: the span of the local night in which the bot sends nobody anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.core.config import Config


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time  # exclusive; a span past midnight ("21:00-07:00") has end < start
    tz: ZoneInfo

    @classmethod
    def of(cls, config: Config) -> QuietHours | None:
        """The configured span, or None when quiet_hours is ""."""
        span = config.reminders.quiet_span
        return None if span is None or span[0] == span[1] else cls(*span, config.committee.tz)

    def contains(self, instant: datetime) -> bool:
        moment = instant.astimezone(self.tz).time()
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end
