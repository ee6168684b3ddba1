"""The coverage rule of Regulation 239-QĐ/QU as a pure function (docs/domain.md, "Coverage").

Each case is a small roster of a district committee, the fourth quarter of 2021 and the statuses
the office should read: who was required to attend which organization, who attended, whose
check-in still waits for the secretary, and which cells (flagged ones especially) were visited.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.coverage import (
    AssignmentPeriod,
    OrganizationInfo,
    QuarterCoverage,
    Visit,
    coverage_for_quarter,
)
from bot.core.quarters import Quarter

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Q4 = Quarter(2021, 4)
RANK = {"missed": 0, "pending": 1, "covered": 2}

NAMES = {
    "M01": "Nguyễn Văn An",
    "M02": "Trần Thị Bình",
    "M03": "Lê Văn Cường",
    "M04": "Phạm Thị Dung",
}


# --- a small vocabulary ------------------------------------------------------------------------


def local(year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> datetime:
    """An instant given on the committee's wall clock (Hà Nội)."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def org(code: str, cells: int = 1, flagged: tuple[str, ...] = ()) -> OrganizationInfo:
    return OrganizationInfo(code, f"Đảng bộ {code}", cells, flagged)


def assign(member: str, organization: str, start: str, end: str | None = None) -> AssignmentPeriod:
    return AssignmentPeriod(
        member,
        organization,
        date.fromisoformat(start),
        None if end is None else date.fromisoformat(end),
    )


def visit(
    member: str,
    organization: str,
    cell: str,
    at: datetime | None = None,
    status: str = "confirmed",
) -> Visit:
    return Visit(member, organization, cell, at or local(2021, 11, 15), status)  # type: ignore[arg-type]


def cover(
    *,
    organizations: list[OrganizationInfo],
    assignments: list[AssignmentPeriod],
    visits: list[Visit] = (),  # type: ignore[assignment]
    members: dict[str, str] | None = None,
    minimum: int = 30,
    quarter: Quarter = Q4,
) -> QuarterCoverage:
    return coverage_for_quarter(
        quarter,
        TZ,
        members=NAMES if members is None else members,
        organizations=organizations,
        assignments=assignments,
        visits=visits,
        minimum_overlap_days=minimum,
    )


def statuses(result: QuarterCoverage) -> dict[tuple[str, str], str]:
    """(member, organization) -> status, for every required pair."""
    return {(m.code, p.organization): p.status for m in result.members for p in m.organizations}


def of_member(result: QuarterCoverage, code: str) -> list[tuple[str, str]]:
    (member,) = [m for m in result.members if m.code == code]
    return [(p.organization, p.status) for p in member.organizations]


def of_org(result: QuarterCoverage, code: str) -> dict:
    (entry,) = [o for o in result.to_json()["organizations"] if o["code"] == code]
    return entry


# --- required: an assignment overlapping the quarter long enough ------------------------------


@pytest.mark.parametrize(
    ("start", "end", "required"),
    [
        ("2021-12-02", None, True),  # 2..31 December: 30 days, both ends inclusive
        ("2021-12-03", None, False),  # 29 days
        ("2020-10-01", "2021-10-30", True),  # 1..30 October: 30 days
        ("2020-10-01", "2021-10-29", False),  # 29 days
        ("2021-11-01", "2021-11-30", True),  # all of November: 30 days, inside the quarter
        ("2021-11-01", "2021-11-29", False),
        ("2020-10-01", None, True),  # open end, started last term-year
        ("2021-10-01", "2021-12-31", True),  # exactly the quarter
        ("2021-01-01", "2021-09-30", False),  # ended the day before the quarter
        ("2022-01-01", None, False),  # starts the day after
        ("2021-12-31", None, False),  # one day in the quarter
    ],
)
def test_a_pair_is_required_when_one_assignment_overlaps_thirty_days(
    start: str, end: str | None, required: bool
) -> None:
    result = cover(organizations=[org("O01")], assignments=[assign("M01", "O01", start, end)])
    assert of_member(result, "M01") == ([("O01", "missed")] if required else [])
    assert result.totals["required"] == int(required)


