"""A city-scale roster (Hà Nội: 30 districts), generated deterministically for the benchmarks.

domain.md, "Scale to plan for": about 3,000 organizations, 20,000-30,000 cells and 1,500
committee members, every cell meeting monthly. The roster is written as the CSV folder of
contract.md ("Roster files") so the real `checkin-bot import` reads it; check-ins are not part of
the roster files, so `add_checkins` writes them straight into an imported database afterwards.

Everything comes from one seeded random generator: two runs write byte-identical files and the
same check-ins, so figures from different runs (and machines) measure the same work.
"""

from __future__ import annotations

import csv
import itertools
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.quarters import Quarter
from storage.db import Database
from storage.migrations import CARRY_DECISIONS
from storage.timefmt import from_db, to_db

SEED = 20211213  # the date of the source article
QUARTER = Quarter(2021, 4)
TERM_START = date(2020, 11, 1)


@dataclass(frozen=True)
class CitySize:
    members: int = 1_500
    organizations: int = 3_000
    cells: int = 30_000  # in all, including the own cells of kind=cell organizations
    meetings_per_cell: int = 3  # one a month in QUARTER
    checkins: int = 20_000
    committee_share: float = 0.70  # organizations with sub-cells; the rest are base cells
    standing_share: float = 0.10
    flagged_share: float = 0.05


CITY = CitySize()

_FAMILY = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 2 + [
    "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
]  # fmt: skip
_MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Thanh", "Hữu", "Quang", "Ngọc", "Xuân", "Thị Minh"]
_GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương",
    "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Nguyệt", "Phong", "Phương", "Quân",
    "Sơn", "Tâm", "Thành", "Thảo", "Trang", "Trung", "Tuấn", "Vân", "Yến",
]  # fmt: skip
_WARDS = [
    "Bồ Đề", "Ngọc Lâm", "Gia Thụy", "Long Biên", "Thạch Bàn", "Phúc Đồng", "Cự Khối", "Việt Hưng",
    "Hàng Bạc", "Cửa Nam", "Kim Liên", "Láng Hạ", "Yên Hòa", "Dịch Vọng", "Thanh Xuân Trung",
    "Mai Động", "Định Công", "Phú Thượng", "Tây Mỗ", "Văn Quán",
]  # fmt: skip
_UNITS = [
    "Trường Tiểu học",
    "Trường THCS",
    "Trạm Y tế",
    "Công ty Cổ phần",
    "Bệnh viện",
    "Ban Quản lý",
]
CELL_COLUMNS = [
    "code", "organization", "name", "secretary_name", "secretary_phone", "venue", "flagged",
]  # fmt: skip
_MEETING_TIMES = ["07:30", "08:00", "14:00", "16:30", "19:30"]


@dataclass
class RosterFolder:
    """What `write_roster` wrote: the folder and its row counts (cells: including implied)."""

    folder: Path
    counts: dict[str, int]


