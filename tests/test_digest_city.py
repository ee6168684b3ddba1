"""The digest of a city's quarter (bench/city.py: 1,500 members, 3,000 organizations, 30,000
cells, 20,000 check-ins) is still one message for each channel, under its limit."""

from __future__ import annotations

from pathlib import Path

from bench.city import QUARTER, add_checkins, write_roster
from bot.core.config import Config, Storage
from bot.core.i18n import Translator
from bot.core.local_time import parse_local_time
from bot.core.message_parts import TEXT_LIMITS
from bot.digest.gather import gather_digest
from bot.digest.text import MOST_LISTED, digest_message
from bot.roster import import_roster
from storage.store import Store


async def test_a_citys_digest_is_one_message_under_each_channels_limit(tmp_path: Path):
    config = Config(storage=Storage(path=str(tmp_path / "city.sqlite3")))
    tz = config.committee.tz
    now = parse_local_time(f"{QUARTER.end.isoformat()} 17:00", tz)
    roster = write_roster(tmp_path / "roster")
    async with await Store.open(config.storage.path) as store:
        await import_roster(store, config, roster.folder, now)
        await add_checkins(store.db.threaded, tz)
        digest = await gather_digest(store, config, QUARTER, now)
    assert len(digest.coverage.organizations) == 3_000 and len(digest.visits) >= 20_000
    assert len(digest.organizations_behind) > MOST_LISTED
    assert len(digest.unvisited_flagged) > MOST_LISTED

    for language in ("vi", "en"):
        t = Translator(language, tz)
        for channel, limit in TEXT_LIMITS.items():
            text = digest_message(digest, t, limit=limit, files_attached=channel != "zalo")
            assert 1_000 < len(text) <= limit, (language, channel, len(text))
            bullets = [line for line in text.splitlines() if line.startswith("• ")]
            assert len(bullets) <= 2 * MOST_LISTED  # the two lists, capped
            totals = digest.coverage.totals
            assert f"{totals['required']}" in text and f"{totals['covered']}" in text
