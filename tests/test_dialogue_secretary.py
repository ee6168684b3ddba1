"""Cell secretaries set meetings and confirm check-ins; the office reads the quarter's report.

The sample district at 2021-11-20 08:00 local. Pending check-ins there: M07 at C0106 (O01),
M09 at C0203 (O02), M12 at C0405 (O04, speaks English), M05 at C0505, M20 at C0903.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import dump
from dialogue import World, forget_open_quarters_checkins, make_world, texts

from bot.core.config import Access, Config
from bot.core.coverage import QuarterCoverage
from bot.core.i18n import catalog
from bot.core.quarters import Quarter
from bot.core.texts import confirm as confirm_texts
from bot.core.texts import digest as digest_texts
from bot.core.texts import schedule as schedule_texts
from bot.services.coverage import quarter_coverage
from storage.timefmt import from_db

Q4 = Quarter(2021, 4)


@pytest.fixture
async def office(tmp_path):
    """M01 is an admin; chat -100500 of the test channel is a digest chat."""
    config = Config(access=Access(admins=["M01"], digest_chats=["test:-100500"]))
    world = await make_world(tmp_path, config)
    yield world
    await world.store.close()


def without_last_seen(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """A dump minus accounts.last_seen_at, which moves with the clock on every message."""
    return {**tables, "accounts": [row[:6] + row[7:] for row in tables["accounts"]]}


async def meetings_of(world: World, cell: str) -> list[tuple]:
    rows = await world.store.db.fetchall(
        "SELECT mt.starts_at, mt.venue, mt.kind, mt.set_by, mt.created_at FROM meetings mt"
        " JOIN cells c ON c.id = mt.cell_id WHERE c.code = ? ORDER BY mt.starts_at",
        (cell,),
    )
    return [(from_db(r[0]), *r[1:]) for r in rows]


async def person_id(world: World, cell: str) -> int:
    return await world.store.db.fetchval("SELECT secretary_id FROM cells WHERE code = ?", (cell,))


async def checkin_id(world: World, member: str, cell: str) -> int:
    return await world.store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " JOIN meetings mt ON mt.id = ch.meeting_id JOIN cells c ON c.id = mt.cell_id"
        " WHERE m.code = ? AND c.code = ?",
        (member, cell),
    )


async def checkin_status(world: World, checkin: int) -> tuple:
    row = await world.store.db.fetchone(
        "SELECT status, decided_by, decided_at FROM checkins WHERE id = ?", (checkin,)
    )
    return tuple(row)


async def status_of(world: World, member: str, organization: str) -> str:
    coverage: QuarterCoverage = await quarter_coverage(world.store, world.config, Q4)
    pairs = next(m.organizations for m in coverage.members if m.code == member)
    return next(p.status for p in pairs if p.organization == organization)


def local(world: World, text: str):
    from bot.roster.parse import parse_local_time

    return parse_local_time(text, world.config.committee.tz)


# /schedule ----------------------------------------------------------------------------------


async def test_schedule_with_iso_date_stores_the_meeting_with_the_cells_usual_venue(world):
    secretary = await world.linked("C0101")
    replies = await secretary.send("/schedule 2021-12-15 08:00")
    assert "Thứ Tư 15/12/2021 08:00" in replies[-1].text
    assert "Phòng họp tầng 2, UBND phường Bồ Đề" in replies[-1].text  # the cell's usual place
    stored = (await meetings_of(world, "C0101"))[-1]
    assert stored == (
        local(world, "2021-12-15 08:00"),
        None,
        "regular",
        await person_id(world, "C0101"),
        "2021-11-20T01:00:00+00:00",
    )


async def test_schedule_with_day_first_date_keeps_the_venue_words(world):
    secretary = await world.linked("C0101")
    replies = await secretary.send("/datlich 15/12/2021 19:30 Hội trường  tầng 3, nhà B")
    assert "15/12/2021 19:30" in replies[-1].text
    assert "Hội trường tầng 3, nhà B" in replies[-1].text
    starts_at, venue, *_ = (await meetings_of(world, "C0101"))[-1]
    assert starts_at == local(world, "2021-12-15 19:30")
    assert venue == "Hội trường tầng 3, nhà B"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/schedule", "ví dụ"),
        ("/schedule 2021-12-15", "ví dụ"),
        ("/schedule tomorrow morning", '"tomorrow morning" không phải ngày giờ hợp lệ'),
        ("/schedule 2021-13-01 08:00", "Không có tháng 13: tháng viết từ 1 đến 12"),
        ("/schedule 31/11/2021 08:00", "Không có ngày 31/11/2021: tháng 11 năm 2021 chỉ có 30"),
        ("/schedule 31/02/2022 08:00", "tháng 2 năm 2022 chỉ có 28 ngày"),
        ("/schedule 29/02 08:00", "Không có ngày 29/02/2022"),
        ("/schedule 15/12 24:00", "Không có giờ 24:00"),
        ("/schedule 15/12 7 giờ", "không phải ngày giờ hợp lệ"),
        ("/schedule 15/12/2021-08:00", "ví dụ"),
        ("/schedule 2021-11-20 08:00", "đã qua"),  # exactly now
        ("/schedule 19/11/2021 20:00", "đã qua"),
        ("/schedule 2022-03-21 08:00", "quá xa"),  # 121 days ahead
        ("/schedule 2022-12-15 08:00", "quá xa"),  # a year typo
        ("/schedule 06/12/2021 16:00", "đã có buổi sinh hoạt"),  # the sample's December meeting
        (f"/schedule 2021-12-15 08:00 {'x' * 201}", "dài quá 200"),
    ],
)
async def test_bad_schedule_says_what_to_type_and_changes_nothing(world, typed, expected):
    secretary = await world.linked("C0101")
    before = await dump(world.store)
    replies = await secretary.send(typed)
    assert len(replies) == 1
    assert expected in replies[0].text
    assert await dump(world.store) == before


async def test_usage_shows_the_date_forms_with_examples_a_week_ahead(world):
    secretary = await world.linked("C0101")
    text = (await secretary.send("/schedule nonsense"))[-1].text
    assert "/schedule 27/11 19h30" in text and "/schedule 27/11/2021 08:00" in text
    assert "NGÀY/THÁNG, NGÀY/THÁNG/NĂM hoặc NĂM-THÁNG-NGÀY" in text and "19g30" in text


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("/schedule 25/11 19:00", "2021-11-25 19:00"),  # this year: still to come
        ("/schedule 05/01 08:00", "2022-01-05 08:00"),  # next year: this year's is past
        ("/datlich 15/12 19h30", "2021-12-15 19:30"),
        ("/datlich 15/12 19g30", "2021-12-15 19:30"),
        ("/datlich 15/12 8h", "2021-12-15 08:00"),
        ("/schedule 15-12-2021 08:00", "2021-12-15 08:00"),
        ("/schedule 15.12.2021 08:00", "2021-12-15 08:00"),
    ],
)
async def test_dates_and_times_as_people_type_them(world, typed, meant):
    secretary = await world.linked("C0101")
    reply = (await secretary.send(typed))[-1].text
    assert "Đã đặt lịch sinh hoạt" in reply
    assert local(world, meant) in [m[0] for m in await meetings_of(world, "C0101")]


async def test_a_day_that_does_not_exist_is_named_in_english_too(world):
    secretary = await world.linked("C0101")
    await secretary.send("/lang en")
    before = await dump(world.store)
    reply = (await secretary.send("/schedule 31/02/2022 08:00"))[-1].text
    assert reply.startswith("There is no 31/02/2022: February has 28 days in 2022.")
    assert await dump(world.store) == before


@pytest.mark.parametrize(
    ("typed", "question"),
    [
        ("/schedule 20/11 08:45", "chưa đầy một giờ nữa"),
        ("/schedule 15/12 22:30", "ban đêm"),
        ("/schedule 16/12 04:30", "ban đêm"),
    ],
)
async def test_a_time_too_soon_or_at_night_is_set_only_once_confirmed(world, typed, question):
    secretary = await world.linked("C0101")
    before = await meetings_of(world, "C0101")
    asked = (await secretary.send(typed))[-1]
    assert question in asked.text
    assert [c.label for c in asked.choices] == ["Có, giữ giờ này", "Không"]
    assert await meetings_of(world, "C0101") == before  # nothing set while asking
    done = (await secretary.tap(asked.choices[0]))[-1].text
    assert "Đã đặt lịch sinh hoạt" in done
    assert len(await meetings_of(world, "C0101")) == len(before) + 1
    # The question's answer is spent: a second tap finds nothing waiting.
    assert "không còn hiệu lực" in (await secretary.tap(asked.choices[0]))[-1].text


async def test_no_to_the_question_sets_nothing(world):
    secretary = await world.linked("C0101")
    asked = (await secretary.send("/schedule 15/12 22:30 Hội trường"))[-1]
    replies = await secretary.tap(asked.choices[1])
    assert "Chưa đặt lịch; không có gì thay đổi" in replies[-1].text
    before = await dump(world.store)
    assert "không còn hiệu lực" in (await secretary.tap(asked.choices[0]))[-1].text
    assert without_last_seen(await dump(world.store)) == without_last_seen(before)
    assert await world.store.conversations.get("test", secretary.user_id) is None


async def test_the_question_cannot_be_skipped_by_forging_the_cells_choice(world):
    secretary = await secretary_of_two_cells(world)
    asked = (await secretary.send("/schedule 15/12 22:30 Sân"))[-1]
    cell = await world.store.db.fetchval("SELECT id FROM cells WHERE code = 'C0102'")
    forged = (await secretary.tap(f"schedule:{cell}:202112152230"))[-1]
    assert "ban đêm" in forged.text  # asked again, nothing set
    assert not [m for m in await meetings_of(world, "C0102") if m[1] == "Sân"]
    done = (await secretary.tap(asked.choices[0]))[-1].text  # yes, for the cell picked
    assert "Chi bộ Tổ dân phố số 3" in done and "Sân" in done
    assert [m[1] for m in await meetings_of(world, "C0102") if m[1] == "Sân"] == ["Sân"]


async def test_a_secretary_of_two_cells_confirms_the_time_then_picks_the_cell(world):
    secretary = await secretary_of_two_cells(world)
    asked = (await secretary.send("/schedule 20/11 08:30"))[-1]
    assert "chưa đầy một giờ nữa" in asked.text
    which = (await secretary.tap(asked.choices[0]))[-1]
    assert "nhiều chi bộ" in which.text
    done = (await secretary.tap(which.choices[0]))[-1].text
    assert "Đã đặt lịch sinh hoạt Chi bộ Cơ quan UBND phường" in done
    assert local(world, "2021-11-20 08:30") in [m[0] for m in await meetings_of(world, "C0101")]


async def test_a_forged_or_stale_yes_sets_nothing(world):
    secretary = await world.linked("C0101")
    await secretary.send("/schedule 15/12 22:30")
    before = await dump(world.store)
    for data in (
        "schedule-yes:202112152231",
        "schedule-yes:2021",
        "schedule-no:x",
        "schedule-yes:",
    ):
        assert "không còn hiệu lực" in texts(await secretary.tap(data)), data
    assert without_last_seen(await dump(world.store)) == without_last_seen(before)


async def test_120_days_ahead_is_accepted_121_is_not(world):
    secretary = await world.linked("C0101")
    tz = world.config.committee.tz
    last = (world.now() + timedelta(days=120)).astimezone(tz)
    assert "Đã đặt lịch" in (await secretary.send(f"/schedule {last:%Y-%m-%d %H:%M}"))[-1].text
    beyond = last + timedelta(days=1)
    reply = (await secretary.send(f"/schedule {beyond:%Y-%m-%d %H:%M}"))[-1].text
    assert "tối đa 120 ngày" in reply and "20/03/2022" in reply


async def test_the_same_time_twice_is_refused_the_second_time(world):
    secretary = await world.linked("C0101")
    await secretary.send("/schedule 2021-12-15 08:00")
    before = await dump(world.store)
    reply = (await secretary.send("/schedule 15/12/2021 08:00 Elsewhere"))[-1].text
    assert "đã có buổi sinh hoạt lúc Thứ Tư 15/12/2021 08:00" in reply
    assert await dump(world.store) == before


async def test_members_yet_to_visit_are_told_once_and_those_who_covered_are_not(world):
    # O01: M01 covered it in October (confirmed); M07's check-in is pending; M08 has none.
    m01, m07, m08 = [await world.linked(code) for code in ("M01", "M07", "M08")]
    secretary = await world.linked("C0101")
    m12 = await world.linked("M12")  # assigned to O04, not O01
    reply = (await secretary.send("/schedule 2021-12-15 08:00 Hội trường"))[-1].text
    assert "Đã báo cho 2 Quận ủy viên" in reply
    meeting = await world.store.meetings.id_of("C0101", local(world, "2021-12-15 08:00"))

    for member in (m07, m08):
        assert len(member.received) == 1
        told = member.received[0]
        assert "Chi bộ Cơ quan UBND phường" in told.text and "15/12/2021 08:00" in told.text
        assert "Hội trường" in told.text
        assert [(c.label, c.data) for c in told.choices] == [("Sẽ dự", f"attend:{meeting}")]
    assert m01.received == [] and m12.received == []

    await secretary.send("/schedule 2021-12-15 08:00")  # taken: nobody is told again
    assert len(m07.received) == len(m08.received) == 1


async def test_a_member_whose_assignment_ended_before_the_meeting_is_not_told(world):
    # M19 followed O09 until 2021-11-15, M20 from 2021-11-16; M06 (in charge) has not visited.
    m06, m19, m20 = [await world.linked(code) for code in ("M06", "M19", "M20")]
    secretary = await world.linked("C0902")
    await secretary.send("/schedule 2021-12-15 08:00")
    assert m19.received == []  # its only O09 visit is confirmed, and it no longer follows O09
    assert len(m06.received) == 1 and len(m20.received) == 1


async def test_an_english_speaking_member_is_told_in_english(world):
    m12 = await world.linked("M12")
    secretary = await world.linked("C0401")
    await secretary.send("/schedule 2021-12-15 08:00")
    assert "meets on Wed 15/12/2021 08:00" in m12.received[0].text
    assert m12.received[0].choices[0].label == "Will attend"


async def test_strangers_and_plain_members_cannot_schedule(world):
    before = await dump(world.store)
    assert "đường link mời" in texts(await world.stranger().send("/schedule 2021-12-15 08:00"))
    assert await dump(world.store) == before
    member = await world.linked("M01")
    before = await dump(world.store)
    assert "dành cho bí thư chi bộ" in texts(await member.send("/schedule 2021-12-15 08:00"))
    assert "dành cho bí thư chi bộ" in texts(await member.tap("schedule:1:202112150800"))
    assert await dump(world.store) == before


async def test_english_secretary_gets_english_errors(world):
    secretary = await world.linked("C0101")
    await secretary.send("/lang en")
    reply = (await secretary.send("/schedule next tuesday"))[-1].text
    assert '"next tuesday" is not a valid date and time' in reply
    assert "/schedule 27/11/2021 08:00" in reply
    assert "already past" in (await secretary.send("/schedule 2021-11-01 08:00"))[-1].text


async def secretary_of_two_cells(world: World):
    """Make C0101's secretary the secretary of C0102 too (the roster allows it)."""
    await world.store.db.execute(
        "UPDATE cells SET secretary_id = (SELECT secretary_id FROM cells WHERE code = 'C0101')"
        " WHERE code = 'C0102'"
    )
    return await world.linked("C0101")


