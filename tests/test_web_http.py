"""The board over HTTP: who gets in, what a stranger sees, forms without their key, sessions
that end, and each page's answers (tests/board.py serves the sample district)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from board import ADMIN, board_config, open_board
from conftest import dump

from bot.core.config import Access
from bot.services.health import record_tick
from bot.services.web_sessions import SIGN_IN_VALID
from bot.web.context import BOARD

# Every route of contract.md's board (and the files) with a sample path; /healthz and
# /login are the ones without a session.
PAGES = [
    "/",
    "/quarters/2021Q4",
    "/quarters/2021Q4?view=organizations",
    "/quarters?quarter=2021Q4",
    "/members/M08",
    "/organizations/O01",
    "/pending",
    "/roster",
    "/meetings",
    "/logout",
    "/api/coverage?quarter=2021Q4",
    "/quarters/2021Q4/coverage.csv",
    "/quarters/2021Q4/digest.xlsx",
    "/quarters/2021Q4/digest.png",
    "/roster/roster.xlsx",
    "/photos/1-0123456789ab.jpg",  # no such photo: 404 once signed in
    "/no/such/page",
]
POSTS = ["/pending/1", "/roster", "/roster/apply", "/logout"]
# Roster data a stranger must never see: names and codes of the sample district.
SAMPLE_DATA = ("Nguyễn Văn Thành", "Bùi Văn Đức", "Bồ Đề", "M08", "O01", "C0101")


@pytest.mark.parametrize("path", PAGES)
async def test_without_a_session_every_page_is_the_sign_in_page(tmp_path, path):
    async with open_board(tmp_path) as office:
        page = await office.get(path)
    assert page.status == 401
    assert "Đăng nhập bảng theo dõi" in page.text and "Sign in to the board" in page.text
    assert not [data for data in SAMPLE_DATA if data in page.text]
    assert page.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", POSTS)
async def test_without_a_session_no_form_changes_anything(tmp_path, path):
    async with open_board(tmp_path) as office:
        before = await dump(office.world.store)
        page = await office.post(path, {"csrf": "x", "decision": "confirm", "upload": "x"})
        assert page.status == 401
        assert await dump(office.world.store) == before


async def test_the_health_check_needs_no_session_and_shows_no_roster(tmp_path):
    async with open_board(tmp_path) as office:
        never_ticked = await office.get("/healthz")
        await record_tick(office.world.store, office.world.now())
        ticked = await office.get("/healthz")
    assert never_ticked.status == 503 and "never ticked" in never_ticked.text
    assert ticked.status == 200
    assert '"ok": true' in ticked.text and '"last_tick": "' in ticked.text
    assert '"backlog"' in ticked.text and '"last_sent"' in ticked.text
    for page in (never_ticked, ticked):
        assert not [data for data in SAMPLE_DATA if data in page.text]


async def test_every_answer_has_a_strict_content_security_policy(tmp_path):
    async with open_board(tmp_path) as office:
        answers = [await office.get("/"), await office.get("/healthz")]
        await office.sign_in()
        answers += [await office.get(path) for path in ("/", "/pending", "/no/such/page")]
    for page in answers:
        policy = page.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert "frame-ancestors 'none'" in policy and "form-action 'self'" in policy
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert page.headers["Cache-Control"] == "no-store"


async def test_signed_in_every_page_answers(tmp_path):
    async with open_board(tmp_path) as office:
        await office.sign_in()
        statuses = {path: (await office.get(path)).status for path in PAGES}
    missing = {"/no/such/page": 404, "/photos/1-0123456789ab.jpg": 404}
    assert statuses == {**dict.fromkeys(PAGES, 200), **missing}


async def test_the_session_cookie_is_httponly_strict_and_the_link_is_stored_as_a_hash(tmp_path):
    async with open_board(tmp_path) as office:
        link = await office.sign_in_link()
        opened = await office.get(link)
        async with office.client.post(
            link, data={"form_key": opened.form_value("form_key")}, allow_redirects=False
        ) as response:
            assert response.status == 303 and response.headers["Location"] == "/"
            cookie = response.headers.getall("Set-Cookie")
        session = next(c for c in cookie if c.startswith("checkin_board="))
        assert "HttpOnly" in session and "SameSite=Strict" in session and "Path=/" in session
        assert "Secure" not in session  # http://: a Secure cookie would never come back
        token = link.rsplit("/", 1)[1]
        stored = await office.world.store.db.fetchall("SELECT token_hash FROM web_sign_ins")
        assert [row[0] for row in stored] == [hashlib.sha256(token.encode()).hexdigest()]
        sessions = await office.world.store.db.fetchall("SELECT id_hash FROM web_sessions")
        value = session.split(";", 1)[0].split("=", 1)[1]
        assert [row[0] for row in sessions] == [hashlib.sha256(value.encode()).hexdigest()]


async def test_with_an_https_base_url_the_cookies_are_secure(tmp_path):
    config = board_config(tmp_path, base_url="https://bang.quanuy.vn")
    async with open_board(tmp_path, config) as office:
        link = await office.sign_in_link()
        async with office.client.get(link) as response:
            form_cookie = response.headers["Set-Cookie"]
            key = re.search(r'name="form_key" value="([^"]*)"', await response.text()).group(1)
        # The test speaks http, where a browser keeps a Secure cookie to itself: sent by hand.
        async with office.client.post(
            link,
            data={"form_key": key},
            headers={"Cookie": f"checkin_board_sign_in={key}"},
            allow_redirects=False,
        ) as response:
            assert response.status == 303
            cookies = response.headers.getall("Set-Cookie")
    assert "Secure" in form_cookie
    assert [c for c in cookies if c.startswith("checkin_board=") and "Secure" in c]


async def test_opening_a_link_does_not_spend_it_pressing_sign_in_does(tmp_path):
    async with open_board(tmp_path) as office:
        link = await office.sign_in_link()
        assert (await office.get(link)).status == 200
        opened = await office.get(link)  # a chat app's preview, then the person: still good
        assert opened.status == 200 and "Đăng nhập / Sign in" in opened.text
        await office.post(link, {"form_key": opened.form_value("form_key")})
        again = await office.get(link)
    assert again.status == 410 and "đã được dùng" in again.text


async def test_a_link_expires_after_ten_minutes(tmp_path):
    async with open_board(tmp_path) as office:
        link = await office.sign_in_link()
        office.world.clock.advance(SIGN_IN_VALID)
        page = await office.get(link)
    assert page.status == 410 and "đã hết hạn" in page.text


async def test_sign_in_without_the_pages_form_key_is_refused(tmp_path):
    async with open_board(tmp_path) as office:
        link = await office.sign_in_link()
        await office.get(link)
        before = await dump(office.world.store)
        page = await office.post(link, {"form_key": "forged"})
        assert page.status == 403
        assert await dump(office.world.store) == before  # the link is still unused


async def test_a_post_without_the_sessions_form_key_changes_nothing(tmp_path):
    async with open_board(tmp_path) as office:
        await office.sign_in()
        pending = await office.world.store.db.fetchval(
            "SELECT min(id) FROM checkins WHERE status = 'pending'"
        )
        before = await dump(office.world.store)
        for data in ({"decision": "confirm"}, {"decision": "confirm", "csrf": "forged"}):
            page = await office.post(f"/pending/{pending}", data)
            assert page.status == 403 and "không có gì thay đổi" in page.text
        assert await dump(office.world.store) == before
        page = await office.post(
            f"/pending/{pending}", {"decision": "confirm", "csrf": await office.csrf()}
        )
        assert page.status == 200 and "Đã xác nhận" in page.text


async def test_a_session_ends_at_once_when_its_admin_leaves_the_roster(tmp_path, sample_roster_dir):
    from bot.roster import import_roster

    async with open_board(tmp_path) as office:
        await office.sign_in()
        assert (await office.get("/pending")).status == 200
        members = sample_roster_dir / "members.csv"
        members.write_text(
            "".join(
                line
                for line in members.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith(f"{ADMIN},")
            ),
            encoding="utf-8",
        )
        assignments = sample_roster_dir / "assignments.csv"
        assignments.write_text(
            "".join(
                line
                for line in assignments.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith(f"{ADMIN},")
            ),
            encoding="utf-8",
        )
        world = office.world
        await import_roster(world.store, world.config, sample_roster_dir, world.now())
        page = await office.get("/pending")
        assert page.status == 401 and "Phiên làm việc đã kết thúc" in page.text
        ended = await world.store.db.fetchval("SELECT ended_at FROM web_sessions")
        assert ended is not None


async def test_a_session_of_someone_no_longer_in_access_admins_is_refused(tmp_path):
    config = board_config(tmp_path)
    async with open_board(tmp_path, config) as office:
        await office.sign_in()
        # The bot restarted with a config that no longer lists them.
        board = office.client.server.app[BOARD]
        board.config = config.model_copy(update={"access": Access(admins=["M02"])})
        page = await office.get("/")
    assert page.status == 401 and "Phiên làm việc đã kết thúc" in page.text


async def test_a_session_ends_after_session_hours_and_at_sign_out(tmp_path):
    async with open_board(tmp_path) as office:
        await office.sign_in()
        office.world.clock.advance(timedelta(hours=12))
        assert (await office.get("/")).status == 401
        await office.sign_in()
        page = await office.post("/logout", {"csrf": await office.csrf()})
        assert page.status == 200 and "Đã đăng xuất" in page.text
        assert (await office.get("/")).status == 401


async def test_sign_in_is_rate_limited_by_address(tmp_path):
    async with open_board(tmp_path) as office:
        answers = [(await office.get(f"/login/guess{n}")).status for n in range(12)]
        assert answers[:10] == [404] * 10 and answers[10:] == [429, 429]
        link = await office.sign_in_link()
        assert (await office.get(link)).status == 429
        office.world.clock.advance(timedelta(seconds=61))
        assert (await office.get(link)).status == 200


def test_a_non_admin_cannot_get_a_link_from_the_command_line(tmp_path, capsys):
    import asyncio

    from bot.cli import EXIT_BAD_INPUT, EXIT_OK, main
    from bot.sample import demo_start, load_sample
    from storage.store import Store

    config_file = tmp_path / "config.toml"
    config_file.write_text(
        f'[storage]\npath = "bot.sqlite3"\n[access]\nadmins = ["{ADMIN}"]\n'
        '[web]\nbase_url = "https://bang.quanuy.vn"\n',
        encoding="utf-8",
    )
    config = board_config(tmp_path)

    async def load() -> None:
        async with await Store.open(config.storage.path) as store:
            await load_sample(store, config, demo_start(config))

    asyncio.run(load())
    assert main(["web-login", "M08", "--config", str(config_file)]) == EXIT_BAD_INPUT
    assert "M08: Bùi Văn Đức is not an admin" in capsys.readouterr().err
    assert main(["web-login", "M99", "--config", str(config_file)]) == EXIT_BAD_INPUT
    assert "M99: no member with this code" in capsys.readouterr().err
    assert main(["web-login", ADMIN, "--config", str(config_file)]) == EXIT_OK
    out = capsys.readouterr().out
    assert re.search(r"https://bang\.quanuy\.vn/login/[A-Za-z0-9_-]{40,}", out)
    assert "the board is not enabled" in out


def zipped(folder) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    return buffer.getvalue()


async def upload(office, content: bytes, name: str = "roster.zip"):
    from aiohttp import FormData

    form = FormData()
    form.add_field("csrf", await office.csrf())
    form.add_field("roster", content, filename=name, content_type="application/zip")
    return await office.post("/roster", form)


async def test_a_roster_changed_since_its_preview_is_not_applied_but_previewed_again(
    tmp_path, sample_roster_dir
):
    from bot.roster import import_roster

    async with open_board(tmp_path) as office:
        world = office.world
        await office.sign_in()
        organizations = sample_roster_dir / "organizations.csv"
        organizations.write_text(
            organizations.read_text(encoding="utf-8") + "O99,Chi bộ Bưu điện quận,cell\n",
            encoding="utf-8",
        )
        preview = await upload(office, zipped(sample_roster_dir))
        assert preview.status == 200
        assert "<li>cơ sở đảng: thêm 1, cập nhật 0, rút khỏi danh sách 0</li>" in preview.text
        upload_id = preview.form_value("upload")

        # Meanwhile the command line changes the roster (a member renamed).
        members = sample_roster_dir.parent / "other"
        import shutil

        shutil.copytree(sample_roster_dir, members)
        text = (members / "members.csv").read_text(encoding="utf-8")
        (members / "members.csv").write_text(
            text.replace("Bùi Văn Đức", "Bùi Văn Đức Anh"), encoding="utf-8"
        )
        (members / "organizations.csv").write_text(
            (members / "organizations.csv").read_text(encoding="utf-8").replace("O99,", "O98,"),
            encoding="utf-8",
        )
        await import_roster(world.store, world.config, members, world.now())

        stale = await office.post(
            "/roster/apply", {"csrf": await office.csrf(), "upload": upload_id}
        )
        assert "được sửa (ở nơi khác)" in stale.text
        assert (
            await world.store.db.fetchval("SELECT count(*) FROM organizations WHERE code = 'O99'")
            == 0
        )
        # What applying it now would change: the rename undone, O98 retired, O99 added.
        assert "<li>Quận ủy viên: thêm 0, cập nhật 1, rút khỏi danh sách 0</li>" in stale.text
        assert "<li>cơ sở đảng: thêm 1, cập nhật 0, rút khỏi danh sách 1</li>" in stale.text
        assert (
            "vẫn được tính cho những ngày trước đó: cơ sở đảng O98; chi bộ O98</li>" in stale.text
        )

        applied = await office.post(
            "/roster/apply", {"csrf": await office.csrf(), "upload": stale.form_value("upload")}
        )
        assert "Đã áp dụng roster.zip" in applied.text
        assert (
            await world.store.db.fetchval("SELECT active FROM organizations WHERE code = 'O99'")
            == 1
        )
        again = await office.post(
            "/roster/apply", {"csrf": await office.csrf(), "upload": upload_id}
        )
        assert "đã được áp dụng hoặc đã được thay" in again.text


async def test_a_file_that_is_not_a_roster_is_refused_and_changes_nothing(tmp_path):
    async with open_board(tmp_path) as office:
        await office.sign_in()
        before = await dump(office.world.store)
        page = await upload(office, b"%PDF-1.4 not a roster", "roster.xlsx")
        assert page.status == 422
        assert "roster.xlsx:0: -: not an .xlsx workbook nor a .zip" in page.text
        assert await dump(office.world.store) == before


def totals(page) -> dict[str, int]:
    return {name: int(value) for name, value in re.findall(r'data-total="(\w+)">(\d+)<', page.text)}


async def test_the_board_shows_the_record_as_it_is_now_not_as_it_was(tmp_path):
    async with open_board(tmp_path) as office:
        store = office.world.store
        await office.sign_in()
        first = totals(await office.get("/"))
        assert first == {"required": 41, "covered": 10, "pending": 5, "missed": 26}
        # Decided elsewhere (a secretary in chat): the board sees it at once.
        pending = await store.db.fetchval("SELECT min(id) FROM checkins WHERE status = 'pending'")
        await store.checkins.decide(pending, "confirmed", None, office.world.now())
        second = totals(await office.get("/"))
        assert second["pending"] == 4 and second["covered"] + second["missed"] == 37
        assert json_totals(await office.get("/api/coverage?quarter=2021Q4")) == second
        # Two check-ins trading statuses leave every count as it was; the board still looks again.
        confirmed = await store.db.fetchval(
            "SELECT min(id) FROM checkins WHERE status = 'confirmed' AND id != ?", (pending,)
        )
        await store.db.execute("UPDATE checkins SET status = 'pending' WHERE id = ?", (confirmed,))
        await store.db.execute(
            "UPDATE checkins SET status = 'confirmed' WHERE id = ?", (pending + 1,)
        )
        page = await office.get("/api/coverage?quarter=2021Q4")
        from bot.core.quarters import Quarter
        from bot.reports import coverage_json
        from bot.services.coverage import quarter_coverage

        fresh = await quarter_coverage(store, office.world.config, Quarter(2021, 4))
        assert page.text == coverage_json(fresh)


def json_totals(page) -> dict[str, int]:
    import json

    return json.loads(page.text)["totals"]


async def test_a_querys_lists_are_worked_out_once_for_all_its_pages_while_the_record_stays(
    tmp_path,
):
    from bot.core.board import BoardQuery
    from bot.core.quarters import Quarter
    from bot.services.board import CoverageCache

    async with open_board(tmp_path) as office:
        store, config = office.world.store, office.world.config
        cache, quarter = CoverageCache(), Quarter(2021, 4)

        async def lists(**query: str):
            return (await cache.lists_of(store, config, quarter, BoardQuery.read(query)))[1]

        by_name = await lists(sort="name")
        assert await lists(sort="name", page="2") is by_name  # another page: the same lists
        assert await lists(sort="missed") is not by_name
        assert await lists(sort="name") is by_name  # kept beside the other query's
        # A decision changes the record: the lists are worked out again, and show it.
        pending = await store.db.fetchval("SELECT min(id) FROM checkins WHERE status = 'pending'")
        await store.checkins.decide(pending, "confirmed", None, office.world.now())
        again = await lists(sort="name")
        assert again is not by_name
        assert sum(row.pending for row in again.members) == 4
        assert sum(row.pending for row in by_name.members) == 5
