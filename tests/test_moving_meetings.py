"""A cell secretary moves or cancels a coming meeting: /schedule alone, Move, Cancel.

The sample district at 2021-11-20 08:00 local. C0101 (O01, secretary Đinh Minh Bình) meets on
Monday 06/12 at 16:00. O01's members: M01 covered it in October; M07's check-in is pending;
M08 has none, so M07 and M08 are the ones yet to visit.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from conftest import dump
from dialogue import World, make_world, texts

from bot.app import build_app
from bot.core.config import Config, Reminders
from bot.core.local_time import parse_local_time
from storage.timefmt import from_db


def at(world: World, local: str) -> datetime:
    return parse_local_time(local, world.config.committee.tz)


async def meeting_id(world: World, cell: str, local: str) -> int:
    found = await world.store.meetings.id_of(cell, at(world, local))
    assert found is not None, (cell, local)
    return found


async def meeting_row(world: World, meeting: int) -> tuple:
    row = await world.store.db.fetchone(
        "SELECT starts_at, venue, kind, cancelled_at, cancelled_by FROM meetings WHERE id = ?",
        (meeting,),
    )
    return (from_db(row[0]), *row[1:])


async def plans_of(world: World, member: str) -> set[int]:
    return await world.store.plans.meetings_planned(member, at(world, "2021-01-01 00:00"))


async def live_until(world: World, until: datetime, step: timedelta = timedelta(minutes=5)):
    """Tick and deliver every STEP until UNTIL, as `run` would."""
    while world.clock.now() < until:
        world.clock.set(min(world.clock.now() + step, until))
        await world.app.scheduler.run_due(world.clock.now())
        await world.app.delivery.drain()


def dump_but_last_seen(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {**tables, "accounts": [row[:6] + row[7:] for row in tables["accounts"]]}


async def cancel(secretary, meeting: int):
    """Cancel, then Yes; the replies to the Yes."""
    question = (await secretary.tap(f"cancel:{meeting}"))[-1]
    assert [c.data for c in question.choices] == [f"cancel-yes:{meeting}", f"cancel-no:{meeting}"]
    return await secretary.tap(question.choices[0])


# -- the list ------------------------------------------------------------------------------


async def test_schedule_alone_lists_the_coming_meetings_with_move_and_cancel(world):
    secretary = await world.linked("C0101")
    reply = (await secretary.send("/schedule"))[-1]
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    assert "Các buổi sinh hoạt sắp tới" in reply.text
    assert "• Chi bộ Cơ quan UBND phường (C0101)\n    Thứ Hai 06/12/2021 16:00" in reply.text
    assert "05/11/2021" not in reply.text  # past meetings are not to change
    assert "/schedule 27/11 19h30" in reply.text  # and how to set one
    assert [(c.label, c.data) for c in reply.choices] == [
        ("Dời: C0101 06/12", f"move:{december}"),
        ("Hủy: C0101 06/12", f"cancel:{december}"),
    ]


async def test_a_cell_with_nothing_coming_is_told_how_to_set_one(world):
    world.clock.set(at(world, "2021-12-31 20:00"))
    secretary = await world.linked("C0101")
    reply = (await secretary.send("/datlich"))[-1]
    assert "chưa có buổi sinh hoạt nào sắp tới" in reply.text and "ví dụ" in reply.text
    assert reply.choices == ()


# -- cancel --------------------------------------------------------------------------------


async def test_cancel_asks_then_keeps_the_row_and_tells_those_who_would_come(world):
    m01, m07, m08 = [await world.linked(code) for code in ("M01", "M07", "M08")]
    secretary = await world.linked("C0101")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    await m01.tap(f"attend:{december}")

    done = (await cancel(secretary, december))[-1].text
    assert "Đã hủy buổi sinh hoạt Chi bộ Cơ quan UBND phường (Thứ Hai 06/12/2021 16:00)" in done
    assert "Đã báo cho 3 Quận ủy viên" in done
    starts, _, kind, cancelled_at, cancelled_by = await meeting_row(world, december)
    assert (starts, kind, cancelled_at) == (
        at(world, "2021-12-06 16:00"),
        "regular",
        "2021-11-20T01:00:00+00:00",
    )
    assert cancelled_by == (
        await world.store.db.fetchval("SELECT secretary_id FROM cells WHERE code = 'C0101'")
    )
    assert await plans_of(world, "M01") == set()
    for member in (m01, m07, m08):
        (told,) = [m for m in member.received if m.text.startswith("❌")]
        assert "Chi bộ Cơ quan UBND phường (Đảng bộ phường Bồ Đề) hủy" in told.text
        assert "Thứ Hai 06/12/2021 16:00" in told.text

    # Gone from everything a member is offered; old buttons say why.
    listing = (await m01.send("/meetings"))[-1]
    assert "06/12/2021 16:00" not in listing.text
    assert f"attend:{december}" not in [c.data for c in listing.choices]
    before = await dump(world.store)
    assert "đã bị hủy" in texts(await m08.tap(f"attend:{december}"))
    world.clock.set(at(world, "2021-12-06 15:50"))
    assert "06/12/2021 16:00" not in texts(await m08.send("/checkin"))
    assert "đã bị hủy" in texts(await m08.tap(f"checkin:{december}"))
    assert dump_but_last_seen(await dump(world.store)) == dump_but_last_seen(before)


async def test_cancel_says_who_could_not_be_told_never_that_nobody_was_concerned(world):
    """Members yet to visit O01 are concerned, and none of them has linked a chat."""
    secretary = await world.linked("C0101")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")

    done = (await cancel(secretary, december))[-1].text
    assert re.search(r"\n[1-9]\d* Quận ủy viên chưa được báo vì bot không liên lạc được", done)
    assert "Không có Quận ủy viên nào cần báo" not in done and "Đã báo cho" not in done


async def test_no_to_cancelling_changes_nothing(world):
    secretary = await world.linked("C0101")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    question = (await secretary.tap(f"cancel:{december}"))[-1]
    before = await dump(world.store)
    assert "vẫn giữ nguyên" in texts(await secretary.tap(question.choices[1]))
    assert dump_but_last_seen(await dump(world.store)) == dump_but_last_seen(before)


async def test_a_second_yes_cancels_nothing_more_and_tells_nobody_twice(world):
    m08 = await world.linked("M08")
    secretary = await world.linked("C0101")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    await cancel(secretary, december)
    before = await dump(world.store)
    again = texts(await secretary.tap(f"cancel-yes:{december}"))
    assert "đã bị hủy hoặc đã dời rồi" in again
    assert dump_but_last_seen(await dump(world.store)) == dump_but_last_seen(before)
    assert len([m for m in m08.received if m.text.startswith("❌")]) == 1


async def test_no_reminder_for_a_cancelled_meeting_ever_even_across_a_restart(tmp_path):
    world = await make_world(tmp_path, Config(reminders=Reminders(quiet_hours="21:00-07:00")))
    try:
        m01 = await world.linked("M01")
        secretary = await world.linked("C0101")
        cell = await world.store.db.fetchval("SELECT id FROM cells WHERE code = 'C0101'")
        eight = await world.store.meetings.schedule(
            cell, at(world, "2021-11-24 08:00"), None, 1, world.now()
        )
        await m01.tap(f"attend:{eight}")
        # 06:05: the 2-hour reminder is due and queued, held back by the quiet hours.
        world.clock.set(at(world, "2021-11-24 06:00"))
        await live_until(world, at(world, "2021-11-24 06:05"))
        queued = await world.store.db.fetchall(
            "SELECT key, state FROM outbox WHERE key LIKE 'remind:%'"
        )
        assert [tuple(row) for row in queued] == [
            (f"remind:meeting={eight}:member=M01:before=2h", "queued")
        ]
        await cancel(secretary, eight)
        # A restarted bot ticks on through the meeting's time and its check-in window.
        world.app = build_app(world.config, world.store, world.clock)
        world.app.add_channel("test", world.inbox)
        await live_until(world, at(world, "2021-11-24 12:00"))
        about = [m for m in m01.received if "24/11/2021 08:00" in m.text]
        assert [m.text[0] for m in about] == ["❌"]  # the cancellation only, at 07:00
        rows = await world.store.db.fetchall(
            "SELECT key, state FROM outbox WHERE key LIKE ?", (f"%:meeting={eight}:%",)
        )
        states = {key.split(":")[0]: state for key, state in rows if "member=M01" in key}
        assert states == {"plan": "sent", "remind": "dropped", "meeting-cancelled": "sent"}
    finally:
        await world.store.close()


# -- move ----------------------------------------------------------------------------------


async def test_move_asks_for_the_new_time_and_the_plans_follow(world):
    m01, m08 = await world.linked("M01"), await world.linked("M08")
    secretary = await world.linked("C0101")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    await m01.tap(f"attend:{december}")

    asked = (await secretary.tap(f"move:{december}"))[-1].text
    assert "Dời buổi sinh hoạt Chi bộ Cơ quan UBND phường (Thứ Hai 06/12/2021 16:00)" in asked
    done = (await secretary.send("08/12 19h30 Hội trường tầng 3"))[-1].text
    assert "Đã dời buổi sinh hoạt Chi bộ Cơ quan UBND phường" in done
    assert "từ Thứ Hai 06/12/2021 16:00 sang Thứ Tư 08/12/2021 19:30" in done
    assert "Hội trường tầng 3" in done

    moved = await meeting_id(world, "C0101", "2021-12-08 19:30")
    assert moved != december  # a new meeting; the old one kept, cancelled
    assert (await meeting_row(world, december))[3] == "2021-11-20T01:00:00+00:00"
    assert (await meeting_row(world, moved))[:4] == (
        at(world, "2021-12-08 19:30"),
        "Hội trường tầng 3",
        "regular",
        None,
    )
    assert await plans_of(world, "M01") == {moved}
    (told,) = [m for m in m01.received if m.text.startswith("📆")]
    assert "sang Thứ Tư 08/12/2021 19:30" in told.text and "vẫn được ghi là sẽ dự" in told.text
    assert told.choices == ()
    (told,) = [m for m in m08.received if "sang Thứ Tư 08/12/2021 19:30" in m.text]
    assert [c.data for c in told.choices] == [f"attend:{moved}"]

    # The reminders follow the new time, and none comes for the old one.
    await live_until(world, at(world, "2021-12-08 19:30"), step=timedelta(minutes=30))
    reminders = [m.text for m in m01.received if m.text.startswith("🔔")]
    assert len(reminders) == 2 and all("08/12/2021 19:30" in r for r in reminders)


async def test_a_move_keeps_the_meetings_own_venue_unless_a_new_one_is_typed(world):
    secretary = await world.linked("C0101")
    await secretary.send("/schedule 15/12 08:00 Sân nhà văn hóa")
    fifteenth = await meeting_id(world, "C0101", "2021-12-15 08:00")
    await secretary.tap(f"move:{fifteenth}")
    await secretary.send("16/12/2021 08:00")
    sixteenth = await meeting_id(world, "C0101", "2021-12-16 08:00")
    assert (await meeting_row(world, sixteenth))[1] == "Sân nhà văn hóa"


async def test_a_move_to_a_night_hour_is_confirmed_first(world):
    secretary = await world.linked("C0101")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    await secretary.tap(f"move:{december}")
    question = (await secretary.send("06/12 22:30"))[-1]
    assert "ban đêm" in question.text
    assert (await meeting_row(world, december))[3] is None  # nothing moved while asking
    done = (await secretary.tap(question.choices[0]))[-1].text
    assert "sang Thứ Hai 06/12/2021 22:30" in done


async def test_no_to_a_night_hour_waits_for_another_time(world):
    secretary = await world.linked("C0101")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    await secretary.tap(f"move:{december}")
    question = (await secretary.send("06/12 22:30"))[-1]
    assert "Chưa dời" in texts(await secretary.tap(question.choices[1]))
    assert "sang Thứ Ba 07/12/2021 16:00" in texts(await secretary.send("07/12 16:00"))


async def test_a_mistyped_or_taken_time_is_refused_and_another_may_be_typed(world):
    secretary = await world.linked("C0101")
    await secretary.send("/schedule 15/12 08:00")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    await secretary.tap(f"move:{december}")
    before = await dump(world.store)
    for typed, why in [
        ("31/11 08:00", "tháng 11 năm 2021 chỉ có 30 ngày"),
        ("mai", "không phải ngày giờ hợp lệ"),
        ("15/12 08:00", "đã có buổi sinh hoạt lúc Thứ Tư 15/12/2021 08:00"),
        ("19/11/2021 08:00", "đã qua"),
    ]:
        reply = texts(await secretary.send(typed))
        assert why in reply, typed
    assert "gõ lại ngày và giờ mới" in reply or "đã qua" in reply
    assert dump_but_last_seen(await dump(world.store)) == dump_but_last_seen(before)
    assert "sang Thứ Ba 14/12/2021 08:00" in texts(await secretary.send("14/12 08:00"))


async def test_moving_back_sets_the_cancelled_meeting_again(world):
    m01 = await world.linked("M01")
    secretary = await world.linked("C0101")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    await m01.tap(f"attend:{december}")
    await secretary.tap(f"move:{december}")
    await secretary.send("07/12 16:00")
    world.clock.advance(timedelta(minutes=1))
    seventh = await meeting_id(world, "C0101", "2021-12-07 16:00")
    await secretary.tap(f"move:{seventh}")
    done = texts(await secretary.send("06/12 16:00"))
    assert "sang Thứ Hai 06/12/2021 16:00" in done
    assert (await meeting_row(world, december))[3] is None  # the same meeting, on again
    assert (await meeting_row(world, seventh))[3] is not None
    assert await plans_of(world, "M01") == {december}
    moves = [m.text for m in m01.received if m.text.startswith("📆")]
    assert len(moves) == 2 and "sang Thứ Hai 06/12/2021 16:00" in moves[1]


async def test_a_cancelled_meeting_set_again_by_schedule_is_news_again(world):
    m08 = await world.linked("M08")
    secretary = await world.linked("C0101")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    await secretary.send("/schedule 15/12 08:00")
    fifteenth = await meeting_id(world, "C0101", "2021-12-15 08:00")
    await cancel(secretary, fifteenth)
    world.clock.advance(timedelta(minutes=1))
    assert "Đã đặt lịch" in texts(await secretary.send("/schedule 15/12 08:00"))
    assert await meeting_id(world, "C0101", "2021-12-15 08:00") == fifteenth
    about = [m.text[:2] for m in m08.received if "15/12/2021 08:00" in m.text]
    assert len(about) == 3 and about[1].startswith("❌")  # set, cancelled, set again
    assert december != fifteenth


async def test_set_again_in_the_night_the_queued_news_of_its_cancellation_is_called_back(world):
    m08 = await world.linked("M08")
    secretary = await world.linked("C0101")
    await secretary.send("/schedule 15/12 08:00")
    fifteenth = await meeting_id(world, "C0101", "2021-12-15 08:00")
    world.clock.set(at(world, "2021-11-20 22:00"))  # the quiet hours: news waits for 07:00
    await cancel(secretary, fifteenth)
    world.clock.advance(timedelta(minutes=1))
    await secretary.send("/schedule 15/12 08:00")
    await live_until(world, at(world, "2021-11-21 07:05"))
    about = [m.text for m in m08.received if "15/12/2021 08:00" in m.text]
    assert len(about) == 2 and not [text for text in about if text.startswith("❌")]


# -- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["move", "cancel", "cancel-yes"])
async def test_what_may_not_be_changed_is_refused_and_changes_nothing(world, prefix):
    secretary = await world.linked("C0101")
    other_cell = await meeting_id(world, "C0205", "2021-12-05 08:00")
    past = await meeting_id(world, "C0101", "2021-11-05 16:00")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    before = await dump(world.store)
    refusals = {
        f"{prefix}:{other_cell}": "Không tìm thấy buổi sinh hoạt này",
        f"{prefix}:999999": "Không tìm thấy buổi sinh hoạt này",
        f"{prefix}:abc": "Không tìm thấy buổi sinh hoạt này",
        f"{prefix}:": "Không tìm thấy buổi sinh hoạt này",
        f"{prefix}:{past}": "đã bắt đầu hoặc đã qua",
    }
    for data, refusal in refusals.items():
        assert refusal in texts(await secretary.tap(data)), data
    assert dump_but_last_seen(await dump(world.store)) == dump_but_last_seen(before)
    # A member who checked in makes it a meeting taking place.
    world.clock.set(at(world, "2021-12-06 15:45"))
    m08 = await world.linked("M08")
    await m08.tap(f"checkin:{december}")
    before = await dump(world.store)
    assert "Đã có Quận ủy viên điểm danh" in texts(await secretary.tap(f"{prefix}:{december}"))
    assert dump_but_last_seen(await dump(world.store)) == dump_but_last_seen(before)


async def test_members_cannot_move_or_cancel(world):
    member = await world.linked("M08")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    before = await dump(world.store)
    for data in (f"move:{december}", f"cancel:{december}", f"cancel-yes:{december}"):
        assert "dành cho bí thư chi bộ" in texts(await member.tap(data))
    assert dump_but_last_seen(await dump(world.store)) == dump_but_last_seen(before)


async def test_a_move_whose_meeting_was_cancelled_meanwhile_stops(world):
    secretary = await world.linked("C0101")
    december = await meeting_id(world, "C0101", "2021-12-06 16:00")
    await secretary.tap(f"move:{december}")
    await world.store.db.execute(
        "UPDATE meetings SET cancelled_at = '2021-11-20T01:00:00+00:00' WHERE id = ?",
        (december,),
    )
    assert "đã bị hủy hoặc đã dời rồi" in texts(await secretary.send("07/12 16:00"))
    assert await world.store.meetings.id_of("C0101", at(world, "2021-12-07 16:00")) is None
    assert await world.store.conversations.get("test", secretary.user_id) is None


# -- the scheduler leaves a cancelled meeting out -----------------------------------------


async def test_suggestions_and_the_date_chase_leave_a_cancelled_meeting_out(world):
    m01 = await world.linked("M01")  # O11 not yet visited; it meets on 13/12 at 14:00
    c0101 = await world.linked("C0101")
    # O11 has no secretary on the roster: its meeting is cancelled in the store.
    o11 = await meeting_id(world, "O11", "2021-12-13 14:00")
    assert await world.store.meetings.cancel(o11, 1, world.now())
    await cancel(c0101, await meeting_id(world, "C0101", "2021-12-06 16:00"))
    await live_until(world, at(world, "2021-11-25 09:00"), step=timedelta(hours=1))
    suggestions = [m.text for m in m01.received if m.text.startswith("📅")]
    assert suggestions and all("13/12/2021 14:00" not in s for s in suggestions)
    assert "Chi bộ Trạm Y tế phường Cự Khối (O11):\n   – chưa có lịch sinh hoạt" in suggestions[-1]
    # C0101 has no December meeting any more: its secretary is chased on the 25th.
    (chase,) = [m.text for m in c0101.received if m.text.startswith("📆")]
    assert "Chi bộ Cơ quan UBND phường chưa có lịch sinh hoạt tháng 12/2021" in chase
