"""A committee member's commands on the sample district: /meetings, /checkin, /note, /status.

The demo clock starts on Saturday 2021-11-20 08:00 local. M01 follows O01 (cells C0101-C0108,
C0103 flagged), O10 and O11; in 2021Q4 so far O01 and O10 are covered and O11 is not. C0102
meets right at the demo start, so its check-in window is open then.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import dump
from dialogue import CHANNEL, Person, World, texts

from bot.app import build_app
from bot.core.i18n import catalog
from bot.core.local_time import parse_local_time
from bot.core.quarters import Quarter
from bot.roster import import_roster
from bot.sample import SAMPLE_DIR
from bot.services.coverage import quarter_coverage


def at(world: World, local: str):
    return parse_local_time(local, world.config.committee.tz)


async def meeting_id(world: World, cell: str, local: str) -> int:
    found = await world.store.meetings.id_of(cell, at(world, local))
    assert found is not None, (cell, local)
    return found


def listed_cells(text: str) -> list[str]:
    """The cell codes of a /meetings list, in the order shown."""
    return re.findall(r"^• .*\((\w+)\)", text, flags=re.MULTILINE)


async def rows(world: World, sql: str, *params) -> list[tuple]:
    return [tuple(r) for r in await world.store.db.fetchall(sql, params)]


async def dump_but_last_seen(world: World) -> dict[str, list[tuple]]:
    """The whole database but the accounts, whose last_seen_at follows the moving clock."""
    tables = await dump(world.store)
    del tables["accounts"]
    return tables


async def outbox_keys(world: World, prefix: str) -> list[tuple]:
    return await rows(
        world, "SELECT key, state FROM outbox WHERE key LIKE ? ORDER BY id", prefix + "%"
    )


# -- /meetings and "Will attend" --------------------------------------------------------------


async def test_meetings_put_flagged_cells_then_uncovered_organizations_first(world):
    thanh = await world.linked("M01")
    reply = (await thanh.send("/meetings"))[-1]
    assert listed_cells(reply.text) == [
        "C0103",  # flagged (difficulties), O01
        "O11",  # O11 not yet visited this quarter
        "C0106",  # then by time: 05/12 19:30
        "C0101",
        "O10",
        "C0107",
        "C0104",
        "C0105",
        "C0102",
        "C0108",
    ]
    first_line = reply.text.splitlines()[1]
    assert "Chi bộ Tổ dân phố số 5" in first_line and "Đảng bộ phường Bồ Đề" in first_line
    assert "Thứ Sáu 17/12/2021 20:00" in reply.text
    assert "⚠️ khó khăn" in reply.text.split("\n2. ")[0]
    assert "Nhà văn hóa tổ dân phố số 5, phường Bồ Đề" in reply.text  # the cell's usual venue
    c0103 = await meeting_id(world, "C0103", "2021-12-17 20:00")
    assert reply.choices[0].label == "Sẽ dự: C0103 17/12"
    assert reply.choices[0].data == f"attend:{c0103}"
    # The meeting starting right now (C0102 at 08:00) is for /checkin, not for planning.
    assert "20/11/2021" not in reply.text


async def test_meetings_look_45_days_ahead_and_say_when_there_are_more(world):
    world.clock.set(at(world, "2021-11-05 13:00"))
    thanh = await world.linked("M01")
    text = (await thanh.send("/lich"))[-1].text
    shown = listed_cells(text)
    assert len(shown) == 10
    # 45 days reach 20/12 13:00: 10 meetings in November (from C0101's 05/11 16:00) and 9 in
    # December up to C0102's 18/12 08:00; C0108's 20/12 14:00 is out of reach.
    more = int(re.search(r"và (\d+) buổi khác", text).group(1))
    assert len(shown) + more == 19
    world.clock.set(at(world, "2021-11-05 14:00"))
    text = (await thanh.send("/meetings"))[-1].text
    assert int(re.search(r"và (\d+) buổi khác", text).group(1)) == 10  # now C0108's too


async def test_meetings_show_ten_at_a_time_with_more(world):
    world.clock.set(at(world, "2021-11-05 13:00"))
    thanh = await world.linked("M01")
    first = (await thanh.send("/meetings"))[-1]
    assert len(listed_cells(first.text)) == 10
    assert "… và 9 buổi khác: bấm Xem thêm." in first.text
    more = first.choices[-1]
    assert (more.label, more.data) == ("Xem thêm", "meetings-more:10")
    second = (await thanh.tap(more))[-1]
    assert second.text.startswith("Lịch sinh hoạt 45 ngày tới (tiếp theo):")
    assert len(listed_cells(second.text)) == 9
    assert "Xem thêm" not in [c.label for c in second.choices]
    # Every meeting once, each page's Will attend for its own meetings; but O10's of 08/11,
    # which M01 has checked in at in the sample: marked, not offered.
    attend = [c.data for c in first.choices[:-1] + second.choices]
    assert len(attend) == len(set(attend)) == 18


async def test_more_in_english_and_when_the_list_got_shorter(world):
    world.clock.set(at(world, "2021-11-05 13:00"))
    son = await world.linked("M01")
    await son.send("/lang en")
    first = (await son.send("/meetings"))[-1]
    assert "… and 9 more: tap More." in first.text and first.choices[-1].label == "More"
    before = await dump_but_last_seen(world)
    for data in ("meetings-more:99", "meetings-more:abc", "meetings-more:"):
        assert "nothing more to show" in texts(await son.tap(data)), data
    assert await dump_but_last_seen(world) == before


async def test_nothing_upcoming_is_said_plainly(world):
    world.clock.set(at(world, "2021-12-31 23:59"))
    thanh = await world.linked("M01")
    reply = (await thanh.send("/meetings"))[-1]
    assert "chưa có lịch sinh hoạt" in reply.text and reply.choices == ()


async def test_will_attend_is_recorded_once_and_told_to_the_secretary_once(world):
    secretary = await world.linked("C0101")
    thanh = await world.linked("M01")
    listing = (await thanh.send("/meetings"))[-1]
    choice = next(c for c in listing.choices if "C0101" in c.label)

    first = await thanh.tap(choice)
    assert "Đã ghi nhận" in first[-1].text and "Chi bộ Cơ quan UBND phường" in first[-1].text
    again = await thanh.tap(choice)
    assert "rồi" in again[-1].text

    meeting = await meeting_id(world, "C0101", "2021-12-06 16:00")
    assert await rows(world, "SELECT meeting_id FROM plans") == [(meeting,)]
    assert await outbox_keys(world, "plan:") == [(f"plan:meeting={meeting}:member=M01", "sent")]
    assert len(secretary.received) == 1
    told = secretary.received[0].text
    assert "Nguyễn Văn Thành" in told and "Chi bộ Cơ quan UBND phường" in told
    assert "Thứ Hai 06/12/2021 16:00" in told

    relisted = (await thanh.send("/meetings"))[-1]
    line = next(line for line in relisted.text.splitlines() if "(C0101)" in line)
    detail = relisted.text.splitlines()[relisted.text.splitlines().index(line) + 1]
    assert "✓ sẽ dự" in detail
    assert not any("C0101" in c.label for c in relisted.choices)


async def test_will_attend_when_the_secretary_never_linked_says_nobody_was_told(world):
    thanh = await world.linked("M01")
    meeting = await meeting_id(world, "C0103", "2021-12-17 20:00")
    reply = await thanh.tap(f"attend:{meeting}")
    assert "Đã ghi nhận" in reply[-1].text
    assert "không liên lạc được với bí thư chi bộ nên chưa báo được" in reply[-1].text
    assert "Bot đã báo" not in reply[-1].text
    assert await outbox_keys(world, "plan:") == []  # nothing queued that could not go


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        ("attend:{other_org}", "không thuộc cơ sở"),
        ("attend:999999", "Không tìm thấy"),
        ("attend:{past}", "đã bắt đầu hoặc đã qua"),
        ("attend:{now}", "đã bắt đầu hoặc đã qua"),
        ("attend:abc", "Không tìm thấy"),
        ("attend:", "Không tìm thấy"),
        ("attend:-1", "Không tìm thấy"),
        ("attend:99999999999999999999999", "Không tìm thấy"),
    ],
)
async def test_forged_will_attend_is_refused_and_changes_nothing(world, data, refusal):
    thanh = await world.linked("M01")
    ids = {
        "other_org": await meeting_id(world, "C0205", "2021-12-05 08:00"),
        "past": await meeting_id(world, "C0101", "2021-11-05 16:00"),
        "now": await meeting_id(world, "C0102", "2021-11-20 08:00"),
    }
    before = await dump(world.store)
    replies = await thanh.tap(data.format(**ids))
    assert refusal in texts(replies)
    assert await dump(world.store) == before


async def test_will_attend_is_for_members_only(world):
    secretary = await world.linked("C0101")
    meeting = await meeting_id(world, "C0101", "2021-12-06 16:00")
    before = await dump(world.store)
    assert "dành cho Quận ủy viên" in texts(await secretary.tap(f"attend:{meeting}"))
    assert await dump(world.store) == before


# -- /checkin -----------------------------------------------------------------------------------


async def test_checkin_outside_any_window_says_when_the_next_opens(world):
    world.clock.set(at(world, "2021-11-20 11:01"))  # C0102's window closed at 11:00
    thanh = await world.linked("M01")
    reply = (await thanh.send("/diemdanh"))[-1]
    assert reply.choices == ()
    assert "không có buổi sinh hoạt nào đang mở điểm danh" in reply.text
    assert "Buổi gần nhất: Chi bộ khu dân cư Lâm Du Chủ Nhật 05/12/2021 19:30" in reply.text
    assert "điểm danh mở từ 19:00 05/12" in reply.text


async def test_check_in_then_a_second_tap_changes_nothing(world):
    secretary = await world.linked("C0106")
    thanh = await world.linked("M01")
    world.clock.set(at(world, "2021-12-05 19:12"))
    offer = (await thanh.send("/checkin"))[-1]
    assert "Chi bộ khu dân cư Lâm Du" in offer.text
    assert [c.label for c in offer.choices] == ["Điểm danh: C0106"]

    done = (await thanh.tap(offer.choices[0]))[-1].text
    assert "Đã điểm danh" in done and "19:12" in done and "/note" in done
    world.clock.advance(timedelta(minutes=5))
    again = (await thanh.tap(offer.choices[0]))[-1].text
    assert "đã điểm danh lúc 19:12" in again

    meeting = await meeting_id(world, "C0106", "2021-12-05 19:30")
    stored = await rows(world, "SELECT id, status FROM checkins WHERE meeting_id = ?", meeting)
    assert len(stored) == 1 and stored[0][1] == "pending"
    checkin = stored[0][0]
    assert await outbox_keys(world, "confirm-request:") == [
        (f"confirm-request:checkin={checkin}", "sent")
    ]
    assert len(secretary.received) == 1
    request = secretary.received[0]
    assert "Nguyễn Văn Thành" in request.text and "19:12" in request.text
    assert [(c.label, c.data) for c in request.choices] == [
        ("Xác nhận", f"confirm:{checkin}"),
        ("Vắng", f"absent:{checkin}"),
    ]


async def test_the_window_runs_from_half_an_hour_before_to_three_hours_after(world):
    thanh = await world.linked("M01")
    meeting = await meeting_id(world, "C0106", "2021-12-05 19:30")
    before = await dump_but_last_seen(world)

    world.clock.set(at(world, "2021-12-05 18:59"))
    early = texts(await thanh.tap(f"checkin:{meeting}"))
    assert "Chưa đến giờ điểm danh" in early and "19:00 05/12" in early and "22:30 05/12" in early
    world.clock.set(at(world, "2021-12-05 22:30") + timedelta(seconds=1))
    late = texts(await thanh.tap(f"checkin:{meeting}"))
    assert "Đã hết giờ điểm danh" in late
    assert await dump_but_last_seen(world) == before

    world.clock.set(at(world, "2021-12-05 22:30"))
    assert "Đã điểm danh" in texts(await thanh.tap(f"checkin:{meeting}"))


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        ("checkin:{other_org}", "không thuộc cơ sở"),  # C0205 meets right now: O02's
        ("checkin:{later}", "Chưa đến giờ"),
        ("checkin:{earlier}", "Đã hết giờ"),
        ("checkin:424242", "Không tìm thấy"),
        ("checkin:x1", "Không tìm thấy"),
    ],
)
async def test_forged_check_in_is_refused_and_changes_nothing(world, data, refusal):
    world.clock.set(at(world, "2021-12-05 08:10"))
    thanh = await world.linked("M01")
    ids = {
        "other_org": await meeting_id(world, "C0205", "2021-12-05 08:00"),
        "later": await meeting_id(world, "C0106", "2021-12-05 19:30"),
        "earlier": await meeting_id(world, "C0102", "2021-11-20 08:00"),
    }
    before = await dump(world.store)
    assert refusal in texts(await thanh.tap(data.format(**ids)))
    assert await dump(world.store) == before


# -- /note ---------------------------------------------------------------------------------------


async def checked_in_at_c0106(world: World) -> tuple[Person, int]:
    """M01 checked in at C0106's meeting on 05/12 (a fresh check-in, no note yet)."""
    thanh = await world.linked("M01")
    world.clock.set(at(world, "2021-12-05 19:20"))
    meeting = await meeting_id(world, "C0106", "2021-12-05 19:30")
    assert "Đã điểm danh" in texts(await thanh.tap(f"checkin:{meeting}"))
    world.clock.set(at(world, "2021-12-05 21:40"))
    checkin = await world.store.db.fetchval(
        "SELECT id FROM checkins WHERE meeting_id = ?", (meeting,)
    )
    return thanh, checkin