async def test_a_secretary_of_two_cells_picks_one_and_the_venue_is_kept(world):
    secretary = await secretary_of_two_cells(world)
    before = await meetings_of(world, "C0101")
    replies = await secretary.send("/schedule 2021-12-15 08:00 Sân nhà văn hóa")
    assert "nhiều chi bộ" in replies[-1].text
    labels = [c.label for c in replies[-1].choices]
    assert labels == ["Chi bộ Cơ quan UBND phường (C0101)", "Chi bộ Tổ dân phố số 3 (C0102)"]
    c0102 = replies[-1].choices[1]
    reply = (await secretary.tap(c0102))[-1].text
    assert "Chi bộ Tổ dân phố số 3" in reply and "Sân nhà văn hóa" in reply
    at = local(world, "2021-12-15 08:00")
    assert [m[1] for m in await meetings_of(world, "C0102") if m[0] == at] == ["Sân nhà văn hóa"]
    assert await meetings_of(world, "C0101") == before

    again = await dump(world.store)
    assert "không còn hiệu lực" in (await secretary.tap(c0102))[-1].text  # a second tap
    assert await dump(world.store) == again


async def test_forged_schedule_choices_are_refused(world):
    secretary = await secretary_of_two_cells(world)
    await secretary.send("/schedule 2021-12-15 08:00")
    other_cell = await world.store.db.fetchval("SELECT id FROM cells WHERE code = 'C0203'")
    before = await dump(world.store)
    forged = {
        f"schedule:{other_cell}:202112150800": "không phải bí thư",
        "schedule:99999:202112150800": "không phải bí thư",
        "schedule:xyz": "không còn hiệu lực",
        "schedule:1:202113450800": "không còn hiệu lực",
    }
    for data, expected in forged.items():
        assert expected in texts(await secretary.tap(data)), data
    assert await dump(world.store) == before


