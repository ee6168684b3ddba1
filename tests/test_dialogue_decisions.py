"""Every check-in decided, never by its author, and every decision on record (issue #11).

The sample district at 2021-11-20 08:00, its office M01 (an admin). Cells O11 and O13 are
organizations that are their own only cell, with no secretary on the roster; C0101's secretary
is Đinh Minh Bình, who is no member; M14 is a member and (in some tests) O11's secretary too.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from conftest import dump
from dialogue import CHANNEL, Person, World, make_world, texts
from test_dialogue_member import at, meeting_id
from test_dialogue_secretary import without_last_seen

from bot.core.config import Access, Config, Reminders
from bot.core.messages import Inbound, Message
from storage.timefmt import from_db

# The sample's cells flagged with difficulties (cells.csv).
FLAGGED = {"C0103", "C0205", "C0302", "C0406", "C0504", "C0601", "O12"}


async def office_world(tmp_path, *admins: str, **reminders) -> World:
    config = Config(access=Access(admins=list(admins)), reminders=Reminders(**reminders))
    return await make_world(tmp_path, config)


@pytest.fixture
async def office(tmp_path):
    """The sample with M01 as the committee office's admin."""
    world = await office_world(tmp_path, "M01")
    yield world
    await world.store.close()


@pytest.fixture
async def two_admins(tmp_path):
    world = await office_world(tmp_path, "M01", "M02")
    yield world
    await world.store.close()


async def check_in(world: World, member: Person, cell: str, local: str) -> Message:
    """MEMBER checks in at CELL's meeting of LOCAL time, five minutes after it starts."""
    meeting = await meeting_id(world, cell, local)
    world.clock.set(at(world, local) + timedelta(minutes=5))
    return (await member.tap(f"checkin:{meeting}"))[-1]


async def checkin_of(world: World, member: str, cell: str) -> int:
    return await world.store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE m.code = ? AND ch.cell_code = ? ORDER BY ch.id DESC LIMIT 1",
        (member, cell),
    )


async def decisions_of(world: World, checkin: int) -> list[tuple]:
    rows = await world.store.db.fetchall(
        "SELECT status, previous, by_code, by_name, role, channel, decided_at FROM decisions"
        " WHERE checkin_id = ? ORDER BY id",
        (checkin,),
    )
    return [tuple(row) for row in rows]


async def status_of(world: World, checkin: int) -> str:
    return await world.store.db.fetchval("SELECT status FROM checkins WHERE id = ?", (checkin,))


def decision_buttons(message: Message) -> list[str]:
    return [choice.data for choice in message.choices]


async def make_secretary_of_o11(world: World) -> None:
    """M14, who follows O11, becomes the secretary of its own only cell too."""
    await world.store.db.execute(
        "UPDATE cells SET secretary_id = (SELECT person_id FROM members WHERE code = 'M14')"
        " WHERE code = 'O11'"
    )


# -- nobody decides their own check-in --------------------------------------------------------


async def test_a_secretarys_own_check_in_goes_to_the_office_and_not_to_their_list(office):
    await make_secretary_of_o11(office)
    nhung = await office.linked("M14")
    admin = await office.linked("M01")
    reply = await check_in(office, nhung, "O11", "2021-12-13 14:00")
    assert "Đồng chí là bí thư chi bộ này, nên Văn phòng Quận ủy sẽ xác nhận." in reply.text
    checkin = await checkin_of(office, "M14", "O11")

    [request] = [m for m in admin.received if "📋" in m.text]
    assert "Nguyễn Thị Hồng Nhung là bí thư chi bộ này" in request.text
    assert decision_buttons(request) == [f"confirm:{checkin}", f"absent:{checkin}"]
    assert nhung.received == []  # not asked to confirm herself

    assert "Không có lượt điểm danh nào chờ đồng chí xác nhận" in texts(
        await nhung.send("/confirm")
    )
    before = without_last_seen(await dump(office.store))
    for forged in (f"confirm:{checkin}", f"absent:{checkin}", f"change-decision:{checkin}:denied"):
        reply = (await nhung.tap(forged))[-1].text
        assert "lượt điểm danh của chính đồng chí" in reply and "Không có gì thay đổi" in reply
    assert without_last_seen(await dump(office.store)) == before

    reply = (await admin.tap(request.choices[0]))[-1].text
    assert "Đã xác nhận đồng chí Nguyễn Thị Hồng Nhung" in reply
    assert (await decisions_of(office, checkin))[0][2:6] == (
        "M01",
        "Nguyễn Văn Thành",
        "admin",
        "test",
    )


