"""The fake clock tests move by hand, and how instants are written to SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.clock import FakeClock, SystemClock
from storage.timefmt import from_db, maybe_from_db, to_db

HANOI_OFFSET = timezone(timedelta(hours=7))

# Fixed offsets, whole minutes, as every real zone uses; zones with DST gaps and folds are left
# out because Python never considers a folded local time equal to an instant in another zone.
offsets = st.builds(
    lambda minutes: timezone(timedelta(minutes=minutes)),
    st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59),
)
aware_instants = st.datetimes(
    min_value=datetime(1900, 1, 2), max_value=datetime(2200, 12, 30), timezones=offsets
)
whole_second_instants = aware_instants.map(lambda instant: instant.replace(microsecond=0))


# --- FakeClock ---------------------------------------------------------------------------------


def test_fake_clock_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2021, 12, 5, 8, 0))


def test_fake_clock_refuses_to_be_set_to_a_naive_time() -> None:
    clock = FakeClock(datetime(2021, 12, 5, 1, 0, tzinfo=UTC))
    with pytest.raises(ValueError, match="aware"):
        clock.set(datetime(2021, 12, 5, 8, 0))
    assert clock.now() == datetime(2021, 12, 5, 1, 0, tzinfo=UTC)


def test_fake_clock_reports_utc_for_a_local_start() -> None:
    clock = FakeClock(datetime(2021, 12, 5, 8, 0, tzinfo=HANOI_OFFSET))
    now = clock.now()
    assert now == datetime(2021, 12, 5, 1, 0, tzinfo=UTC)
    assert now.utcoffset() == timedelta(0)
    assert (now.hour, now.day) == (1, 5)


def test_fake_clock_stands_still_until_moved() -> None:
    clock = FakeClock(datetime(2021, 12, 5, 1, 0, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2021, 12, 5, 1, 0, tzinfo=UTC)


def test_advance_moves_the_clock_and_returns_the_new_time() -> None:
    clock = FakeClock(datetime(2021, 12, 31, 16, 30, tzinfo=UTC))
    moved = clock.advance(timedelta(hours=1))
    assert moved == datetime(2021, 12, 31, 17, 30, tzinfo=UTC)
    assert clock.now() == moved
    clock.advance(timedelta(days=14))
    assert clock.now() == datetime(2022, 1, 14, 17, 30, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)


def test_set_jumps_to_the_instant_in_utc() -> None:
    clock = FakeClock(datetime(2021, 1, 1, tzinfo=UTC))
    clock.set(datetime(2022, 3, 31, 17, 0, tzinfo=HANOI_OFFSET))
    assert clock.now() == datetime(2022, 3, 31, 10, 0, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)


def test_system_clock_is_utc_aware() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)


# --- to_db / from_db ---------------------------------------------------------------------------


def test_to_db_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_db(datetime(2021, 12, 5, 8, 0))


def test_to_db_writes_a_vietnam_time_as_utc_text() -> None:
    assert to_db(datetime(2021, 12, 5, 8, 0, tzinfo=HANOI_OFFSET)) == "2021-12-05T01:00:00+00:00"


def test_to_db_of_local_midnight_falls_on_the_previous_utc_day() -> None:
    assert to_db(datetime(2022, 1, 1, 0, 30, tzinfo=HANOI_OFFSET)) == "2021-12-31T17:30:00+00:00"


def test_to_db_keeps_whole_seconds_only() -> None:
    # The fixed width keeps text order equal to time order; sub-second parts are dropped.
    instant = datetime(2021, 12, 5, 1, 0, 0, 999_999, tzinfo=UTC)
    assert to_db(instant) == "2021-12-05T01:00:00+00:00"


def test_from_db_reads_an_aware_utc_instant() -> None:
    instant = from_db("2021-12-05T01:00:00+00:00")
    assert instant == datetime(2021, 12, 5, 8, 0, tzinfo=HANOI_OFFSET)
    assert instant.utcoffset() == timedelta(0)


def test_maybe_from_db_passes_none_through() -> None:
    assert maybe_from_db(None) is None
    assert maybe_from_db("2021-12-05T01:00:00+00:00") == datetime(2021, 12, 5, 1, tzinfo=UTC)


@given(whole_second_instants)
def test_from_db_of_to_db_is_the_same_instant(instant: datetime) -> None:
    text = to_db(instant)
    assert from_db(text) == instant
    assert from_db(text).utcoffset() == timedelta(0)


@given(aware_instants)
def test_to_db_text_has_fixed_width_and_utc_offset(instant: datetime) -> None:
    text = to_db(instant)
    assert len(text) == len("2021-12-05T01:00:00+00:00")
    assert text.endswith("+00:00")


@given(whole_second_instants, whole_second_instants)
def test_text_order_is_time_order(a: datetime, b: datetime) -> None:
    assert (to_db(a) < to_db(b)) == (a < b)
    assert (to_db(a) == to_db(b)) == (a == b)


@given(aware_instants, aware_instants)
def test_text_order_never_contradicts_time_order(a: datetime, b: datetime) -> None:
    # With sub-second parts dropped, instants within one second may share a text, but an
    # earlier instant never gets a later text.
    if a <= b:
        assert to_db(a) <= to_db(b)