async def notes_of(world: World, checkin: int) -> list[tuple]:
    return await rows(
        world,
        "SELECT rating, steps_kept, difficulties_raised, text FROM notes WHERE checkin_id = ?",
        checkin,
    )


async def test_note_from_start_to_end(world):
    thanh, checkin = await checked_in_at_c0106(world)
    start = (await thanh.send("/nhanxet"))[-1]
    assert "Chi bộ khu dân cư Lâm Du" in start.text and "Bước 1/4" in start.text
    assert "thay thế" not in start.text
    assert [(c.label, c.data) for c in start.choices] == [
        ("Tốt", "note:rate:good"),
        ("Khá", "note:rate:fair"),
        ("Trung bình", "note:rate:average"),
        ("Kém", "note:rate:poor"),
    ]
    steps = (await thanh.tap(start.choices[1]))[-1]
    assert "Bước 2/4" in steps.text
    assert [c.data for c in steps.choices] == ["note:steps:yes", "note:steps:no"]
    difficulties = (await thanh.tap("note:steps:yes"))[-1]
    assert "Bước 3/4" in difficulties.text
    comment = (await thanh.tap("note:diff:no"))[-1]
    assert "Bước 4/4" in comment.text and [c.label for c in comment.choices] == ["Bỏ qua"]
    assert await notes_of(world, checkin) == []  # nothing is written before the end

    done = (await thanh.send("Chi bộ sinh hoạt đúng quy trình."))[-1]
    assert "Đã lưu nhận xét" in done.text and "Khá" in done.text
    assert await notes_of(world, checkin) == [("fair", 1, 0, "Chi bộ sinh hoạt đúng quy trình.")]
    assert await world.store.conversations.get(CHANNEL, thanh.user_id) is None
    # The dialogue is over: plain text is no longer taken as a note.
    assert "/help" in texts(await thanh.send("Thêm một câu nữa"))
    assert len(await notes_of(world, checkin)) == 1


