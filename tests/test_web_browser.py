"""The office's board in a real browser: `checkin-bot run` with the board on, Telegram faked.

An admin asks the bot for a link (/web), opens it in headless Chromium, and works the quarter:
totals as `checkin-bot coverage --format json` gives them, the flagged filter, an organization,
a pending check-in confirmed (the member is told in their chat), a roster with a mistake (the
line shown, nothing changed), a good one previewed and applied, the digest's workbook
downloaded. Screenshots of every page at a desktop's and a phone's width go to bench/out/board.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from board import ADMIN
from browser import DESKTOP, PHONE, Browser, require_chromium
from conftest import dump
from dialogue import World, make_world
from fakes.telegram_api import FakeTelegram
from test_dialogue_photos import png

from bot.core.config import Access, Config, Reminders, Storage, Telegram, Web
from bot.runner import run
from bot.services.invites import create_invite
from bot.services.photos import attach_photo

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "bench" / "out" / "board"
ADMIN_CHAT, MEMBER_CHAT = 1001, 3001
LINK = re.compile(r"http://127\.0\.0\.1:\d+/login/[A-Za-z0-9_-]+")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    """`run` with the board on, over the sample district, and the people on Telegram."""

    fake: FakeTelegram
    world: World
    config_path: Path
    base: str

    async def says(self, chat: int, text: str) -> str:
        before = len(self.fake.sent_to(chat))
        self.fake.push_text(chat, text)
        return (await self.fake.wait_for_messages(chat, before + 1))[-1]["text"]

    async def link_chat(self, chat: int, code: str) -> None:
        world = self.world
        invite = await create_invite(world.store, world.config, code, world.now())
        assert "/help" in await self.says(chat, f"/start {invite.token}")

    async def sign_in_link(self) -> str:
        reply = await self.says(ADMIN_CHAT, "/web")
        found = LINK.search(reply)
        assert found, reply
        return found.group(0)

    async def outbox_idle(self) -> None:
        """Nothing queued is left to send (so the database holds still)."""
        store = self.world.store
        for _ in range(200):
            if not await store.db.fetchval("SELECT count(*) FROM outbox WHERE state != 'sent'"):
                return
            await asyncio.sleep(0.02)  # delivery runs on this loop: let it
        raise AssertionError("the outbox did not drain")


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    fake = await FakeTelegram.start()
    port = free_port()
    config = Config(
        storage=Storage(path=str(tmp_path / "bot.sqlite3")),
        telegram=Telegram(enabled=True, token=fake.token, api_base_url=fake.api_base_url),
        access=Access(admins=[ADMIN]),
        reminders=Reminders(weekly_suggestion=False),
        web=Web(enabled=True, listen=f"127.0.0.1:{port}"),
    )
    config_path = tmp_path / "config.toml"
    config_path.write_text(f'[storage]\npath = "{config.storage.path}"\n', encoding="utf-8")
    world = await make_world(tmp_path, config)
    stop = asyncio.Event()
    runner = asyncio.create_task(run(config, world.clock, stop=stop))
    try:
        await fake.wait_for_calls("getUpdates")
        served = Served(fake, world, config_path, f"http://127.0.0.1:{port}")
        await served.link_chat(ADMIN_CHAT, ADMIN)
        yield served
    finally:
        stop.set()
        await asyncio.wait_for(runner, 10)
        await world.store.close()
        await fake.close()


@pytest.fixture
def browser(tmp_path: Path):
    require_chromium()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    opened = Browser(downloads)
    try:
        yield opened
    finally:
        opened.quit()


async def sign_in(served: Served, browser: Browser) -> str:
    link = await served.sign_in_link()
    await browser.open(link)
    await browser.follow("button.primary")
    assert "Đăng xuất" in await browser.page_text()
    return link


async def coverage_json(served: Served) -> dict:
    """`checkin-bot coverage --quarter 2021Q4 --format json`, as the office runs it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "coverage", "--config", str(served.config_path),
        "--quarter", "2021Q4", "--format", "json",
        stdout=asyncio.subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0
    return json.loads(out)


