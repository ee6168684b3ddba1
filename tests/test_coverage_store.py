"""The coverage rule end to end through the real SQLite store.

A small district: a roster applied as the office's import would, meetings stored (in UTC) from
local wall-clock times, check-ins recorded and decided as the secretaries would in chat, then
bot.services.coverage.quarter_coverage read back the way the CLI and the digest do.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.config import Config, Coverage
from bot.core.coverage import (
    AssignmentPeriod,
    OrganizationInfo,
    QuarterCoverage,
    Visit,
    coverage_for_quarter,
)
from bot.core.decisions import Decider
from bot.core.quarters import Quarter
from bot.core.roster import Assignment, Cell, Meeting, Member, Organization, Roster
from bot.services.coverage import collection_paused, member_coverage, quarter_coverage
from storage.store import Store
from storage.timefmt import to_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Q3, Q4, Q1 = Quarter(2021, 3), Quarter(2021, 4), Quarter(2022, 1)
CONFIG = Config()
NOW_DB = to_db(datetime(2021, 9, 1, 2, 0, tzinfo=UTC))
TODAY = date(2021, 9, 1)  # NOW_DB on the Hà Nội calendar


def local(year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


# The meetings of the sample district, on the Hà Nội wall clock.
NEW_YEARS_EVE = local(2021, 12, 31, 23, 30)  # inside 2021Q4
NEW_YEARS_NIGHT = local(2022, 1, 1, 0, 30)  # inside 2022Q1 (yet 2021-12-31 in UTC)
FIRST_OF_OCTOBER = local(2021, 10, 1, 0, 0)  # inside 2021Q4 (yet 2021-09-30 in UTC)
LAST_OF_SEPTEMBER = local(2021, 9, 30, 23, 59)  # inside 2021Q3
NOVEMBER_C02 = local(2021, 11, 10, 19, 30)
NOVEMBER_O02 = local(2021, 11, 15, 8, 0)
DECEMBER_O02 = local(2021, 12, 15, 8, 0)
NOVEMBER_C31 = local(2021, 11, 20, 8, 0)
DECEMBER_C03 = local(2021, 12, 10, 8, 0)

MEMBERS = [
    Member("M01", "Nguyễn Văn An", "0912000001", "standing"),
    Member("M02", "Trần Thị Bình", "0912000002", "member"),
    Member("M03", "Lê Văn Cường", "0912000003", "member"),
    # Also the secretary of C02: one person, one phone.
    Member("M04", "Phạm Thị Dung", "0912000004", "member", "vi"),
]
ORGANIZATIONS = [
    Organization("O01", "Đảng ủy phường Bồ Đề", "committee"),
    Organization("O02", "Chi bộ Trường THCS Gia Thụy", "cell"),
    Organization("O03", "Đảng ủy phường Ngọc Thụy", "committee"),
]
CELLS = [
    Cell("C01", "O01", "Chi bộ tổ dân phố 1", "Hoàng Văn Em", "0913000001", flagged=True),
    Cell("C02", "O01", "Chi bộ tổ dân phố 2", "Phạm Thị Dung", "0912000004"),
    Cell("C03", "O01", "Chi bộ tổ dân phố 3", flagged=True),
    Cell("O02", "O02", "Chi bộ Trường THCS Gia Thụy", implied=True),
    Cell("C31", "O03", "Chi bộ tổ dân phố 31", "Vũ Văn Giang", "0913000031", flagged=True),
]
ASSIGNMENTS = [
    Assignment("M01", "O01", "in_charge", date(2020, 10, 1)),
    Assignment("M01", "O02", "follow", date(2021, 12, 2)),  # 30 days of 2021Q4: required
    Assignment("M02", "O01", "follow", date(2021, 12, 3)),  # 29 days: assigned, not required
    Assignment("M02", "O02", "in_charge", date(2020, 10, 1), date(2021, 10, 30)),  # 30 days
    Assignment("M03", "O03", "follow", date(2020, 10, 1), date(2021, 9, 30)),  # not in 2021Q4
    Assignment("M04", "O01", "follow", date(2021, 3, 1)),
]
MEETINGS = [
    Meeting("C01", NEW_YEARS_EVE),
    Meeting("C02", NEW_YEARS_NIGHT),
    Meeting("C01", FIRST_OF_OCTOBER, "Nhà văn hóa tổ 1"),
    Meeting("C03", LAST_OF_SEPTEMBER),
    Meeting("C02", NOVEMBER_C02, kind="thematic"),
    Meeting("O02", NOVEMBER_O02),
    Meeting("O02", DECEMBER_O02),
    Meeting("C31", NOVEMBER_C31),
    Meeting("C03", DECEMBER_C03),
]


def roster(**changes) -> Roster:
    base = Roster(
        members=list(MEMBERS),
        organizations=list(ORGANIZATIONS),
        cells=list(CELLS),
        assignments=list(ASSIGNMENTS),
        meetings=list(MEETINGS),
    )
    return replace(base, **changes)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await Store.open(tmp_path / "coverage.sqlite3")
    await store.roster.apply(roster(), NOW_DB, TODAY)
    try:
        yield store
    finally:
        await store.close()


async def check_in(
    store: Store, member: str, cell: str, starts_at: datetime, decision: str | None = None
) -> int:
    """MEMBER checks in at CELL's meeting; the secretary then decides, if DECISION is given."""
    meeting = await store.meetings.id_of(cell, starts_at)
    assert meeting is not None, (cell, starts_at)
    checkin = await store.checkins.add(meeting, member, starts_at)
    assert checkin is not None
    if decision is not None:
        assert await store.checkins.decide(checkin, decision, None, starts_at)  # type: ignore[arg-type]
    return checkin


