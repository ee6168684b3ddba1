"""Durations as written in config.toml, and Vietnamese phone numbers as written in rosters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.durations import format_duration, parse_duration
from bot.core.phones import normalize_phone

# --- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("2w", timedelta(weeks=2)),
        ("0s", timedelta(0)),
        (" 90s ", timedelta(seconds=90)),
        ("14 d", timedelta(days=14)),
    ],
)
def test_parse_duration_accepts_config_forms(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2x", "", "   ", "1.5h", "-1m", "h", "30", "1h30m", "1 day", "+5m"],
)
def test_parse_duration_refuses_other_forms_naming_the_accepted_ones(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(text)
    assert str(caught.value) == f'"{text}" is not a duration (use 90s, 30m, 2h, 1d)'


@pytest.mark.parametrize("value", [None, 90, 1.5, ["1d"]])
def test_parse_duration_refuses_non_text_with_value_error(value: object) -> None:
    # TOML gives ints and lists too; the config loader only turns ValueError into a message.
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(value)  # type: ignore[arg-type]


def test_parse_duration_too_large_is_a_value_error_not_an_overflow() -> None:
    # timedelta caps at 999,999,999 days; a typo such as "1000000000d" must still be reported
    # as a bad duration (ValueError), since that is what the config loader turns into a message.
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration("1000000000d")


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=90), "90s"),
        (timedelta(seconds=120), "2m"),
        (timedelta(minutes=30), "30m"),
        (timedelta(minutes=60), "1h"),
        (timedelta(hours=2), "2h"),
        (timedelta(hours=36), "36h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=3), "3d"),
        (timedelta(days=7), "1w"),
        (timedelta(days=14), "2w"),
        (timedelta(0), "0s"),
    ],
)
def test_format_duration_writes_the_shortest_exact_form(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text
    assert parse_duration(text) == delta


@given(st.integers(min_value=0, max_value=10**9))
def test_format_then_parse_is_the_identity_on_whole_seconds(seconds: int) -> None:
    delta = timedelta(seconds=seconds)
    assert parse_duration(format_duration(delta)) == delta


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from("smhdw"))
def test_parse_then_format_gives_an_equal_duration(amount: int, unit: str) -> None:
    written = format_duration(parse_duration(f"{amount}{unit}"))
    assert parse_duration(written) == parse_duration(f"{amount}{unit}")


# --- phones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "national"),
    [
        ("0912 345 678", "0912345678"),
        ("0912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("912345678", "0912345678"),  # Excel dropped the leading zero
        ("(024) 3826 1234", "02438261234"),  # Hà Nội landline, 11 digits
        ("+84 24 3826 1234", "02438261234"),
        ("842438261234", "02438261234"),
    ],
)
def test_normalize_phone_gives_the_national_form(text: str, national: str) -> None:
    assert normalize_phone(text) == national


@pytest.mark.parametrize(
    "text",
    ["12345", "abc", "", "   ", "+1 555 0100", "091234567890123", "091234567", "0912 345 67x"],
)
def test_normalize_phone_refuses_what_is_not_a_vietnamese_number(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        normalize_phone(text)
    assert str(caught.value) == f'"{text}" is not a Vietnamese phone number (e.g. 0912 345 678)'


@pytest.mark.parametrize("text", ["+84 0912 345 678", "+840912345678", "840912345678"])
def test_country_code_followed_by_trunk_zero_is_not_a_different_number(text: str) -> None:
    # People often write the country code and keep the leading 0. The result must be the same
    # subscriber as "0912 345 678" (or a refusal), never "00912345678", which matches no one.
    try:
        national = normalize_phone(text)
    except ValueError:
        return
    assert national == "0912345678"


nine_digit_subscriber = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("35789"),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
)


@given(nine_digit_subscriber)
def test_every_written_form_of_a_mobile_number_matches(digits: str) -> None:
    spaced = f"0{digits[:3]} {digits[3:6]} {digits[6:]}"
    forms = ["0" + digits, "+84" + digits, "84" + digits, spaced, digits]
    assert {normalize_phone(form) for form in forms} == {"0" + digits}