async def test_a_long_comment_is_refused_with_its_length_and_the_step_stays(world):
    thanh, checkin = await checked_in_at_c0106(world)
    await thanh.send("/note")
    for data in ("note:rate:good", "note:steps:yes", "note:diff:no"):
        await thanh.tap(data)
    before = await dump(world.store)
    refused = (await thanh.send("x" * 501))[-1].text
    assert refused == "Nhận xét dài 501 ký tự, tối đa 500. Hãy rút gọn và gửi lại."
    assert await dump(world.store) == before
    assert "Đã lưu" in texts(await thanh.send("y" * 500))
    assert await notes_of(world, checkin) == [("good", 1, 0, "y" * 500)]


async def test_skipping_the_comment_writes_the_note_without_text(world):
    thanh, checkin = await checked_in_at_c0106(world)
    await thanh.send("/note")
    for data in ("note:rate:poor", "note:steps:no", "note:diff:no", "note:skip"):
        replies = await thanh.tap(data)
    assert "Đã lưu nhận xét" in texts(replies) and "Kém" in texts(replies)
    assert await notes_of(world, checkin) == [("poor", 0, 0, "")]


async def test_the_note_dialogue_survives_a_restart(world):
    thanh, checkin = await checked_in_at_c0106(world)
    await thanh.send("/note")
    await thanh.tap("note:rate:average")

    restarted = build_app(world.config, world.store, world.clock)
    restarted.add_channel(CHANNEL, world.inbox)
    same_chat = Person(restarted, world.inbox, thanh.user_id)
    assert "Bước 3/4" in texts(await same_chat.tap("note:steps:yes"))
    await same_chat.tap("note:diff:no")
    assert "Đã lưu" in texts(await same_chat.send("Sau khởi động lại."))
    assert await notes_of(world, checkin) == [("average", 1, 0, "Sau khởi động lại.")]


