"""An organization's page: its flagged cells, visited or not, as the quarter counts them."""

from __future__ import annotations

import re

from board import open_board

from bot.core.quarters import Quarter
from bot.services.coverage import quarter_coverage
from storage.timefmt import to_db

Q4 = Quarter(2021, 4)


def difficulties(text: str, cell: str) -> str:
    """The difficulties cell of CELL's row on an organization's page, its tags stripped."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", text, re.S)
    row = next(
        (r for r in rows if f'<span class="code">{cell}</span>' in r and "Khó khăn" in r), None
    )
    assert row, f"no row for {cell}"
    column = re.search(r'data-label="Khó khăn">(.*?)</td>', row, re.S)
    assert column, f"no difficulties column for {cell}"
    return " ".join(re.sub(r"<[^>]+>", " ", column.group(1)).split())


async def test_a_flagged_cell_is_shown_visited_or_not_as_the_quarter_counts_it(tmp_path):
    async with open_board(tmp_path) as office:
        world = office.world
        coverage = await quarter_coverage(world.store, world.config, Q4)
        await office.sign_in()
        checked = 0
        for org in coverage.organizations:
            if not org.flagged_cells:
                continue
            page = await office.get(f"/organizations/{org.code}?quarter=2021Q4")
            assert "{{" not in page.text  # no template code shown as text
            for cell in org.flagged_cells:
                said = difficulties(page.text, cell)
                visited = cell in org.flagged_visited
                assert said.endswith("đã dự" if visited else "chưa dự"), (org.code, cell, said)
                checked += visited
    assert checked > 0  # the sample has flagged cells visited this quarter


def meetings_counted(text: str) -> int:
    found = re.search(r"(\d+) buổi sinh hoạt\.", text)
    assert found, "no count of meetings on the page"
    return int(found.group(1))


async def test_a_cancelled_meeting_is_not_among_the_coming_ones(tmp_path):
    async with open_board(tmp_path) as office:
        world = office.world
        await office.sign_in()
        before = await office.get("/meetings")
        meeting, secretary = await world.store.db.fetchone(
            "SELECT mt.id, c.secretary_id FROM meetings mt JOIN cells c ON c.id = mt.cell_id"
            " WHERE mt.starts_at > ? AND c.secretary_id IS NOT NULL ORDER BY mt.starts_at LIMIT 1",
            (to_db(world.now()),),
        )
        assert await world.store.meetings.cancel(meeting, secretary, world.now())

        after = await office.get("/meetings")
    assert meetings_counted(after.text) == meetings_counted(before.text) - 1


async def test_a_decision_on_the_board_says_whether_the_member_was_told(tmp_path):
    """As in chat: "told" only when the member's message went to a chat the bot can reach."""
    async with open_board(tmp_path) as office:
        world = office.world
        await office.sign_in()
        rows = await world.store.db.fetchall(
            "SELECT ch.id, m.code, m.full_name FROM checkins ch JOIN members m"
            " ON m.id = ch.member_id WHERE ch.status = 'pending' AND m.code != 'M01'"
            " ORDER BY ch.id LIMIT 2"
        )
        (unlinked, _, unlinked_name), (linked, linked_code, linked_name) = rows
        assert unlinked_name != linked_name
        await world.linked(linked_code)
        said = {}
        for checkin in (unlinked, linked):
            data = {"decision": "confirm", "csrf": await office.csrf()}
            said[checkin] = (await office.post(f"/pending/{checkin}", data)).text
    assert f"Bot không liên lạc được với đồng chí {unlinked_name}" in said[unlinked]
    assert "đã được báo" not in said[unlinked]
    assert f"Đồng chí {linked_name} đã được báo." in said[linked]