async def test_the_refusal_of_ones_own_check_in_is_in_ones_language(office):
    await make_secretary_of_o11(office)
    nhung = await office.linked("M14")
    await nhung.send("/lang en")
    reply = await check_in(office, nhung, "O11", "2021-12-13 14:00")
    assert "You are this cell's secretary, so the committee office will decide." in reply.text
    checkin = await checkin_of(office, "M14", "O11")
    before = without_last_seen(await dump(office.store))
    [refusal] = await nhung.tap(f"confirm:{checkin}")
    assert refusal.text == (
        "This is your own check-in: nobody decides their own. The committee office will decide"
        " it. Nothing was changed."
    )
    assert without_last_seen(await dump(office.store)) == before


async def test_an_admins_own_check_in_goes_to_the_other_admins_only(two_admins):
    world = two_admins
    thanh, nguyet = await world.linked("M01"), await world.linked("M02")
    reply = await check_in(world, thanh, "O11", "2021-12-13 14:00")
    assert "Chi bộ chưa có bí thư trong danh sách" in reply.text
    checkin = await checkin_of(world, "M01", "O11")
    assert [m for m in thanh.received if "📋" in m.text] == []
    [request] = [m for m in nguyet.received if "📋" in m.text]
    assert "Nguyễn Văn Thành" in request.text

    listed = texts(await thanh.send("/confirm"))
    assert "Nguyễn Văn Thành" not in listed  # his own is not his to decide
    assert f"confirm:{checkin}" not in str(thanh.port.replies[-1].choices)
    before = without_last_seen(await dump(world.store))
    reply = (await thanh.tap(f"confirm:{checkin}"))[-1].text
    assert "lượt điểm danh của chính đồng chí" in reply
    assert without_last_seen(await dump(world.store)) == before

    await nguyet.tap(request.choices[1])
    assert await status_of(world, checkin) == "denied"
    [(status, previous, code, name, role, channel, _)] = await decisions_of(world, checkin)
    assert (status, previous, code, name, role, channel) == (
        "denied",
        "pending",
        "M02",
        "Trần Thị Minh Nguyệt",
        "admin",
        "test",
    )


async def test_a_member_who_is_also_an_admin_and_secretary_decides_others_at_their_cell(office):
    # M14 chairs O11; M01 (an admin, not M14) checks in there: M14 is asked, as its secretary.
    await make_secretary_of_o11(office)
    nhung, thanh = await office.linked("M14"), await office.linked("M01")
    reply = await check_in(office, thanh, "O11", "2021-12-13 14:00")
    assert "Bí thư Chi bộ Trạm Y tế phường Cự Khối đã được đề nghị xác nhận." in reply.text
    [request] = nhung.received
    checkin = await checkin_of(office, "M01", "O11")
    assert decision_buttons(request) == [f"confirm:{checkin}", f"absent:{checkin}"]
    await nhung.tap(request.choices[0])
    [(status, _, code, _, role, _, _)] = await decisions_of(office, checkin)
    assert (status, code, role) == ("confirmed", "M14", "secretary")


# -- who is asked, and what the member hears ---------------------------------------------------


async def test_a_reachable_secretary_is_asked_and_the_office_is_not(office):
    secretary, admin = await office.linked("C0101"), await office.linked("M01")
    duc = await office.linked("M08")
    reply = await check_in(office, duc, "C0101", "2021-12-06 16:00")
    assert "Bí thư Chi bộ Cơ quan UBND phường đã được đề nghị xác nhận." in reply.text
    checkin = await checkin_of(office, "M08", "C0101")
    [request] = secretary.received
    assert "Bùi Văn Đức" in request.text
    assert decision_buttons(request) == [f"confirm:{checkin}", f"absent:{checkin}"]
    assert [m for m in admin.received if "📋" in m.text] == []