async def test_a_pick_after_the_time_has_passed_is_refused(world):
    secretary = await secretary_of_two_cells(world)
    replies = await secretary.send("/schedule 2021-11-20 09:00")
    world.clock.advance(timedelta(hours=2))
    before = await dump(world.store)
    assert "đã qua" in (await secretary.tap(replies[-1].choices[0]))[-1].text
    assert without_last_seen(await dump(world.store)) == without_last_seen(before)


# /confirm -----------------------------------------------------------------------------------


async def test_confirm_lists_the_pending_checkins_of_the_secretarys_cell(world):
    secretary = await world.linked("C0106")
    replies = await secretary.send("/xacnhan")
    assert "1 lượt điểm danh" in replies[0].text
    item = replies[1]
    assert "Hoàng Thị Lan Anh" in item.text and "Chi bộ khu dân cư Lâm Du" in item.text
    assert "Chủ Nhật 07/11/2021 19:30" in item.text and "19:30" in item.text
    checkin = await checkin_id(world, "M07", "C0106")
    assert [(c.label, c.data) for c in item.choices] == [
        ("Xác nhận", f"confirm:{checkin}"),
        ("Vắng", f"absent:{checkin}"),
    ]


async def test_confirm_with_nothing_pending_says_so(world):
    secretary = await world.linked("C0101")
    assert "Không có lượt điểm danh nào" in texts(await secretary.send("/confirm"))