@pytest.mark.parametrize(
    ("minimum", "start", "end", "required"),
    [
        (1, "2021-12-31", None, True),  # the last day alone is enough
        (1, "2021-01-01", "2021-10-01", True),  # the first day alone is enough
        (1, "2021-01-01", "2021-09-30", False),  # no day at all is never enough
        (1, "2022-01-01", None, False),
        (60, "2021-11-02", None, True),  # 29 days of November + 31 of December = 60
        (60, "2021-11-03", None, False),  # 59
        (60, "2021-01-01", "2021-11-29", True),  # 31 + 29 = 60
        (60, "2021-01-01", "2021-11-28", False),  # 59
        (92, "2021-10-01", None, True),  # the whole quarter is 92 days
        (92, "2021-10-02", None, False),
    ],
)
def test_the_minimum_overlap_is_configurable(
    minimum: int, start: str, end: str | None, required: bool
) -> None:
    result = cover(
        organizations=[org("O01")],
        assignments=[assign("M01", "O01", start, end)],
        minimum=minimum,
    )
    assert of_member(result, "M01") == ([("O01", "missed")] if required else [])


def test_two_short_assignments_do_not_add_up_to_one_long_enough() -> None:
    # "required when AN assignment ... overlaps Q by at least" the minimum: 20 + 20 days is not 30.
    result = cover(
        organizations=[org("O01")],
        assignments=[
            assign("M01", "O01", "2021-10-01", "2021-10-20"),
            assign("M01", "O01", "2021-12-01", "2021-12-20"),
        ],
    )
    assert of_member(result, "M01") == []
    assert result.totals == {"required": 0, "covered": 0, "pending": 0, "missed": 0}


def test_a_pair_with_two_long_assignments_is_required_once() -> None:
    result = cover(
        organizations=[org("O01")],
        assignments=[
            assign("M01", "O01", "2020-10-01", "2021-11-15"),
            assign("M01", "O01", "2021-11-16", None),
        ],
        visits=[visit("M01", "O01", "C01")],
    )
    assert of_member(result, "M01") == [("O01", "covered")]
    assert result.totals == {"required": 1, "covered": 1, "pending": 0, "missed": 0}


def test_an_assignment_mid_quarter_is_judged_on_that_quarter_only() -> None:
    # Assigned from 2 December: required in 2021Q4 (30 days) and of course in 2022Q1.
    assignments = [assign("M01", "O01", "2021-12-02")]
    assert of_member(cover(organizations=[org("O01")], assignments=assignments), "M01") == [
        ("O01", "missed")
    ]
    earlier = cover(organizations=[org("O01")], assignments=assignments, quarter=Quarter(2021, 3))
    assert of_member(earlier, "M01") == []
    later = cover(organizations=[org("O01")], assignments=assignments, quarter=Quarter(2022, 1))
    assert of_member(later, "M01") == [("O01", "missed")]


# --- a base cell (kind=cell) is its own only cell ----------------------------------------------


def test_an_organization_of_kind_cell_is_covered_by_a_visit_to_itself() -> None:
    # A chi bộ cơ sở: one cell, whose code is the organization's.
    result = cover(
        organizations=[org("O02", cells=1)],
        assignments=[assign("M01", "O02", "2021-01-01")],
        visits=[visit("M01", "O02", "O02", local(2021, 11, 20, 19, 30))],
    )
    assert of_member(result, "M01") == [("O02", "covered")]
    assert of_org(result, "O02")["cells"] == 1
    assert of_org(result, "O02")["cells_visited"] == 1


# --- inside the quarter, on the local calendar -------------------------------------------------