async def test_a_stale_or_forged_note_choice_changes_nothing(world):
    thanh, _ = await checked_in_at_c0106(world)
    await thanh.send("/note")
    await thanh.tap("note:rate:good")
    before = await dump(world.store)
    for data in ("note:rate:poor", "note:diff:yes", "note:skip", "note:steps:maybe", "note:x"):
        replies = await thanh.tap(data)
        assert "không thuộc bước hiện tại" in replies[0].text, data
        assert "Bước 2/4" in replies[-1].text  # the current question again
    assert "Hãy chọn một trong các lựa chọn bên dưới" in texts(await thanh.send("Tốt"))
    assert await dump(world.store) == before


async def test_a_note_choice_with_no_dialogue_in_progress(world):
    thanh = await world.linked("M01")
    before = await dump(world.store)
    assert "Không có nhận xét nào đang viết dở" in texts(await thanh.tap("note:rate:good"))
    assert await dump(world.store) == before


async def flagged_cells_of_o01(world) -> list[str]:
    coverage = await quarter_coverage(world.store, world.config, Quarter(2021, 4))
    (o01,) = [org for org in coverage.organizations if org.code == "O01"]
    return o01.flagged_cells


async def test_difficulties_raised_flag_the_cell_for_the_office(world):
    thanh, checkin = await checked_in_at_c0106(world)
    assert await flagged_cells_of_o01(world) == ["C0103"]
    await thanh.send("/note")
    for data in ("note:rate:fair", "note:steps:yes", "note:diff:yes"):
        await thanh.tap(data)
    done = texts(await thanh.tap("note:skip"))
    # The cell's name carries its kind: "Chi bộ" once.
    assert "\nChi bộ khu dân cư Lâm Du được đánh dấu có khó khăn" in done
    assert "Chi bộ Chi bộ" not in done
    assert await flagged_cells_of_o01(world) == ["C0103", "C0106"]
    assert await notes_of(world, checkin) == [("fair", 1, 1, "")]
    # Flagged cells come first in the member's suggestions from now on.
    world.clock.set(at(world, "2021-12-01 08:00"))
    assert listed_cells((await thanh.send("/meetings"))[-1].text)[:2] == ["C0106", "C0103"]
    # The roster's flagged column is the office's word on each cell now: re-importing it
    # (C0106 is "no" there) clears what was reported, and the quarter still counts C0106 among
    # its flagged cells, as it was flagged inside it.
    await import_roster(world.store, world.config, SAMPLE_DIR, world.now())
    assert await flagged_cells_of_o01(world) == ["C0103", "C0106"]
    assert listed_cells((await thanh.send("/meetings"))[-1].text)[0] == "C0103"


