"""After a quarter is closed: late decisions are an admin's amendments, a secretary is told to
ask the office, and the bot closes each quarter once and sends its final digest once.

The sample district, its office M01 (an admin), its digest chat "test:office". In 2021Q4 five
check-ins are still pending, among them M07's (Hoàng Thị Lan Anh) at C0106, whose secretary is
Bùi Thị Phương Vân (no member).
"""

from __future__ import annotations

import asyncio

import pytest
from conftest import dump
from dialogue import World, make_world, texts
from test_dialogue_member import at
from test_dialogue_secretary import without_last_seen

from bot.core.config import Access, Config, Storage
from bot.core.quarters import Quarter
from bot.scheduler import Scheduler
from bot.services.closing import close_quarter
from bot.services.coverage import quarter_coverage
from storage.store import Store

Q4 = Quarter(2021, 4)
OFFICE = "office"
M07 = "Hoàng Thị Lan Anh"


@pytest.fixture
async def office(tmp_path):
    config = Config(
        # The world's database, beside which the digests' files are written.
        storage=Storage(path=str(tmp_path / "bot.sqlite3")),
        access=Access(admins=["M01"], digest_chats=[f"test:{OFFICE}"]),
    )
    world = await make_world(tmp_path, config)
    yield world
    await world.store.close()


async def tick(world: World, local: str, scheduler: Scheduler | None = None) -> None:
    """The clock at LOCAL time; the scheduler's tick there, and delivery."""
    world.clock.set(at(world, local))
    await (scheduler or world.app.scheduler).run_due(world.now())
    await world.app.delivery.drain()


async def m07_checkin(world: World) -> int:
    return await world.store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE m.code = 'M07' AND ch.cell_code = 'C0106'"
    )


def digests_to_office(world: World) -> list[str]:
    """The office chat's digest messages (the files that follow them left out)."""
    return [m.text for m in world.inbox.inboxes.get(OFFICE, []) if not m.text.startswith("[file")]


async def closed_rows(world: World) -> list[tuple]:
    rows = await world.store.db.fetchall(
        "SELECT quarter, closed_at, closed_by FROM closed_quarters"
    )
    return [tuple(row) for row in rows]


# -- a secretary, once the quarter is closed ----------------------------------------------


async def test_a_secretary_is_told_the_quarter_is_closed_and_to_ask_the_office(office):
    secretary = await office.linked("C0106")
    assert M07 in texts(await secretary.send("/confirm"))  # pending, the quarter still open
    checkin = await m07_checkin(office)

    await tick(office, "2022-01-11 00:00")  # the bot closes 2021Q4

    assert "Không có lượt điểm danh nào chờ đồng chí xác nhận" in texts(
        await secretary.send("/confirm")
    )
    before = without_last_seen(await dump(office.store))
    [reply] = await secretary.tap(f"confirm:{checkin}")  # the button of an old message
    assert reply.text == (
        "Số liệu quý IV/2021 đã được chốt lúc Thứ Ba 11/01/2022 00:00: lượt điểm danh của đồng"
        f" chí {M07} (Chi bộ khu dân cư Lâm Du, Chủ Nhật 07/11/2021 19:30) nay chỉ Văn phòng"
        " Quận ủy quyết định, như một sửa đổi sau khi chốt. Không có gì thay đổi; nếu cần xác"
        " nhận hoặc sửa, đề nghị đồng chí báo Văn phòng Quận ủy."
    )
    await secretary.send("/lang en")
    [reply] = await secretary.tap(f"absent:{checkin}")
    assert reply.text.startswith("The figures of Q4 2021 were closed on Tue 11/01/2022")
    assert "Nothing was changed; to have it confirmed or changed, ask the committee office." in (
        reply.text
    )
    after = without_last_seen(await dump(office.store))
    after["people"] = before["people"]  # /lang en: the secretary's language, nothing else
    assert after == before


# -- an admin amends ------------------------------------------------------------------------