@pytest.mark.parametrize(
    ("meeting_at", "inside"),
    [
        (local(2021, 12, 31, 23, 30), True),  # New Year's Eve, late, in Hà Nội
        (local(2022, 1, 1, 0, 30), False),  # already 2022 in Hà Nội (still 2021 in UTC)
        (local(2021, 10, 1, 0, 0), True),  # the quarter's first instant
        (local(2021, 9, 30, 23, 59), False),  # a minute before it
        # The same instants written in UTC: only the instant matters, not how it is written.
        (datetime(2021, 12, 31, 16, 30, tzinfo=UTC), True),  # = 23:30 local
        (datetime(2021, 12, 31, 17, 30, tzinfo=UTC), False),  # = 00:30 local on 1 January
        (datetime(2021, 12, 31, 16, 59, 59, tzinfo=UTC), True),  # the last second
        (datetime(2021, 12, 31, 17, 0, tzinfo=UTC), False),  # = local midnight, 1 January
        (datetime(2021, 9, 30, 17, 0, tzinfo=UTC), True),  # = local midnight, 1 October
        (datetime(2021, 9, 30, 16, 59, tzinfo=UTC), False),  # = 23:59 local, 30 September
        # Bounds taken in UTC instead of local time would get these two wrong:
        (datetime(2021, 9, 30, 18, 0, tzinfo=UTC), True),  # 01:00 on 1 October in Hà Nội
        (datetime(2021, 12, 31, 20, 0, tzinfo=UTC), False),  # 03:00 on 1 January in Hà Nội
    ],
)
def test_a_meeting_counts_when_it_is_held_inside_the_quarter_in_local_time(
    meeting_at: datetime, inside: bool
) -> None:
    result = cover(
        organizations=[org("O01", cells=2, flagged=("C01",))],
        assignments=[assign("M01", "O01", "2020-10-01")],
        visits=[visit("M01", "O01", "C01", meeting_at)],
    )
    assert of_member(result, "M01") == [("O01", "covered" if inside else "missed")]
    assert of_org(result, "O01")["cells_visited"] == int(inside)
    assert of_org(result, "O01")["flagged_visited"] == (["C01"] if inside else [])


def test_the_same_meeting_written_in_either_zone_gives_the_same_coverage() -> None:
    def with_meeting(at: datetime) -> dict:
        return cover(
            organizations=[org("O01")],
            assignments=[assign("M01", "O01", "2020-10-01")],
            visits=[visit("M01", "O01", "C01", at)],
        ).to_json()

    for wall in (local(2021, 12, 31, 23, 30), local(2022, 1, 1, 0, 30), local(2021, 10, 1, 0, 0)):
        assert with_meeting(wall) == with_meeting(wall.astimezone(UTC))


def test_a_pending_check_in_outside_the_quarter_does_not_make_the_pair_pending() -> None:
    result = cover(
        organizations=[org("O01")],
        assignments=[assign("M01", "O01", "2020-10-01")],
        visits=[visit("M01", "O01", "C01", local(2022, 1, 1, 0, 30), "pending")],
    )
    assert of_member(result, "M01") == [("O01", "missed")]


# --- covered, pending, missed ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("checkins", "expected"),
    [
        ([], "missed"),
        (["confirmed"], "covered"),
        (["pending"], "pending"),
        (["denied"], "missed"),
        (["pending", "confirmed"], "covered"),
        (["confirmed", "pending"], "covered"),
        (["denied", "pending"], "pending"),
        (["pending", "denied"], "pending"),
        (["denied", "confirmed"], "covered"),
        (["denied", "denied"], "missed"),
        (["denied", "pending", "confirmed"], "covered"),
    ],
)
def test_the_status_follows_the_secretaries_decisions(checkins: list[str], expected: str) -> None:
    # One check-in per monthly meeting, each at a different cell of the organization.
    visits = [
        visit("M01", "O01", f"C0{i + 1}", local(2021, 10 + i, 10, 8, 0), status)
        for i, status in enumerate(checkins)
    ]
    result = cover(
        organizations=[org("O01", cells=3)],
        assignments=[assign("M01", "O01", "2020-10-01")],
        visits=visits,
    )
    assert of_member(result, "M01") == [("O01", expected)]
    assert result.totals == {
        "required": 1,
        "covered": int(expected == "covered"),
        "pending": int(expected == "pending"),
        "missed": int(expected == "missed"),
    }