@pytest.mark.parametrize(
    ("how", "member_hears", "office_hears"),
    [
        ("not_linked", "Bí thư chi bộ chưa liên kết với bot", "Bí thư chi bộ chưa liên kết"),
        ("blocked", "Bot không liên lạc được với bí thư chi bộ", "Bí thư chi bộ đã chặn bot"),
    ],
)
async def test_a_secretary_the_bot_cannot_reach_sends_the_check_in_to_the_office(
    office, how, member_hears, office_hears
):
    admin, duc = await office.linked("M01"), await office.linked("M08")
    if how == "blocked":
        secretary = await office.linked("C0101")
        account = await office.store.db.fetchval(
            "SELECT id FROM accounts WHERE user_id = 'user-C0101'"
        )
        await office.store.accounts.mark_unreachable(account, office.now())
    reply = await check_in(office, duc, "C0101", "2021-12-06 16:00")
    assert member_hears in reply.text and "Văn phòng Quận ủy sẽ xác nhận" in reply.text
    assert "đã được đề nghị" not in reply.text
    checkin = await checkin_of(office, "M08", "C0101")
    [request] = [m for m in admin.received if "📋" in m.text]
    assert office_hears in request.text and "Bùi Văn Đức" in request.text
    assert decision_buttons(request) == [f"confirm:{checkin}", f"absent:{checkin}"]
    keys = await office.store.db.fetchall(
        "SELECT key FROM outbox WHERE key LIKE '%checkin=' || ? || '%'", (checkin,)
    )
    admin_person = (await office.store.people.by_member_code("M01")).id
    assert [row[0] for row in keys] == [f"office-request:checkin={checkin}:person={admin_person}"]
    if how == "blocked":
        assert secretary.received == []


async def test_no_secretary_on_the_roster_sends_the_check_in_to_the_office_at_once(office):
    admin, oanh = await office.linked("M01"), await office.linked("M18")
    reply = await check_in(office, oanh, "O13", "2021-12-03 14:00")
    assert "Chi bộ chưa có bí thư trong danh sách, nên Văn phòng Quận ủy sẽ xác nhận." in reply.text
    [request] = [m for m in admin.received if "📋" in m.text]
    assert "Lưu Thị Kim Oanh" in request.text and "chưa có bí thư" in request.text

    # The tap on the office's request decides it; the member hears who decided.
    reply = (await admin.tap(request.choices[0]))[-1].text
    assert "Đã xác nhận đồng chí Lưu Thị Kim Oanh" in reply and "đã được báo" in reply
    assert "đã được Văn phòng Quận ủy xác nhận" in oanh.received[-1].text


async def test_with_no_admin_linked_the_member_still_hears_the_office_decides(office, caplog):
    oanh = await office.linked("M18")
    reply = await check_in(office, oanh, "O13", "2021-12-03 14:00")
    checkin = await checkin_of(office, "M18", "O13")
    assert f"check-in {checkin} waits for the office, and no admin is linked" in caplog.text
    assert "Văn phòng Quận ủy sẽ xác nhận" in reply.text
    assert (
        await office.store.db.fetchval(
            "SELECT count(*) FROM outbox WHERE key LIKE 'office-request:%'"
        )
        == 0
    )  # nobody could be told: nothing queued that cannot go


async def test_a_double_tap_on_check_in_asks_the_office_once(office):
    admin, oanh = await office.linked("M01"), await office.linked("M18")
    await check_in(office, oanh, "O13", "2021-12-03 14:00")
    again = await check_in(office, oanh, "O13", "2021-12-03 14:00")
    assert "đã điểm danh lúc" in again.text
    assert len([m for m in admin.received if "📋" in m.text]) == 1


async def test_english_speakers_hear_who_decides_in_english(office):
    admin = await office.linked("M01")
    await admin.send("/lang en")
    bao = await office.linked("M12")  # speaks English; follows O04
    reply = await check_in(office, bao, "C0405", "2021-12-11 20:00")
    assert "The cell's secretary is not linked to the bot, so the committee office will" in (
        reply.text
    )
    [request] = [m for m in admin.received if "📋" in m.text]
    assert "The committee office is asked to decide." in request.text
    assert [c.label for c in request.choices] == ["Confirm", "Absent"]


# -- the 48 hours ------------------------------------------------------------------------------


async def run_scheduler(world: World) -> None:
    await world.app.scheduler.run_due(world.now())
    await world.app.delivery.drain()


