"""The running bot's health: what `checkin-bot status` prints and the board's /healthz answers.

Written cheaply by the bot as it works (bot.scheduler records each tick, bot.delivery each
channel's last successful send at most once a minute), read here in one go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.config import Config
from bot.core.quiet_hours import QuietHours
from storage.store import Store

TICK = "tick"
SENT = "sent:"  # + the channel
# Unhealthy: the scheduler has not ticked for this many ticks...
MISSED_TICKS = 5
# ...or a message due has waited this long (outside quiet hours).
BACKLOG_AGE = timedelta(minutes=10)


async def record_tick(store: Store, now: datetime) -> None:
    await store.health.beat(TICK, now)


async def record_sent(store: Store, channel: str, at: datetime) -> None:
    await store.health.beat(SENT + channel, at)


@dataclass(frozen=True)
class Unreachable:
    name: str
    code: str | None  # the member's code; None for a secretary who is not a member
    cells: tuple[str, ...]  # the cells whose secretary they are
    since: datetime | None  # when they were found to have blocked the bot


@dataclass(frozen=True)
class Health:
    now: datetime
    last_tick: datetime | None
    backlog: dict[str, int]  # outbox rows by state
    oldest_due: tuple[str, datetime] | None  # key and due time of the longest-waiting row
    waiting_since: datetime | None  # ...counted from the end of quiet hours, if later
    last_sent: dict[str, datetime]  # channel -> its last successful send
    unreachable: list[Unreachable]  # people who blocked the bot
    problems: list[str]  # why it is not healthy; empty when it is

    @property
    def healthy(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, object]:
        """The same, for /healthz: times in ISO 8601, UTC."""
        return {
            "healthy": self.healthy,
            "problems": self.problems,
            "now": _iso(self.now),
            "last_tick": _iso(self.last_tick),
            "backlog": self.backlog,
            "oldest_due": None
            if self.oldest_due is None
            else {"key": self.oldest_due[0], "due_at": _iso(self.oldest_due[1])},
            "last_sent": {channel: _iso(at) for channel, at in self.last_sent.items()},
            "unreachable": [
                {"name": p.name, "code": p.code, "cells": list(p.cells), "since": _iso(p.since)}
                for p in self.unreachable
            ],
        }


async def health(store: Store, config: Config, now: datetime) -> Health:
    """How the bot running on STORE's database is doing at NOW."""
    beats = await store.health.beats()
    last_tick = beats.get(TICK)
    oldest = await store.health.oldest_due(now)
    waiting_since = None
    if oldest is not None:
        waiting_since = max(oldest[1], _quiet_ended(QuietHours.of(config), oldest[1], now))
    problems = []
    tick = config.reminders.tick
    if last_tick is None:
        problems.append("the scheduler has never ticked: is `checkin-bot run` running?")
    elif now - last_tick > MISSED_TICKS * tick:
        problems.append(
            f"the scheduler has not ticked for {elapsed(now - last_tick)}"
            f" (more than {MISSED_TICKS} ticks of {elapsed(tick)})"
        )
    if waiting_since is not None and now - waiting_since > BACKLOG_AGE:
        problems.append(f"a queued message has waited {elapsed(now - waiting_since)} to go out")
    unreachable = [
        Unreachable(person.name, person.member_code, person.cells, person.since)
        for person in await store.digest.unreachable()
        if person.reason == "blocked"
    ]
    return Health(
        now=now,
        last_tick=last_tick,
        backlog=await store.health.backlog(),
        oldest_due=oldest,
        waiting_since=waiting_since,
        last_sent={
            name.removeprefix(SENT): at
            for name, at in sorted(beats.items())
            if name.startswith(SENT)
        },
        unreachable=unreachable,
        problems=problems,
    )


def _quiet_ended(quiet: QuietHours | None, since: datetime, now: datetime) -> datetime:
    """The last moment between SINCE and NOW at which delivery could send (nothing goes out
    in quiet hours, so waiting through them is no fault): NOW itself while they last."""
    if quiet is None:
        return since
    if quiet.contains(now):
        return now
    moment = now
    step = timedelta(minutes=1)
    while moment > since and not quiet.contains(moment - step):
        moment -= step
    return moment if moment > since else since


def elapsed(delta: timedelta) -> str:
    """DELTA as an operator reads it: "45 s", "12 min", "3 h 20 min", "4 days"."""
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86400} days"


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat()
