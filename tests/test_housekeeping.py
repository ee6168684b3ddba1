"""Housekeeping: old outbox rows purged once a day, and each digest rendering in a folder of its
own, removed once old and no message still waits to carry its files.

The sample district behind the bot, the office's chat getting the digest; the clock moved as
`run` lives through months: a tick (run_due) now and then.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dialogue import CHANNEL, World, make_world
from pydantic import ValidationError
from test_scheduler import settings

import bot.digest.outbox
import storage.housekeeping
from bot.core.config import Config, Storage, load_config
from bot.core.quarters import Quarter
from bot.digest.outbox import digest_folder, queue_digest
from bot.housekeeping import purge
from bot.scheduler import Ticker
from storage.outbox import Queued

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Q4 = Quarter(2021, 4)
OFFICE, BRANCH = f"{CHANNEL}:office", f"{CHANNEL}:branch"  # test_scheduler's, and another
DIGEST_TIME = datetime(2021, 12, 31, 17, 0, tzinfo=TZ)


@pytest.fixture
async def town(tmp_path: Path):
    """test_scheduler's: the sample district, the office's chat getting the digest."""
    opened = await make_world(tmp_path, settings(tmp_path))
    yield opened
    await opened.store.close()


async def tick(world: World, at: datetime) -> None:
    world.clock.set(at)
    await world.app.scheduler.run_due(at)


async def files_of(world: World, chat: str) -> list[Path]:
    rows = await world.store.db.fetchall(
        "SELECT payload ->> 'file' FROM outbox WHERE chat = ? AND payload ->> 'file' IS NOT NULL"
        " ORDER BY id",
        (chat,),
    )
    return [Path(row[0]) for row in rows]


async def keys(world: World) -> set[str]:
    return {row[0] for row in await world.store.db.fetchall("SELECT key FROM outbox")}


# -- a digest's files: written once per rendering, never again ---------------------------------


async def test_a_later_rendering_never_touches_the_files_a_queued_digest_will_send(town):
    await tick(town, DIGEST_TIME)  # queued for the office, not sent yet
    [office_xlsx, office_png] = await files_of(town, OFFICE)
    written = {path: path.read_bytes() for path in (office_xlsx, office_png)}

    # Later, another chat's digest of the same quarter (a chat added to the config, say),
    # after a check-in was confirmed: other figures, rendered again.
    await town.store.db.execute(
        "UPDATE checkins SET status = 'confirmed' WHERE id = (SELECT min(id) FROM checkins"
        " WHERE status = 'pending')"
    )
    later = DIGEST_TIME + timedelta(hours=2)
    assert await queue_digest(town.store, town.config, Q4, later, [BRANCH]) == [BRANCH]

    branch_files = await files_of(town, BRANCH)
    assert {path.name for path in branch_files} == {office_xlsx.name, office_png.name}
    assert {path.parent for path in branch_files}.isdisjoint({office_xlsx.parent})
    assert {path: path.read_bytes() for path in written} == written
    await town.app.delivery.drain()
    received = [m.text for m in town.inbox.inboxes["office"] if m.text.startswith("[file")]
    assert [name.split("]")[0] for name in received] == [
        f"[file {office_xlsx.name}",
        f"[file {office_png.name}",
    ]


async def test_a_rendering_whose_chats_were_all_queued_meanwhile_leaves_no_folder(
    town, monkeypatch
):
    render = bot.digest.outbox.render_digest

    async def meanwhile_queued_by_another_process(store, *args, **kwargs):
        rendered = await render(store, *args, **kwargs)
        key = f"digest:quarter={Q4}:chat={OFFICE}"
        await store.outbox.enqueue(
            key, {"text": "queued by `digest --send`"}, DIGEST_TIME, DIGEST_TIME
        )
        return rendered

    monkeypatch.setattr(bot.digest.outbox, "render_digest", meanwhile_queued_by_another_process)
    assert await queue_digest(town.store, town.config, Q4, DIGEST_TIME) == []

    quarter_folder = Path(town.config.storage.path).parent / "digests" / str(Q4)
    assert list(quarter_folder.iterdir()) == []
    assert await files_of(town, OFFICE) == []


def test_each_rendering_gets_a_folder_named_by_when_it_was_made(tmp_path):
    config = settings(tmp_path)
    first = digest_folder(config, Q4, DIGEST_TIME)
    second = digest_folder(config, Q4, DIGEST_TIME)  # the same second: still two folders

    assert first != second and first.is_dir() and second.is_dir()
    assert first.parent == tmp_path / "digests" / "2021Q4"
    assert first.name.startswith("20211231T100000Z-")  # 17:00 in Hà Nội is 10:00 UTC


# -- the purge ---------------------------------------------------------------------------------


async def old_row(world: World, key: str, state: str, at: datetime) -> None:
    """A row queued at AT and then sent, dropped, failed or left as STATE at AT too."""
    await world.store.outbox.enqueue_all([Queued(key, {"text": key}, at)], at)
    item = await world.store.db.fetchval("SELECT id FROM outbox WHERE key = ?", (key,))
    if state == "sent":
        await world.store.outbox.mark_sent(item, at)
    elif state in ("dropped", "failed"):
        await world.store.outbox.give_up(item, state, "test")
    elif state == "sending":
        await world.store.db.execute("UPDATE outbox SET state = 'sending' WHERE id = ?", (item,))


async def test_sent_and_dropped_rows_older_than_keep_sent_are_purged_and_no_others(town):
    now = datetime(2022, 8, 1, 9, 0, tzinfo=TZ)
    long_ago, lately = now - timedelta(days=181), now - timedelta(days=179)
    for state in ("sent", "dropped", "failed", "queued", "sending"):
        await old_row(town, f"old-{state}", state, long_ago)
        await old_row(town, f"recent-{state}", state, lately)

    await tick(town, now)

    left = {key for key in await keys(town) if key.startswith(("old-", "recent-"))}
    assert left == {
        "old-failed",  # kept for whoever looks into why
        "old-queued",
        "old-sending",
        *(f"recent-{state}" for state in ("sent", "dropped", "failed", "queued", "sending")),
    }


async def test_the_purge_runs_at_most_once_a_day(town, caplog):
    now = datetime(2022, 8, 1, 9, 0, tzinfo=TZ)
    await tick(town, now)  # a start purges (there is nothing yet)
    await old_row(town, "old-sent", "sent", now - timedelta(days=200))

    await tick(town, now + timedelta(hours=23))
    assert "old-sent" in await keys(town)
    with caplog.at_level(logging.INFO, logger="bot.housekeeping"):
        await tick(town, now + timedelta(days=1))
    assert "old-sent" not in await keys(town)
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.housekeeping"]
    assert line == "housekeeping: 1 old outbox rows and 0 digest folders removed"


async def test_many_rows_are_purged_a_chunk_at_a_time(town, monkeypatch):
    monkeypatch.setattr(storage.housekeeping, "PURGE_CHUNK", 7)
    now = datetime(2022, 8, 1, 9, 0, tzinfo=TZ)
    for n in range(30):
        await old_row(town, f"old-{n}", "sent", now - timedelta(days=200))

    assert await purge(town.store, town.config, now) == (30, 0)
    assert not {key for key in await keys(town) if key.startswith("old-")}


async def test_old_digest_folders_go_once_no_message_waits_for_their_files(town):
    await tick(town, DIGEST_TIME)
    await town.app.delivery.drain()  # the office's digest, sent
    [sent_folder] = {path.parent for path in await files_of(town, OFFICE)}
    later = DIGEST_TIME + timedelta(days=30)
    assert await queue_digest(town.store, town.config, Q4, later, [BRANCH]) == [BRANCH]
    [waiting_folder] = {path.parent for path in await files_of(town, BRANCH)}  # not drained
    not_ours = sent_folder.parent / "kept by the office"
    not_ours.mkdir()

    await tick(town, DIGEST_TIME + timedelta(days=170))  # younger than keep_sent: both stay
    assert sent_folder.is_dir() and waiting_folder.is_dir()
    await tick(town, DIGEST_TIME + timedelta(days=240))  # both older: the sent one goes

    assert not sent_folder.exists()
    assert waiting_folder.is_dir() and all(path.exists() for path in await files_of(town, BRANCH))
    assert not_ours.is_dir()


async def test_a_purge_that_fails_is_logged_and_the_tick_goes_on(town, caplog):
    raw = town.store.db._connection.raw
    raw.execute("PRAGMA query_only = ON")  # the database cannot be written
    try:
        with caplog.at_level(logging.WARNING, logger="bot.housekeeping"):
            await tick(town, datetime(2022, 8, 1, 9, 0, tzinfo=TZ))
    finally:
        raw.execute("PRAGMA query_only = OFF")
    [record] = [r for r in caplog.records if r.name == "bot.housekeeping"]
    assert "housekeeping failed" in record.getMessage() and record.exc_info is None


# -- the setting -------------------------------------------------------------------------------


def test_keep_sent_is_half_a_year_unless_set_and_never_under_two_months(tmp_path):
    assert Config().storage.keep_sent == timedelta(days=180)
    path = tmp_path / "config.toml"
    path.write_text('[storage]\npath = "bot.sqlite3"\nkeep_sent = "90d"\n', encoding="utf-8")
    loaded = load_config(path)
    assert loaded.storage.keep_sent == timedelta(days=90)
    assert loaded.storage.path == (tmp_path / "bot.sqlite3").as_posix()  # kept beside it

    with pytest.raises(ValidationError, match="at least 60d"):
        Storage(keep_sent="30d")


async def test_a_closing_that_cannot_be_written_is_logged_and_tried_at_the_next_tick(town, caplog):
    ticker = Ticker(town.app.scheduler, town.clock, timedelta(minutes=1))
    town.clock.set(datetime(2022, 1, 11, 9, 0, tzinfo=TZ))  # 2021Q4's closing moment passed
    raw = town.store.db._connection.raw
    raw.execute("PRAGMA query_only = ON")  # the database cannot be written
    try:
        with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
            await ticker.tick()
    finally:
        raw.execute("PRAGMA query_only = OFF")
    closing = [r for r in caplog.records if "closing 2021Q4 failed" in r.getMessage()]
    assert len(closing) == 1 and closing[0].exc_info is None
    assert await town.store.closing.closed(Q4) is None

    town.clock.advance(timedelta(minutes=1))
    await ticker.tick()

    assert await town.store.closing.closed(Q4) is not None