async def test_a_check_in_left_48_hours_goes_to_the_office_once(office):
    secretary, admin = await office.linked("C0101"), await office.linked("M01")
    duc = await office.linked("M08")
    await check_in(office, duc, "C0101", "2021-12-06 16:00")
    checkin = await checkin_of(office, "M08", "C0101")

    def escalations() -> list[Message]:
        return [m for m in admin.received if "⌛" in m.text]

    office.clock.advance(timedelta(hours=24))
    await run_scheduler(office)
    assert [m for m in secretary.received if "⌛" in m.text]  # the secretary's own chase
    assert escalations() == []

    office.clock.advance(timedelta(hours=23, minutes=59))
    await run_scheduler(office)
    assert escalations() == []

    office.clock.advance(timedelta(minutes=2))
    await run_scheduler(office)
    [escalation] = escalations()
    assert "Bùi Văn Đức" in escalation.text and "hơn 2 ngày" in escalation.text
    assert decision_buttons(escalation) == [f"confirm:{checkin}", f"absent:{checkin}"]

    for _ in range(3):  # later ticks, and a restart's re-computation, send nothing again
        office.clock.advance(timedelta(hours=1))
        await run_scheduler(office)
    assert len(escalations()) == 1

    reply = (await admin.tap(escalation.choices[0]))[-1].text
    assert "Đã xác nhận đồng chí Bùi Văn Đức" in reply
    assert (await decisions_of(office, checkin))[0][4] == "admin"


async def test_the_wait_before_the_office_is_asked_is_configurable(tmp_path):
    world = await office_world(tmp_path, "M01", confirm_escalate_after=timedelta(hours=3))
    try:
        await world.linked("C0101")
        admin, duc = await world.linked("M01"), await world.linked("M08")
        await check_in(world, duc, "C0101", "2021-12-06 16:00")
        world.clock.advance(timedelta(hours=3, minutes=1))
        await run_scheduler(world)
        [escalation] = [m for m in admin.received if "⌛" in m.text]
        assert "hơn 3 giờ" in escalation.text
    finally:
        await world.store.close()


async def test_a_check_in_decided_within_48_hours_is_not_escalated(office):
    secretary, admin = await office.linked("C0101"), await office.linked("M01")
    duc = await office.linked("M08")
    await check_in(office, duc, "C0101", "2021-12-06 16:00")
    await secretary.tap(secretary.received[0].choices[1])
    office.clock.advance(timedelta(hours=49))
    await run_scheduler(office)
    assert [m for m in admin.received if "⌛" in m.text] == []


async def test_a_check_in_sent_to_the_office_at_once_is_not_sent_again_after_48_hours(office):
    admin, oanh = await office.linked("M01"), await office.linked("M18")
    await check_in(office, oanh, "O13", "2021-12-03 14:00")
    office.clock.advance(timedelta(hours=49))
    await run_scheduler(office)
    requests = [m for m in admin.received if "📋" in m.text or "⌛" in m.text]
    assert len(requests) == 1


# -- the office's /confirm, ten at a time ------------------------------------------------------


async def eighteen_more_pending(world: World) -> None:
    """M17 checks in at eighteen meetings of October and November: 25 pending for the office
    (M01) with the sample's seven that are not M01's own."""
    rows = await world.store.db.fetchall(
        "SELECT mt.id, mt.starts_at FROM meetings mt JOIN cells c ON c.id = mt.cell_id"
        " WHERE mt.starts_at >= '2021-10-01' AND mt.starts_at < '2021-11-19'"
        " AND c.code NOT IN ('C0106', 'C0203', 'C0405', 'C0505', 'C0903')"
        " ORDER BY mt.starts_at DESC, c.code LIMIT 18"
    )
    async with world.store.transaction():
        for meeting, starts_at in rows:
            at_meeting = from_db(starts_at) + timedelta(minutes=3)
            assert await world.store.checkins.add(meeting, "M17", at_meeting)


async def pending_in_order(world: World, viewer: str = "M01") -> list[int]:
    """Every pending check-in but the VIEWER's own, flagged cells first, then the longest
    waiting (the spec)."""
    rows = await world.store.db.fetchall(
        "SELECT ch.id, ch.cell_code, ch.checked_in_at FROM checkins ch"
        " JOIN members m ON m.id = ch.member_id WHERE ch.status = 'pending' AND m.code != ?",
        (viewer,),
    )
    return [r[0] for r in sorted(rows, key=lambda r: (r[1] not in FLAGGED, r[2], r[0]))]