async def test_confirm_tells_the_member_and_counts_for_coverage(world):
    m07 = await world.linked("M07")
    secretary = await world.linked("C0106")
    assert await status_of(world, "M07", "O01") == "pending"
    item = (await secretary.send("/confirm"))[1]
    reply = (await secretary.tap(item.choices[0]))[-1].text
    assert "Đã xác nhận đồng chí Hoàng Thị Lan Anh" in reply
    checkin = await checkin_id(world, "M07", "C0106")
    assert await checkin_status(world, checkin) == (
        "confirmed",
        await person_id(world, "C0106"),
        "2021-11-20T01:00:00+00:00",
    )
    assert "Đồng chí Hoàng Thị Lan Anh đã được báo" in reply
    assert len(m07.received) == 1
    assert "đã được bí thư chi bộ xác nhận" in m07.received[0].text
    assert await status_of(world, "M07", "O01") == "covered"
    assert "Không có lượt điểm danh nào" in texts(await secretary.send("/confirm"))


async def test_absent_denies_tells_the_member_in_english_and_does_not_count(world):
    m12 = await world.linked("M12")
    secretary = await world.linked("C0405")
    item = (await secretary.send("/confirm"))[1]
    reply = (await secretary.tap(item.choices[1]))[-1].text
    assert "vắng" in reply and "Trịnh Quốc Bảo" in reply
    checkin = await checkin_id(world, "M12", "C0405")
    assert (await checkin_status(world, checkin))[0] == "denied"
    assert "recorded as absent" in m12.received[0].text
    assert await status_of(world, "M12", "O04") == "missed"


