"""What a re-import leaves out keeps its history: the sample district, re-imported mid-quarter.

The sample is imported on 2021-11-20 (08:00 in Hà Nội); the office re-imports an edited copy on
2021-11-21. Quarters are counted from what the roster listed on their days, and flags from when
they held.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import aiosqlite
from conftest import dump
from test_roster_import import append_row, drop_rows, read_lines, replace_row

from bot.core.config import Config
from bot.core.i18n import Translator
from bot.core.quarters import Quarter
from bot.core.roster import Assignment
from bot.reports import coverage_json
from bot.roster import import_roster
from bot.roster.files import read_tables
from bot.roster.parse import parse_roster
from bot.roster.summary import summary_lines
from bot.sample import SAMPLE_DIR, load_sample
from bot.services.coverage import quarter_coverage
from bot.services.roster import apply_roster, preview_roster
from storage.migrations import MIGRATIONS, _statements
from storage.roster import PLANS_OUTSIDE_THE_LOCK, Changes
from storage.store import Store

NOW = datetime(2021, 11, 20, 1, 0, tzinfo=UTC)
LATER = datetime(2021, 11, 21, 1, 0, tzinfo=UTC)
Q3, Q4 = Quarter(2021, 3), Quarter(2021, 4)


async def coverage_document(store: Store, config: Config, quarter: Quarter) -> dict:
    return json.loads(coverage_json(await quarter_coverage(store, config, quarter)))


def statuses(document: dict) -> dict[tuple[str, str], str]:
    return {
        (m["code"], o["code"]): o["status"] for m in document["members"] for o in m["organizations"]
    }


async def reimported(store: Store, config: Config, folder: Path):
    return await import_roster(store, config, folder, LATER)


async def flag_rows(store: Store) -> list[tuple]:
    rows = await store.db.fetchall(
        "SELECT c.code, f.raised_at, f.raised_by, f.cleared_at, f.cleared_by"
        " FROM flag_periods f JOIN cells c ON c.id = f.cell_id ORDER BY c.code, f.id"
    )
    return [tuple(row) for row in rows]


# -- assignments ----------------------------------------------------------------------------


async def test_an_assignment_left_out_after_it_began_ends_the_day_before(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await load_sample(store, config, NOW)
    drop_rows(sample_roster_dir, "assignments", lambda row: not row.startswith("M07,O05,"))

    changes = await reimported(store, config, sample_roster_dir)

    assert changes.ended == [
        Assignment("M07", "O05", "follow", date(2020, 11, 1), date(2021, 11, 20))
    ]
    assert changes.removed["assignments"] == 1 and changes.total == 1
    row = await store.db.fetchone(
        "SELECT a.start_date, a.end_date, a.left_on FROM assignments a"
        " JOIN members m ON m.id = a.member_id JOIN organizations o ON o.id = a.organization_id"
        " WHERE m.code = 'M07' AND o.code = 'O05'"
    )
    assert tuple(row) == ("2020-11-01", "2021-11-20", "2021-11-21")
    # No longer on the roster (nor in its export), yet M07 was required at O05 for 51 days.
    assert not [a for a in (await store.roster.load()).assignments if a.key[:2] == ("M07", "O05")]
    assert ("M07", "O05") in statuses(await coverage_document(store, config, Q4))


async def test_an_assignment_left_out_before_it_began_is_deleted(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await load_sample(store, config, NOW)
    drop_rows(sample_roster_dir, "assignments", lambda row: not row.startswith("M13,O15,"))

    changes = await reimported(store, config, sample_roster_dir)

    assert changes.deleted == [Assignment("M13", "O15", "follow", date(2021, 12, 10))]
    assert changes.ended == []
    assert not await store.db.fetchval(
        "SELECT count(*) FROM assignments a JOIN members m ON m.id = a.member_id"
        " WHERE m.code = 'M13' AND a.start_date = '2021-12-10'"
    )


async def test_an_assignment_put_back_holds_as_the_file_says_again(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await load_sample(store, config, NOW)
    before = await store.roster.load()
    drop_rows(sample_roster_dir, "assignments", lambda row: not row.startswith("M07,O05,"))
    await reimported(store, config, sample_roster_dir)

    changes = await import_roster(store, config, SAMPLE_DIR, LATER)

    assert changes.added["assignments"] == 1 and changes.total == 1
    assert await store.roster.load() == before


# -- members, organizations, cells -----------------------------------------------------------


async def test_a_retired_member_still_counts_for_the_days_they_were_on_the_roster(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    # M07 follows O01 and O05, and confirmed a visit to O05 in July (2021Q3).
    await load_sample(store, config, NOW)
    q3_before = await coverage_document(store, config, Q3)
    q4_before = await coverage_document(store, config, Q4)
    assert statuses(q3_before)[("M07", "O05")] == "covered"
    leave_out_member(sample_roster_dir, "M07")

    changes = await reimported(store, config, sample_roster_dir)

    assert changes.retired == {"members": ["M07"]}
    assert [(a.member, a.organization, a.end) for a in changes.ended] == [
        ("M07", "O01", date(2021, 11, 20)),
        ("M07", "O05", date(2021, 11, 20)),
    ]
    # The past quarter is exactly as it was; this one still requires M07 where they were
    # assigned for 51 days of it, and still lists them.
    assert await coverage_document(store, config, Q3) == q3_before
    q4 = await coverage_document(store, config, Q4)
    assert q4 == q4_before
    # The next quarter, in which M07 was never on the roster, does not know them.
    q1 = await coverage_document(store, config, Quarter(2022, 1))
    assert "M07" not in {m["code"] for m in q1["members"]}
    # Retired from the 21st: no longer a member in chat, nor on the roster's export.
    assert "M07" not in {m.code for m in (await store.roster.load()).members}
    row = await store.db.fetchone("SELECT active, retired_on FROM members WHERE code = 'M07'")
    assert tuple(row) == (0, "2021-11-21")


async def test_a_retired_cell_still_counts_in_the_quarter_it_was_listed_in(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await load_sample(store, config, NOW)
    q4_before = await coverage_document(store, config, Q4)
    o01 = next(o for o in q4_before["organizations"] if o["code"] == "O01")
    assert o01["flagged_cells"] == ["C0103"]
    drop_rows(sample_roster_dir, "cells", lambda row: not row.startswith("C0103,"))
    drop_rows(sample_roster_dir, "meetings", lambda row: not row.startswith("C0103,"))

    changes = await reimported(store, config, sample_roster_dir)

    assert changes.retired == {"cells": ["C0103"]}
    assert await coverage_document(store, config, Q4) == q4_before
    q1 = await coverage_document(store, config, Quarter(2022, 1))
    o01_next = next(o for o in q1["organizations"] if o["code"] == "O01")
    assert o01_next["cells"] == o01["cells"] - 1 and o01_next["flagged_cells"] == []


async def test_what_an_import_adds_counts_from_its_day_not_before(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await load_sample(store, config, NOW)
    q3_before = await coverage_document(store, config, Q3)
    q4_before = await coverage_document(store, config, Q4)
    append_row(sample_roster_dir, "organizations", "O17,Chi bộ Trường THCS Ngọc Lâm,cell")
    append_row(sample_roster_dir, "members", "M21,Lương Văn Khải,0911222333,member,")
    append_row(sample_roster_dir, "assignments", "M21,O17,follow,2020-11-01,")

    changes = await reimported(store, config, sample_roster_dir)

    assert (changes.added["members"], changes.added["organizations"]) == (1, 1)
    assert await coverage_document(store, config, Q3) == q3_before  # not on the roster then
    q4 = await coverage_document(store, config, Q4)
    assert statuses(q4)[("M21", "O17")] == "missed"
    assert q4["totals"]["required"] == q4_before["totals"]["required"] + 1


# -- flags ----------------------------------------------------------------------------------


async def test_flags_raised_and_cleared_by_import_are_kept_with_their_time(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await load_sample(store, config, NOW)
    set_flag(sample_roster_dir, "C0103", False)
    set_flag(sample_roster_dir, "C0101", True)

    changes = await reimported(store, config, sample_roster_dir)

    assert changes.raised == ["C0101"]
    assert [flag.cell for flag in changes.cleared] == ["C0103"]
    assert changes.total == 2
    rows = [row for row in await flag_rows(store) if row[0] in ("C0101", "C0103")]
    assert rows == [
        ("C0101", "2021-11-21T01:00:00+00:00", "import", None, None),
        # On the first roster: flagged from before the bot kept the flags' history.
        ("C0103", None, "import", "2021-11-21T01:00:00+00:00", "import"),
    ]
    # The quarter counts both: each was flagged at some time inside it.
    q4 = await coverage_document(store, config, Q4)
    o01 = next(o for o in q4["organizations"] if o["code"] == "O01")
    assert o01["flagged_cells"] == ["C0101", "C0103"]
    # The next quarter only the one flagged now.
    q1 = await coverage_document(store, config, Quarter(2022, 1))
    assert next(o for o in q1["organizations"] if o["code"] == "O01")["flagged_cells"] == ["C0101"]
    # The export says each cell's flag as it is now: importing it changes nothing.
    roster = await store.roster.load()
    assert {c.code for c in roster.cells if c.flagged} >= {"C0101"}
    assert "C0103" not in {c.code for c in roster.cells if c.flagged}
    # Cleared by a later import, it says when it had been raised.
    set_flag(sample_roster_dir, "C0101", False)
    changes = await import_roster(
        store, config, sample_roster_dir, datetime(2021, 12, 1, tzinfo=UTC)
    )
    assert cli_summary(changes, date(2021, 12, 1), config)[-1] == (
        "flags cleared: C0101 (raised by an import on 2021-11-21)"
    )


async def test_a_flag_raised_by_a_note_is_cleared_by_importing_no(
    store: Store, config: Config
) -> None:
    await load_sample(store, config, NOW)
    checkin = await store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE m.code = 'M07' AND ch.cell_code = 'C0106'"
    )
    assert await store.flags.raise_by_note(checkin, datetime(2021, 11, 20, 2, 0, tzinfo=UTC))
    assert not await store.flags.raise_by_note(checkin, datetime(2021, 11, 20, 3, 0, tzinfo=UTC))

    changes = await import_roster(store, config, SAMPLE_DIR, LATER)  # C0106 is "no" there

    (cleared,) = changes.cleared
    assert (cleared.cell, cleared.raised_by, cleared.raised_by_member) == ("C0106", "note", "M07")
    assert changes.total == 1
    assert [row for row in await flag_rows(store) if row[0] == "C0106"] == [
        ("C0106", "2021-11-20T02:00:00+00:00", "note", "2021-11-21T01:00:00+00:00", "import")
    ]
    assert not await store.db.fetchval("SELECT flagged FROM cells WHERE code = 'C0106'")
    assert [line for line in cli_summary(changes, date(2021, 11, 21), config)][
        -1
    ] == "flags cleared: C0106 (raised by the note of M07 on 2021-11-20)"


async def test_reimporting_the_same_roster_adds_no_history(store: Store, config: Config) -> None:
    await load_sample(store, config, NOW)
    before = await dump(store)
    for _ in range(2):
        assert (await import_roster(store, config, SAMPLE_DIR, LATER)).total == 0
    assert await dump(store) == before


# -- what the import says --------------------------------------------------------------------


async def test_the_summary_says_what_was_ended_retired_deleted_raised_and_cleared(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await load_sample(store, config, NOW)
    leave_out_m20_and_a_coming_assignment(sample_roster_dir)
    set_flag(sample_roster_dir, "C0205", False)

    changes = await reimported(store, config, sample_roster_dir)

    assert cli_summary(changes, date(2021, 11, 21), config) == [
        "members: 0 added, 0 updated, 1 retired",
        "organizations: 0 added, 0 updated, 0 retired",
        "cells: 0 added, 0 updated, 0 retired",
        "assignments: 0 added, 0 updated, 2 ended, 1 deleted",
        "meetings: 0 added, 0 updated",
        "difficulty flags: 0 raised, 1 cleared",
        "retired from 2021-11-21, still counted for the days before: members M20",
        "ended, still counted for the days they held:"
        " M20 at O09 until 2021-11-20, M20 at O10 until 2021-11-20",
        "deleted, as they had not begun: M13 at O15 from 2021-12-10",
        "flags cleared: C0205 (flagged on the roster from the start)",
    ]


async def test_a_preview_is_what_the_import_then_does_and_changes_nothing(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await load_sample(store, config, NOW)
    # One of every change an import makes: members added, updated and retired (their
    # assignments ended, or deleted before they began), an organization added with its implied
    # cell, flags raised and cleared, a meeting added and one moved to another venue.
    leave_out_m20_and_a_coming_assignment(sample_roster_dir)
    append_row(sample_roster_dir, "members", "M99,Hà Văn Mới,0912000099,member,")
    replace_row(
        sample_roster_dir, "members", "M02,", "M02,Trần Thị Minh Nguyệt Anh,0389372705,standing,vi"
    )
    append_row(sample_roster_dir, "organizations", "O99,Chi bộ Bưu điện quận,cell")
    append_row(sample_roster_dir, "assignments", "M99,O99,follow,2021-11-01,")
    set_flag(sample_roster_dir, "C0101", True)
    set_flag(sample_roster_dir, "C0205", False)
    append_row(sample_roster_dir, "meetings", "C0101,2021-12-12 08:00,,thematic")
    replace_row(
        sample_roster_dir,
        "meetings",
        "C0407,2021-07-04 08:00,",
        "C0407,2021-07-04 08:00,Hội trường,",
    )
    roster = parse_roster(read_tables(sample_roster_dir), config.committee.tz)
    before = await dump(store)

    previewed = await preview_roster(store, config, roster, LATER)

    assert await dump(store) == before
    applied = await apply_roster(store, config, roster, LATER)
    assert applied == previewed
    said = cli_summary(previewed, date(2021, 11, 21), config)
    assert said == cli_summary(applied, date(2021, 11, 21), config)
    assert said[:6] == [
        "members: 1 added, 1 updated, 1 retired",
        "organizations: 1 added, 0 updated, 0 retired",
        "cells: 1 added, 0 updated, 0 retired",
        "assignments: 1 added, 0 updated, 2 ended, 1 deleted",
        "meetings: 1 added, 1 updated",
        "difficulty flags: 1 raised, 1 cleared",
    ]
    # Once applied, the same file would change nothing more.
    assert (await preview_roster(store, config, roster, LATER)).total == 0


def cli_summary(changes: Changes, day: date, config: Config) -> list[str]:
    """What `checkin-bot import` says of CHANGES."""
    return summary_lines(changes, day, Translator("en", config.committee.tz), date.isoformat)


def leave_out_m20_and_a_coming_assignment(folder: Path) -> None:
    """M20 leaves (two assignments begun: ended) and M13's assignment to O15 from 2021-12-10,
    not begun: deleted."""
    drop_rows(folder, "members", lambda row: not row.startswith("M20,"))
    drop_rows(folder, "assignments", lambda row: not row.startswith(("M20,", "M13,O15,")))


def leave_out_member(folder: Path, code: str) -> None:
    """Leave the member out of the roster folder, with their assignments."""
    drop_rows(folder, "members", lambda row: not row.startswith(f"{code},"))
    drop_rows(folder, "assignments", lambda row: not row.startswith(f"{code},"))


def set_flag(folder: Path, cell: str, flagged: bool) -> None:
    """Say in the roster folder's cells.csv whether CELL is flagged."""
    (row,) = [line for line in read_lines(folder, "cells") if line.startswith(f"{cell},")]
    replace_row(
        folder, "cells", f"{cell},", re.sub(r",(yes|no)$", "", row) + (",yes" if flagged else ",no")
    )