def test_only_confirmed_check_ins_make_a_cell_visited() -> None:
    result = cover(
        organizations=[org("O01", cells=3, flagged=("C01", "C02", "C03"))],
        assignments=[assign("M01", "O01", "2020-10-01")],
        visits=[
            visit("M01", "O01", "C01", status="pending"),
            visit("M01", "O01", "C02", status="denied"),
            visit("M01", "O01", "C03", status="confirmed"),
        ],
    )
    assert of_org(result, "O01")["cells_visited"] == 1
    assert of_org(result, "O01")["flagged_visited"] == ["C03"]


# --- several organizations per member ----------------------------------------------------------


def test_a_member_gets_a_status_for_each_organization_sorted_by_code() -> None:
    result = cover(
        organizations=[org("O03"), org("O01"), org("O02")],
        assignments=[
            assign("M01", "O03", "2020-10-01"),
            assign("M01", "O01", "2020-10-01"),
            assign("M01", "O02", "2020-10-01"),
        ],
        visits=[
            visit("M01", "O02", "C21", status="pending"),
            visit("M01", "O03", "C31", status="confirmed"),
        ],
    )
    assert of_member(result, "M01") == [
        ("O01", "missed"),
        ("O02", "pending"),
        ("O03", "covered"),
    ]
    assert result.totals == {"required": 3, "covered": 1, "pending": 1, "missed": 1}
    assert [o.code for o in result.organizations] == ["O01", "O02", "O03"]


def test_a_visit_to_one_organization_never_covers_another() -> None:
    result = cover(
        organizations=[org("O01", cells=2), org("O02", cells=2)],
        assignments=[assign("M01", "O01", "2020-10-01"), assign("M01", "O02", "2020-10-01")],
        visits=[visit("M01", "O01", "C11"), visit("M01", "O01", "C12")],
    )
    assert of_member(result, "M01") == [("O01", "covered"), ("O02", "missed")]
    assert of_org(result, "O01")["cells_visited"] == 2
    assert of_org(result, "O02")["cells_visited"] == 0


def test_each_member_answers_for_their_own_pair() -> None:
    # M02's visit to O01 does nothing for M01, who is assigned to O01 too.
    result = cover(
        organizations=[org("O01", cells=2)],
        assignments=[assign("M01", "O01", "2020-10-01"), assign("M02", "O01", "2020-10-01")],
        visits=[visit("M02", "O01", "C01")],
    )
    assert statuses(result) == {("M01", "O01"): "missed", ("M02", "O01"): "covered"}


# --- visits that are not required --------------------------------------------------------------


def base_roster() -> dict:
    return {
        "organizations": [org("O01", cells=3, flagged=("C02",))],
        "assignments": [assign("M01", "O01", "2020-10-01")],
        "visits": [visit("M01", "O01", "C01", status="pending")],
    }


def test_a_visit_by_an_unassigned_member_changes_nothing() -> None:
    before = cover(**base_roster())
    roster = base_roster()
    roster["visits"].append(visit("M02", "O01", "C02"))  # M02 has no assignment to O01
    after = cover(**roster)
    assert after.totals == before.totals == {"required": 1, "covered": 0, "pending": 1, "missed": 0}
    assert of_member(after, "M02") == []
    # Not assigned: the cell does not count as visited (domain: "any ASSIGNED member's").
    assert of_org(after, "O01")["cells_visited"] == 0
    assert of_org(after, "O01")["flagged_visited"] == []
    assert after.to_json() == before.to_json()


def test_a_visit_by_a_member_whose_assignment_ended_before_the_quarter_visits_no_cell() -> None:
    roster = base_roster()
    roster["assignments"].append(assign("M02", "O01", "2020-10-01", "2021-09-30"))
    roster["visits"].append(visit("M02", "O01", "C02"))
    after = cover(**roster)
    assert of_member(after, "M02") == []
    assert of_org(after, "O01")["cells_visited"] == 0