async def coverage(store: Store, quarter: Quarter = Q4, config: Config = CONFIG) -> QuarterCoverage:
    """The quarter's coverage; on the way, each member's own (what /status and /meetings
    compute from that member's rows alone) is checked against it, in every test here."""
    result = await quarter_coverage(store, config, quarter)
    names = {org.code: org.name for org in result.organizations}
    codes = [row[0] for row in await store.db.fetchall("SELECT code FROM members")]
    for code in [*codes, "M99"]:  # retired members too, and one never heard of
        own = await member_coverage(store, config, quarter, code)
        whole = next((m.organizations for m in result.members if m.code == code), [])
        assert own.pairs == whole, code
        assert {p.organization: own.names[p.organization] for p in whole} == {
            p.organization: names[p.organization] for p in whole
        }, code
    return result


def statuses(result: QuarterCoverage) -> dict[tuple[str, str], str]:
    return {(m.code, p.organization): p.status for m in result.members for p in m.organizations}


def of_org(result: QuarterCoverage, code: str) -> dict:
    (entry,) = [o for o in result.to_json()["organizations"] if o["code"] == code]
    return entry


# --- the roster as loaded ----------------------------------------------------------------------


async def test_a_fresh_roster_requires_what_the_assignments_say(store: Store) -> None:
    result = await coverage(store)
    assert statuses(result) == {
        ("M01", "O01"): "missed",
        ("M01", "O02"): "missed",  # from 2 December: exactly 30 days
        ("M02", "O02"): "missed",  # until 30 October: exactly 30 days
        ("M04", "O01"): "missed",
    }  # M02 -> O01 from 3 December (29 days) and M03 -> O03 (ended in Q3) are not required
    assert [(m.code, m.name) for m in result.members] == [(m.code, m.full_name) for m in MEMBERS]
    assert result.totals == {"required": 4, "covered": 0, "pending": 0, "missed": 4}
    assert result.to_json()["organizations"] == [
        {
            "code": "O01",
            "name": "Đảng ủy phường Bồ Đề",
            "cells": 3,
            "cells_visited": 0,
            "flagged_cells": ["C01", "C03"],
            "flagged_visited": [],
        },
        {
            "code": "O02",
            "name": "Chi bộ Trường THCS Gia Thụy",
            "cells": 1,
            "cells_visited": 0,
            "flagged_cells": [],
            "flagged_visited": [],
        },
        {
            "code": "O03",
            "name": "Đảng ủy phường Ngọc Thụy",
            "cells": 1,
            "cells_visited": 0,
            "flagged_cells": ["C31"],
            "flagged_visited": [],
        },
    ]