async def test_an_admins_decision_after_closing_amends_the_figures_with_a_record(office):
    member = await office.linked("M07")
    await tick(office, "2022-01-11 00:00")
    admin = await office.linked("M01")
    closed = await quarter_coverage(office.store, office.config, Q4)
    as_closed = await office.store.db.fetchall("SELECT * FROM closed_pairs ORDER BY 1, 2, 3")

    replies = await admin.send("/confirm")
    # The sample's eight check-ins waiting, but M01's own: never decided by its author.
    assert replies[0].text.startswith("Có 7 lượt điểm danh trong toàn quận chờ xác nhận")
    [m07] = [r for r in replies if M07 in r.text and "Lâm Du" in r.text]
    office.clock.set(at(office, "2022-01-12 09:30"))
    [reply] = await admin.tap(m07.choices[0])  # Confirm

    assert reply.text.splitlines() == [
        f"Đã xác nhận đồng chí {M07} dự sinh hoạt Chi bộ khu dân cư Lâm Du"
        " (Chủ Nhật 07/11/2021 19:30).",
        "Số liệu quý IV/2021 đã chốt, nên quyết định này được ghi là sửa đổi sau khi chốt:"
        f" {M07} ở O01: chờ xác nhận → đã dự.",
        f"Đồng chí {M07} đã được báo.",
    ]
    # Delivery sends what an action queued before the scheduler's bulk (a weekly suggestion
    # came due meanwhile): the notice is among what arrived, not necessarily last.
    assert any("đã được Văn phòng Quận ủy xác nhận" in m.text for m in member.received[-2:])
    amended = await quarter_coverage(office.store, office.config, Q4)
    assert closed.totals == {"required": 41, "covered": 10, "pending": 5, "missed": 26}
    assert amended.totals == {"required": 41, "covered": 11, "pending": 4, "missed": 26}
    [amendment] = amended.to_json()["amendments"]
    assert amendment == {
        "member": "M07",
        "organization": "O01",
        "from": "pending",
        "to": "covered",
        "by": "M01",
        "at": "2022-01-12T09:30:00+07:00",
    }

    # The old Absent button: an admin is asked first, then the change is a second amendment.
    [offer] = await admin.tap(m07.choices[1])
    assert "Đổi thành vắng?" in offer.text
    [changed] = await admin.tap(offer.choices[0])
    # M07's two other check-ins at O01 still wait: the pair is pending again, not missed.
    assert f"{M07} ở O01: đã dự → chờ xác nhận" in changed.text
    amendments = (await quarter_coverage(office.store, office.config, Q4)).amendments
    assert [(a.before, a.after, a.by_code) for a in amendments] == [
        ("pending", "covered", "M01"),
        ("covered", "pending", "M01"),
    ]
    # The record as closed is kept as it was; the amendments are beside it.
    assert await office.store.db.fetchall("SELECT * FROM closed_pairs ORDER BY 1, 2, 3") == (
        as_closed
    )


async def test_an_admin_who_is_the_cells_secretary_amends_as_the_office(office):
    """M14 chairs O11 and is made an admin: after closing, her decision is the office's."""
    config = office.config.model_copy(
        update={"access": Access(admins=["M01", "M14"], digest_chats=[f"test:{OFFICE}"])}
    )  # storage.path stays the world's
    office.app.config = config
    await office.store.db.execute(
        "UPDATE cells SET secretary_id = (SELECT person_id FROM members WHERE code = 'M14')"
        " WHERE code = 'C0106'"
    )
    nhung = await office.linked("M14")
    await close_quarter(office.store, config, Q4, at(office, "2022-01-05 08:00"), "cli")
    office.clock.set(at(office, "2022-01-05 09:00"))

    await nhung.tap(f"confirm:{await m07_checkin(office)}")

    role = await office.store.db.fetchval("SELECT role FROM decisions ORDER BY id DESC LIMIT 1")
    assert role == "admin"


# -- the bot closes, and sends the digests -----------------------------------------------


async def test_the_preliminary_digest_then_the_closing_and_the_final_digest(office):
    await tick(office, "2021-12-31 17:00")
    [preliminary] = digests_to_office(office)
    assert (
        "SỐ LIỆU SƠ BỘ: còn 8 lượt điểm danh chờ xác nhận; số liệu được chốt ngày 11/01/2022."
        in preliminary
    )
    await tick(office, "2022-01-10 23:59")
    assert ("2021Q4",) not in {row[:1] for row in await closed_rows(office)}

    await tick(office, "2022-01-11 00:00")

    assert ("2021Q4", "2022-01-10T17:00:00+00:00", "bot") in await closed_rows(office)
    assert len(digests_to_office(office)) == 1  # the quiet hours hold the final one
    await tick(office, "2022-01-11 07:00")
    [_, final] = digests_to_office(office)
    assert "SỐ LIỆU CHÍNH THỨC: đã chốt lúc Thứ Ba 11/01/2022 00:00" in final
    assert "(số liệu đến 31/12/2021)" in final and "SƠ BỘ" not in final
    assert "Sửa đổi" not in final  # none yet
    files = [m.text for m in office.inbox.inboxes[OFFICE] if m.text.startswith("[file")]
    assert (
        files
        == [
            "[file digest-2021Q4.xlsx] Bảng tổng hợp quý IV/2021: Quận ủy viên, cơ sở đảng, lượt"
            " dự, nhận xét",
            "[file digest-2021Q4.png] Biểu đồ quý IV/2021",
        ]
        * 2
    )
    keys = await office.store.db.fetchall(
        "SELECT key FROM outbox WHERE key LIKE 'digest%' AND key NOT LIKE '%:file=%' ORDER BY id"
    )
    assert [row[0] for row in keys] == [
        "digest:quarter=2021Q4:chat=test:office",
        "digest-final:quarter=2021Q4:chat=test:office",
    ]

    # Later ticks, a restart: closed once, each digest once.
    before = await closed_rows(office)
    await tick(office, "2022-01-11 07:30")
    await tick(office, "2022-01-12 08:00", Scheduler(office.config, office.store))
    assert await closed_rows(office) == before
    assert len(digests_to_office(office)) == 2