async def test_a_second_tap_changes_nothing_and_does_not_tell_twice(world):
    m07 = await world.linked("M07")
    secretary = await world.linked("C0106")
    item = (await secretary.send("/confirm"))[1]
    await secretary.tap(item.choices[0])
    world.clock.advance(timedelta(minutes=5))
    before = await dump(world.store)
    reply = (await secretary.tap(item.choices[0]))[-1].text
    assert "đã được xác nhận lúc Thứ Bảy 20/11/2021 08:00" in reply
    assert "Không có gì thay đổi" in reply
    reply = (await secretary.tap(item.choices[1]))[-1].text  # Absent after Confirm
    assert "đã được xác nhận" in reply
    assert without_last_seen(await dump(world.store)) == without_last_seen(before)
    assert len(m07.received) == 1


async def test_an_already_denied_checkin_says_so(world):
    secretary = await world.linked("C0502")
    checkin = await checkin_id(world, "M13", "C0502")  # denied in the sample
    reply = (await secretary.tap(f"confirm:{checkin}"))[-1].text
    assert "đã được ghi vắng" in reply
    assert (await checkin_status(world, checkin))[0] == "denied"


async def test_forged_confirm_choices_are_refused_and_change_nothing(world):
    m12 = await world.linked("M12")
    secretary = await world.linked("C0106")
    elsewhere = await checkin_id(world, "M12", "C0405")
    before = await dump(world.store)
    for data in (
        f"confirm:{elsewhere}",
        f"absent:{elsewhere}",
        "confirm:999999",
        "confirm:xyz",
        "confirm:",
        "absent:-1",
        "confirm:99999999999999999999999999",
    ):
        assert "Không tìm thấy lượt điểm danh này" in texts(await secretary.tap(data)), data
    assert await dump(world.store) == before
    assert m12.received == []