# -- a database from before the history -------------------------------------------------------


async def test_a_database_from_before_migrates_its_flags_and_retirements(tmp_path: Path) -> None:
    """Flags the roster set and flags notes raised become open periods; what was retired before
    stays out of every quarter (its day is unknown)."""
    path = tmp_path / "old.sqlite3"
    conn = await aiosqlite.connect(path)
    await conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    for name, sql in MIGRATIONS[:6]:
        for statement in _statements(sql):
            await conn.execute(statement)
        await conn.execute("INSERT INTO schema_migrations VALUES (?, 'then')", (name,))
    await conn.executescript(
        """
        INSERT INTO people (id, phone) VALUES (1, '0912000001'), (2, '0912000002');
        INSERT INTO organizations (id, code, name, kind) VALUES (1, 'O01', 'Đảng ủy', 'committee');
        INSERT INTO members (id, code, person_id, full_name, position, active)
            VALUES (1, 'M01', 1, 'An', 'standing', 1), (2, 'M02', 2, 'Bình', 'member', 0);
        INSERT INTO cells (id, code, organization_id, name, flagged, difficulties_reported_at)
            VALUES (1, 'C01', 1, 'Tổ 1', 1, NULL), (2, 'C02', 1, 'Tổ 2', 0, '2021-11-12T01:00:00+00:00'),
                   (3, 'C03', 1, 'Tổ 3', 0, NULL), (4, 'C04', 1, 'Tổ 4', 1, '2021-11-13T01:00:00+00:00');
        INSERT INTO assignments (member_id, organization_id, duty, start_date)
            VALUES (1, 1, 'in_charge', '2020-11-01'), (2, 1, 'follow', '2020-11-01');
        INSERT INTO meetings (id, cell_id, starts_at, created_at)
            VALUES (1, 2, '2021-11-10T01:00:00+00:00', 'then');
        INSERT INTO checkins (id, meeting_id, member_id, checked_in_at)
            VALUES (1, 1, 1, '2021-11-10T01:00:00+00:00');
        INSERT INTO notes (checkin_id, rating, steps_kept, difficulties_raised, written_at)
            VALUES (1, 'fair', 1, 1, '2021-11-12T01:00:00+00:00');
        """
    )
    await conn.commit()
    await conn.close()

    async with await Store.open(path) as store:
        assert [
            tuple(r)
            for r in await store.db.fetchall(
                "SELECT cell_id, raised_at, raised_by, raised_checkin, cleared_at FROM flag_periods"
                " ORDER BY cell_id"
            )
        ] == [
            (1, None, "import", None, None),
            (2, "2021-11-12T01:00:00+00:00", "note", 1, None),
            (4, None, "import", None, None),
        ]
        flagged = await store.db.fetchall("SELECT code FROM cells WHERE flagged ORDER BY code")
        assert [row[0] for row in flagged] == ["C01", "C02", "C04"]
        columns = [row[1] for row in await store.db.fetchall("PRAGMA table_info(cells)")]
        assert "difficulties_reported_at" not in columns
        (flag,) = [f for f in await store.flags.flagged_now() if f.cell_code == "C02"]
        assert (flag.raised_by, flag.raised_by_member) == ("note", "An")
        config = Config()
        q4 = await coverage_document(store, config, Q4)
        assert [m["code"] for m in q4["members"]] == ["M01"]  # M02 was retired before
        assert q4["organizations"][0]["flagged_cells"] == ["C01", "C02", "C04"]