async def test_the_office_works_the_quarter_in_a_browser(served, browser, tmp_path):
    await sign_in(served, browser)

    # The totals are the command line's.
    expected = (await coverage_json(served))["totals"]
    shown = {
        name: int(await browser.text(f'[data-total="{name}"]'))
        for name in ("required", "covered", "pending", "missed")
    }
    assert shown == expected

    # Organizations with flagged cells only: those the JSON lists with flagged cells.
    document = await coverage_json(served)
    flagged = sorted(o["code"] for o in document["organizations"] if o["flagged_cells"])
    await browser.follow('nav.tabs a[href*="view=organizations"]')
    await browser.click('input[name="flagged"]')
    await browser.follow('form.filters button[type="submit"]')
    rows = await browser.find_all("tr[data-organization]")
    codes = sorted([await asyncio.to_thread(r.get_attribute, "data-organization") for r in rows])
    assert codes == flagged and codes

    # One of them, opened.
    await browser.follow(f'tr[data-organization="{codes[0]}"] a')
    heading = await browser.text("h1")
    assert codes[0] in heading
    assert "Có khó khăn" in await browser.text("#cells-heading + table")


async def test_a_pending_check_in_confirmed_on_the_board_tells_the_member(served, browser):
    world = served.world
    pending = await world.store.db.fetchall(
        "SELECT ch.id, m.code, m.full_name FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE ch.status = 'pending' AND m.code != ? ORDER BY ch.id",
        (ADMIN,),
    )
    checkin, member, name = pending[0]
    await served.link_chat(MEMBER_CHAT, member)
    told_before = len(served.fake.sent_to(MEMBER_CHAT))
    await sign_in(served, browser)
    await browser.open(f"{served.base}/pending")
    await browser.follow(f'tr[data-checkin="{checkin}"] button.confirm')

    notice = await browser.text(".notice")
    assert name in notice and "Đã xác nhận" in notice
    [told] = (await served.fake.wait_for_messages(MEMBER_CHAT, told_before + 1))[told_before:]
    assert "đã được Văn phòng Quận ủy xác nhận" in told["text"]
    row = await world.store.db.fetchone(
        "SELECT status, decided_by FROM checkins WHERE id = ?", (checkin,)
    )
    admin_person = await world.store.db.fetchval(
        "SELECT person_id FROM members WHERE code = ?", (ADMIN,)
    )
    assert tuple(row) == ("confirmed", admin_person)
    assert not await browser.find_all(f'tr[data-checkin="{checkin}"]')  # off the list


async def test_pending_is_decided_by_keyboard_alone(served, browser):
    from selenium.webdriver.common.keys import Keys

    await sign_in(served, browser)
    await browser.open(f"{served.base}/pending")
    first = await browser.find("tr[data-checkin]")
    checkin = await asyncio.to_thread(first.get_attribute, "data-checkin")
    for _ in range(40):  # Tab along the page to the first Confirm
        await browser.keys(Keys.TAB)
        if "Xác nhận" in await browser.focused():
            break
    else:
        raise AssertionError("Tab never reached a Confirm button")
    await browser.keys(Keys.ENTER, leaves=True)
    assert "Đã xác nhận" in await browser.text(".notice")
    status = await served.world.store.db.fetchval(
        "SELECT status FROM checkins WHERE id = ?", (int(checkin),)
    )
    assert status == "confirmed"


