"""The scheduler on the sample district: what arrives when, and never twice.

The clock is moved the way `run` lives through time: a tick every few minutes (run_due), then
the outbox drained through the test channel into each person's inbox.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import copy_sample_roster
from dialogue import CHANNEL, World, make_world
from test_roster_import import drop_rows

from bot.app import build_app
from bot.core.config import Access, Config, Reminders, Storage
from bot.core.messages import Message
from bot.core.quarters import Quarter
from bot.roster import import_roster
from bot.scheduler import TICK_JOB, Scheduler, Ticker
from bot.services.coverage import quarter_coverage
from storage.outbox import Queued

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE = "office"


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


def settings(tmp_path: Path, **reminders) -> Config:
    return Config(
        storage=Storage(path=str(tmp_path / "bot.sqlite3")),
        access=Access(admins=["M01"], digest_chats=[f"{CHANNEL}:{OFFICE}"]),
        reminders=Reminders(**reminders),
    )


@pytest.fixture
async def town(tmp_path: Path):
    opened = await make_world(tmp_path, settings(tmp_path))
    try:
        yield opened
    finally:
        await opened.store.close()


async def live_until(world: World, until: datetime, step: timedelta = timedelta(minutes=5)):
    """Tick and deliver every STEP until UNTIL, as `run` would."""
    while world.clock.now() < until:
        world.clock.set(min(world.clock.now() + step, until))
        await world.app.scheduler.run_due(world.clock.now())
        await world.app.delivery.drain()


async def outbox_rows(world: World, like: str = "%") -> list[tuple[str, str]]:
    rows = await world.store.db.fetchall(
        "SELECT key, state FROM outbox WHERE key LIKE ? ORDER BY id", (like,)
    )
    return [(key, state) for key, state in rows]


async def meeting_id(world: World, cell: str, starts_at: datetime) -> int:
    found = await world.store.meetings.id_of(cell, starts_at)
    assert found is not None
    return found


# --- will attend -> reminders -> check in ---------------------------------------------------


async def test_a_planned_meeting_brings_each_reminder_once_then_a_check_in_button(town):
    m01 = await town.linked("M01")
    meeting = await meeting_id(town, "C0101", local(2021, 12, 6, 16))
    await m01.tap(f"attend:{meeting}")
    await live_until(town, local(2021, 12, 5, 15, 59), step=timedelta(hours=1))
    assert not [m for m in m01.received if "C0101" in m.text or "UBND" in m.text]

    await live_until(town, local(2021, 12, 6, 16))
    reminders = [m for m in m01.received if m.text.startswith("🔔")]
    assert len(reminders) == 2
    assert all("Thứ Hai 06/12/2021 16:00" in reminder.text for reminder in reminders)
    (opening,) = [m for m in m01.received if m.text.startswith("✅")]
    assert [c.data for c in opening.choices] == [f"checkin:{meeting}"]

    # The button checks in; the meeting's secretary is asked to confirm.
    await m01.tap(opening.choices[0])
    checked = await town.store.checkins.of_member_at("M01", meeting)
    assert checked is not None and checked.status == "pending"

    # Ticking on to the window's close and beyond sends nothing more about this meeting.
    count = len(m01.received)
    await live_until(town, local(2021, 12, 6, 20))
    assert len(m01.received) == count
    rows = await outbox_rows(town, f"%meeting={meeting}:member=M01%")
    keys = [key for key, _ in rows if not key.startswith("plan:")]
    assert keys == [
        f"remind:meeting={meeting}:member=M01:before=1d",
        f"remind:meeting={meeting}:member=M01:before=2h",
        f"checkin-open:meeting={meeting}:member=M01",
    ]


async def test_restarts_recomputations_and_overlapping_ticks_queue_nothing_twice(town, tmp_path):
    m01 = await town.linked("M01")
    meeting = await meeting_id(town, "C0101", local(2021, 12, 6, 16))
    await m01.tap(f"attend:{meeting}")
    town.clock.set(local(2021, 12, 6, 14, 30))
    first = await town.app.scheduler.run_due(town.clock.now())
    assert first >= 1
    # A restarted bot (a new scheduler, nothing in memory), twice, and two ticks at once.
    restarted = build_app(town.config, town.store, town.clock).scheduler
    again = await asyncio.gather(
        restarted.run_due(town.clock.now()),
        Scheduler(town.config, town.store).run_due(town.clock.now()),
        town.app.scheduler.run_due(town.clock.now()),
    )
    assert again == [0, 0, 0]
    await town.app.delivery.drain()
    await town.app.delivery.drain()
    assert len([m for m in m01.received if m.text.startswith("🔔")]) == 1


async def test_an_unlinked_or_blocked_member_gets_no_reminder_rows(town):
    m01 = await town.linked("M01")
    meeting = await meeting_id(town, "C0101", local(2021, 12, 6, 16))
    await m01.tap(f"attend:{meeting}")
    account = await town.store.accounts.find(CHANNEL, m01.user_id)
    assert account is not None
    await town.store.accounts.mark_unreachable(account.id, town.clock.now())
    town.clock.set(local(2021, 12, 6, 14, 30))
    await town.app.scheduler.run_due(town.clock.now())
    assert await outbox_rows(town, "remind:%") == []


# --- quiet hours --------------------------------------------------------------------------


async def test_quiet_hours_hold_messages_until_morning_and_drop_the_stale(town, caplog):
    m01 = await town.linked("M01")
    c0101 = await town.store.meetings.id_of("C0101", local(2021, 12, 6, 16))
    assert c0101 is not None
    cell_id = (await town.store.meetings.view(c0101)).cell_id
    early = await town.store.meetings.schedule(
        cell_id, local(2021, 11, 24, 7, 20), None, 1, town.clock.now()
    )
    assert early is not None
    await m01.tap(f"attend:{early}")

    await live_until(town, local(2021, 11, 23, 20, 59), step=timedelta(minutes=30))
    received = len(m01.received)
    assert "Thứ Tư 24/11/2021 07:20" in m01.received[-1].text  # the day-before one
    with caplog.at_level(logging.INFO, logger="bot.delivery"):
        await live_until(town, local(2021, 11, 24, 6, 59))
        assert len(m01.received) == received  # the night: nothing, though the 2h one fell due
        await live_until(town, local(2021, 11, 24, 7, 0))
    # At 07:00 the check-in window (open since 06:50) is what matters; the 2h reminder, due at
    # 05:20, made sense only until the window opened: dropped, and logged.
    (morning,) = m01.received[received:]
    assert morning.text.startswith("✅") and morning.choices[0].data == f"checkin:{early}"
    rows = dict(await outbox_rows(town, f"%meeting={early}:member=M01%"))
    assert rows[f"remind:meeting={early}:member=M01:before=2h"] == "dropped"
    assert f"remind:meeting={early}:member=M01:before=2h dropped" in caplog.text


async def test_a_reminder_held_by_the_night_says_the_meetings_time_not_what_was_left(town):
    m01 = await town.linked("M01")
    c0101 = await town.store.meetings.id_of("C0101", local(2021, 12, 6, 16))
    cell_id = (await town.store.meetings.view(c0101)).cell_id
    eight = await town.store.meetings.schedule(
        cell_id, local(2021, 11, 24, 8, 0), None, 1, town.clock.now()
    )
    await m01.tap(f"attend:{eight}")
    town.clock.set(local(2021, 11, 24, 5, 0))
    # The 2-hour reminder falls due at 06:00, in the quiet hours, and goes out at 07:00.
    await live_until(town, local(2021, 11, 24, 7, 5), step=timedelta(minutes=1))
    (held,) = [m for m in m01.received if m.text.startswith("🔔")]
    assert "Thứ Tư 24/11/2021 08:00" in held.text
    assert "2 giờ" not in held.text and "khoảng" not in held.text


async def test_a_confirmation_request_made_at_night_waits_for_the_morning(tmp_path):
    world = await make_world(tmp_path, settings(tmp_path, quiet_hours="21:00-07:00"))
    try:
        secretary = await world.linked("C0102")
        m01 = await world.linked("M01")
        cell = (
            await world.store.meetings.view(
                await meeting_id(world, "C0102", local(2021, 11, 20, 8))
            )
        ).cell_id
        late = await world.store.meetings.schedule(
            cell, local(2021, 11, 22, 21, 0), None, 1, world.clock.now()
        )
        world.clock.set(local(2021, 11, 22, 21, 5))
        await m01.tap(f"checkin:{late}")
        assert not [m for m in secretary.received if "M01" in m.text or m.choices]
        await live_until(world, local(2021, 11, 23, 7, 0))
        assert [m for m in secretary.received if m.choices and "confirm:" in m.choices[0].data]
    finally:
        await world.store.close()


# --- members behind: weekly suggestions and nudges -----------------------------------------


async def test_one_suggestion_a_week_lists_uncovered_organizations_flagged_cells_first(town):
    m01 = await town.linked("M01")
    await live_until(town, local(2021, 11, 22, 7, 59), step=timedelta(hours=1))
    (this_week,) = [m for m in m01.received if m.text.startswith("📅")]
    assert this_week.choices and all(c.data.startswith("attend:") for c in this_week.choices)
    await live_until(town, local(2021, 11, 22, 8, 0))
    suggestions = [m for m in m01.received if m.text.startswith("📅")]
    assert len(suggestions) == 2
    assert [key for key, _ in await outbox_rows(town, "suggest:%member=M01")] == [
        "suggest:week=2021W46:member=M01",
        "suggest:week=2021W47:member=M01",
    ]
    # Its Will attend records the plan, as /meetings' does.
    await m01.tap(suggestions[-1].choices[0])
    planned = int(suggestions[-1].choices[0].data.removeprefix("attend:"))
    assert planned in await town.store.plans.meetings_planned("M01", town.clock.now())


async def test_suggestions_can_be_turned_off(tmp_path):
    world = await make_world(tmp_path, settings(tmp_path, weekly_suggestion=False))
    try:
        await world.linked("M01")
        await live_until(world, local(2021, 11, 22, 9), step=timedelta(hours=1))
        assert await outbox_rows(world, "suggest:%") == []
    finally:
        await world.store.close()


async def test_nudges_before_the_quarter_ends_name_the_missed_organizations(town):
    m05 = await town.linked("M05")
    town.clock.set(local(2021, 12, 18, 7, 0))
    await live_until(town, local(2021, 12, 18, 8, 0))
    (nudge,) = [m for m in m05.received if m.text.startswith("⏳")]
    assert nudge.text.startswith(
        "⏳ Chỉ còn 14 ngày là hết quý IV/2021: đồng chí chưa dự sinh hoạt"
    )
    await live_until(town, local(2021, 12, 29, 9, 0), step=timedelta(hours=1))
    nudges = [m for m in m05.received if m.text.startswith("⏳")]
    assert len(nudges) == 2 and "Chỉ còn 3 ngày là hết" in nudges[1].text


async def test_nudges_leave_out_an_organization_the_member_no_longer_follows(town, tmp_path):
    # The office ends M08's assignment to O07 on 1 December: still required there this quarter
    # (61 days), but M08 can no longer attend its cells as its member, so no nudge names it.
    m08 = await town.linked("M08")
    roster = copy_sample_roster(tmp_path / "roster")
    drop_rows(roster, "assignments", lambda row: not row.startswith("M08,O07,"))
    await import_roster(town.store, town.config, roster, local(2021, 12, 1, 9))
    coverage = await quarter_coverage(town.store, town.config, Quarter(2021, 4))
    (m08_pairs,) = [m.organizations for m in coverage.members if m.code == "M08"]
    assert {p.organization: p.status for p in m08_pairs} == {"O01": "missed", "O07": "missed"}

    town.clock.set(local(2021, 12, 18, 7, 0))
    await live_until(town, local(2021, 12, 18, 8, 0))

    (nudge,) = [m for m in m08.received if m.text.startswith("⏳")]
    assert "Đảng bộ phường Bồ Đề" in nudge.text
    assert "Đảng bộ Công ty CP Đầu tư Phát triển Long Biên" not in nudge.text


# --- secretaries ----------------------------------------------------------------------------


async def test_a_check_in_waiting_24_hours_is_chased_once_with_the_buttons(town):
    secretary = await town.linked("C0102")
    m01 = await town.linked("M01")
    meeting = await meeting_id(town, "C0102", local(2021, 11, 20, 8))
    await m01.tap(f"checkin:{meeting}")

    def chases() -> list[Message]:  # of M01's check-in (the sample's M07 has one of its own)
        return [
            m
            for m in secretary.received
            if m.text.startswith("⌛") and "Nguyễn Văn Thành" in m.text
        ]

    await live_until(town, local(2021, 11, 21, 7, 59), step=timedelta(minutes=30))
    assert chases() == []
    await live_until(town, local(2021, 11, 21, 8, 30))
    (chase,) = chases()
    confirm = chase.choices[0]
    assert confirm.data.startswith("confirm:")
    await secretary.tap(confirm)
    await live_until(town, local(2021, 11, 23, 9), step=timedelta(hours=1))
    assert len(chases()) == 1


async def test_a_cell_without_next_months_date_by_the_25th_is_chased_once(town):
    secretary = await town.linked("C0102")
    await live_until(town, local(2021, 11, 25, 9), step=timedelta(hours=1))
    # December's meetings are set in the sample: nothing to chase in November.
    assert not [m for m in secretary.received if m.text.startswith("📆")]
    town.clock.set(local(2021, 12, 25, 7))
    await live_until(town, local(2021, 12, 27, 9), step=timedelta(hours=1))
    (chase,) = [m for m in secretary.received if m.text.startswith("📆")]
    assert "01/2022" in chase.text and "/datlich" in chase.text
    assert chase.text.startswith("📆 Chi bộ Tổ dân phố số 3 chưa có lịch")  # "Chi bộ" once


async def test_the_date_chase_fires_at_8_though_the_25th_was_looked_at_since_midnight(town):
    # As `run` and the demo live through the night: ticks at 00:00 on the 25th, when the
    # chase is not yet due, then on to the morning.
    secretary = await town.linked("C0102")
    town.clock.set(local(2021, 12, 24, 22))
    await live_until(town, local(2021, 12, 25, 7, 55), step=timedelta(minutes=30))
    assert not [m for m in secretary.received if m.text.startswith("📆")]
    await live_until(town, local(2021, 12, 25, 10), step=timedelta(minutes=30))
    (chase,) = [m for m in secretary.received if m.text.startswith("📆")]
    assert "01/2022" in chase.text


# --- the digest ---------------------------------------------------------------------------


async def test_the_digest_reaches_each_digest_chat_once_with_its_files(town):
    office = town.stranger(OFFICE)
    town.clock.set(local(2021, 12, 31, 16, 50))
    await live_until(town, local(2021, 12, 31, 17, 0))
    inbox = town.inbox.inboxes[OFFICE]
    files = [m.text for m in inbox if m.text.startswith("[file")]
    assert files[0].startswith("[file digest-2021Q4.xlsx]")
    assert files[1].startswith("[file digest-2021Q4.png]")
    assert "2021" in inbox[0].text
    before = len(inbox)
    await live_until(town, local(2021, 12, 31, 18, 0))
    restarted = build_app(town.config, town.store, town.clock)
    assert await restarted.scheduler.run_due(town.clock.now()) == 0
    assert len(town.inbox.inboxes[OFFICE]) == before
    assert office.received == inbox


async def test_a_bot_down_at_digest_time_sends_it_on_start(town):
    town.clock.set(local(2022, 1, 3, 9, 0))
    assert await town.app.scheduler.run_due(town.clock.now()) == 1  # one chat's digest
    await town.app.delivery.drain()
    assert town.inbox.inboxes[OFFICE][-1].text.startswith("[file digest-2021Q4.png]")


# --- the tick job ---------------------------------------------------------------------------


async def test_the_tick_job_is_one_interval_job_that_runs_due_work(town):
    m01 = await town.linked("M01")
    ticker = Ticker(town.app.scheduler, town.clock, timedelta(seconds=60))
    job = ticker.aps.get_job(TICK_JOB)
    assert job is not None and job.trigger.interval == timedelta(seconds=60)
    assert (job.max_instances, job.coalesce) == (1, True)
    town.clock.set(local(2021, 11, 22, 8, 0))
    await ticker.start()
    try:
        assert ticker.aps.running
        await town.app.delivery.drain()
        assert [m for m in m01.received if m.text.startswith("📅")]
    finally:
        await ticker.stop()
    assert not ticker.aps.running


async def test_a_stale_row_is_never_claimed_and_is_dropped_once(town):
    now = town.clock.now()
    stale = Queued("k:stale", {"text": "late"}, now - timedelta(hours=2), now - timedelta(hours=1))
    fresh = Queued(
        "k:fresh", {"text": "on time"}, now - timedelta(hours=2), now + timedelta(hours=1)
    )
    assert await town.store.outbox.enqueue_all([stale, fresh], now) == 2

    claimed = await town.store.outbox.claim_due(now)
    assert [item.key for item in claimed] == ["k:fresh"]
    assert await town.store.outbox.drop_expired(now) == ["k:stale"]
    assert await town.store.outbox.drop_expired(now) == []
    assert dict(await outbox_rows(town, "k:%")) == {"k:stale": "dropped", "k:fresh": "sending"}


async def test_someone_linking_mid_week_still_gets_that_weeks_suggestion(town):
    m01 = await town.linked("M01")
    await live_until(town, local(2021, 11, 22, 9), step=timedelta(hours=1))
    assert [m for m in m01.received if m.text.startswith("📅")]

    m02 = await town.linked("M02")  # on Tuesday, the same scheduler still running
    await live_until(town, local(2021, 11, 23, 10), step=timedelta(hours=1))
    assert [key for key, _ in await outbox_rows(town, "suggest:week=2021W47:member=M02")] == [
        "suggest:week=2021W47:member=M02"
    ]
    assert len([m for m in m02.received if m.text.startswith("📅")]) == 1