async def test_a_member_who_is_no_secretary_cannot_decide(world):
    m01 = await world.linked("M01")
    checkin = await checkin_id(world, "M07", "C0106")
    before = await dump(world.store)
    assert "Không tìm thấy" in texts(await m01.tap(f"confirm:{checkin}"))
    assert "dành cho bí thư" in texts(await m01.send("/confirm"))
    assert await dump(world.store) == before


async def test_member_and_secretary_confirms_only_at_their_own_cell(world):
    m14 = await world.linked("M14")  # secretary of C0603, where nothing is pending
    assert "Không có lượt điểm danh nào" in texts(await m14.send("/confirm"))
    checkin = await checkin_id(world, "M09", "C0203")
    assert "Không tìm thấy" in texts(await m14.tap(f"confirm:{checkin}"))
    assert (await checkin_status(world, checkin))[0] == "pending"


async def test_an_admin_may_confirm_any_checkin(office):
    m09 = await office.linked("M09")
    admin = await office.linked("M01")
    checkin = await checkin_id(office, "M09", "C0203")
    reply = (await admin.tap(f"confirm:{checkin}"))[-1].text
    assert "Đã xác nhận đồng chí Ngô Thị Bích Ngọc" in reply
    status, decided_by, _ = await checkin_status(office, checkin)
    assert (status, decided_by) == (
        "confirmed",
        (await office.store.people.by_member_code("M01")).id,
    )
    assert len(m09.received) == 1
    assert await status_of(office, "M09", "O02") == "covered"


# /report ------------------------------------------------------------------------------------