async def test_two_schedulers_on_one_database_close_it_once_and_send_the_final_digest_once(
    office, tmp_path
):
    await tick(office, "2022-01-10 23:00")
    other = await Store.open(office.store.db.path)  # a second process's connection
    try:
        office.clock.set(at(office, "2022-01-11 00:00"))
        await asyncio.gather(
            office.app.scheduler.run_due(office.now()),
            Scheduler(office.config, other).run_due(office.now()),
        )
    finally:
        await other.close()
    await tick(office, "2022-01-11 07:00")  # after the quiet hours

    assert [row for row in await closed_rows(office) if row[0] == "2021Q4"] == [
        ("2021Q4", "2022-01-10T17:00:00+00:00", "bot")
    ]
    assert sum("SỐ LIỆU CHÍNH THỨC" in text for text in digests_to_office(office)) == 1
    frozen = await office.store.db.fetchval(
        "SELECT count(*) FROM closed_visits WHERE quarter = '2021Q4'"
    )
    checkins = await office.store.db.fetchval(
        "SELECT count(*) FROM checkins WHERE meeting_starts_at >= '2021-09-30T17:00'"
        " AND meeting_starts_at < '2021-12-31T17:00'"
    )
    assert frozen == checkins > 0  # each check-in once


async def test_the_final_digest_lists_the_amendments_made_before_it_went_out(office):
    """The office closes 2021Q4 by hand while the bot is down; an admin amends; the bot, back,
    sends the final digest with the amendment."""
    await tick(office, "2021-12-31 17:00")
    await close_quarter(office.store, office.config, Q4, at(office, "2022-01-03 08:00"), "cli")
    admin = await office.linked("M01")
    office.clock.set(at(office, "2022-01-03 10:00"))
    await admin.tap(f"confirm:{await m07_checkin(office)}")

    await tick(office, "2022-01-04 08:00")

    [_, final] = digests_to_office(office)
    assert "SỐ LIỆU CHÍNH THỨC: đã chốt lúc Thứ Hai 03/01/2022 08:00" in final
    assert (
        "Sửa đổi sau khi chốt số liệu (1):\n"
        "• M07 ở O01: chờ xác nhận → đã dự (Nguyễn Văn Thành, 03/01/2022 10:00)"
    ) in final
    # The next quarter's digests list it too: made during 2022Q1.
    office.clock.set(at(office, "2022-02-01 08:00"))
    report = texts(await admin.send("/report"))
    assert (
        "• Quý IV/2021: M07 ở O01: chờ xác nhận → đã dự (Nguyễn Văn Thành, 03/01/2022 10:00)"
        in (report)
    )


async def test_an_admin_changes_a_decision_of_an_earlier_closed_quarter_from_confirm_code(office):
    """In 2022, the office finds M07's visit to C0501 in July 2021 was not one: 2021Q3 was
    closed (by the bot, on 11/10/2021), so the change is an amendment of its figures."""
    office.clock.set(at(office, "2022-02-01 08:00"))
    admin = await office.linked("M01")
    before = without_last_seen(await dump(office.store))
    [refused] = await admin.send("/confirm M07 2021Q5")
    assert refused.text == (
        '"2021Q5" không phải là một quý. Gõ /confirm MÃ QUÝ, ví dụ /confirm M07 2021Q4.'
    )
    assert without_last_seen(await dump(office.store)) == before

    header, c0501, c0102 = await admin.send("/confirm M07 2021Q3")

    assert header.text == f"Các lượt điểm danh quý III/2021 của đồng chí {M07} (M07):"
    assert "Chi bộ khu dân cư Thạch Cầu" not in c0102.text and "05/07/2021 14:00" in c0501.text
    [change] = c0501.choices
    assert change.label == "Đổi thành: Vắng"
    [changed] = await admin.tap(change)
    assert (
        f"Số liệu quý III/2021 đã chốt, nên quyết định này được ghi là sửa đổi sau khi chốt: {M07}"
        " ở O05: đã dự → chưa dự." in changed.text
    )
    [amendment] = (await quarter_coverage(office.store, office.config, Quarter(2021, 3))).amendments
    assert (amendment.member, amendment.organization, amendment.before, amendment.after) == (
        "M07",
        "O05",
        "covered",
        "missed",
    )
