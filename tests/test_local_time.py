"""Dates and times as secretaries type them in chat (/schedule), read on the local calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.local_time import TimeTypo, read_typed_time

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2021, 11, 20, 8, 0, tzinfo=TZ)  # the demo's Saturday morning


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


@pytest.mark.parametrize(
    ("day", "clock", "meant"),
    [
        ("2021-11-25", "19:00", local(2021, 11, 25, 19)),
        ("25/11/2021", "19:00", local(2021, 11, 25, 19)),
        ("25-11-2021", "08:00", local(2021, 11, 25, 8)),
        ("25.11.2021", "08:00", local(2021, 11, 25, 8)),
        ("25/11/21", "08:00", local(2021, 11, 25, 8)),
        ("5/1/2022", "7:05", local(2022, 1, 5, 7, 5)),
        ("25/11", "19h30", local(2021, 11, 25, 19, 30)),
        ("25/11", "19g30", local(2021, 11, 25, 19, 30)),
        ("25/11", "19H30", local(2021, 11, 25, 19, 30)),
        ("25/11", "19h", local(2021, 11, 25, 19)),
        ("25/11", "8g", local(2021, 11, 25, 8)),
        ("25/11", "19.30", local(2021, 11, 25, 19, 30)),
        # No year: this year's day while it is still to come (today included), else next's.
        ("20/11", "07:00", local(2021, 11, 20, 7)),
        ("19/11", "08:00", local(2022, 11, 19, 8)),
        ("05/01", "08:00", local(2022, 1, 5, 8)),
        ("31/12", "23:59", local(2021, 12, 31, 23, 59)),
        ("29/02/2024", "08:00", local(2024, 2, 29, 8)),
    ],
)
def test_the_forms_people_type(day, clock, meant):
    assert read_typed_time(day, clock, NOW, TZ) == meant


@pytest.mark.parametrize(
    ("day", "clock", "typo"),
    [
        ("31/02/2022", "08:00", TimeTypo("day", 31, 2, 2022, 28)),
        ("29/02/2022", "08:00", TimeTypo("day", 29, 2, 2022, 28)),
        ("29/02", "08:00", TimeTypo("day", 29, 2, 2022, 28)),  # next February, not a leap year
        ("31/11/2021", "08:00", TimeTypo("day", 31, 11, 2021, 30)),
        ("31/04", "08:00", TimeTypo("day", 31, 4, 2022, 30)),
        ("0/12/2021", "08:00", TimeTypo("day", 0, 12, 2021, 31)),
        ("2021-12-32", "08:00", TimeTypo("day", 32, 12, 2021, 31)),
        ("25/13/2021", "08:00", TimeTypo("month", month=13)),
        ("2021-00-10", "08:00", TimeTypo("month", month=0)),
        ("25/11", "24:00", TimeTypo("clock")),
        ("25/11", "19h60", TimeTypo("clock")),
        ("25/11", "19", TimeTypo("form")),
        ("25/11", "7 giờ", TimeTypo("form")),
        ("25/11-2021", "08:00", TimeTypo("form")),  # one separator throughout
        ("2021/11/25", "08:00", TimeTypo("form")),
        ("25/11/202", "08:00", TimeTypo("form")),
        ("tomorrow", "morning", TimeTypo("form")),
        ("", "", TimeTypo("form")),
    ],
)
def test_what_is_no_time_says_why(day, clock, typo):
    assert read_typed_time(day, clock, NOW, TZ) == typo


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from(["{d:%Y-%m-%d}", "{d:%d/%m/%Y}", "{d:%d-%m-%Y}", "{d:%d.%m.%Y}"]),
    st.sampled_from(["{h:02d}:{m:02d}", "{h}h{m:02d}", "{h}g{m:02d}"]),
)
def test_every_day_and_time_reads_back_in_every_form(day, hours, minutes, day_form, clock_form):
    typed_day = day_form.format(d=day)
    typed_clock = clock_form.format(h=hours, m=minutes)
    meant = datetime(day.year, day.month, day.day, hours, minutes, tzinfo=TZ)
    assert read_typed_time(typed_day, typed_clock, NOW, TZ) == meant


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)))
def test_a_day_without_a_year_is_never_before_today(today):
    now = datetime(today.year, today.month, today.day, 12, tzinfo=TZ)
    for ahead in (0, 1, 200, 364):
        day = today + timedelta(days=ahead)
        if (day.month, day.day) == (2, 29):
            continue  # its year is the leap one only when it is this year's
        read = read_typed_time(f"{day:%d/%m}", "08:00", now, TZ)
        assert isinstance(read, datetime) and read.date() == day, (today, day)