async def test_a_roster_with_a_mistake_changes_nothing_and_a_good_one_is_applied(
    served, browser, tmp_path
):
    await sign_in(served, browser)
    await browser.open(f"{served.base}/roster")
    await browser.click('a[href="/roster/roster.xlsx"]')
    current = await browser.downloaded(".xlsx")
    workbook = openpyxl.load_workbook(current)
    members = workbook["members"]
    assert [cell.value for cell in members[1]][:4] == ["code", "full_name", "phone", "position"]

    # A phone that is no phone, on line 3 of the members sheet.
    phone = members.cell(3, 3).value
    members.cell(3, 3).value = "12345"
    bad = tmp_path / "bad.xlsx"
    workbook.save(bad)
    await served.outbox_idle()
    before = await dump(served.world.store)
    await browser.type("#roster-file", str(bad))
    await browser.follow('form.upload button[type="submit"]')
    problems = await browser.texts("#problems li")
    assert any(p.startswith("bad.xlsx[members]:3: phone:") for p in problems), problems
    assert await dump(served.world.store) == before

    # The same workbook with the phone mended and one name changed: previewed, then applied.
    members.cell(3, 3).value = phone
    code = members.cell(2, 1).value
    members.cell(2, 2).value = "Nguyễn Văn Đổi Tên"
    good = tmp_path / "good.xlsx"
    workbook.save(good)
    await browser.type("#roster-file", str(good))
    await browser.follow('form.upload button[type="submit"]')
    preview = await browser.texts("#preview li")
    assert preview[0] == "Quận ủy viên: thêm 0, cập nhật 1, rút khỏi danh sách 0"
    assert await dump(served.world.store) != before  # only the upload kept for Apply...
    names = await served.world.store.db.fetchval(
        "SELECT full_name FROM members WHERE code = ?", (code,)
    )
    assert names != "Nguyễn Văn Đổi Tên"  # ...not the roster
    await browser.follow('form[action="/roster/apply"] button')
    notice = await browser.text(".notice")
    assert "Đã áp dụng good.xlsx" in notice
    assert await browser.texts("#applied li") == preview  # what the preview said it would do
    name = await served.world.store.db.fetchval(
        "SELECT full_name FROM members WHERE code = ?", (code,)
    )
    assert name == "Nguyễn Văn Đổi Tên"


async def test_the_digest_workbook_downloads_and_opens(served, browser):
    await sign_in(served, browser)
    await browser.click('a[href="/quarters/2021Q4/digest.xlsx"]')
    path = await browser.downloaded(".xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[:4] == ["Quận ủy viên", "Cơ sở đảng", "Lượt dự", "Nhận xét"]
    assert workbook["Quận ủy viên"].max_row > 10


async def test_an_expired_link_and_a_used_link_are_refused(served, browser):
    used = await sign_in(served, browser)
    await browser.follow("form.who button")  # sign out
    assert "Đã đăng xuất" in await browser.page_text()
    await browser.open(used)
    assert "đã được dùng" in await browser.page_text()
    assert not await browser.find_all("button.primary")

    late = await served.sign_in_link()
    served.world.clock.advance(timedelta(minutes=11))
    await browser.open(late)
    assert "đã hết hạn" in await browser.page_text()
    await browser.open(served.base + "/")
    assert "Đăng nhập bảng theo dõi" in await browser.page_text()  # still signed out


PAGES = {
    "quarter": "/",
    "organizations": "/quarters/2021Q4?view=organizations",
    "member": "/members/M08",
    "organization": "/organizations/O01",
    "pending": "/pending",
    "meetings": "/meetings",
    "roster": "/roster",
}


async def test_every_page_fits_a_phone_and_a_desktop(served, browser):
    """Screenshots of every page at both sizes (bench/out/board/, to look at); no page is
    wider than the phone's screen."""
    await sign_in(served, browser)
    too_wide = {}
    for name, path in PAGES.items():
        await browser.open(served.base + path)
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            width = await browser.screenshot(SCREENSHOTS / f"{name}-{label}.png", size)
            if width > size[0]:
                too_wide[f"{name} ({label})"] = width
        await browser.call("set_window_size", *DESKTOP)
    with contextlib.suppress(FileNotFoundError):
        await browser.call("delete_all_cookies")
    await browser.open(served.base + "/")
    await browser.screenshot(SCREENSHOTS / "sign-in-phone.png", PHONE)
    assert too_wide == {}


async def test_a_visits_photo_shows_on_the_members_page(served, browser):
    """The picture itself, loaded and decoded under the board's Content-Security-Policy."""
    world = served.world
    checkin = await world.store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE m.code = 'M07' AND ch.cell_code = 'C0106'"
    )
    saved = await attach_photo(world.store, "M07", checkin, png(width=40, height=30), world.now())
    assert saved.outcome == "saved"
    await sign_in(served, browser)
    await browser.open(f"{served.base}/members/M07")
    sizes = await browser.call(
        "execute_async_script",
        """const done = arguments[arguments.length - 1];
        const images = [...document.querySelectorAll(".photos img")];
        images.forEach(image => image.scrollIntoView());
        Promise.all(images.map(image => image.decode().then(() => image.naturalWidth,
                                                            () => "not shown")))
            .then(done);""",
    )
    assert sizes == [40]
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):  # to look at
        await browser.screenshot(SCREENSHOTS / f"member-photos-{label}.png", size)
