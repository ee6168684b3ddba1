"""Calendar quarters (quý I-IV) on the committee's local calendar, and assignment overlap."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.quarters import Quarter, local_midnight_utc
from bot.core.roster import assigned_on

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

# Realistic calendar range: far past any roster, well inside what `date` can represent.
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
quarters = st.builds(Quarter, st.integers(min_value=1900, max_value=2200), st.integers(1, 4))


# --- reading and writing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quarter"),
    [
        ("2021Q4", Quarter(2021, 4)),
        ("2021-q4", Quarter(2021, 4)),
        ("2021-Q4", Quarter(2021, 4)),
        ("2021q1", Quarter(2021, 1)),
        (" 2022Q2 ", Quarter(2022, 2)),
    ],
)
def test_parse_reads_the_written_forms(text: str, quarter: Quarter) -> None:
    assert Quarter.parse(text) == quarter


@pytest.mark.parametrize("text", ["2021Q5", "2021Q0", "Q4", "", "2021", "21Q4", "2021 Q4 x"])
def test_parse_refuses_what_is_not_a_quarter(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        Quarter.parse(text)
    assert str(caught.value) == f'"{text}" is not a quarter (use e.g. 2021Q4)'


@pytest.mark.parametrize("number", [0, 5, -1])
def test_a_quarter_number_outside_1_to_4_cannot_be_built(number: int) -> None:
    with pytest.raises(ValueError, match="quarter number must be 1-4"):
        Quarter(2021, number)


def test_str_is_the_form_parse_reads() -> None:
    assert str(Quarter(2021, 4)) == "2021Q4"
    assert Quarter.parse(str(Quarter(1999, 1))) == Quarter(1999, 1)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2021, 1, 1), Quarter(2021, 1)),
        (date(2021, 3, 31), Quarter(2021, 1)),
        (date(2021, 4, 1), Quarter(2021, 2)),
        (date(2021, 6, 30), Quarter(2021, 2)),
        (date(2021, 7, 1), Quarter(2021, 3)),
        (date(2021, 9, 30), Quarter(2021, 3)),
        (date(2021, 10, 1), Quarter(2021, 4)),
        (date(2021, 12, 31), Quarter(2021, 4)),
    ],
)
def test_of_puts_each_day_in_its_quarter(day: date, quarter: Quarter) -> None:
    assert Quarter.of(day) == quarter


# --- calendar arithmetic -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quarter", "start", "end", "length"),
    [
        (Quarter(2023, 1), date(2023, 1, 1), date(2023, 3, 31), 90),
        (Quarter(2024, 1), date(2024, 1, 1), date(2024, 3, 31), 91),  # leap year
        (Quarter(2021, 2), date(2021, 4, 1), date(2021, 6, 30), 91),
        (Quarter(2021, 3), date(2021, 7, 1), date(2021, 9, 30), 92),
        (Quarter(2021, 4), date(2021, 10, 1), date(2021, 12, 31), 92),
    ],
)
def test_start_end_and_days(quarter: Quarter, start: date, end: date, length: int) -> None:
    assert quarter.start == start
    assert quarter.end == end
    assert quarter.days == length


@pytest.mark.parametrize(
    ("quarter", "following"),
    [
        (Quarter(2021, 1), Quarter(2021, 2)),
        (Quarter(2021, 3), Quarter(2021, 4)),
        (Quarter(2021, 4), Quarter(2022, 1)),
    ],
)
def test_next_and_previous_cross_years(quarter: Quarter, following: Quarter) -> None:
    assert quarter.next() == following
    assert following.previous() == quarter


def test_utc_bounds_of_a_quarter_in_vietnam_start_and_end_at_local_midnight() -> None:
    start, end = Quarter(2021, 4).utc_bounds(HANOI)
    assert start == datetime(2021, 9, 30, 17, 0, tzinfo=UTC)
    assert end == datetime(2021, 12, 31, 17, 0, tzinfo=UTC)
    assert start.utcoffset() == timedelta(0)
    assert end.utcoffset() == timedelta(0)


def test_local_midnight_utc_is_seven_hours_earlier_in_vietnam() -> None:
    assert local_midnight_utc(date(2022, 1, 1), HANOI) == datetime(2021, 12, 31, 17, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "quarter"),
    [
        # 2021-12-31 23:30 in Hà Nội: still the last evening of Q4.
        (datetime(2021, 12, 31, 16, 30, tzinfo=UTC), Quarter(2021, 4)),
        # 2022-01-01 00:30 in Hà Nội, although in UTC it is still 31 December.
        (datetime(2021, 12, 31, 17, 30, tzinfo=UTC), Quarter(2022, 1)),
        (datetime(2022, 1, 1, 0, 30, tzinfo=HANOI), Quarter(2022, 1)),
        (datetime(2021, 12, 31, 23, 30, tzinfo=HANOI), Quarter(2021, 4)),
    ],
)
def test_at_uses_the_committee_local_calendar(instant: datetime, quarter: Quarter) -> None:
    assert Quarter.at(instant, HANOI) == quarter


# --- assignment overlap (domain.md "Coverage, precisely") --------------------------------------

Q4_2021 = Quarter(2021, 4)  # 2021-10-01 .. 2021-12-31, 92 days


@pytest.mark.parametrize(
    ("first", "last", "overlap"),
    [
        pytest.param(date(2021, 1, 1), date(2022, 6, 30), 92, id="spans the whole quarter"),
        pytest.param(date(2021, 1, 1), None, 92, id="open end, started before"),
        pytest.param(date(2021, 11, 1), None, 61, id="open end, starts mid-quarter"),
        pytest.param(date(2021, 11, 1), date(2022, 3, 1), 61, id="starts mid-quarter"),
        pytest.param(date(2021, 5, 1), date(2021, 10, 30), 30, id="ends mid-quarter"),
        pytest.param(date(2021, 11, 1), date(2021, 11, 30), 30, id="inside the quarter"),
        pytest.param(date(2021, 11, 15), date(2021, 11, 15), 1, id="a single day inside"),
        pytest.param(date(2021, 10, 1), date(2021, 10, 1), 1, id="only the first day"),
        pytest.param(date(2021, 12, 31), None, 1, id="starts on the last day"),
        pytest.param(date(2021, 1, 1), date(2021, 9, 30), 0, id="ends the day before"),
        pytest.param(date(2021, 1, 1), date(2021, 6, 30), 0, id="ends a quarter before"),
        pytest.param(date(2022, 1, 1), None, 0, id="starts after the quarter"),
        pytest.param(date(2022, 1, 1), date(2022, 2, 1), 0, id="entirely after"),
    ],
)
def test_overlap_days_counts_both_ends_inclusively(
    first: date, last: date | None, overlap: int
) -> None:
    assert Q4_2021.overlap_days(first, last) == overlap


# --- properties --------------------------------------------------------------------------------


@given(days)
def test_every_day_lies_within_its_quarter(day: date) -> None:
    quarter = Quarter.of(day)
    assert quarter.start <= day <= quarter.end


@given(quarters)
def test_next_then_previous_returns_the_same_quarter(quarter: Quarter) -> None:
    assert quarter.next().previous() == quarter
    assert quarter.previous().next() == quarter


@given(quarters)
def test_consecutive_quarters_tile_the_calendar(quarter: Quarter) -> None:
    assert quarter.end + timedelta(days=1) == quarter.next().start


@given(quarters)
def test_a_quarter_has_90_to_92_days(quarter: Quarter) -> None:
    assert 90 <= quarter.days <= 92


@given(quarters)
def test_utc_bounds_are_a_quarter_long_in_vietnam(quarter: Quarter) -> None:
    start, end = quarter.utc_bounds(HANOI)
    assert Quarter.at(start, HANOI) == quarter
    assert Quarter.at(end - timedelta(seconds=1), HANOI) == quarter
    assert Quarter.at(end, HANOI) == quarter.next()


@given(days, days)
def test_overlaps_over_the_spanned_quarters_add_up_to_the_assignment(a: date, b: date) -> None:
    first, last = min(a, b), max(a, b)
    total = 0
    quarter = Quarter.of(first)
    while quarter <= Quarter.of(last):
        total += quarter.overlap_days(first, last)
        quarter = quarter.next()
    assert total == (last - first).days + 1
    # Quarters just outside the span see none of it.
    assert Quarter.of(first).previous().overlap_days(first, last) == 0
    assert Quarter.of(last).next().overlap_days(first, last) == 0


@given(days, quarters)
def test_open_assignment_overlaps_from_its_start_to_the_quarter_end(
    first: date, quarter: Quarter
) -> None:
    expected = max(0, (quarter.end - max(first, quarter.start)).days + 1)
    assert quarter.overlap_days(first, None) == expected
    assert 0 <= quarter.overlap_days(first, None) <= quarter.days


@given(quarters, quarters)
def test_quarter_order_agrees_with_start_dates(p: Quarter, q: Quarter) -> None:
    assert (p < q) == (p.start < q.start)
    assert (p == q) == (p.start == q.start)
    assert (p <= q) == (p.start <= q.start)


@given(quarters, days, st.one_of(st.none(), days))
def test_overlap_counts_the_days_on_which_the_assignment_holds(
    quarter: Quarter, first: date, last: date | None
) -> None:
    # Coverage's "required" (overlap_days) and the agenda's "assigned on that day" agree.
    if last is not None and last < first:
        first, last = last, first
    held = sum(
        assigned_on(quarter.start + timedelta(days=n), first, last) for n in range(quarter.days)
    )
    assert quarter.overlap_days(first, last) == held