async def test_the_minimum_overlap_comes_from_the_config(store: Store) -> None:
    lenient = Config(coverage=Coverage(minimum_overlap_days=1))
    strict = Config(coverage=Coverage(minimum_overlap_days=60))
    assert set(statuses(await coverage(store, config=lenient))) == {
        ("M01", "O01"),
        ("M01", "O02"),
        ("M02", "O01"),
        ("M02", "O02"),
        ("M04", "O01"),
    }
    assert set(statuses(await coverage(store, config=strict))) == {("M01", "O01"), ("M04", "O01")}


# --- local-quarter bounds over instants stored in UTC ------------------------------------------


async def test_meetings_are_stored_in_utc(store: Store) -> None:
    rows = await store.db.fetchall(
        "SELECT c.code, mt.starts_at FROM meetings mt JOIN cells c ON c.id = mt.cell_id"
        " WHERE c.code IN ('C01', 'C02', 'C03') ORDER BY mt.starts_at"
    )
    assert [tuple(r) for r in rows] == [
        ("C03", "2021-09-30T16:59:00+00:00"),
        ("C01", "2021-09-30T17:00:00+00:00"),
        ("C02", "2021-11-10T12:30:00+00:00"),
        ("C03", "2021-12-10T01:00:00+00:00"),
        ("C01", "2021-12-31T16:30:00+00:00"),
        ("C02", "2021-12-31T17:30:00+00:00"),
    ]


async def test_a_meeting_at_2330_on_new_years_eve_counts_for_the_fourth_quarter(
    store: Store,
) -> None:
    await check_in(store, "M01", "C01", NEW_YEARS_EVE, "confirmed")
    q4 = await coverage(store)
    assert statuses(q4)[("M01", "O01")] == "covered"
    assert of_org(q4, "O01")["cells_visited"] == 1
    assert of_org(q4, "O01")["flagged_visited"] == ["C01"]
    q1 = await coverage(store, Q1)
    assert statuses(q1)[("M01", "O01")] == "missed"
    assert of_org(q1, "O01")["cells_visited"] == 0


async def test_a_meeting_at_0030_on_new_years_day_counts_for_the_next_quarter(
    store: Store,
) -> None:
    # Stored as 2021-12-31T17:30Z: a query on UTC dates would put it in 2021Q4.
    await check_in(store, "M01", "C02", NEW_YEARS_NIGHT, "confirmed")
    q4 = await coverage(store)
    assert statuses(q4)[("M01", "O01")] == "missed"
    assert of_org(q4, "O01")["cells_visited"] == 0
    q1 = await coverage(store, Q1)
    assert statuses(q1)[("M01", "O01")] == "covered"
    assert of_org(q1, "O01")["cells_visited"] == 1


async def test_midnight_of_the_first_of_october_is_inside_and_2359_before_is_not(
    store: Store,
) -> None:
    await check_in(store, "M01", "C01", FIRST_OF_OCTOBER, "confirmed")  # 2021-09-30T17:00Z
    await check_in(store, "M04", "C03", LAST_OF_SEPTEMBER, "confirmed")  # 2021-09-30T16:59Z
    q4 = await coverage(store)
    assert statuses(q4)[("M01", "O01")] == "covered"
    assert statuses(q4)[("M04", "O01")] == "missed"
    assert of_org(q4, "O01")["flagged_visited"] == ["C01"]
    q3 = await coverage(store, Q3)
    assert statuses(q3)[("M01", "O01")] == "missed"
    assert statuses(q3)[("M04", "O01")] == "covered"
    assert of_org(q3, "O01")["flagged_visited"] == ["C03"]


# --- the secretary's decision ------------------------------------------------------------------


