"""The quarterly digest of the sample district: its numbers, text, workbook and chart, and /report.

The sample district at the demo clock, 2021-11-20 08:00 local, in 2021Q4 to date.
"""

from __future__ import annotations

import struct
import warnings
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from dialogue import RecordingPort, World, forget_open_quarters_checkins, make_world
from openpyxl import load_workbook

from bot.core.config import Access, Committee, Config, Web
from bot.core.i18n import Translator, catalog
from bot.core.messages import Inbound
from bot.core.quarters import Quarter
from bot.digest.chart import draw_chart, write_chart
from bot.digest.gather import gather_digest
from bot.digest.model import Digest
from bot.digest.render import render_digest
from bot.digest.text import digest_message
from bot.digest.whole_file import write_whole
from bot.digest.workbook import SHEETS, sheet_title
from bot.services.coverage import quarter_coverage
from storage.timefmt import to_db

Q4 = Quarter(2021, 4)
# The sheets' names in the office's language, by what each lists.
SHEET = {name: sheet_title(name, Translator("vi", Config().committee.tz)) for name in SHEETS}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def translator(world: World, language: str = "vi") -> Translator:
    return Translator(language, world.config.committee.tz)


async def digest_of(world: World, quarter: Quarter = Q4) -> Digest:
    return await gather_digest(world.store, world.config, quarter, world.now())


def section(text: str, heading: str) -> list[str]:
    """The lines of the section of TEXT whose first line starts with HEADING, heading excluded."""
    for block in text.split("\n\n"):
        if block.startswith(heading):
            return block.split("\n")[1:]
    raise AssertionError(f"no section {heading!r} in:\n{text}")


async def account_of(world: World, user_id: str) -> int:
    account = await world.store.accounts.find("test", user_id)
    assert account is not None
    return account.id


# -- what the digest says ---------------------------------------------------------------------


def message(digest: Digest, t: Translator, limit: int = 4096, attached: bool = True) -> str:
    return digest_message(digest, t, limit=limit, files_attached=attached)


async def test_the_digest_numbers_are_the_coverage_numbers(world):
    digest = await digest_of(world)
    coverage = await quarter_coverage(world.store, world.config, Q4)
    assert digest.coverage == coverage
    totals = coverage.totals
    assert totals["required"] > 0 and totals["missed"] > 0  # the sample is mid-quarter

    text = message(digest, translator(world))
    percent = round(100 * totals["covered"] / totals["required"])
    assert (
        f"Phải dự: {totals['required']} · Đã dự: {totals['covered']} ({percent}%) · Chờ xác nhận:"
        f" {totals['pending']} · Chưa dự: {totals['missed']}"
    ) in text
    visited = sum(1 for o in coverage.organizations if o.cells_visited)
    assert (
        f"Cơ sở đảng đã có Quận ủy viên đến dự sinh hoạt: {visited}/{len(coverage.organizations)}"
        in text
    )
    flagged = [c for o in coverage.organizations for c in o.flagged_cells]
    flagged_visited = [c for o in coverage.organizations for c in o.flagged_visited]
    assert (
        f"Chi bộ có khó khăn, vướng mắc đã được dự: {len(flagged_visited)}/{len(flagged)}" in text
    )
    assert "• C0302 Chi bộ khu đô thị Việt Hưng (Đảng bộ phường Việt Hưng)" in section(
        text, "Chi bộ có khó khăn, vướng mắc chưa được dự"
    )
    assert "Báo cáo tổng hợp dự sinh hoạt chi bộ quý IV/2021 (số liệu đến 20/11/2021)" in text
    assert text.endswith("ở bảng tính đính kèm.")


async def test_the_organizations_furthest_behind_come_first_ten_at_most(world):
    digest = await digest_of(world)
    # Straight from the pairs: each organization's members, and those yet to visit.
    required: dict[str, int] = {}
    missed: dict[str, int] = {}
    for member in digest.coverage.members:
        for pair in member.organizations:
            required[pair.organization] = required.get(pair.organization, 0) + 1
            missed[pair.organization] = missed.get(pair.organization, 0) + (pair.status == "missed")
    behind = [code for code, count in missed.items() if count]
    assert len(behind) > 10  # the sample has more than the message lists
    shares = [missed[o.code] / required[o.code] for o in digest.organizations_behind]
    assert sorted(o.code for o in digest.organizations_behind) == sorted(behind)
    assert shares == sorted(shares, reverse=True)

    lines = section(message(digest, translator(world)), "Cơ sở đảng chậm nhất")
    assert len(lines) == 10
    first = digest.organizations_behind[0]
    assert lines[0] == (
        f"• {first.code} {first.name}: Quận ủy viên chưa dự {first.missed}/{first.required}"
        f" · chi bộ được dự {first.cells_visited}/{first.cells}"
    )
    assert f"(10 trong {len(behind)} cơ sở đảng còn Quận ủy viên chưa dự sinh hoạt)" in message(
        digest, translator(world)
    )


