"""The board's pure parts: its lists (filters, search, sort, pages), the sign-in rate limit,
the quarters offered, and the [web] settings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.core.board import BoardQuery, board_lists, folded, page_of
from bot.core.config import Web
from bot.core.coverage import MemberCoverage, OrganizationCoverage, PairStatus, QuarterCoverage
from bot.core.quarters import Quarter
from bot.services.board import quarters_to_pick
from bot.web.limits import RateLimit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Q = Quarter(2021, 4)


def coverage() -> QuarterCoverage:
    """Three members, three organizations; O2 has a flagged cell nobody visited."""
    return QuarterCoverage(
        Q,
        {"required": 4, "covered": 1, "pending": 1, "missed": 2},
        [
            MemberCoverage("M1", "Nguyễn Văn An", [PairStatus("O1", "covered"), PairStatus("O2", "missed")]),
            MemberCoverage("M2", "Trần Thị Bình", [PairStatus("O2", "pending")]),
            MemberCoverage("M3", "Lê Đức Cường", [PairStatus("O3", "missed")]),
        ],
        [
            OrganizationCoverage("O1", "Đảng bộ phường Bồ Đề", 4, 1, [], []),
            OrganizationCoverage("O2", "Đảng bộ phường Ngọc Lâm", 2, 0, ["C21"], []),
            OrganizationCoverage("O3", "Chi bộ Trạm Y tế", 1, 0, [], []),
        ],
    )  # fmt: skip


DUTIES = {
    ("M1", "O1"): frozenset({"in_charge"}),
    ("M1", "O2"): frozenset({"follow"}),
    ("M2", "O2"): frozenset({"follow"}),
    ("M3", "O3"): frozenset({"in_charge"}),
}


def members(**query: str) -> list[tuple]:
    rows = board_lists(coverage(), DUTIES, BoardQuery.read(query)).members
    return [(r.code, r.required, r.covered, r.pending, r.missed) for r in rows]


def organizations(**query: str) -> list[tuple]:
    rows = board_lists(coverage(), DUTIES, BoardQuery.read(query)).organizations
    return [(r.code, r.required, r.missed, r.flagged_not_visited) for r in rows]


def test_every_member_and_organization_with_their_counts():
    assert members() == [("M1", 2, 1, 0, 1), ("M2", 1, 0, 1, 0), ("M3", 1, 0, 0, 1)]
    assert organizations() == [("O1", 1, 0, []), ("O2", 2, 1, ["C21"]), ("O3", 1, 1, [])]
    rows = board_lists(coverage(), DUTIES, BoardQuery()).members
    assert rows[0].not_visited == [("O2", "Đảng bộ phường Ngọc Lâm")]


def test_flagged_only_keeps_organizations_with_flagged_cells_and_who_must_visit_them():
    assert organizations(flagged="1") == [("O2", 2, 1, ["C21"])]
    assert members(flagged="1") == [("M1", 1, 0, 0, 1), ("M2", 1, 0, 1, 0)]


def test_missed_only_and_duty_narrow_the_pairs_counted():
    assert members(missed="1") == [("M1", 2, 1, 0, 1), ("M3", 1, 0, 0, 1)]
    assert members(duty="in_charge") == [("M1", 1, 1, 0, 0), ("M3", 1, 0, 0, 1)]
    assert members(duty="in_charge", missed="1") == [("M3", 1, 0, 0, 1)]
    assert organizations(duty="follow") == [("O2", 2, 1, ["C21"])]
    assert organizations(missed="1") == [("O2", 2, 1, ["C21"]), ("O3", 1, 1, [])]


def test_search_ignores_case_and_diacritics_and_matches_codes():
    assert [m[0] for m in members(q="nguyen van")] == ["M1"]
    assert [m[0] for m in members(q="ĐỨC")] == ["M3"]
    assert [m[0] for m in members(q="m2")] == ["M2"]
    assert [o[0] for o in organizations(q="bo de")] == ["O1"]
    assert folded("Đặng Thị Hà") == "dang thi ha"


def test_sorts():
    assert [m[0] for m in members(sort="missed")] == ["M1", "M3", "M2"]
    # Vietnamese names sort by the given name: An, Bình, Cường.
    assert [m[0] for m in members(sort="name")] == ["M1", "M2", "M3"]
    rows = organizations(view="organizations", sort="visited")
    assert [o[0] for o in rows] == ["O2", "O3", "O1"]


def test_what_the_address_says_is_read_safely():
    query = BoardQuery.read({"view": "nope", "duty": "boss", "sort": "visited", "page": "-3"})
    assert (query.view, query.duty, query.sort, query.page) == ("members", "", "code", 1)
    query = BoardQuery.read({"view": "organizations", "sort": "visited", "page": "7", "q": " x "})
    assert (query.view, query.sort, query.page, query.search) == (
        "organizations",
        "visited",
        7,
        "x",
    )
    assert query.address(page=1) == {"view": "organizations", "sort": "visited", "q": "x"}
    assert BoardQuery.read({"page": "9" * 30}).page == 1


def test_pages_never_list_more_than_fifty_and_clamp_the_number():
    items = list(range(3_000))
    first = page_of(items, 1)
    assert len(first.items) == 50 and first.pages == 60 and first.total == 3_000
    assert page_of(items, 999).number == 60 and page_of(items, 999).items[-1] == 2_999
    assert page_of([], 5).number == 1 and page_of([], 5).pages == 1


def test_the_rate_limit_counts_by_address_and_in_all():
    limit = RateLimit(per_address=3, window_seconds=60, overall=5)
    start = datetime(2021, 11, 20, tzinfo=UTC)
    assert [limit.allow("a", start) for _ in range(4)] == [True, True, True, False]
    assert [limit.allow("b", start) for _ in range(3)] == [True, True, False]  # 5 in all
    later = start + timedelta(seconds=61)
    assert limit.allow("a", later) and limit.allow("b", later)


def test_the_quarters_offered_run_from_the_first_assignment_to_now():
    now = datetime(2021, 11, 20, 1, tzinfo=UTC)
    assert quarters_to_pick(date(2021, 2, 1), now, TZ) == [
        Quarter(2021, 4), Quarter(2021, 3), Quarter(2021, 2), Quarter(2021, 1),
    ]  # fmt: skip
    assert len(quarters_to_pick(date(2000, 1, 1), now, TZ)) == 12
    assert quarters_to_pick(None, now, TZ) == [Quarter(2021, 4)]


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"listen": "8080"}, '"8080" is not host:port (e.g. 127.0.0.1:8080)'),
        ({"base_url": "bang.quanuy.vn"}, "is not an http(s) address of scheme and host only"),
        ({"base_url": "https://bang.quanuy.vn/board"}, "scheme and host only"),
        ({"session_hours": 0}, "must be between 1 and 168 hours"),
    ],
)
def test_bad_web_settings_are_refused_with_the_reason(values, problem):
    with pytest.raises(ValidationError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        Web(**values)


def test_links_point_at_base_url_else_at_the_listen_address():
    assert Web().link_base == "http://127.0.0.1:8080"
    assert Web(base_url="https://bang.quanuy.vn/").link_base == "https://bang.quanuy.vn"
    assert Web(listen="[::1]:9000").host_port == ("::1", 9000)