async def test_a_second_note_on_the_same_meeting_replaces_the_first(world):
    thanh, checkin = await checked_in_at_c0106(world)
    await thanh.send("/note")
    for data in ("note:rate:good", "note:steps:yes", "note:diff:no", "note:skip"):
        await thanh.tap(data)
    start = (await thanh.send("/note"))[-1].text
    assert "nhận xét mới sẽ thay thế" in start
    for data in ("note:rate:average", "note:steps:no", "note:diff:no"):
        await thanh.tap(data)
    assert "thay cho nhận xét trước" in texts(await thanh.send("Sửa lại."))
    assert await notes_of(world, checkin) == [("average", 0, 0, "Sửa lại.")]


async def test_a_check_in_denied_during_the_note_is_not_written_on(world):
    thanh, checkin = await checked_in_at_c0106(world)
    await thanh.send("/note")
    for data in ("note:rate:good", "note:steps:yes", "note:diff:yes"):
        await thanh.tap(data)
    assert await world.store.checkins.decide(checkin, "denied", None, world.now())
    assert "không còn hiệu lực" in texts(await thanh.tap("note:skip"))
    assert await notes_of(world, checkin) == []
    assert await flagged_cells_of_o01(world) == ["C0103"]


async def test_note_without_a_check_in_that_counts(world):
    for code in ("M14", "M11"):  # M14 never checked in; M11's only check-in was denied
        member = await world.linked(code)
        assert "chưa có lượt điểm danh nào" in texts(await member.send("/note"))
    assert await world.store.conversations.get(CHANNEL, "user-M11") is None