async def test_a_check_in_is_pending_until_the_secretary_decides(store: Store) -> None:
    meeting = await store.meetings.id_of("C02", NOVEMBER_C02)
    assert meeting is not None
    first = await store.checkins.add(meeting, "M04", NOVEMBER_C02)
    assert first is not None
    assert await store.checkins.add(meeting, "M04", NOVEMBER_C02) is None  # once per meeting

    assert statuses(await coverage(store))[("M04", "O01")] == "pending"
    assert of_org(await coverage(store), "O01")["cells_visited"] == 0

    assert await store.checkins.decide(first, "confirmed", None, NOVEMBER_C02)
    assert not await store.checkins.decide(first, "denied", None, NOVEMBER_C02)  # already decided
    result = await coverage(store)
    assert statuses(result)[("M04", "O01")] == "covered"
    assert of_org(result, "O01")["cells_visited"] == 1
    assert of_org(result, "O01")["flagged_visited"] == []  # C02 is not flagged


async def test_confirmed_pending_and_denied_through_the_store(store: Store) -> None:
    await check_in(store, "M01", "O02", DECEMBER_O02, "confirmed")  # kind=cell organization
    await check_in(store, "M02", "O02", NOVEMBER_O02, "denied")
    await check_in(store, "M04", "C03", DECEMBER_C03)  # pending
    result = await coverage(store)
    assert statuses(result) == {
        ("M01", "O01"): "missed",
        ("M01", "O02"): "covered",
        ("M02", "O02"): "missed",
        ("M04", "O01"): "pending",
    }
    assert result.totals == {"required": 4, "covered": 1, "pending": 1, "missed": 2}
    assert of_org(result, "O02")["cells_visited"] == 1
    assert of_org(result, "O01")["cells_visited"] == 0


async def test_a_denied_check_in_then_a_pending_one_is_pending(store: Store) -> None:
    await check_in(store, "M04", "C02", NOVEMBER_C02, "denied")
    assert statuses(await coverage(store))[("M04", "O01")] == "missed"
    await check_in(store, "M04", "C03", DECEMBER_C03)
    assert statuses(await coverage(store))[("M04", "O01")] == "pending"
    await check_in(store, "M04", "C01", NEW_YEARS_EVE, "confirmed")
    assert statuses(await coverage(store))[("M04", "O01")] == "covered"


async def test_a_member_who_is_also_a_secretary_counts_as_a_member(store: Store) -> None:
    # M04 chairs C02 and follows O01; one person in the store, two roles.
    person = await store.db.fetchval("SELECT person_id FROM members WHERE code = 'M04'")
    secretary = await store.db.fetchval("SELECT secretary_id FROM cells WHERE code = 'C02'")
    assert person == secretary
    checkin = await check_in(store, "M04", "C02", NOVEMBER_C02)
    # Someone else decides: the secretary's own check-in goes to the office.
    office = await store.db.fetchval("SELECT person_id FROM members WHERE code = 'M01'")
    admin = Decider(office, "M01", "An admin", "admin", "telegram")
    assert await store.checkins.decide(checkin, "confirmed", admin, NOVEMBER_C02)
    result = await coverage(store)
    assert statuses(result)[("M04", "O01")] == "covered"
    assert of_org(result, "O01")["cells_visited"] == 1


async def test_visits_by_members_not_assigned_visit_no_cell(store: Store) -> None:
    # M03's assignment to O03 ended on 30 September: their visit in November is their own.
    await check_in(store, "M03", "C31", NOVEMBER_C31, "confirmed")
    # M02 is assigned to O01 for 29 days of December: not required, but the visit counts.
    await check_in(store, "M02", "C03", DECEMBER_C03, "confirmed")
    result = await coverage(store)
    assert result.totals == {"required": 4, "covered": 0, "pending": 0, "missed": 4}
    assert of_org(result, "O03")["cells_visited"] == 0
    assert of_org(result, "O03")["flagged_visited"] == []
    assert of_org(result, "O01")["cells_visited"] == 1
    assert of_org(result, "O01")["flagged_visited"] == ["C03"]


