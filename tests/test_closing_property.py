"""A property of a closed quarter: nothing the office imports afterwards alters its figures.

The small district of tests/test_history_property.py is imported on 2021-09-01 and its members
visit cells through 2021Q3 and the first days of 2021Q4; 2021Q3 is closed on 2021-10-05. Then
the office re-imports the roster several times, each time with members, organizations, cells
and assignments added, changed (renamed, ended, duties and flags turned), put back or left
out; between imports, members' notes raise flags and admins clear them. After every import,
2021Q3's coverage, as `checkin-bot coverage --quarter 2021Q3` prints it in each format, is
byte for byte what it was when it was closed.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from test_history_property import (
    BASE,
    CONFIG,
    IMPORTS_PROPERTY,
    PAST,
    District,
    at,
    chat_between,
    edited,
    imports,
    in_a_fresh_district,
    seeded,
)

from bot.reports import coverage_csv, coverage_json, coverage_text
from bot.services.closing import Closed, close_quarter
from bot.services.coverage import quarter_coverage
from storage.store import Store
from storage.timefmt import to_db

CLOSED_ON = date(2021, 10, 5)


async def printed(store: Store) -> tuple[str, str, str]:
    """What `coverage --quarter 2021Q3` prints as JSON, CSV and text (bot.cli.cmd_coverage)."""
    coverage = await quarter_coverage(store, CONFIG, PAST)
    return coverage_json(coverage), coverage_csv(coverage), coverage_text(coverage)


async def check_imports(path: Path, steps: list) -> None:
    store = await seeded(path)
    try:
        open_figures = await printed(store)
        closed = await close_quarter(store, CONFIG, PAST, at(CLOSED_ON), "cli")
        assert isinstance(closed, Closed)
        frozen = await printed(store)
        # Closing changed nothing but saying so.
        json, csv, text = frozen
        closed_at = '"closed_at": "2021-10-05T08:00:00+07:00"'
        assert json.replace(closed_at, '"closed_at": null') == open_figures[0] != json
        assert csv == open_figures[1]
        closed_line = "closed on 05/10/2021 08:00: frozen figures, changed only by amendments (0)\n"
        assert text.replace(closed_line, "") == open_figures[2] != text

        district = District(BASE)
        day = CLOSED_ON
        for gap, changes, chat, n in steps:
            await chat_between(store, chat, n, at(day + timedelta(days=gap // 2), 14))
            day = day + timedelta(days=gap)
            for edit in changes:
                edited(district, edit, day)
            await store.roster.apply(district.roster, to_db(at(day)), day)

            assert await printed(store) == frozen
    finally:
        await store.close()


@IMPORTS_PROPERTY
@given(st.lists(imports, min_size=1, max_size=4))
def test_imports_after_a_quarter_is_closed_never_alter_its_figures(steps) -> None:
    in_a_fresh_district(check_imports, steps)