def test_a_visit_by_an_assigned_member_under_the_minimum_visits_the_cell() -> None:
    roster = base_roster()
    roster["assignments"].append(assign("M02", "O01", "2021-12-20"))  # 12 days: not required
    roster["visits"].append(visit("M02", "O01", "C02", local(2021, 12, 25, 8, 0)))
    after = cover(**roster)
    assert after.totals == {"required": 1, "covered": 0, "pending": 1, "missed": 0}
    assert of_member(after, "M02") == []
    assert of_org(after, "O01")["cells_visited"] == 1
    assert of_org(after, "O01")["flagged_visited"] == ["C02"]


def test_a_one_day_assignment_is_enough_for_the_visit_to_count_for_the_cell() -> None:
    result = cover(
        organizations=[org("O01", cells=2)],
        assignments=[assign("M02", "O01", "2021-12-31", "2021-12-31")],
        visits=[visit("M02", "O01", "C01", local(2021, 12, 31, 8, 0))],
    )
    assert result.totals["required"] == 0
    assert of_org(result, "O01")["cells_visited"] == 1


# --- cells visited, flagged cells --------------------------------------------------------------


def test_cells_visited_counts_distinct_cells() -> None:
    result = cover(
        organizations=[org("O01", cells=4)],
        assignments=[assign("M01", "O01", "2020-10-01"), assign("M02", "O01", "2021-06-01")],
        visits=[
            visit("M01", "O01", "C01", local(2021, 10, 5)),
            visit("M01", "O01", "C01", local(2021, 11, 5)),  # same cell, next month
            visit("M02", "O01", "C01", local(2021, 11, 5)),  # same meeting, another member
            visit("M02", "O01", "C03", local(2021, 12, 5)),
        ],
    )
    assert of_org(result, "O01")["cells"] == 4
    assert of_org(result, "O01")["cells_visited"] == 2


def test_flagged_cells_and_the_visited_ones_are_listed_sorted() -> None:
    result = cover(
        organizations=[org("O01", cells=5, flagged=("C05", "C01", "C03"))],
        assignments=[assign("M01", "O01", "2020-10-01"), assign("M02", "O01", "2020-10-01")],
        visits=[
            visit("M02", "O01", "C05", local(2021, 10, 5)),
            visit("M01", "O01", "C04", local(2021, 10, 6)),  # not flagged
            visit("M01", "O01", "C01", local(2021, 11, 6)),
        ],
    )
    entry = of_org(result, "O01")
    assert entry["flagged_cells"] == ["C01", "C03", "C05"]
    assert entry["flagged_visited"] == ["C01", "C05"]
    assert entry["cells_visited"] == 3


def test_an_organization_without_cells_reports_none_of_none() -> None:
    result = cover(
        organizations=[org("O09", cells=0), org("O01")],
        assignments=[assign("M01", "O09", "2020-10-01")],
    )
    entry = of_org(result, "O09")
    assert entry == {
        "code": "O09",
        "name": "Đảng bộ O09",
        "cells": 0,
        "cells_visited": 0,
        "flagged_cells": [],
        "flagged_visited": [],
    }
    assert of_member(result, "M01") == [("O09", "missed")]


# --- a member who is also a cell secretary -----------------------------------------------------


def test_a_member_who_is_also_a_secretary_is_counted_like_anyone_on_their_member_code() -> None:
    # Phạm Thị Dung (M04) is on the committee and chairs cell C02 of O01, which she follows.
    # The rule knows only member codes: her check-in at her own cell's meeting, confirmed by
    # the office, covers O01 like anyone else's would.
    result = cover(
        organizations=[org("O01", cells=2, flagged=("C02",))],
        assignments=[assign("M04", "O01", "2021-03-01")],
        visits=[visit("M04", "O01", "C02", local(2021, 12, 5, 8, 0))],
    )
    assert of_member(result, "M04") == [("O01", "covered")]
    assert of_org(result, "O01")["flagged_visited"] == ["C02"]


# --- members, names and the JSON ---------------------------------------------------------------


