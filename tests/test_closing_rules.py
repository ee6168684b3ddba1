"""When a quarter may be closed and when the bot closes it (bot.core.closing), the final
digest's keys, and a closed quarter's figures as JSON: pure rules, no store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.core.closing import (
    ClosedQuarter,
    closable_from,
    closing_moment,
    quarter_due_to_close,
)
from bot.core.coverage import (
    Amendment,
    AssignmentPeriod,
    OrganizationInfo,
    Visit,
    coverage_for_quarter,
)
from bot.core.quarters import Quarter
from bot.core.reminders import DIGEST_CATCH_UP, digest_chat_key, digests, final_digests

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Q4 = Quarter(2021, 4)
WINDOW = timedelta(hours=3)  # reminders.checkin_closes_after's default
TEN_DAYS = timedelta(days=10)  # coverage.close_after's default


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def test_a_quarter_may_be_closed_once_its_last_meetings_take_no_more_check_ins():
    # Every meeting of the quarter starts before its end (local midnight after 31/12), so
    # its check-in window shuts at most checkin_closes_after after that.
    assert closable_from(Q4, TZ, WINDOW) == local("2022-01-01 03:00")
    assert closable_from(Q4, TZ, timedelta(0)) == local("2022-01-01 00:00")


def test_the_bot_closes_a_quarter_close_after_its_end_and_never_before_it_may_be():
    assert closing_moment(Q4, TZ, TEN_DAYS, WINDOW) == local("2022-01-11 00:00")
    assert closing_moment(Q4, TZ, timedelta(hours=1), WINDOW) == local("2022-01-01 03:00")
    assert closing_moment(Quarter(2022, 1), TZ, TEN_DAYS, WINDOW) == local("2022-04-11 00:00")


def test_the_quarter_due_to_close_turns_at_its_closing_moment():
    moment = local("2022-01-11 00:00")
    assert quarter_due_to_close(moment - timedelta(seconds=1), TZ, TEN_DAYS, WINDOW) == Quarter(
        2021, 3
    )
    assert quarter_due_to_close(moment, TZ, TEN_DAYS, WINDOW) == Q4
    assert quarter_due_to_close(local("2022-04-10 23:59"), TZ, TEN_DAYS, WINDOW) == Q4


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
    st.integers(0, 120 * 24),  # close_after, in hours
)
def test_the_quarter_due_to_close_is_the_last_whose_moment_has_come(naive, hours):
    now = naive.replace(tzinfo=UTC)
    after = timedelta(hours=hours)
    due = quarter_due_to_close(now, TZ, after, WINDOW)
    assert closing_moment(due, TZ, after, WINDOW) <= now
    assert now < closing_moment(due.next(), TZ, after, WINDOW)


def test_the_final_digest_has_keys_of_its_own_and_goes_when_the_quarter_is_closed():
    closed_at = local("2022-01-11 00:00")
    chats = ["telegram:-100", "zalo:7"]
    [first, second] = final_digests(chats, [ClosedQuarter(Q4, closed_at, "bot")])
    assert first.key == "digest-final:quarter=2021Q4:chat=telegram:-100"
    assert second.chat == "zalo:7" and second.key == digest_chat_key(Q4, "zalo:7", final=True)
    assert (first.due_at, first.expires_at) == (closed_at, closed_at + DIGEST_CATCH_UP)
    preliminary = {d.key for d in digests(chats, local("2021-12-31 17:00").time(), closed_at, TZ)}
    assert "digest:quarter=2021Q4:chat=telegram:-100" in preliminary
    assert not preliminary & {first.key, second.key}


def test_a_closed_quarters_json_says_when_and_lists_its_amendments():
    coverage = coverage_for_quarter(
        Q4,
        TZ,
        members={"M01": "Nguyễn Văn An"},
        organizations=[OrganizationInfo("O01", "Đảng bộ phường Bồ Đề", 2)],
        assignments=[AssignmentPeriod("M01", "O01", date(2020, 11, 1), None)],
        visits=[Visit("M01", "O01", "C0101", local("2021-11-05 08:00"), "confirmed")],
        minimum_overlap_days=30,
    )
    amendment = Amendment(
        Q4, "M01", "O01", "pending", "covered", "M02", "Trần Thị Bình", local("2022-01-12 09:30")
    )
    closed = replace(coverage, closed_at=local("2022-01-11 00:00"), amendments=(amendment,))
    data = closed.to_json()
    assert data["closed_at"] == "2022-01-11T00:00:00+07:00"
    assert data["amendments"] == [
        {
            "member": "M01",
            "organization": "O01",
            "from": "pending",
            "to": "covered",
            "by": "M02",
            "at": "2022-01-12T09:30:00+07:00",
        }
    ]
    assert {k: v for k, v in data.items() if k not in ("closed_at", "amendments")} == {
        k: v for k, v in coverage.to_json().items() if k not in ("closed_at", "amendments")
    }