async def test_note_on_the_latest_check_in_of_the_sample(world):
    ha = await world.linked("M05")  # pending at C0505 on 06/11, already noted
    start = (await ha.send("/note"))[-1].text
    assert "Chi bộ khu dân cư Cổ Linh" in start and "Thứ Bảy 06/11/2021 08:00" in start
    assert "nhận xét mới sẽ thay thế" in start


# -- /status -------------------------------------------------------------------------------------


async def test_status_shows_covered_and_missed_with_what_to_attend_next(world):
    thanh = await world.linked("M01")
    text = (await thanh.send("/tiendo"))[-1].text
    assert "Tiến độ quý IV/2021" in text and "còn 42 ngày" in text and "đã dự 2/3" in text
    assert "✅ Đảng bộ phường Bồ Đề: đã dự" in text
    assert "✅ Chi bộ Trường THCS Ngọc Lâm: đã dự" in text
    missed = text.split("❌ Chi bộ Trạm Y tế phường Cự Khối: chưa dự\n")[1].splitlines()[0]
    assert "Nên dự" in missed and "(O11)" in missed and "Thứ Hai 13/12/2021 14:00" in missed


async def test_status_shows_pending_and_prefers_flagged_cells_next(world):
    ha = await world.linked("M05")
    text = (await ha.send("/status"))[-1].text
    assert "⏳ Đảng bộ phường Thạch Bàn: đã điểm danh, chờ xác nhận" in text
    gia_thuy = text.split("❌ Đảng bộ phường Gia Thụy: chưa dự\n")[1].splitlines()[0]
    assert "(C0601)" in gia_thuy and "⚠️ khó khăn" in gia_thuy  # flagged, though not the soonest


async def test_status_after_the_last_meeting_of_the_quarter(world):
    world.clock.set(at(world, "2021-12-31 08:00"))
    thanh = await world.linked("M01")
    text = (await thanh.send("/status"))[-1].text
    assert "còn 1 ngày" in text and "Chưa có lịch sinh hoạt nào còn lại trong quý" in text


# -- what is done is not offered again ----------------------------------------------------------