def shown_ids(messages: list[Message]) -> list[int]:
    return [
        int(choice.data.split(":")[1])
        for message in messages
        for choice in message.choices
        if choice.data.startswith("confirm:")
    ]


def more_button(messages: list[Message]):
    found = [c for m in messages for c in m.choices if c.data.startswith("confirm-more:")]
    return found[0] if found else None


async def test_the_office_pages_through_25_pending_check_ins_ten_at_a_time(office):
    await eighteen_more_pending(office)
    expected = await pending_in_order(office)
    assert len(expected) == 25
    assert {
        await office.store.db.fetchval(
            "SELECT cell_code FROM checkins WHERE id = ?", (expected[0],)
        )
    } <= FLAGGED  # the sample's October meetings include flagged cells
    admin = await office.linked("M01")

    first = await admin.send("/xacnhan")
    assert "Có 25 lượt điểm danh trong toàn quận chờ xác nhận" in first[0].text
    assert len(first) == 11 and shown_ids(first) == expected[:10]
    assert "⚠️" in first[1].text  # a flagged cell is marked
    assert "Còn 15 lượt nữa" in first[-1].text
    more = more_button(first)
    assert more is not None and more.label == "Xem thêm"
    assert [more_button([m]) for m in first[:-1]] == [None] * 10  # only under the last

    second = await admin.tap(more)
    assert len(second) == 10 and shown_ids(second) == expected[10:20]
    assert "Còn 5 lượt nữa" in second[-1].text

    third = await admin.tap(more_button(second))
    assert shown_ids(third) == expected[20:] and len(third) == 5
    assert more_button(third) is None

    # The second page's More still shows the third; after the last, there is nothing more.
    assert shown_ids(await admin.tap(more_button(second))) == expected[20:]
    after_last = f"confirm-more:{expected[-1]}"
    assert "Không còn lượt điểm danh nào" in texts(await admin.tap(after_last))


async def test_deciding_on_a_page_before_more_skips_nobody(office):
    await eighteen_more_pending(office)
    expected = await pending_in_order(office)
    admin = await office.linked("M01")
    first = await admin.send("/confirm")
    for item in first[1:4]:  # three decided on the first page
        await admin.tap(item.choices[0])
    second = await admin.tap(more_button(first))
    assert shown_ids(second) == expected[10:20]
    again = await admin.send("/confirm")
    assert "Có 22 lượt" in again[0].text and shown_ids(again) == expected[3:13]


async def test_a_secretary_who_is_also_an_admin_sees_the_district(tmp_path):
    world = await office_world(tmp_path, "0919515962")  # C0101's secretary, by phone
    try:
        secretary = await world.linked("C0101")
        replies = await secretary.send("/confirm")
        assert "Có 8 lượt điểm danh trong toàn quận" in replies[0].text
        assert len(shown_ids(replies)) == 8
    finally:
        await world.store.close()


async def test_more_from_a_forged_button_shows_nothing_new_and_changes_nothing(office):
    admin = await office.linked("M01")
    before = await dump(office.store)
    assert "không còn hiệu lực" in texts(await admin.tap("confirm-more:abc"))
    assert "Không còn lượt" in texts(await admin.tap("confirm-more:999999"))
    assert await dump(office.store) == before


async def test_a_plain_member_has_no_confirm(office):
    member = await office.linked("M02")
    reply = texts(await member.send("/confirm"))
    assert "dành cho bí thư chi bộ và Văn phòng Quận ủy" in reply
    assert "dành cho bí thư chi bộ và Văn phòng Quận ủy" in texts(
        await member.tap("confirm-more:1")
    )


async def test_the_office_sees_confirm_in_its_menu(office):
    admin = await office.linked("M01")
    commands = [command for command, _ in admin.port.menu]
    assert commands.count("confirm") == 1 and "report" in commands


# -- changing a decision -----------------------------------------------------------------------