def test_members_with_nothing_required_are_still_listed_in_code_order() -> None:
    result = cover(
        members={"M03": "Lê Văn Cường", "M01": "Nguyễn Văn An", "M02": "Trần Thị Bình"},
        organizations=[org("O01")],
        assignments=[assign("M02", "O01", "2020-10-01")],
    )
    assert [(m.code, m.name) for m in result.members] == [
        ("M01", "Nguyễn Văn An"),
        ("M02", "Trần Thị Bình"),
        ("M03", "Lê Văn Cường"),
    ]
    assert of_member(result, "M01") == []
    assert of_member(result, "M02") == [("O01", "missed")]
    assert of_member(result, "M03") == []


def test_an_empty_committee_has_zero_totals() -> None:
    result = cover(members={}, organizations=[], assignments=[])
    assert result.to_json() == {
        "quarter": "2021Q4",
        "start": "2021-10-01",
        "end": "2021-12-31",
        "closed_at": None,
        "totals": {"required": 0, "covered": 0, "pending": 0, "missed": 0},
        "members": [],
        "organizations": [],
        "amendments": [],
    }


def test_to_json_has_the_shape_of_the_contract() -> None:
    result = cover(
        organizations=[org("O01", cells=3, flagged=("C03",)), org("O02")],
        assignments=[assign("M01", "O01", "2020-10-01"), assign("M01", "O02", "2020-10-01")],
        visits=[visit("M01", "O01", "C03"), visit("M01", "O02", "O02", status="pending")],
    )
    data = result.to_json()
    assert set(data) == {
        *("quarter", "start", "end", "totals", "members", "organizations"),
        *("closed_at", "amendments"),
    }
    assert (data["quarter"], data["start"], data["end"]) == ("2021Q4", "2021-10-01", "2021-12-31")
    assert (data["closed_at"], data["amendments"]) == (None, [])  # an open quarter
    assert data["totals"] == {"required": 2, "covered": 1, "pending": 1, "missed": 0}
    assert all(type(v) is int for v in data["totals"].values())

    assert isinstance(data["members"], list)
    for member in data["members"]:
        assert set(member) == {"code", "name", "organizations"}
        assert isinstance(member["code"], str)
        assert isinstance(member["name"], str)
        for pair in member["organizations"]:
            assert set(pair) == {"code", "status"}
            assert pair["status"] in {"covered", "pending", "missed"}
    m01 = next(m for m in data["members"] if m["code"] == "M01")
    assert m01 == {
        "code": "M01",
        "name": "Nguyễn Văn An",
        "organizations": [
            {"code": "O01", "status": "covered"},
            {"code": "O02", "status": "pending"},
        ],
    }

    # The contract's organization keys, plus "name" (contract: "more fields may be added").
    contract_keys = {"code", "cells", "cells_visited", "flagged_cells", "flagged_visited"}
    for entry in data["organizations"]:
        assert set(entry) == contract_keys | {"name"}
        assert type(entry["cells"]) is int
        assert type(entry["cells_visited"]) is int
        assert isinstance(entry["flagged_cells"], list)
        assert isinstance(entry["flagged_visited"], list)
    assert data["organizations"][0] == {
        "code": "O01",
        "name": "Đảng bộ O01",
        "cells": 3,
        "cells_visited": 1,
        "flagged_cells": ["C03"],
        "flagged_visited": ["C03"],
    }

    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_to_json_does_not_share_state_with_the_result() -> None:
    result = cover(organizations=[org("O01")], assignments=[assign("M01", "O01", "2020-10-01")])
    result.to_json()["totals"]["required"] = 99
    assert result.totals["required"] == 1


# --- properties over random small rosters ------------------------------------------------------

Q_START, Q_END = Q4.utc_bounds(TZ)  # 2021-09-30T17:00Z, 2021-12-31T17:00Z
EDGES = [
    Q_START - timedelta(minutes=1),
    Q_START,
    Q_START + timedelta(minutes=30),
    Q_END - timedelta(minutes=30),
    Q_END - timedelta(seconds=1),
    Q_END,
    Q_END + timedelta(minutes=30),
]
# As written by the callers: in local time or in UTC.
ZONES = st.sampled_from([TZ, UTC])
ANY_STATUS = st.sampled_from(["pending", "confirmed", "denied"])