async def test_report_shows_the_quarter_to_date(office):
    admin = await office.linked("M01")
    replies = await admin.send("/baocao")
    assert len(replies) == 1
    text = replies[0].text
    # The digest's workbook and chart follow the text (tests/test_digest.py checks them).
    assert [path.name for path, _ in admin.port.files] == [
        "digest-2021Q4.xlsx",
        "digest-2021Q4.png",
    ]
    coverage = await quarter_coverage(office.store, office.config, Q4)
    totals = coverage.totals
    percent = round(100 * totals["covered"] / totals["required"])
    assert "Báo cáo tổng hợp dự sinh hoạt chi bộ quý IV/2021 (số liệu đến 20/11/2021)" in text
    assert f"Phải dự: {totals['required']} · Đã dự: {totals['covered']} ({percent}%)" in text
    assert f"Chờ xác nhận: {totals['pending']} · Chưa dự: {totals['missed']}" in text
    assert "• O11 Chi bộ Trạm Y tế phường Cự Khối: Quận ủy viên chưa dự 2/2" in text
    assert "• C0302 Chi bộ khu đô thị Việt Hưng" in text and "C0205 " not in text  # visited
    missing = [m for m in coverage.members if any(p.status == "missed" for p in m.organizations)]
    assert (
        f"Quận ủy viên còn cơ sở đảng chưa dự sinh hoạt: {len(missing)}/{len(coverage.members)}."
        in text
    )
    assert len(text) <= 4096  # one Telegram message


async def test_report_caps_long_lists(office):
    admin = await office.linked("M01")
    await forget_open_quarters_checkins(office.store)  # nothing visited at all
    await office.store.db.execute(  # every cell flagged since before the quarter
        "INSERT INTO flag_periods (cell_id, raised_at, raised_by)"
        " SELECT id, NULL, 'import' FROM cells WHERE NOT flagged"
    )
    text = (await admin.send("/report"))[-1].text
    cells = await office.store.db.fetchval("SELECT count(*) FROM cells WHERE active")
    assert f"chưa được dự ({cells}):" in text and f"… và {cells - 10} nữa" in text
    assert "(10 trong " in text  # the organizations furthest behind, ten of them


async def test_report_is_for_admins_only(office):
    member = await office.linked("M02")
    assert "dành cho Văn phòng Quận ủy" in texts(await member.send("/report"))
    secretary = await office.linked("C0101")
    assert "dành cho Văn phòng Quận ủy" in texts(await secretary.send("/report"))


async def test_report_in_the_digest_chat_but_not_in_another_group(office):
    admin = await office.linked("M01")
    replies = await admin.send("/report", private=False, chat_id="-100500")
    assert "chi bộ quý IV/2021" in replies[-1].text
    replies = await admin.send("/report", private=False, chat_id="-100999")
    assert "nhắn riêng" in replies[-1].text
    member = await office.linked("M02")
    replies = await member.send("/report", private=False, chat_id="-100500")
    assert "dành cho Văn phòng Quận ủy" in replies[-1].text


async def test_report_in_english(office):
    admin = await office.linked("M01")
    await admin.send("/lang en")
    text = (await admin.send("/report"))[-1].text
    assert "visits, Q4 2021 (figures to 20/11/2021)" in text and "Required: 41" in text
    assert [caption for _, caption in admin.port.files][-1] == "Chart of Q4 2021"


# texts --------------------------------------------------------------------------------------


def test_the_secretary_and_office_texts_are_named_after_their_feature():
    # Both languages and their placeholders: tests/test_texts.py, for every key.
    for module in (schedule_texts, confirm_texts, digest_texts):
        for key, both in module.TEXTS.items():
            assert key.split(".")[0] == module.__name__.rsplit(".", 1)[1], key
            assert catalog()[key] == both


async def test_will_attend_on_the_meeting_message_reaches_the_secretary(world):
    m08 = await world.linked("M08")
    secretary = await world.linked("C0101")
    await secretary.send("/schedule 2021-12-15 08:00")
    await m08.tap(m08.received[0].choices[0])
    assert [m.text for m in secretary.received if "Bùi Văn Đức" in m.text]
    meeting = await world.store.meetings.id_of("C0101", local(world, "2021-12-15 08:00"))
    assert await world.store.plans.meetings_planned("M08", world.now()) == {meeting}