async def test_a_meeting_checked_in_at_is_offered_nowhere_again(world):
    # M01 has not covered O11 this quarter; O11 meets on 13/12 at 14:00 and M01 checks in at
    # 13:40, while its window is open: the meeting has not started, the check-in is pending.
    world.clock.set(at(world, "2021-12-13 13:40"))
    thanh = await world.linked("M01")
    o11 = await meeting_id(world, "O11", "2021-12-13 14:00")
    await thanh.tap(f"checkin:{o11}")

    status = (await thanh.send("/status"))[-1].text
    assert "⏳ Chi bộ Trạm Y tế phường Cự Khối: đã điểm danh" in status
    assert "13/12/2021 14:00" not in status  # not "attend next"
    assert "Chưa có lịch sinh hoạt nào còn lại" not in status  # nor a worry for the pending

    listing = (await thanh.send("/meetings"))[-1]
    line = next(line for line in listing.text.split("\n• ") if "(O11)" in line)
    assert "13/12/2021 14:00" in line and "✓ đã điểm danh" in line
    assert f"attend:{o11}" not in [c.data for c in listing.choices]

    offer = (await thanh.send("/checkin"))[-1]
    assert "(O11)" in offer.text and "✓ đã điểm danh" in offer.text
    assert offer.choices == ()


async def test_a_confirmed_visit_is_not_offered_either(world):
    world.clock.set(at(world, "2021-12-13 13:40"))
    thanh = await world.linked("M01")
    o11 = await meeting_id(world, "O11", "2021-12-13 14:00")
    await thanh.tap(f"checkin:{o11}")
    await world.store.db.execute(
        "UPDATE checkins SET status = 'confirmed' WHERE meeting_id = ?", (o11,)
    )
    listing = (await thanh.send("/meetings"))[-1]
    assert f"attend:{o11}" not in [c.data for c in listing.choices]
    assert (await thanh.send("/checkin"))[-1].choices == ()


# -- English -------------------------------------------------------------------------------------


async def test_a_member_reading_english(world):
    son = await world.linked("M04")  # language en
    listing = (await son.send("/meetings"))[-1]
    assert listing.text.startswith("Meetings in the next 45 days")
    assert listed_cells(listing.text)[:2] == ["C0406", "O16"]  # flagged, then uncovered O16
    assert "Sat 18/12/2021 19:30" in listing.text and "⚠️ difficulties" in listing.text
    assert listing.choices[0].label == "Will attend: C0406 18/12"
    assert "Noted: you will attend" in texts(await son.tap(listing.choices[0]))
    assert "Already noted" in texts(await son.tap(listing.choices[0]))

    assert "check-in opens at 19:00 27/11" in texts(await son.send("/checkin"))
    status = texts(await son.send("/status"))
    assert "Q4 2021" in status and "42 days left" in status and "1 of 2" in status
    assert "Attend next" in status
    note = (await son.send("/note"))[-1]
    assert "Step 1/4" in note.text and note.choices[0].label == "Good"


async def test_the_secretary_is_told_in_their_own_language(world):
    secretary = await world.linked("C0106")
    await secretary.send("/lang en")
    thanh = await world.linked("M01")
    meeting = await meeting_id(world, "C0106", "2021-12-05 19:30")
    await thanh.tap(f"attend:{meeting}")
    assert secretary.received[-1].text.startswith("Nguyễn Văn Thành (committee member)")
    assert "Sun 05/12/2021 19:30" in secretary.received[-1].text


# -- texts ---------------------------------------------------------------------------------------


FEATURES = ("meetings", "checkin", "note", "status")


def test_every_key_the_member_handlers_name_is_in_the_catalog():
    from pathlib import Path

    handlers = Path(__file__).parent.parent / "handlers"
    named = set()
    for feature in FEATURES:
        source = (handlers / f"{feature}.py").read_text(encoding="utf-8")
        named |= set(re.findall(r'"((?:meetings|checkin|note|status)\.[a-z_]+)"', source))
    built = {f"meetings.{o}" for o in ("not_found", "not_yours")}
    built |= {f"checkin.{o}" for o in ("not_found", "not_yours", "not_yet", "closed")}
    built |= {f"note.rating_{r}" for r in ("good", "fair", "average", "poor")}
    built |= {f"note.ask_{s}" for s in ("steps", "difficulties")}
    built |= {f"note.{o}" for o in ("written", "replaced")}
    built |= {f"status.{s}" for s in ("covered", "pending", "missed")}
    missing = sorted((named | built) - catalog().keys())
    assert missing == []
    assert len(named) > 30