async def test_a_member_covers_an_organization_whether_or_not_it_is_required(store: Store) -> None:
    # What /schedule asks before telling a member: covered by the rule, required or not.
    await check_in(store, "M02", "C03", DECEMBER_C03, "confirmed")  # 29 days: not required
    await check_in(store, "M04", "C02", NOVEMBER_C02)  # pending: not covered yet
    m02 = await member_coverage(store, CONFIG, Q4, "M02")
    assert ("O01", "covered") not in m02.pairs and m02.covered == {"O01"}
    assert (await member_coverage(store, CONFIG, Q4, "M04")).covered == frozenset()
    assert (await member_coverage(store, CONFIG, Q3, "M02")).covered == frozenset()


# --- retirements -------------------------------------------------------------------------------


async def test_a_retired_member_disappears_from_coverage(store: Store) -> None:
    await check_in(store, "M01", "C01", NEW_YEARS_EVE, "confirmed")
    await check_in(store, "M04", "C02", NOVEMBER_C02)
    assert statuses(await coverage(store))[("M01", "O01")] == "covered"

    await store.roster.apply(
        roster(
            members=[m for m in MEMBERS if m.code != "M01"],
            assignments=[a for a in ASSIGNMENTS if a.member != "M01"],
        ),
        NOW_DB,
        TODAY,
    )
    result = await coverage(store)
    assert "M01" not in {m.code for m in result.members}
    assert {pair[0] for pair in statuses(result)} == {"M02", "M04"}
    assert result.totals == {"required": 2, "covered": 0, "pending": 1, "missed": 1}

    # Back on the roster: their check-in was kept, so the quarter is covered again.
    await store.roster.apply(roster(), NOW_DB, TODAY)
    assert statuses(await coverage(store))[("M01", "O01")] == "covered"


async def test_a_retired_organization_disappears_from_coverage(store: Store) -> None:
    await check_in(store, "M01", "O02", DECEMBER_O02, "confirmed")
    await store.roster.apply(
        roster(
            organizations=[o for o in ORGANIZATIONS if o.code != "O02"],
            cells=[c for c in CELLS if c.organization != "O02"],
            assignments=[a for a in ASSIGNMENTS if a.organization != "O02"],
            meetings=[m for m in MEETINGS if m.cell != "O02"],
        ),
        NOW_DB,
        TODAY,
    )
    result = await coverage(store)
    assert [o.code for o in result.organizations] == ["O01", "O03"]
    assert all(org != "O02" for _, org in statuses(result))
    assert result.totals == {"required": 2, "covered": 0, "pending": 0, "missed": 2}


async def test_only_active_members_and_organizations_are_required_even_if_rows_remain(
    store: Store,
) -> None:
    # The queries promise "assignments of active members to active organizations" on their
    # own, not only because an import deletes the assignments of whoever leaves the roster.
    await store.db.execute("UPDATE members SET active = 0 WHERE code = 'M04'")
    await store.db.execute("UPDATE organizations SET active = 0 WHERE code = 'O02'")
    result = await coverage(store)
    assert statuses(result) == {("M01", "O01"): "missed"}
    assert [m.code for m in result.members] == ["M01", "M02", "M03"]
    assert [o.code for o in result.organizations] == ["O01", "O03"]


async def test_a_retired_cell_no_longer_counts_among_the_cells_visited(store: Store) -> None:
    # C03 was visited, then the office merged it away. The organization now has two cells;
    # it cannot have had three of them visited ("cells_visited" never exceeds "cells").
    await check_in(store, "M01", "C01", NEW_YEARS_EVE, "confirmed")
    await check_in(store, "M04", "C02", NOVEMBER_C02, "confirmed")
    await check_in(store, "M04", "C03", DECEMBER_C03, "confirmed")
    assert of_org(await coverage(store), "O01")["cells_visited"] == 3

    await store.roster.apply(roster(cells=[c for c in CELLS if c.code != "C03"]), NOW_DB, TODAY)
    result = await coverage(store)
    entry = of_org(result, "O01")
    assert entry["cells"] == 2
    assert entry["flagged_cells"] == ["C01"]
    assert entry["cells_visited"] <= entry["cells"]
    assert entry["flagged_visited"] == ["C01"]
    # The members' own record is kept: M04 did attend a meeting of O01 this quarter.
    assert statuses(result)[("M04", "O01")] == "covered"


