"""The bundled sample district (fictional, Long Biên ward names) for the demo and the tests."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from bot.core.closing import closing_moment, quarter_due_to_close
from bot.core.config import Config
from bot.core.local_time import parse_local_time
from bot.roster import import_roster
from bot.services.closing import close_quarter
from storage.store import Store

SAMPLE_DIR = Path(__file__).parent / "sample" / "long_bien"
ACTIVITY = SAMPLE_DIR / "activity.csv"
# The demo's clock starts here: mid-way through 2021Q4, the quarter of the source article.
DEMO_START_LOCAL = "2021-11-20 08:00"


def demo_start(config: Config) -> datetime:
    return parse_local_time(DEMO_START_LOCAL, config.committee.tz)


async def load_sample(store: Store, config: Config, now: datetime) -> None:
    """Import the sample roster, replay its check-ins and notes, and close the quarter a
    running bot would have closed by NOW (2021Q3 at the demo's start), when it would have."""
    await import_roster(store, config, SAMPLE_DIR, now)
    tz = config.committee.tz
    with ACTIVITY.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    async with store.db.transaction():
        for row in rows:
            meeting = await store.meetings.id_of(
                row["cell"], parse_local_time(row["starts_at"], tz)
            )
            if meeting is None:
                raise ValueError(f"activity.csv: no meeting {row['cell']} {row['starts_at']}")
            at = parse_local_time(row["checked_in_at"], tz)
            checkin = await store.checkins.add(meeting, row["member"], at)
            if checkin is None:
                raise ValueError(f"activity.csv: {row['member']} checked in twice at {row['cell']}")
            if row["status"] != "pending":
                await store.checkins.decide(checkin, row["status"], None, at)
            if row["rating"]:
                await store.checkins.write_note(
                    checkin,
                    row["rating"],
                    row["steps_kept"] == "yes",
                    row["difficulties_raised"] == "yes",
                    row["note"],
                    at,
                )
    after = (config.coverage.close_after, config.reminders.checkin_closes_after)
    quarter = quarter_due_to_close(now, tz, *after)
    await close_quarter(store, config, quarter, closing_moment(quarter, tz, *after), "bot")
