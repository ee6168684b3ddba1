"""/flags: the committee office lists the cells flagged with difficulties and clears them.

The sample district at 2021-11-20 08:00 local, where the roster flags C0103, C0205, C0302,
C0406, C0504, C0601 and O12. M01 (Nguyễn Văn Thành) is an admin; M12 speaks English.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import copy_sample_roster, dump
from dialogue import make_world, texts
from test_dialogue_secretary import without_last_seen
from test_roster_history import set_flag

from bot.core.config import Access, Config
from bot.core.quarters import Quarter
from bot.roster import import_roster
from bot.services.coverage import quarter_coverage

FLAGGED = ["C0103", "C0205", "C0302", "C0406", "C0504", "C0601", "O12"]


@pytest.fixture
async def office(tmp_path):
    world = await make_world(tmp_path, Config(access=Access(admins=["M01"])))
    yield world
    await world.store.close()


def codes_listed(message) -> list[str]:
    """The cells a /flags message offers to clear, from its Clear buttons."""
    return [c.label.split()[-1] for c in message.choices if c.data.startswith("unflag:")]


async def flag_of(world, cell: str) -> tuple:
    row = await world.store.db.fetchone(
        "SELECT f.id, f.cleared_at, f.cleared_by, f.cleared_person, c.flagged"
        " FROM flag_periods f JOIN cells c ON c.id = f.cell_id WHERE c.code = ?"
        " ORDER BY f.id DESC LIMIT 1",
        (cell,),
    )
    return tuple(row)


async def flagged_in_q4(world, organization: str) -> list[str]:
    coverage = await quarter_coverage(world.store, world.config, Quarter(2021, 4))
    return next(o.flagged_cells for o in coverage.organizations if o.code == organization)


async def test_an_admin_sees_each_flagged_cell_with_a_clear_button(office):
    admin = await office.linked("M01")
    (listing,) = await admin.send("/khokhan")
    lines = listing.text.splitlines()
    assert "7 chi bộ đang được đánh dấu có khó khăn" in lines[0]
    assert lines[1:3] == [
        "1. Chi bộ Tổ dân phố số 5 (C0103), Đảng bộ phường Bồ Đề",
        "    Đã đánh dấu trong danh sách từ ban đầu",
    ]
    assert codes_listed(listing) == FLAGGED
    flag_id = (await flag_of(office, "C0103"))[0]
    assert (listing.choices[0].label, listing.choices[0].data) == (
        "Gỡ cờ C0103",
        f"unflag:{flag_id}",
    )


async def test_clear_records_the_admin_and_the_time_and_the_quarter_keeps_the_flag(office):
    admin = await office.linked("M01")
    (listing,) = await admin.send("/flags")
    office.clock.advance(timedelta(hours=2))

    reply = (await admin.tap(listing.choices[0]))[-1].text

    assert "Đã gỡ cờ khó khăn của Chi bộ Tổ dân phố số 5 (C0103)" in reply
    person = (await office.store.people.by_member_code("M01")).id
    assert (await flag_of(office, "C0103"))[1:] == (
        "2021-11-20T03:00:00+00:00",
        "admin",
        person,
        0,
    )
    assert codes_listed((await admin.send("/flags"))[0]) == FLAGGED[1:]
    assert await flagged_in_q4(office, "O01") == ["C0103"]  # flagged inside the quarter


async def test_a_second_clear_is_stale_says_who_cleared_and_changes_nothing(office):
    admin = await office.linked("M01")
    (listing,) = await admin.send("/flags")
    await admin.tap(listing.choices[0])
    office.clock.advance(timedelta(minutes=5))
    before = await dump(office.store)

    reply = (await admin.tap(listing.choices[0]))[-1].text

    assert "đã được đồng chí Nguyễn Văn Thành gỡ lúc Thứ Bảy 20/11/2021 08:00" in reply
    assert "Không có gì thay đổi" in reply
    assert without_last_seen(await dump(office.store)) == without_last_seen(before)


async def test_a_clear_after_an_import_cleared_the_flag_says_so(office, tmp_path):
    admin = await office.linked("M01")
    (listing,) = await admin.send("/flags")
    roster = copy_sample_roster(tmp_path / "roster")
    set_flag(roster, "C0103", False)
    await import_roster(office.store, office.config, roster, office.now())
    before = await dump(office.store)

    reply = (await admin.tap(listing.choices[0]))[-1].text

    assert "đã được gỡ lúc Thứ Bảy 20/11/2021 08:00 khi nhập danh sách" in reply
    assert without_last_seen(await dump(office.store)) == without_last_seen(before)


async def test_a_flag_a_later_import_raised_says_when(office, tmp_path):
    admin = await office.linked("M01")
    roster = copy_sample_roster(tmp_path / "roster")
    set_flag(roster, "C0101", True)
    office.clock.advance(timedelta(days=1))
    await import_roster(office.store, office.config, roster, office.now())
    text = (await admin.send("/flags"))[0].text
    assert (
        "1. Chi bộ Cơ quan UBND phường (C0101), Đảng bộ phường Bồ Đề\n"
        "    Đánh dấu theo danh sách của Văn phòng ngày 21/11/2021"
    ) in text


async def test_a_flag_raised_by_a_note_says_whose_note(office):
    admin = await office.linked("M01")
    checkin = await office.store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE m.code = 'M07' AND ch.cell_code = 'C0106'"
    )
    assert await office.store.flags.raise_by_note(checkin, office.now())
    text = (await admin.send("/flags"))[0].text
    assert (
        "(C0106), Đảng bộ phường Bồ Đề\n"
        "    Đồng chí Hoàng Thị Lan Anh báo có khó khăn trong nhận xét ngày 20/11/2021"
    ) in text


@pytest.mark.parametrize(
    "data", ["unflag:abc", "unflag:", "unflag:-1", "unflag:999999", "unflag:9" * 30]
)
async def test_forged_clears_are_refused_and_change_nothing(office, data):
    admin = await office.linked("M01")
    before = await dump(office.store)
    assert "Không tìm thấy cờ khó khăn này" in texts(await admin.tap(data))
    assert without_last_seen(await dump(office.store)) == without_last_seen(before)


async def test_who_is_not_an_admin_is_refused_in_their_language_and_nothing_changes(office):
    member = await office.linked("M02")
    english = await office.linked("M12")
    secretary = await office.linked("C0103")
    flag_id = (await flag_of(office, "C0103"))[0]
    before = await dump(office.store)

    for person in (member, secretary):
        assert "dành cho Văn phòng Quận ủy" in texts(await person.send("/flags"))
        assert "dành cho Văn phòng Quận ủy" in texts(await person.tap(f"unflag:{flag_id}"))
    assert "This command is for the committee office." in texts(await english.send("/flags"))
    assert "This command is for the committee office." in texts(
        await english.tap(f"unflag:{flag_id}")
    )
    assert "đường link mời" in texts(await office.stranger().tap(f"unflag:{flag_id}"))
    assert without_last_seen(await dump(office.store)) == without_last_seen(before)
    assert (await flag_of(office, "C0103"))[1] is None


async def test_an_english_speaking_admin_reads_english(tmp_path):
    world = await make_world(tmp_path, Config(access=Access(admins=["M12"])))
    try:
        admin = await world.linked("M12")
        (listing,) = await admin.send("/flags")
        assert "7 cells are flagged with difficulties" in listing.text
        assert "Flagged on the roster from the start" in listing.text
        assert listing.choices[0].label == "Clear C0103"
        reply = (await admin.tap(listing.choices[0]))[-1].text
        assert reply.startswith("Cleared the difficulty flag of Chi bộ Tổ dân phố số 5 (C0103)")
    finally:
        await world.store.close()


async def test_more_than_ten_come_ten_at_a_time(office, tmp_path):
    roster = copy_sample_roster(tmp_path / "roster")
    for cell in ("C0101", "C0102", "C0104", "C0105", "C0106", "C0107"):
        set_flag(roster, cell, True)
    await import_roster(office.store, office.config, roster, office.now())
    admin = await office.linked("M01")

    (first,) = await admin.send("/flags")

    assert "13 chi bộ" in first.text
    listed = codes_listed(first)
    assert len(listed) == 10 and listed[:3] == ["C0101", "C0102", "C0103"]
    assert first.text.splitlines()[-1] == "Còn 3 chi bộ nữa."
    assert (first.choices[-1].label, first.choices[-1].data) == ("Xem thêm", "flagsmore:10")
    (rest,) = await admin.tap(first.choices[-1])
    assert (
        rest.text.splitlines()[0] == "Chi bộ thứ 11 đến 13 trong 13 chi bộ có khó khăn, vướng mắc:"
    )
    assert rest.text.splitlines()[1].startswith("11. ")
    assert codes_listed(rest) == ["C0504", "C0601", "O12"]
    assert len(rest.choices) == 3
    assert "Đã hết danh sách" in texts(await admin.tap("flagsmore:100"))
    assert "không còn hiệu lực" in texts(await admin.tap("flagsmore:x"))


async def test_the_admin_menu_lists_flags(office):
    admin = await office.linked("M01")
    assert "/flags - Chi bộ có khó khăn, vướng mắc (/khokhan)" in texts(await admin.send("/help"))


async def test_no_flag_left_says_so(office):
    admin = await office.linked("M01")
    await office.store.db.execute(
        "UPDATE flag_periods SET cleared_at = '2021-11-20T01:00:00+00:00', cleared_by = 'import'"
    )
    assert texts(await admin.send("/flags")) == (
        "Hiện không có chi bộ nào được đánh dấu có khó khăn, vướng mắc."
    )


async def test_listing_changes_nothing(office):
    admin = await office.linked("M01")
    before = await dump(office.store)
    await admin.send("/flags")
    assert without_last_seen(await dump(office.store)) == without_last_seen(before)