async def test_what_is_pending_and_the_members_behind_are_counted(world):
    digest = await digest_of(world)
    pending = await world.store.db.fetchval(
        "SELECT count(*) FROM checkins WHERE status = 'pending' AND meeting_starts_at >= ?"
        " AND meeting_starts_at < ?",
        tuple(to_db(instant) for instant in Q4.utc_bounds(world.config.committee.tz)),
    )
    text = message(digest, translator(world))
    assert f"Còn {pending} lượt điểm danh chờ bí thư chi bộ xác nhận." in text
    behind = [
        m for m in digest.coverage.members if any(p.status == "missed" for p in m.organizations)
    ]
    assert (
        f"Quận ủy viên còn cơ sở đảng chưa dự sinh hoạt: {len(behind)}/{len(digest.coverage.members)}."
        in text
    )


async def test_the_lists_are_capped_and_the_message_fits_each_channel(world):
    # Nothing visited at all, and every cell flagged: every one of them is left.
    await forget_open_quarters_checkins(world.store)
    await world.store.db.execute(  # every cell flagged since before the quarter
        "INSERT INTO flag_periods (cell_id, raised_at, raised_by)"
        " SELECT id, NULL, 'import' FROM cells WHERE NOT flagged"
    )
    digest = await digest_of(world)
    t = translator(world)
    telegram = message(digest, t)
    flagged = section(telegram, "Chi bộ có khó khăn, vướng mắc chưa được dự")
    assert len(flagged) == 11 and flagged[-1] == f"… và {len(digest.unvisited_flagged) - 10} nữa"
    assert "Không còn lượt điểm danh nào chờ xác nhận." in telegram
    # A smaller limit lists fewer, and the message still ends saying where the rest are.
    for limit in (2000, 1200, 900):
        shorter = message(digest, t, limit=limit, attached=False)
        assert len(shorter) <= limit
        assert shorter.endswith("lấy bằng lệnh checkin-bot digest.")
    assert len(section(message(digest, t, limit=900), "Cơ sở đảng chậm nhất")) < 10


async def test_the_people_the_bot_cannot_reach_are_counted_and_listed_in_the_workbook(
    world, tmp_path
):
    await world.linked("M03")  # reachable
    await world.linked("M05")
    await world.linked("C0101")  # the secretary, reachable
    await world.linked("M14")  # member and secretary of C0603
    await world.store.accounts.mark_unreachable(await account_of(world, "user-M05"), world.now())
    # M14 blocked the bot on one account but still reads it on another: reachable.
    await world.store.accounts.mark_unreachable(await account_of(world, "user-M14"), world.now())
    person = await world.store.people.by_member_code("M14")
    await world.store.accounts.link("zalo", "z-14", "z-14", person.id, world.now())

    digest = await digest_of(world)
    members = await world.store.db.fetchval("SELECT count(*) FROM members WHERE active")
    secretaries = await world.store.db.fetchval(
        "SELECT count(DISTINCT secretary_id) FROM cells WHERE active AND secretary_id IS NOT NULL"
        " AND secretary_id NOT IN (SELECT person_id FROM members WHERE active)"
    )
    # Everyone but the three reachable people: M03, M14 (one person, two roles), C0101's.
    assert len(digest.unreachable) == members + secretaries - 3
    unreachable = {(p.name, p.member_code, p.reason) for p in digest.unreachable}
    assert ("Đỗ Thị Thu Hà", "M05", "blocked") in unreachable
    assert ("Lý Thị Minh Tâm", None, "not_linked") in unreachable
    assert not [p for p in digest.unreachable if p.member_code in ("M03", "M14")]
    text = message(digest, translator(world))
    said = f"Bot chưa liên lạc được {len(digest.unreachable)} người (xem bảng tính, trang"
    assert f"{said} {SHEET['unreachable']})." in text  # the sheet by the name it has
    rendered = await render_digest(world.store, world.config, Q4, world.now(), tmp_path)
    sheet = list(load_workbook(rendered.xlsx)[SHEET["unreachable"]].iter_rows(values_only=True))
    assert len(sheet) == 1 + len(digest.unreachable)
    assert ("Đỗ Thị Thu Hà", "M05", None, "đã chặn bot (từ 20/11/2021)") in sheet