async def test_a_cell_moved_to_another_organization_takes_its_visits_along(store: Store) -> None:
    # The office moves C03 from O01 to O03 on a re-import: its cells and visits are O03's now.
    await check_in(store, "M04", "C03", DECEMBER_C03, "confirmed")
    assert of_org(await coverage(store), "O01")["cells_visited"] == 1

    moved = [replace(c, organization="O03") if c.code == "C03" else c for c in CELLS]
    await store.roster.apply(roster(cells=moved), NOW_DB, TODAY)
    result = await coverage(store)
    assert of_org(result, "O01")["cells_visited"] == 0
    assert of_org(result, "O03")["cells"] == 2
    # M04 is not assigned to O03: the visit covers nothing there (as for any cell of it).
    assert of_org(result, "O03")["cells_visited"] == 0
    assert statuses(result)[("M04", "O01")] == "missed"
    copied = await store.db.fetchall(
        "SELECT o.code, ch.cell_code FROM checkins ch JOIN organizations o"
        " ON o.id = ch.organization_id"
    )
    assert [tuple(row) for row in copied] == [("O03", "C03")]


async def test_the_copies_migration_fills_in_the_check_ins_already_there(tmp_path: Path) -> None:
    """A database made before migration 0005 gets each check-in's organization and cell."""
    path = tmp_path / "old.sqlite3"
    async with await Store.open(path) as store:
        await store.roster.apply(roster(), NOW_DB, TODAY)
        await check_in(store, "M01", "C01", NEW_YEARS_EVE, "confirmed")
        await store.db.execute("UPDATE checkins SET organization_id = NULL, cell_code = NULL")
        await store.db.execute(
            "DELETE FROM schema_migrations WHERE name = '0005_checkin_cell_copies'"
        )
        # Back to the schema before 0005, rows and all.
        await store.db.execute("DROP TRIGGER checkins_follow_their_cell")
        await store.db.execute("DROP INDEX checkins_by_cell")
        await store.db.execute("DROP INDEX checkins_by_meeting_time")
        await store.db.execute("ALTER TABLE checkins DROP COLUMN organization_id")
        await store.db.execute("ALTER TABLE checkins DROP COLUMN cell_code")
        await store.db.execute(
            "CREATE INDEX checkins_by_meeting_time"
            " ON checkins (meeting_starts_at, status, member_id, cell_id)"
        )
    async with await Store.open(path) as store:
        rows = await store.db.fetchall(
            "SELECT o.code, ch.cell_code FROM checkins ch"
            " JOIN organizations o ON o.id = ch.organization_id"
        )
        assert [tuple(row) for row in rows] == [("O01", "C01")]
        assert statuses(await coverage(store))[("M01", "O01")] == "covered"


# --- the store feeds the pure rule exactly ----------------------------------------------------