def write_roster(folder: Path, size: CitySize = CITY, seed: int = SEED) -> RosterFolder:
    """Write members/organizations/cells/assignments/meetings.csv for SIZE into FOLDER."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    member_phones = _phones(rng, "09", size.members)
    members = _members(rng, size, member_phones)
    organizations = _organizations(rng, size)
    cells, implied = _cells(rng, size, organizations, member_phones)
    assignments = _assignments(rng, members, organizations)
    meetings = _meetings(rng, size, [row[0] for row in cells] + implied)
    tables = {
        "members": (["code", "full_name", "phone", "position", "language"], members),
        "organizations": (["code", "name", "kind"], organizations),
        "cells": (CELL_COLUMNS, cells),
        "assignments": (["member", "organization", "duty", "start", "end"], assignments),
        "meetings": (["cell", "starts_at", "venue", "kind"], meetings),
    }
    for name, (header, rows) in tables.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    counts = {name: len(rows) for name, (_, rows) in tables.items()}
    counts["cells"] += len(implied)
    return RosterFolder(folder, counts)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _phones(rng: random.Random, prefix: str, count: int) -> list[str]:
    """COUNT distinct national numbers starting with PREFIX (two digits, then eight)."""
    return [f"{prefix}{n:08d}" for n in rng.sample(range(10**8), count)]


def _as_written(rng: random.Random, phone: str) -> str:
    """PHONE the way an office clerk may type it; import normalises every form to the same."""
    roll = rng.random()
    if roll < 0.05:
        return f"+84{phone[1:]}"
    if roll < 0.10:
        return f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    return phone


def _members(rng: random.Random, size: CitySize, phones: list[str]) -> list[list[str]]:
    standing = set(rng.sample(range(size.members), round(size.members * size.standing_share)))
    languages = ["", "", "", "vi", "en"]
    return [
        [
            f"M{i + 1:04d}",
            _name(rng),
            _as_written(rng, phones[i]),
            "standing" if i in standing else "member",
            rng.choices(languages, weights=[60, 15, 10, 10, 5])[0],
        ]
        for i in range(size.members)
    ]


def _organizations(rng: random.Random, size: CitySize) -> list[list[str]]:
    committees = set(
        rng.sample(range(size.organizations), round(size.organizations * size.committee_share))
    )
    rows = []
    for i in range(size.organizations):
        ward = rng.choice(_WARDS)
        if i in committees:
            rows.append([f"O{i + 1:04d}", f"Đảng bộ phường {ward} {i + 1}", "committee"])
        else:
            unit = rng.choice(_UNITS)
            rows.append([f"O{i + 1:04d}", f"Chi bộ {unit} {ward} {i + 1}", "cell"])
    return rows


def _cells(
    rng: random.Random,
    size: CitySize,
    organizations: list[list[str]],
    member_phones: list[str],
) -> tuple[list[list[str]], list[str]]:
    """Rows of cells.csv, and the codes of the implied cells (base cells with no row).

    Half of the base cells (kind=cell) get their row, half are left implied, as the contract
    allows; committees share the remaining cells, at least one each, so the total is exact.
    """
    committees = [row[0] for row in organizations if row[2] == "committee"]
    base = [row[0] for row in organizations if row[2] == "cell"]
    spread = Counter(rng.choices(committees, k=size.cells - len(base) - len(committees)))
    secretaries = _phones(rng, "03", size.cells)
    rows: list[list[str]] = []
    implied: list[str] = []

    def row(code: str, org: str, name: str) -> list[str]:
        # About one secretary in a hundred is also a committee member: one person, two roles.
        phone = rng.choice(member_phones) if rng.random() < 0.01 else secretaries[len(rows)]
        venue = "" if rng.random() < 0.3 else f"Nhà văn hóa tổ dân phố số {rng.randint(1, 40)}"
        venue += f", phường {rng.choice(_WARDS)}" if venue else ""
        flagged = "yes" if rng.random() < size.flagged_share else "no"
        return [code, org, name, _name(rng), _as_written(rng, phone), venue, flagged]

    for org in committees:
        for n in range(1 + spread[org]):
            rows.append(row(f"C{org[1:]}{n + 1:02d}", org, f"Chi bộ Tổ dân phố số {n + 1}"))
    for i, org in enumerate(base):
        if i % 2:
            implied.append(org)
        else:
            rows.append(row(org, org, f"Chi bộ cơ sở {org}"))
    return rows, implied


def _assignments(
    rng: random.Random, members: list[list[str]], organizations: list[list[str]]
) -> list[list[str]]:
    """One assignment per organization, two per member; a few change inside the quarter.

    The changes cover each side of the 30-day rule: starting 2021-11-10 (52 days: required),
    2021-12-15 (17: not), ending 2021-10-20 (20: not), 2021-11-25 (56: required), and ending
    before the quarter (not even read).
    """
    orgs = [row[0] for row in organizations]
    rng.shuffle(orgs)
    variants = [
        (TERM_START, None),
        (date(2021, 11, 10), None),
        (date(2021, 12, 15), None),
        (TERM_START, date(2021, 10, 20)),
        (TERM_START, date(2021, 11, 25)),
        (TERM_START, date(2021, 6, 30)),
        (TERM_START, date(2025, 6, 30)),
    ]
    weights = [90, 2, 2, 2, 2, 1, 1]
    rows = []
    for i, org in enumerate(orgs):
        member = members[i % len(members)]
        start, end = rng.choices(variants, weights=weights)[0]
        duty = "in_charge" if member[3] == "standing" else "follow"
        rows.append([member[0], org, duty, start.isoformat(), end.isoformat() if end else ""])
    return rows


def _meetings(rng: random.Random, size: CitySize, cells: list[str]) -> list[list[str]]:
    """The monthly meeting of every cell in each month of QUARTER, at a usual local time."""
    months = [QUARTER.start.month + k for k in range(size.meetings_per_cell)]
    rows = []
    for cell in cells:
        for month in months:
            day = rng.randint(1, 28)
            when = f"{QUARTER.year}-{month:02d}-{day:02d} {rng.choice(_MEETING_TIMES)}"
            kind = "thematic" if rng.random() < 0.05 else ""
            rows.append([cell, when, "", kind])
    return rows


# -- check-ins, written after the import ---------------------------------------------------


@dataclass(frozen=True)
class _Assigned:
    member_id: int
    organization_id: int
    first: date
    last: date | None


async def add_checkins(db: Database, tz: ZoneInfo, size: CitySize = CITY, seed: int = SEED) -> int:
    """Write SIZE.checkins check-ins of assigned members at their organizations' meetings.

    About 80% confirmed, 15% pending, 5% denied, each at a meeting held while the member was
    assigned. One pair in five gets none (missed); the others draw check-ins in proportion to
    an exponential weight, so some pairs have one pending or denied check-in and many have a
    dozen. One executemany in one transaction: this is setup, not what is measured.
    """
    db = db.threaded  # bulk work: off the event loop, as the bot's own bulk work runs
    rng = random.Random(seed + 1)
    assigned = [
        _Assigned(r[0], r[1], date.fromisoformat(r[2]), r[3] and date.fromisoformat(r[3]))
        for r in await db.fetchall(
            "SELECT member_id, organization_id, start_date, end_date FROM assignments"
            " ORDER BY member_id, organization_id, start_date"
        )
    ]
    meetings: dict[int, list[tuple[int, datetime, date, int | None]]] = {}
    for meeting_id, org_id, starts_at, secretary in await db.fetchall(
        "SELECT mt.id, c.organization_id, mt.starts_at, c.secretary_id"
        " FROM meetings mt JOIN cells c ON c.id = mt.cell_id ORDER BY mt.id"
    ):
        at = from_db(starts_at)
        meetings.setdefault(org_id, []).append(
            (meeting_id, at, at.astimezone(tz).date(), secretary)
        )
    weights = [0.0 if rng.random() < 0.2 else rng.expovariate(1.0) for _ in assigned]
    cumulative = list(itertools.accumulate(weights))  # choices(weights=) redoes this each call
    rows: dict[tuple[int, int], tuple] = {}
    while len(rows) < size.checkins:
        pair = rng.choices(assigned, cum_weights=cumulative)[0]
        held = [
            m
            for m in meetings.get(pair.organization_id, [])
            if pair.first <= m[2] and (pair.last is None or m[2] <= pair.last)
        ]
        if not held:
            continue
        meeting_id, at, _, secretary = rng.choice(held)
        status = rng.choices(["confirmed", "pending", "denied"], weights=[80, 15, 5])[0]
        checked_in = at + timedelta(minutes=rng.randint(-10, 25))
        decided = None if status == "pending" else to_db(at + timedelta(hours=3))
        rows[(meeting_id, pair.member_id)] = (
            meeting_id,
            pair.member_id,
            to_db(checked_in),
            status,
            decided,
            None if status == "pending" else secretary,
        )
    async with db.transaction():
        await db.executemany(
            "INSERT INTO checkins (meeting_id, member_id, checked_in_at, status, decided_at,"
            " decided_by) VALUES (?, ?, ?, ?, ?, ?)",
            list(rows.values()),
        )
        # And their decisions on record, by the cells' secretaries, as the log keeps them.
        await db.execute(CARRY_DECISIONS)
    return len(rows)
