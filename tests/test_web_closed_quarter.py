"""The office's board on a closed quarter: its pages and downloads read the frozen figures.

The sample district at 2022-01-11, its 2021Q4 just closed by the bot; then the office
re-imports the roster without M20 (pending at O09 in 2021Q4) and with O09 renamed.
"""

from __future__ import annotations

import re

from board import open_board
from conftest import copy_sample_roster
from test_dialogue_member import at
from test_roster_history import leave_out_member
from test_roster_import import replace_row

from bot.core.quarters import Quarter
from bot.reports import coverage_json
from bot.roster import import_roster
from bot.services.closing import close_quarter
from bot.services.confirmations import Decided, decide_checkin
from bot.services.coverage import quarter_coverage
from bot.services.identity import person_identity

Q4 = Quarter(2021, 4)
# The quarter's page and downloads, and the pages of the member and organization re-imported.
PAGES = (
    "/quarters/2021Q4?view=organizations",
    "/api/coverage?quarter=2021Q4",
    "/quarters/2021Q4/coverage.csv",
    "/members/M20?quarter=2021Q4",
    "/organizations/O09?quarter=2021Q4",
)


def figures(text: str, *, rows: bool = False) -> list[str]:
    """What a page says of the quarter's figures: its totals and statuses, and with ROWS its
    table's cells (a member's or organization's table is of their assignments: as they are
    now, like their coming meetings)."""
    shown = r'data-total="\w+">\d+<|class="status[^"]*"[^<]*<'
    return re.findall(shown + (r"|<td[^>]*>[^<]*</td>" if rows else ""), text)


async def test_a_closed_quarters_pages_and_downloads_keep_its_figures(tmp_path):
    async with open_board(tmp_path) as office:
        world = office.world
        world.clock.set(at(world, "2022-01-11 08:00"))
        await close_quarter(world.store, world.config, Q4, world.now(), "bot")
        await office.sign_in()
        quarter_page = await office.get("/quarters/2021Q4")
        assert "Số liệu đã chốt lúc Thứ Ba 11/01/2022 08:00" in quarter_page.text
        assert "sửa đổi sau khi chốt: 0." in quarter_page.text
        before = {path: await office.get(path) for path in PAGES}

        roster = copy_sample_roster(tmp_path / "roster")
        leave_out_member(roster, "M20")
        replace_row(roster, "organizations", "O09,", "O09,Đảng bộ Ban Quản lý dự án mới,committee")
        await import_roster(world.store, world.config, roster, world.now())

        after = {path: await office.get(path) for path in PAGES}
        for path in PAGES:
            assert after[path].status == before[path].status == 200, path
        api, csv = PAGES[1], PAGES[2]
        assert after[api].text == before[api].text
        fresh = await quarter_coverage(world.store, world.config, Q4)
        assert after[api].text == coverage_json(fresh)
        assert after[csv].text == before[csv].text
        board = PAGES[0]
        assert figures(after[board].text, rows=True) == figures(before[board].text, rows=True)
        for path in PAGES[3:]:
            assert figures(after[path].text) == figures(before[path].text), path
            assert figures(before[path].text), path
        assert "Đảng bộ Ban Quản lý dự án đầu tư xây dựng quận" in after[PAGES[3]].text


async def test_a_closed_quarter_is_marked_in_the_picker_and_lists_its_amendments(tmp_path):
    async with open_board(tmp_path) as office:
        world = office.world
        world.clock.set(at(world, "2022-01-11 08:00"))
        await close_quarter(world.store, world.config, Q4, world.now(), "bot")
        pending = await world.store.db.fetchval(
            "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
            " WHERE ch.status = 'pending' AND m.code = 'M07'"
        )
        admin = await person_identity(world.store, world.config, await person_of(world, "M01"))
        world.clock.set(at(world, "2022-01-12 09:30"))
        decided = await decide_checkin(
            world.store, world.config, admin, pending, "confirmed", world.now(), "web"
        )
        assert isinstance(decided, Decided)
        await office.sign_in()

        page = (await office.get("/quarters/2021Q4")).text

    assert "sửa đổi sau khi chốt: 1." in page
    [row] = re.findall(r'<tr data-amendment="M07:O01">.*?</tr>', page, flags=re.DOTALL)
    assert "Chờ xác nhận" in row and "Đã dự" in row and row.index("Chờ") < row.index("Đã dự")
    assert "(M01)" in row and "12/01/2022 09:30" in row
    assert re.search(r'<option value="2021Q4" selected>[^<]*– đã chốt</option>', page)
    assert re.search(r'<option value="2022Q1">[^<–]*</option>', page)  # open: not marked


async def person_of(world, code: str) -> int:
    return await world.store.db.fetchval("SELECT person_id FROM members WHERE code = ?", (code,))