async def test_the_store_gives_what_the_rule_gives_on_the_same_data_by_hand(store: Store) -> None:
    await check_in(store, "M01", "C01", NEW_YEARS_EVE, "confirmed")
    await check_in(store, "M01", "C02", NEW_YEARS_NIGHT, "confirmed")  # 2022Q1
    await check_in(store, "M01", "O02", NOVEMBER_O02)  # pending
    await check_in(store, "M02", "O02", NOVEMBER_O02, "denied")
    await check_in(store, "M02", "C03", DECEMBER_C03, "confirmed")  # assigned, not required
    await check_in(store, "M03", "C31", NOVEMBER_C31, "confirmed")  # not assigned in Q4
    await check_in(store, "M04", "C03", LAST_OF_SEPTEMBER, "confirmed")  # 2021Q3
    await check_in(store, "M04", "C02", NOVEMBER_C02)  # pending

    visits = [
        Visit("M01", "O01", "C01", NEW_YEARS_EVE, "confirmed"),
        Visit("M01", "O01", "C02", NEW_YEARS_NIGHT, "confirmed"),
        Visit("M01", "O02", "O02", NOVEMBER_O02, "pending"),
        Visit("M02", "O02", "O02", NOVEMBER_O02, "denied"),
        Visit("M02", "O01", "C03", DECEMBER_C03, "confirmed"),
        Visit("M03", "O03", "C31", NOVEMBER_C31, "confirmed"),
        Visit("M04", "O01", "C03", LAST_OF_SEPTEMBER, "confirmed"),
        Visit("M04", "O01", "C02", NOVEMBER_C02, "pending"),
    ]
    organizations = [
        OrganizationInfo("O01", "Đảng ủy phường Bồ Đề", 3, ("C01", "C03")),
        OrganizationInfo("O02", "Chi bộ Trường THCS Gia Thụy", 1),
        OrganizationInfo("O03", "Đảng ủy phường Ngọc Thụy", 1, ("C31",)),
    ]
    assignments = [AssignmentPeriod(a.member, a.organization, a.start, a.end) for a in ASSIGNMENTS]
    members = {m.code: m.full_name for m in MEMBERS}

    for quarter in (Q3, Q4, Q1):
        by_hand = coverage_for_quarter(
            quarter,
            TZ,
            members=members,
            organizations=organizations,
            assignments=assignments,
            visits=visits,
            minimum_overlap_days=30,
        )
        from_store = await coverage(store, quarter)
        assert from_store.to_json() == by_hand.to_json(), quarter
        assert from_store == by_hand, quarter

    q4 = (await coverage(store)).to_json()
    assert q4["totals"] == {"required": 4, "covered": 1, "pending": 2, "missed": 1}
    assert [(m["code"], m["organizations"]) for m in q4["members"]] == [
        ("M01", [{"code": "O01", "status": "covered"}, {"code": "O02", "status": "pending"}]),
        ("M02", [{"code": "O02", "status": "missed"}]),
        ("M03", []),
        ("M04", [{"code": "O01", "status": "pending"}]),
    ]
    assert of_org(await coverage(store), "O01") == {
        "code": "O01",
        "name": "Đảng ủy phường Bồ Đề",
        "cells": 3,
        "cells_visited": 2,
        "flagged_cells": ["C01", "C03"],
        "flagged_visited": ["C01", "C03"],
    }


def test_garbage_collection_is_paused_only_while_coverage_is_computed():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collection_paused():
        raise ValueError("a failed computation still restores it")
    assert gc.isenabled()
    gc.disable()  # someone else's choice is kept
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_one_members_coverage_reads_the_rosters_shape_with_collection_paused(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    collecting: list[bool] = []
    read = store.member_coverage.roster_shape

    async def watched(first: date, last: date) -> object:
        collecting.append(gc.isenabled())
        return await read(first, last)

    monkeypatch.setattr(store.member_coverage, "roster_shape", watched)
    await member_coverage(store, CONFIG, Q4, "M01")

    assert collecting == [False] and gc.isenabled()


async def test_the_roster_is_read_again_only_after_it_changed(store: Store) -> None:
    first = await store.coverage.roster_shape(Q4.start, Q4.end)
    assert await store.coverage.roster_shape(Q4.start, Q4.end) is first  # kept
    assert await store.coverage.roster_shape(Q3.start, Q3.end) is not first  # other dates

    # A note flags a cell: the organizations' flagged cells are read again.
    await check_in(store, "M01", "C02", NOVEMBER_C02)
    before = of_org(await coverage(store), "O01")["flagged_cells"]
    checkin = await store.db.fetchval("SELECT id FROM checkins")
    await store.flags.raise_by_note(checkin, datetime(2021, 11, 11, tzinfo=UTC))
    after = of_org(await coverage(store), "O01")["flagged_cells"]
    assert (before, after) == (["C01", "C03"], ["C01", "C02", "C03"])

    # Another connection (the CLI importing while the bot runs) retires M03.
    assert "M03" in {m.code for m in (await coverage(store)).members}
    other = await Store.open(store.db.path)
    try:
        await other.roster.apply(roster(members=MEMBERS[:2] + MEMBERS[3:]), NOW_DB, TODAY)
    finally:
        await other.close()
    assert "M03" not in {m.code for m in (await coverage(store)).members}
