"""A property of the roster's history: an import never rewrites the days already past.

A small district is imported on 2021-09-01 and its members visit cells through 2021Q3 and the
first days of 2021Q4. Then, in the open quarter 2021Q4, the office re-imports it several times,
each time with members, organizations, cells and assignments added, changed, put back or left
out, names changed and flags turned; between imports, members' notes raise flags and admins clear
them. After every import:

  * the previous quarter's figures are exactly as before (names aside: they are shown as they
    are now until the quarter is closed);
  * on every day of this quarter before the import, whoever was assigned where still is, and
    only what the import added or put back is assigned there besides;
  * the flags' history only grows: what held before the import is kept, flags the import
    cleared end at its time, flags it raised start at its time;
  * importing the same roster again changes nothing.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.config import Config
from bot.core.quarters import Quarter
from bot.core.roster import (
    Assignment,
    Cell,
    Meeting,
    Member,
    Organization,
    Roster,
    assigned_on,
)
from bot.services.coverage import quarter_coverage
from storage.store import Store
from storage.timefmt import to_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PAST, OPEN = Quarter(2021, 3), Quarter(2021, 4)
CONFIG = Config()
TERM = date(2020, 11, 1)
FIRST_IMPORT = date(2021, 9, 1)


def at(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def meetings_of(cell: str) -> list[Meeting]:
    """A meeting every month of both quarters, on the 3rd (before any re-import) and the 20th."""
    days = [date(2021, month, n) for month in range(7, 13) for n in (3, 20)]
    return [Meeting(cell, at(day, 19)) for day in days]


BASE = Roster(
    members=[
        Member("M01", "Nguyễn Văn An", "0912000001", "standing"),
        Member("M02", "Trần Thị Bình", "0912000002", "member"),
        Member("M03", "Lê Văn Cường", "0912000003", "member"),
        Member("M04", "Phạm Thị Dung", "0912000004", "member"),
    ],
    organizations=[
        Organization("O1", "Đảng bộ phường Bồ Đề", "committee"),
        Organization("O2", "Đảng bộ phường Ngọc Lâm", "committee"),
        Organization("O3", "Chi bộ Trường THCS Gia Thụy", "cell"),
    ],
    cells=[
        Cell("C11", "O1", "Chi bộ tổ 1", flagged=True),
        Cell("C12", "O1", "Chi bộ tổ 2"),
        Cell("C21", "O2", "Chi bộ tổ 21"),
        Cell("C22", "O2", "Chi bộ tổ 22", flagged=True),
        Cell("O3", "O3", "Chi bộ Trường THCS Gia Thụy", implied=True),
    ],
    assignments=[
        Assignment("M01", "O1", "in_charge", TERM),
        Assignment("M02", "O1", "follow", TERM),
        Assignment("M02", "O2", "in_charge", TERM),
        Assignment("M03", "O2", "follow", TERM),
        Assignment("M03", "O1", "follow", date(2021, 8, 20), date(2021, 10, 10)),
        Assignment("M04", "O3", "in_charge", TERM),
    ],
    meetings=[m for cell in ("C11", "C12", "C21", "C22", "O3") for m in meetings_of(cell)],
)
# (member, cell, meeting day, decision): visits of the past quarter and of this one's start.
VISITS = [
    ("M01", "C11", date(2021, 7, 3), "confirmed"),
    ("M02", "C12", date(2021, 8, 20), "confirmed"),
    ("M02", "C21", date(2021, 9, 3), None),
    ("M03", "C22", date(2021, 9, 20), "denied"),
    ("M03", "C11", date(2021, 9, 20), "confirmed"),
    ("M04", "O3", date(2021, 8, 3), "confirmed"),
    ("M01", "C12", date(2021, 10, 3), None),
    ("M04", "O3", date(2021, 10, 3), "confirmed"),
]

EDITS = (
    "leave_out_member",
    "add_member",
    "leave_out_organization",
    "add_organization",
    "leave_out_cell",
    "add_cell",
    "leave_out_assignment",
    "add_assignment",
    "end_assignment",
    "change_duty",
    "turn_flag",
    "rename",
    "put_back",
)
edits = st.tuples(st.sampled_from(EDITS), st.integers(0, 1000))
imports = st.tuples(
    st.integers(1, 25),  # days after the previous import
    st.lists(edits, max_size=4),
    st.sampled_from((None, "note", "admin_clears")),  # what happens in chat before the import
    st.integers(0, 1000),
)


@dataclass
class District:
    """The roster as the office's next file will say it, and what it has said before."""

    roster: Roster
    serial: int = 0

    def fresh(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{90 + self.serial}"


def edited(district: District, edit: tuple[str, int], day: date) -> set[tuple[str, str]]:
    """Apply EDIT to the district's roster for an import on DAY; return the (member,
    organization) pairs it adds or puts back (whose days may count anew)."""
    kind, n = edit
    r = district.roster
    if kind == "leave_out_member" and r.members:
        code = r.members[n % len(r.members)].code
        district.roster = replace(
            r,
            members=[m for m in r.members if m.code != code],
            assignments=[a for a in r.assignments if a.member != code],
        )
    elif kind == "add_member" and r.organizations:
        code = district.fresh("M")
        org = r.organizations[n % len(r.organizations)].code
        start = TERM if n % 2 else day  # back-dated, or from the import's day
        member = Member(code, f"Người mới {code}", f"09130000{district.serial:02d}", "member")
        district.roster = replace(
            r,
            members=[*r.members, member],
            assignments=[*r.assignments, Assignment(code, org, "follow", start)],
        )
        return {(code, org)}
    elif kind == "leave_out_organization" and r.organizations:
        code = r.organizations[n % len(r.organizations)].code
        cells = {c.code for c in r.cells if c.organization == code}
        district.roster = replace(
            r,
            organizations=[o for o in r.organizations if o.code != code],
            cells=[c for c in r.cells if c.organization != code],
            assignments=[a for a in r.assignments if a.organization != code],
            meetings=[m for m in r.meetings if m.cell not in cells],
        )
    elif kind == "add_organization" and r.members:
        code = district.fresh("O")
        member = r.members[n % len(r.members)].code
        district.roster = replace(
            r,
            organizations=[*r.organizations, Organization(code, f"Đảng bộ {code}", "committee")],
            cells=[*r.cells, Cell(f"C{code}", code, f"Chi bộ {code}", flagged=bool(n % 2))],
            assignments=[*r.assignments, Assignment(member, code, "follow", day)],
            meetings=[*r.meetings, Meeting(f"C{code}", at(day + timedelta(days=3), 19))],
        )
        return {(member, code)}
    elif kind == "leave_out_cell":
        listed = [c for c in r.cells if not c.implied]
        if listed:
            code = listed[n % len(listed)].code
            district.roster = replace(
                r,
                cells=[c for c in r.cells if c.code != code],
                meetings=[m for m in r.meetings if m.cell != code],
            )
    elif kind == "add_cell" and r.organizations:
        org = r.organizations[n % len(r.organizations)].code
        code = district.fresh("C")
        district.roster = replace(r, cells=[*r.cells, Cell(code, org, f"Chi bộ {code}")])
    elif kind == "leave_out_assignment" and r.assignments:
        gone = r.assignments[n % len(r.assignments)]
        district.roster = replace(r, assignments=[a for a in r.assignments if a != gone])
    elif kind == "add_assignment" and r.members and r.organizations:
        member = r.members[n % len(r.members)].code
        org = r.organizations[(n // 7) % len(r.organizations)].code
        new = Assignment(member, org, "follow", day + timedelta(days=n % 10))
        if new.key not in {a.key for a in r.assignments}:
            district.roster = replace(r, assignments=[*r.assignments, new])
            return {(member, org)}
    elif kind == "end_assignment":
        # The office ends (or moves the end of) an assignment that holds today, from today on.
        holding = [a for a in r.assignments if a.end is None or a.end >= day - timedelta(days=1)]
        if holding:
            target = holding[n % len(holding)]
            end = max(day, target.start) + timedelta(days=n % 30)
            district.roster = replace(
                r, assignments=[replace(a, end=end) if a == target else a for a in r.assignments]
            )
    elif kind == "change_duty" and r.assignments:
        target = r.assignments[n % len(r.assignments)]
        duty = "follow" if target.duty == "in_charge" else "in_charge"
        district.roster = replace(
            r, assignments=[replace(a, duty=duty) if a == target else a for a in r.assignments]
        )
    elif kind == "turn_flag":
        listed = [c for c in r.cells if not c.implied]
        if listed:
            target = listed[n % len(listed)]
            district.roster = replace(
                r,
                cells=[replace(c, flagged=not c.flagged) if c == target else c for c in r.cells],
            )
    elif kind == "rename":
        members = [replace(m, full_name=f"{m.full_name} ({n})") for m in r.members]
        organizations = [replace(o, name=f"{o.name} ({n})") for o in r.organizations]
        district.roster = replace(r, members=members, organizations=organizations)
    elif kind == "put_back":
        return put_back(district, n)
    return set()


def put_back(district: District, n: int) -> set[tuple[str, str]]:
    """Put back one assignment of the first roster that is no longer listed, with its member,
    organization and their cells and meetings as they were."""
    r = district.roster
    listed = {a.key for a in r.assignments}
    missing = [a for a in BASE.assignments if a.key not in listed]
    if not missing:
        return set()
    back = missing[n % len(missing)]
    members = {m.code for m in r.members}
    organizations = {o.code for o in r.organizations}
    cells = {c.code for c in r.cells}
    returning_cells = [c for c in BASE.cells if c.organization == back.organization]
    district.roster = replace(
        r,
        members=[
            *r.members,
            *(m for m in BASE.members if m.code == back.member and m.code not in members),
        ],
        organizations=[
            *r.organizations,
            *(
                o
                for o in BASE.organizations
                if o.code == back.organization and o.code not in organizations
            ),
        ],
        cells=[*r.cells, *(c for c in returning_cells if c.code not in cells)],
        assignments=[*r.assignments, back],
        meetings=[
            *r.meetings,
            *(m for m in BASE.meetings if m.cell in {c.code for c in returning_cells} - cells),
        ],
    )
    return {(back.member, back.organization)}


# -- what is compared ----------------------------------------------------------------------------


def without_names(document: dict) -> dict:
    return {
        **document,
        "members": [{k: v for k, v in m.items() if k != "name"} for m in document["members"]],
        "organizations": [
            {k: v for k, v in o.items() if k != "name"} for o in document["organizations"]
        ],
    }


async def past_figures(store: Store) -> dict:
    return without_names((await quarter_coverage(store, CONFIG, PAST)).to_json())


async def assigned_by_day(store: Store, last: date) -> dict[date, set[tuple[str, str]]]:
    """Who was assigned where on each day of the open quarter up to LAST."""
    shape = await store.coverage.roster_shape(OPEN.start, OPEN.end)
    days = [OPEN.start + timedelta(days=n) for n in range((last - OPEN.start).days + 1)]
    return {
        day: {
            (a.member, a.organization)
            for a in shape.assignments
            if assigned_on(day, a.start, a.end)
        }
        for day in days
    }


async def flag_history(store: Store) -> dict[int, tuple]:
    rows = await store.db.fetchall(
        "SELECT id, cell_id, raised_at, raised_by, cleared_at, cleared_by FROM flag_periods"
    )
    return {row[0]: tuple(row[1:]) for row in rows}


# -- the property ------------------------------------------------------------------------------


async def seeded(path: Path) -> Store:
    store = await Store.open(path)
    await store.roster.apply(BASE, to_db(at(FIRST_IMPORT)), FIRST_IMPORT)
    for member, cell, day, decision in VISITS:
        meeting = await store.meetings.id_of(cell, at(day, 19))
        checkin = await store.checkins.add(meeting, member, at(day, 19))
        if decision:
            await store.checkins.decide(checkin, decision, None, at(day, 21))
    return store


async def chat_between(store: Store, what: str | None, n: int, when: datetime) -> None:
    """What members and admins do in chat between two imports."""
    if what == "note":
        checkins = [
            row[0] for row in await store.db.fetchall("SELECT id FROM checkins ORDER BY id")
        ]
        await store.flags.raise_by_note(checkins[n % len(checkins)], when)
    elif what == "admin_clears":
        flags = await store.flags.flagged_now()
        if flags:
            admin = await store.people.by_phone("0912000001")  # M01, on the roster or not
            await store.flags.clear_by_admin(flags[n % len(flags)].id, admin.id, when)


async def check_imports(path: Path, steps: list) -> None:
    store = await seeded(path)
    try:
        district = District(BASE)
        day = date(2021, 10, 4)
        for gap, changes, chat, n in steps:
            await chat_between(store, chat, n, at(day + timedelta(days=gap // 2), 14))
            day = min(day + timedelta(days=gap), OPEN.end)
            added: set[tuple[str, str]] = set()
            for edit in changes:
                added |= edited(district, edit, day)
            yesterday = day - timedelta(days=1)
            past, by_day, flags = (
                await past_figures(store),
                await assigned_by_day(store, yesterday),
                await flag_history(store),
            )
            now = at(day)

            await store.roster.apply(district.roster, to_db(now), day)

            assert await past_figures(store) == past
            for past_day, pairs in (await assigned_by_day(store, yesterday)).items():
                assert pairs >= by_day[past_day], past_day
                assert pairs - by_day[past_day] <= added, past_day
            after = await flag_history(store)
            for flag_id, (_, raised_at, raised_by, cleared_at, cleared_by) in after.items():
                if flag_id not in flags:
                    assert (raised_at, raised_by, cleared_at) == (to_db(now), "import", None)
                elif flags[flag_id] != after[flag_id]:
                    assert flags[flag_id][3] is None  # only an open flag is closed
                    assert (cleared_at, cleared_by) == (to_db(now), "import")
            assert flags.keys() <= after.keys()
            same = await dump(store)
            assert (await store.roster.apply(district.roster, to_db(now), day)).total == 0
            assert await dump(store) == same
    finally:
        await store.close()


# Each example imports a few rosters into a fresh database: slow, and large for hypothesis.
IMPORTS_PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def in_a_fresh_district(check: Callable[[Path, list], Awaitable[None]], steps: list) -> None:
    """Run CHECK of STEPS on a new database file, removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(check(Path(folder) / "district.sqlite3", steps))


@IMPORTS_PROPERTY
@given(st.lists(imports, min_size=1, max_size=3))
def test_imports_in_an_open_quarter_never_rewrite_the_days_already_past(steps) -> None:
    in_a_fresh_district(check_imports, steps)