async def test_the_digest_in_english(world):
    await world.linked("M05")
    await world.store.accounts.mark_unreachable(await account_of(world, "user-M05"), world.now())
    digest = await digest_of(world)
    text = message(digest, translator(world, "en"))
    totals = digest.coverage.totals
    assert "Digest of cell meeting visits, Q4 2021 (figures to 20/11/2021)" in text
    assert f"Required: {totals['required']} · Covered: {totals['covered']}" in text
    assert "Furthest behind (10 of the " in text
    assert "Good: 10 · Fair: 3 · Average: 3 · Poor: 0" in text
    assert f"The bot cannot reach {len(digest.unreachable)} people" in text
    assert "(see the workbook, sheet Unreachable)." in text
    assert text.endswith("are in the attached workbook.")


async def test_a_past_quarter_is_reported_to_its_last_day(world):
    digest = await digest_of(world, Quarter(2021, 3))
    assert digest.as_of_day.isoformat() == "2021-09-30"
    assert "quý III/2021 (số liệu đến 30/09/2021)" in message(digest, translator(world))


async def quarter_notes(world: World) -> dict[str, int]:
    """The notes on check-ins of Q4 that were not denied, counted by rating, straight from SQL."""
    start, end = Q4.utc_bounds(world.config.committee.tz)
    rows = await world.store.db.fetchall(
        "SELECT n.rating, count(*) FROM notes n JOIN checkins ch ON ch.id = n.checkin_id"
        " WHERE ch.meeting_starts_at >= ? AND ch.meeting_starts_at < ? AND ch.status != 'denied'"
        " GROUP BY n.rating",
        (to_db(start), to_db(end)),
    )
    return dict(rows)


async def test_the_ratings_count_the_notes_of_the_quarter(world):
    digest = await digest_of(world)
    expected = await quarter_notes(world)
    assert sum(expected.values()) > 0
    assert {r: n for r, n in digest.ratings.items() if n} == expected
    assert len(digest.notes) == sum(expected.values())
    text = message(digest, translator(world))
    counts = " · ".join(
        f"{label}: {expected.get(rating, 0)}"
        for rating, label in (
            ("good", "Tốt"),
            ("fair", "Khá"),
            ("average", "Trung bình"),
            ("poor", "Kém"),
        )
    )
    assert f"({len(digest.notes)} nhận xét):\n{counts}\n" in text
    steps = sum(1 for v in digest.notes if v.steps_kept)
    assert f"Thực hiện đúng các bước: {steps}/{len(digest.notes)}" in text


async def test_a_note_on_a_denied_check_in_is_no_rating_but_the_visit_is_listed(world):
    before = await digest_of(world)
    checkin, member = await world.store.db.fetchone(
        "SELECT ch.id, m.code FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE ch.status = 'pending' AND ch.meeting_starts_at >= '2021-10'"
        " AND ch.id NOT IN (SELECT checkin_id FROM notes) ORDER BY ch.id LIMIT 1"
    )
    await world.store.checkins.write_note(checkin, "poor", False, True, "", world.now())
    await world.store.checkins.decide(checkin, "denied", None, world.now())

    after = await digest_of(world)
    assert after.ratings == before.ratings and after.ratings["poor"] == 0
    assert len(after.notes) == len(before.notes)
    assert len(after.visits) == len(before.visits)
    assert [v.status for v in after.visits if v.member_code == member and v.rating == "poor"] == [
        "denied"
    ]


# -- the files --------------------------------------------------------------------------------