@st.composite
def instants(draw, *, outside_only: bool = False) -> datetime:
    if outside_only:
        minutes = draw(st.integers(1, 60 * 24 * 40))
        at = (
            Q_START - timedelta(minutes=minutes)
            if draw(st.booleans())
            else Q_END + timedelta(minutes=minutes - 1)
        )
    else:
        at = draw(
            st.one_of(
                st.sampled_from(EDGES),
                st.integers(-60 * 24 * 20, 60 * 24 * 112).map(
                    lambda m: Q_START + timedelta(minutes=m)
                ),
            )
        )
    return at.astimezone(draw(ZONES))


DAYS = st.integers(-60, 150).map(lambda d: date(2021, 10, 1) + timedelta(days=d))


@st.composite
def rosters(draw) -> dict:
    n_members = draw(st.integers(1, 5))
    members = {f"M{i}": f"Member {i}" for i in range(1, n_members + 1)}
    n_orgs = draw(st.integers(1, 4))
    cells_of: dict[str, list[str]] = {}
    organizations = []
    for i in range(1, n_orgs + 1):
        code = f"O{i}"
        cells = [f"{code}C{j}" for j in range(1, draw(st.integers(1, 3)) + 1)]
        flagged = tuple(c for c in cells if draw(st.booleans()))
        cells_of[code] = cells
        organizations.append(OrganizationInfo(code, f"Org {i}", len(cells), flagged))

    member = st.sampled_from(sorted(members))
    organization = st.sampled_from(sorted(cells_of))

    @st.composite
    def assignments(draw) -> AssignmentPeriod:
        start = draw(DAYS)
        end = draw(st.one_of(st.none(), st.integers(0, 150).map(lambda d: start + timedelta(d))))
        return AssignmentPeriod(draw(member), draw(organization), start, end)

    @st.composite
    def visits(draw, status=ANY_STATUS) -> Visit:
        o = draw(organization)
        return Visit(
            draw(member), o, draw(st.sampled_from(cells_of[o])), draw(instants()), draw(status)
        )

    return {
        "members": members,
        "organizations": organizations,
        "assignments": draw(st.lists(assignments(), max_size=8)),
        "visits": draw(st.lists(visits(), max_size=12)),
        "minimum": draw(st.sampled_from([1, 15, 30, 30, 60, 92])),
        "cells_of": cells_of,
        "visit": visits,
    }


def run(roster: dict, **changes) -> QuarterCoverage:
    data = {**roster, **changes}
    return cover(
        members=data["members"],
        organizations=data["organizations"],
        assignments=data["assignments"],
        visits=data["visits"],
        minimum=data["minimum"],
    )


@given(rosters())
def test_totals_add_up_and_count_the_status_entries(roster: dict) -> None:
    result = run(roster)
    totals = result.totals
    assert set(totals) == {"required", "covered", "pending", "missed"}
    assert totals["covered"] + totals["pending"] + totals["missed"] == totals["required"]
    assert totals["required"] == sum(len(m.organizations) for m in result.members)
    for status in ("covered", "pending", "missed"):
        assert totals[status] == sum(
            p.status == status for m in result.members for p in m.organizations
        )
    # Every member is listed once, in code order, each organization once and in code order.
    assert [m.code for m in result.members] == sorted(roster["members"])
    for m in result.members:
        codes = [p.organization for p in m.organizations]
        assert codes == sorted(set(codes))
    for o in result.organizations:
        assert 0 <= o.cells_visited <= o.cells
        assert set(o.flagged_visited) <= set(o.flagged_cells)