async def test_a_secretary_cannot_change_a_decision_once_made(office):
    secretary = await office.linked("C0106")
    lan_anh = await office.linked("M07")
    [_, item] = await secretary.send("/confirm")
    await secretary.tap(item.choices[0])
    checkin = await checkin_of(office, "M07", "C0106")
    office.clock.advance(timedelta(hours=1))
    before = without_last_seen(await dump(office.store))
    for tap in (item.choices[1], f"change-decision:{checkin}:denied"):
        reply = (await secretary.tap(tap))[-1].text
        assert "đã được xác nhận lúc Thứ Bảy 20/11/2021 08:00 (bí thư chi bộ" in reply
        assert "không sửa được quyết định đã đưa ra" in reply and "Văn phòng Quận ủy" in reply
    assert without_last_seen(await dump(office.store)) == before
    assert len(lan_anh.received) == 1


async def test_an_admin_changes_a_decision_on_purpose_and_back(office):
    secretary = await office.linked("C0106")
    lan_anh, admin = await office.linked("M07"), await office.linked("M01")
    [_, item] = await secretary.send("/confirm")
    await secretary.tap(item.choices[0])
    checkin = await checkin_of(office, "M07", "C0106")

    # An old Absent button: the office is asked first, and nothing changes yet.
    office.clock.advance(timedelta(days=1))
    before = without_last_seen(await dump(office.store))
    [offer] = await admin.tap(f"absent:{checkin}")
    assert "đã được xác nhận lúc Thứ Bảy 20/11/2021 08:00 (bí thư chi bộ" in offer.text
    assert "Đổi thành vắng?" in offer.text
    assert [(c.label, c.data) for c in offer.choices] == [
        ("Đổi thành: Vắng", f"change-decision:{checkin}:denied")
    ]
    assert without_last_seen(await dump(office.store)) == before

    [changed] = await admin.tap(offer.choices[0])
    assert "Đã đổi quyết định" in changed.text and "đã được báo" in changed.text
    assert await status_of(office, checkin) == "denied"
    assert "Văn phòng Quận ủy đã sửa quyết định" in lan_anh.received[-1].text
    assert "nay ghi vắng" in lan_anh.received[-1].text

    # A second tap on the same Change button: already so, nobody told twice.
    told = len(lan_anh.received)
    assert "đã được ghi vắng" in (await admin.tap(offer.choices[0]))[-1].text
    assert len(lan_anh.received) == told

    # And back, from /confirm M07.
    office.clock.advance(timedelta(hours=2))
    [header, *items] = await admin.send("/confirm m07")
    assert "Hoàng Thị Lan Anh (M07)" in header.text
    [listed] = [m for m in items if f"change-decision:{checkin}:confirmed" in str(m.choices)]
    assert "Ghi vắng lúc Chủ Nhật 21/11/2021 08:00 (Văn phòng Quận ủy, Nguyễn Văn Thành)" in (
        listed.text
    )
    await admin.tap(listed.choices[0])
    assert await status_of(office, checkin) == "confirmed"
    assert "nay đã được xác nhận" in lan_anh.received[-1].text

    # The secretary is no member: recorded by phone, as the roster has it.
    log = await decisions_of(office, checkin)
    assert [row[:6] for row in log] == [
        ("confirmed", "pending", "0979944369", "Bùi Thị Phương Vân", "secretary", "test"),
        ("denied", "confirmed", "M01", "Nguyễn Văn Thành", "admin", "test"),
        ("confirmed", "denied", "M01", "Nguyễn Văn Thành", "admin", "test"),
    ]
    assert [at for *_, at in log] == [
        "2021-11-20T01:00:00+00:00",
        "2021-11-21T01:00:00+00:00",
        "2021-11-21T03:00:00+00:00",
    ]


async def test_the_log_is_never_rewritten(office):
    admin = await office.linked("M01")
    checkin = await checkin_of(office, "M09", "C0203")
    await admin.tap(f"confirm:{checkin}")
    with pytest.raises(sqlite3.IntegrityError, match="recorded once"):
        await office.store.db.execute("UPDATE decisions SET status = 'denied'")


async def test_confirm_code_for_a_member_with_nothing_or_an_unknown_code(office):
    admin = await office.linked("M01")
    assert "chưa điểm danh lần nào" in texts(await admin.send("/confirm M08"))
    before = await dump(office.store)
    assert 'Không có Quận ủy viên nào mã "X99"' in texts(await admin.send("/confirm x99"))
    assert without_last_seen(await dump(office.store)) == without_last_seen(before)