async def test_the_workbook_has_a_sheet_each_with_a_row_each(world, tmp_path):
    await world.linked("M05")
    await world.store.accounts.mark_unreachable(await account_of(world, "user-M05"), world.now())
    rendered = await render_digest(world.store, world.config, Q4, world.now(), tmp_path / "out")
    assert rendered.xlsx == tmp_path / "out" / "digest-2021Q4.xlsx"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "digest-2021Q4.png",
        "digest-2021Q4.xlsx",
    ]  # nothing half-written left beside them
    book = load_workbook(rendered.xlsx)
    assert book.sheetnames == [
        "Quận ủy viên",
        "Cơ sở đảng",
        "Lượt dự",
        "Nhận xét",
        "Chưa liên lạc được",
    ]
    assert book.sheetnames == [SHEET[name] for name in SHEETS]

    db = world.store.db
    start, end = Q4.utc_bounds(world.config.committee.tz)
    visits = await db.fetchval(
        "SELECT count(*) FROM checkins WHERE meeting_starts_at >= ? AND meeting_starts_at < ?",
        (to_db(start), to_db(end)),
    )
    rows = {name: list(book[SHEET[name]].iter_rows(values_only=True)) for name in SHEETS}
    assert len(rows["members"]) == 1 + await db.fetchval("SELECT count(*) FROM members")
    assert len(rows["organizations"]) == 1 + await db.fetchval("SELECT count(*) FROM organizations")
    assert len(rows["visits"]) == 1 + visits
    assert len(rows["notes"]) == 1 + sum((await quarter_notes(world)).values())

    members = {row[0]: row for row in rows["members"][1:]}
    coverage = await quarter_coverage(world.store, world.config, Q4)
    m01 = next(m for m in coverage.members if m.code == "M01")
    assert members["M01"] == (
        "M01",
        "Nguyễn Văn Thành",
        "Ủy viên Ban Thường vụ",
        len(m01.organizations),
        sum(p.status == "covered" for p in m01.organizations),
        sum(p.status == "pending" for p in m01.organizations),
        sum(p.status == "missed" for p in m01.organizations),
        "O11",
        "Chưa liên kết",
    )
    assert members["M05"][-1] == "Đã chặn bot"
    organizations = {row[0]: row for row in rows["organizations"][1:]}
    assert organizations["O01"][:3] == ("O01", "Đảng bộ phường Bồ Đề", "Đảng ủy cơ sở")
    assert organizations["O01"][-2:] == ("C0103", 0)  # flagged, not visited; no photos
    first_visit = rows["visits"][1]
    assert isinstance(first_visit[0], datetime)
    assert first_visit[0] >= datetime(2021, 10, 1)  # local time, inside the quarter
    assert book[SHEET["visits"]]["A2"].number_format == "dd/mm/yyyy hh:mm"


async def test_the_visits_sheet_says_who_decided_each_check_in_and_when(tmp_path):
    world = await make_world(tmp_path, Config(access=Access(admins=["M01"])))
    try:
        secretary = await world.linked("C0106")
        [_, item] = await secretary.send("/confirm")
        await secretary.tap(item.choices[0])  # M07 confirmed by the secretary at 08:00
        admin = await world.linked("M01")
        checkin = await world.store.db.fetchval(
            "SELECT id FROM checkins WHERE cell_code = 'C0203' AND status = 'pending'"
        )
        world.clock.advance(timedelta(minutes=30))
        await admin.tap(f"absent:{checkin}")  # M09 absent, by the office at 08:30
        rendered = await render_digest(world.store, world.config, Q4, world.now(), tmp_path)
    finally:
        await world.store.close()
    sheet = load_workbook(rendered.xlsx)[SHEET["visits"]]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-3:] == ("Người quyết định", "Với tư cách", "Quyết định lúc")
    by_member = {row[1]: row for row in rows[1:] if row[5] in ("C0106", "C0203", "C0505")}
    assert by_member["M07"][-3:] == (
        "Bùi Thị Phương Vân (0979944369)",
        "Bí thư chi bộ",
        datetime(2021, 11, 20, 8, 0),
    )
    assert by_member["M09"][-3:] == (
        "Nguyễn Văn Thành (M01)",
        "Văn phòng Quận ủy",
        datetime(2021, 11, 20, 8, 30),
    )
    assert by_member["M05"][-5:] == ("Chờ xác nhận", "Có", None, None, None)  # nobody yet
    # The sample's decisions name nobody, but say when.
    m03 = next(row for row in rows[1:] if row[1] == "M03")
    assert m03[-3:] == (None, None, datetime(2021, 10, 3, 19, 30))