@given(rosters())
def test_the_result_agrees_with_the_rule_read_literally(roster: dict) -> None:
    result = run(roster)
    minimum = roster["minimum"]

    def overlap(a: AssignmentPeriod) -> int:
        days = 0
        day = max(a.start, Q4.start)
        last = Q4.end if a.end is None else min(a.end, Q4.end)
        while day <= last:
            days, day = days + 1, day + timedelta(days=1)
        return days

    def in_quarter(v: Visit) -> bool:
        return Q4.start <= v.meeting_at.astimezone(TZ).date() <= Q4.end

    expected = {}
    for a in roster["assignments"]:
        if overlap(a) >= minimum:
            pair = (a.member, a.organization)
            seen = {
                v.status
                for v in roster["visits"]
                if (v.member, v.organization) == pair and in_quarter(v)
            }
            expected[pair] = (
                "covered" if "confirmed" in seen else "pending" if "pending" in seen else "missed"
            )
    assert statuses(result) == expected

    assigned = {(a.member, a.organization) for a in roster["assignments"] if overlap(a) >= 1}
    for o in result.organizations:
        visited = {
            v.cell
            for v in roster["visits"]
            if v.organization == o.code
            and v.status == "confirmed"
            and in_quarter(v)
            and (v.member, v.organization) in assigned
        }
        assert o.cells_visited == len(visited)
        assert o.flagged_visited == sorted(visited & set(o.flagged_cells))


@given(st.data())
def test_one_more_confirmed_visit_never_lowers_anything(data: st.DataObject) -> None:
    roster = data.draw(rosters())
    extra = data.draw(roster["visit"](status=st.just("confirmed")))
    before = run(roster)
    after = run(roster, visits=[*roster["visits"], extra])

    assert set(statuses(after)) == set(statuses(before))  # who is required does not change
    for pair, status in statuses(before).items():
        assert RANK[statuses(after)[pair]] >= RANK[status]
    for old, new in zip(before.organizations, after.organizations, strict=True):
        assert new.code == old.code
        assert new.cells_visited >= old.cells_visited
        assert set(new.flagged_visited) >= set(old.flagged_visited)
    assert after.totals["covered"] >= before.totals["covered"]
    assert after.totals["missed"] <= before.totals["missed"]


@given(st.data())
def test_denied_visits_never_change_the_result(data: st.DataObject) -> None:
    roster = data.draw(rosters())
    denied = data.draw(st.lists(roster["visit"](status=st.just("denied")), min_size=1, max_size=4))
    before = run(roster).to_json()
    assert run(roster, visits=[*roster["visits"], *denied]).to_json() == before
    assert run(roster, visits=[*denied, *roster["visits"]]).to_json() == before
    # Nor do the denied visits already there: dropping them changes nothing either.
    kept = [v for v in roster["visits"] if v.status != "denied"]
    assert run(roster, visits=kept).to_json() == before


@given(rosters(), st.randoms(use_true_random=False))
def test_the_order_of_visits_and_assignments_does_not_matter(
    roster: dict, rnd: random.Random
) -> None:
    before = run(roster).to_json()
    for _ in range(3):
        visits, assignments, organizations = (
            list(roster["visits"]),
            list(roster["assignments"]),
            list(roster["organizations"]),
        )
        rnd.shuffle(visits)
        rnd.shuffle(assignments)
        rnd.shuffle(organizations)
        shuffled = run(
            roster,
            visits=visits,
            assignments=assignments,
            organizations=[o._replace(flagged_cells=o.flagged_cells[::-1]) for o in organizations],
        )
        assert shuffled.to_json() == before


@given(st.data())
def test_visits_outside_the_quarter_change_nothing(data: st.DataObject) -> None:
    roster = data.draw(rosters())
    outside = data.draw(
        st.lists(
            st.builds(
                lambda v, at: v._replace(meeting_at=at),
                roster["visit"](),
                instants(outside_only=True),
            ),
            min_size=1,
            max_size=5,
        )
    )
    assert all(not Q_START <= v.meeting_at < Q_END for v in outside)
    before = run(roster).to_json()
    assert run(roster, visits=[*roster["visits"], *outside]).to_json() == before


@settings(max_examples=50)
@given(rosters())
def test_the_result_is_the_same_whatever_zone_the_instants_are_written_in(roster: dict) -> None:
    before = run(roster).to_json()
    in_utc = [v._replace(meeting_at=v.meeting_at.astimezone(UTC)) for v in roster["visits"]]
    in_local = [v._replace(meeting_at=v.meeting_at.astimezone(TZ)) for v in roster["visits"]]
    assert run(roster, visits=in_utc).to_json() == before
    assert run(roster, visits=in_local).to_json() == before