# -- the write lock: held only to write the difference ----------------------------------------


async def test_the_import_works_out_its_difference_without_holding_the_write_lock(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await load_sample(store, config, NOW)
    leave_out_member(sample_roster_dir, "M20")
    plan, run = store.roster._plan, store.roster._run
    seen: list[str] = []

    def write_from_elsewhere() -> str:
        other = sqlite3.connect(store.db.path, timeout=0)  # no waiting for a lock
        try:
            other.execute("UPDATE people SET language = 'en' WHERE phone = '0963106218'")
            other.commit()
            return "written"
        except sqlite3.OperationalError as exc:
            return str(exc)
        finally:
            other.close()

    async def planning(*args):
        worked_out = await plan(*args)
        seen.append(f"plan: {write_from_elsewhere()}")
        return worked_out

    async def applying(worked_out):
        seen.append(f"apply: {write_from_elsewhere()}")
        await run(worked_out)

    store.roster._plan, store.roster._run = planning, applying
    changes = await reimported(store, config, sample_roster_dir)

    assert seen == ["plan: written", "apply: database is locked"]
    assert changes.retired == {"members": ["M20"]}


async def test_an_import_works_its_difference_out_again_when_the_roster_moved_meanwhile(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await load_sample(store, config, NOW)
    leave_out_member(sample_roster_dir, "M20")
    checkin = await store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE m.code = 'M07' AND ch.cell_code = 'C0106'"
    )
    plan = store.roster._plan
    plans = 0

    async def planning(*args):
        nonlocal plans
        worked_out = await plan(*args)
        plans += 1
        if plans == 1:
            # Meanwhile, in the running bot, a member's note flags C0106 ("no" in the file).
            async with await Store.open(store.db.path) as bot:
                assert await bot.flags.raise_by_note(checkin, NOW)
        return worked_out

    store.roster._plan = planning
    changes = await reimported(store, config, sample_roster_dir)

    assert plans == 2
    assert [flag.cell for flag in changes.cleared] == ["C0106"]
    assert changes.retired == {"members": ["M20"]}
    assert not await store.db.fetchval("SELECT flagged FROM cells WHERE code = 'C0106'")


async def test_an_import_whose_roster_keeps_moving_ends_under_the_lock(
    store: Store, config: Config, sample_roster_dir: Path
) -> None:
    await load_sample(store, config, NOW)
    leave_out_member(sample_roster_dir, "M20")
    plan = store.roster._plan
    plans = 0

    async def planning(*args):
        nonlocal plans
        worked_out = await plan(*args)
        plans += 1
        if plans <= PLANS_OUTSIDE_THE_LOCK:
            async with await Store.open(store.db.path) as office:
                await office.db.execute(
                    "UPDATE members SET full_name = full_name || '.' WHERE code = 'M01'"
                )
        return worked_out

    store.roster._plan = planning
    changes = await reimported(store, config, sample_roster_dir)

    assert plans == PLANS_OUTSIDE_THE_LOCK + 1
    assert changes.retired == {"members": ["M20"]}
    assert changes.updated["members"] == 1  # M01's name, as the file has it
    assert (await store.people.by_member_code("M01")).name == "Nguyễn Văn Thành"