async def test_a_note_typed_like_a_formula_stays_text_in_the_workbook(world, tmp_path):
    checkins = await world.store.db.fetchall(
        "SELECT n.checkin_id FROM notes n JOIN checkins ch ON ch.id = n.checkin_id"
        " WHERE ch.status = 'confirmed' AND ch.meeting_starts_at >= '2021-10' LIMIT 2"
    )
    formula = '=HYPERLINK("http://x","<y> & z")'
    now = world.now()
    await world.store.checkins.write_note(checkins[0][0], "good", True, False, formula, now)
    # A control character XML cannot carry is left out rather than breaking the file.
    await world.store.checkins.write_note(checkins[1][0], "fair", True, False, "a\x0bb", now)
    rendered = await render_digest(world.store, world.config, Q4, world.now(), tmp_path)
    notes = load_workbook(rendered.xlsx)[SHEET["notes"]]
    cells = [row[-2] for row in notes.iter_rows(min_row=2)]  # the note's text
    typed = [cell for cell in cells if cell.value == formula]
    assert len(typed) == 1 and typed[0].data_type == "s"
    assert [cell.value for cell in cells if cell.value == "ab"] == ["ab"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


async def test_the_chart_is_a_png_of_a_sensible_size(world, tmp_path):
    rendered = await render_digest(world.store, world.config, Q4, world.now(), tmp_path)
    width, height = png_size(rendered.png)
    assert 800 <= width <= 2000 and 300 <= height <= 1200
    assert 20_000 < rendered.png.stat().st_size < 1_000_000


VIETNAMESE = "ăâđêôơư ÀÁẢÃẠ ẰẮẲẴẶ ẦẤẨẪẬ ÈÉẺẼẸ ỀẾỂỄỆ ÌÍỈĨỊ ÒÓỎÕỌ ỒỐỔỖỘ ỜỚỞỠỢ ÙÚỦŨỤ ỪỨỬỮỰ ỲÝỶỸỴ"


@pytest.fixture
def glyphs_must_exist():
    """matplotlib's warning that a letter is missing from the font fails the test."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing from", category=UserWarning)
        yield


async def test_the_chart_draws_every_vietnamese_letter(tmp_path, glyphs_must_exist):
    letters = VIETNAMESE + " " + VIETNAMESE.lower()
    world = await make_world(tmp_path, Config(committee=Committee(name=f"Quận ủy {letters}")))
    try:
        for language in ("vi", "en"):
            digest = await digest_of(world)
            write_chart(digest, tmp_path / f"{language}.png", translator(world, language))
            assert png_size(tmp_path / f"{language}.png")[0] > 0
    finally:
        await world.store.close()


async def test_a_letter_missing_from_the_font_would_fail_that_test(tmp_path, glyphs_must_exist):
    world = await make_world(tmp_path, Config(committee=Committee(name="Quận ủy 漢")))
    try:
        digest = await digest_of(world)
        with pytest.raises(UserWarning, match="missing from font"):
            write_chart(digest, tmp_path / "chart.png", translator(world))
    finally:
        await world.store.close()


def test_the_values_the_files_name_have_texts():
    built = [
        *(f"digest.position_{p}" for p in ("standing", "member")),
        *(f"digest.kind_{k}" for k in ("committee", "cell")),
        *(f"digest.status_{s}" for s in ("confirmed", "pending", "denied")),
        *(f"digest.reachable_{r}" for r in ("yes", "not_linked", "blocked")),
        *(f"digest.chart_{s}" for s in ("covered", "pending", "missed")),
        *(f"note.rating_{r}" for r in ("good", "fair", "average", "poor")),
    ]
    assert [key for key in built if key not in catalog()] == []


# -- /report ----------------------------------------------------------------------------------


async def test_report_replies_with_the_digests_message_and_sends_the_two_files(tmp_path):
    world = await make_world(tmp_path, Config(access=Access(admins=["M01"])))
    try:
        admin = await world.linked("M01")
        replies = await admin.send("/report")
        digest = await digest_of(world)
        assert [r.text for r in replies] == [message(digest, translator(world))]
        assert [(path.name, caption) for path, caption in admin.port.files] == [
            (
                "digest-2021Q4.xlsx",
                "Bảng tổng hợp quý IV/2021: Quận ủy viên, cơ sở đảng, lượt dự, nhận xét",
            ),
            ("digest-2021Q4.png", "Biểu đồ quý IV/2021"),
        ]
        # Sent, then gone: the chat keeps the copy, the server keeps nothing.
        assert not any(path.exists() or path.parent.exists() for path, _ in admin.port.files)
    finally:
        await world.store.close()


async def test_with_the_board_served_the_digest_and_report_name_the_quarters_page(tmp_path):
    web = Web(enabled=True, base_url="https://bang.quanuy.vn")
    world = await make_world(tmp_path, Config(access=Access(admins=["M01"]), web=web))
    try:
        admin = await world.linked("M01")  # before the rendering: it counts who is linked
        board = (
            "Danh sách đầy đủ cũng có trên bảng theo dõi: https://bang.quanuy.vn/quarters/2021Q4"
        )
        rendered = await render_digest(world.store, world.config, Q4, world.now(), tmp_path / "d")
        assert rendered.text.endswith("ở bảng tính đính kèm.\n" + board)
        assert rendered.text_only.endswith("lệnh checkin-bot digest.\n" + board)  # Zalo's
        english = await render_digest(
            world.store, world.config, Q4, world.now(), tmp_path / "e", "en"
        )
        assert english.text.endswith(
            "workbook.\nThe full lists are on the board too: https://bang.quanuy.vn/quarters/2021Q4"
        )
        [reply] = await admin.send("/report")
        assert reply.text == rendered.text
    finally:
        await world.store.close()


async def test_without_a_telegram_digest_chat_the_files_are_said_to_come_from_the_command(
    tmp_path,
):
    world = await make_world(
        tmp_path, Config(access=Access(admins=["M01"], digest_chats=["zalo:office"]))
    )
    try:
        rendered = await render_digest(world.store, world.config, Q4, world.now(), tmp_path)
    finally:
        await world.store.close()
    assert "checkin-bot digest" in rendered.text_only and "Telegram" not in rendered.text_only


async def test_report_on_zalo_is_one_message_saying_where_the_files_are(tmp_path):
    # The office's Telegram group gets the digest's files: the message sends the admin there.
    access = Access(admins=["M01"], digest_chats=["-1001234567890"])
    world = await make_world(tmp_path, Config(access=access))
    try:
        person = await world.store.people.by_member_code("M01")
        await world.store.accounts.link("zalo", "z-01", "z-01", person.id, world.now())
        port = RecordingPort(shares_contacts=False)
        await world.app.handle(Inbound.typed("zalo", "z-01", "z-01", "/report"), port)
        (reply,) = port.replies
        digest = await digest_of(world)
        assert reply.text == message(digest, translator(world), limit=2000, attached=False)
        assert port.files == []  # Zalo carries none: the message says where they are
    finally:
        await world.store.close()


async def test_the_ratings_panel_without_notes_says_so_instead_of_an_empty_axis(world):
    quiet = await digest_of(world, Quarter(2022, 1))  # nobody has been to a meeting yet
    assert quiet.notes == ()
    for language, said in (("vi", "Chưa có nhận xét nào"), ("en", "No notes yet")):
        ratings = draw_chart(quiet, translator(world, language)).axes[2]
        assert [text.get_text() for text in ratings.texts] == [said]
        assert not ratings.axison  # no axis from -0.045 to 0.045

    ratings = draw_chart(await digest_of(world), translator(world)).axes[2]
    assert ratings.axison and all(text.get_text().isdigit() for text in ratings.texts)
    assert ratings.get_ylim()[0] == 0 and len(ratings.patches) == 4  # a bar per rating


def test_two_renderings_of_one_file_at_once_each_write_it_whole(tmp_path: Path) -> None:
    """Two processes rendering a quarter's digest into its folder at once (the scheduler and
    `digest --send`, or two schedulers): the second starts while the first is half written."""
    target = tmp_path / "digest-2021Q4.xlsx"

    def first(partial: Path) -> None:
        with partial.open("wb") as file:  # as the workbook's zip and the chart write
            file.write(b"first, ")
            write_whole(target, lambda second: second.write_bytes(b"second, whole"))
            file.write(b"whole")

    write_whole(target, first)

    assert target.read_bytes() == b"first, whole"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no partial file left