async def test_a_secretarys_confirm_ignores_a_member_code(office):
    secretary = await office.linked("C0106")
    replies = await secretary.send("/confirm M07")
    assert "Có 1 lượt điểm danh chờ đồng chí xác nhận" in replies[0].text


# -- replies that say someone was told say so only when a message was queued ------------------


async def test_schedule_counts_only_the_members_it_could_tell(office):
    # O01's members yet to visit are M07 (pending) and M08; only M08 is linked.
    duc = await office.linked("M08")
    secretary = await office.linked("C0101")
    reply = (await secretary.send("/schedule 2021-12-15 08:00"))[-1].text
    assert "Đã báo cho 1 Quận ủy viên" in reply
    assert "1 Quận ủy viên chưa có lượt dự được xác nhận ở Đảng bộ phường Bồ Đề chưa được báo" in (
        reply
    )
    assert len(duc.received) == 1
    keys = await office.store.db.fetchall("SELECT key FROM outbox WHERE key LIKE 'meeting-set:%'")
    assert [row[0].rsplit(":", 1)[1] for row in keys] == ["member=M08"]


async def test_schedule_with_nobody_reachable_says_nobody_was_told(office):
    secretary = await office.linked("C0101")
    reply = (await secretary.send("/schedule 2021-12-15 08:00"))[-1].text
    assert "Đã báo" not in reply
    assert "2 Quận ủy viên" in reply and "chưa được báo" in reply


async def test_will_attend_tells_a_reachable_secretary_and_says_so(office):
    secretary, duc = await office.linked("C0101"), await office.linked("M08")
    meeting = await meeting_id(office, "C0101", "2021-12-06 16:00")
    reply = (await duc.tap(f"attend:{meeting}"))[-1].text
    assert "Bot đã báo bí thư chi bộ" in reply
    assert "Bùi Văn Đức" in secretary.received[-1].text


async def test_will_attend_at_ones_own_cell_tells_nobody_and_claims_nothing(office):
    await make_secretary_of_o11(office)
    nhung = await office.linked("M14")
    meeting = await meeting_id(office, "O11", "2021-12-13 14:00")
    reply = (await nhung.tap(f"attend:{meeting}"))[-1].text
    assert (
        reply
        == "Đã ghi nhận: đồng chí sẽ dự sinh hoạt Chi bộ Trạm Y tế phường Cự Khối lúc Thứ Hai 13/12/2021 14:00."
    )
    assert nhung.received == []


async def test_a_decision_says_when_the_member_could_not_be_told(office):
    secretary = await office.linked("C0106")  # M07 never linked
    [_, item] = await secretary.send("/confirm")
    reply = (await secretary.tap(item.choices[0]))[-1].text
    assert "Đã xác nhận đồng chí Hoàng Thị Lan Anh" in reply
    assert "Bot không liên lạc được với đồng chí Hoàng Thị Lan Anh" in reply
    assert "đã được báo" not in reply
    assert (
        await office.store.db.fetchval("SELECT count(*) FROM outbox WHERE key LIKE 'decided:%'")
        == 0
    )


async def test_the_office_decides_and_follows_flags_in_its_group_and_in_no_other(tmp_path):
    office_group = "-100500"
    config = Config(access=Access(admins=["M01"], digest_chats=[f"{CHANNEL}:{office_group}"]))
    world = await make_world(tmp_path, config)
    try:
        admin = await world.linked("M01")
        listing = await admin.send("/confirm", private=False, chat_id=office_group)
        assert "Có 7 lượt điểm danh trong toàn quận chờ xác nhận" in listing[0].text
        first = listing[1].choices[0]
        before = len(admin.port.replies)
        tap = Inbound(CHANNEL, admin.user_id, office_group, private=False, choice=first.data)
        await world.app.handle(tap, admin.port)
        assert "Đã xác nhận" in texts(admin.port.replies[before:])
        flags = texts(await admin.send("/flags", private=False, chat_id=office_group))
        assert "C0103" in flags

        elsewhere = await admin.send("/confirm", private=False, chat_id="-100999")
        assert texts(elsewhere) == "Hãy nhắn riêng cho bot để dùng lệnh này."
        member = await world.linked("M02")
        refused = await member.send("/confirm", private=False, chat_id=office_group)
        assert texts(refused) == "Lệnh này dành cho bí thư chi bộ và Văn phòng Quận ủy."
    finally:
        await world.store.close()
