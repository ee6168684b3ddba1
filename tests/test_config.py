"""config.toml: defaults, one clear line per problem, secrets from the environment."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.core.config import (
    ENV_CONFIG,
    ENV_TELEGRAM_TOKEN,
    ENV_ZALO_TOKEN,
    Config,
    ConfigError,
    Reminders,
    Storage,
    config_path,
    load_config,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = REPO_ROOT / "config.example.toml"


@pytest.fixture(autouse=True)
def _no_config_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in (ENV_CONFIG, ENV_TELEGRAM_TOKEN, ENV_ZALO_TOKEN):
        monkeypatch.delenv(variable, raising=False)


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


# --- the example and the defaults --------------------------------------------------------------


def test_the_example_config_loads() -> None:
    if not EXAMPLE.exists():
        pytest.skip("config.example.toml is not written yet")
    config = load_config(EXAMPLE, must_exist=True)
    assert isinstance(config, Config)
    text = EXAMPLE.read_text(encoding="utf-8")
    # contract.md "Configuration": every section deployments set is shown in the example.
    for section in ("committee", "storage", "telegram", "zalo", "access", "reminders", "digest"):
        assert f"[{section}]" in text, f"config.example.toml lacks [{section}]"


def test_an_empty_file_gives_all_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.storage.path == (tmp_path / "checkin-bot.sqlite3").as_posix()
    assert config.model_copy(update={"storage": Storage()}) == Config()


def test_the_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.committee.timezone == "Asia/Ho_Chi_Minh"
    assert str(config.committee.tz) == "Asia/Ho_Chi_Minh"
    assert config.telegram.enabled is False
    assert config.telegram.mode == "polling"
    assert config.telegram.api_base_url == "https://api.telegram.org/bot"
    assert config.zalo.enabled is False
    assert config.reminders.before_meeting == [timedelta(days=1), timedelta(hours=2)]
    assert config.reminders.quiet_span == (time(21, 0), time(7, 0))
    assert config.digest.send_at == time(17, 0)
    assert config.coverage.minimum_overlap_days == 30
    assert config.invites.expire_after == timedelta(days=14)


def test_a_missing_default_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "config.toml") == Config()


def test_a_missing_file_that_must_exist_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(path, must_exist=True)
    assert caught.value.problems == [f"{path}: no such file (copy config.example.toml and edit it)"]


def test_values_from_the_file_are_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[committee]
name = "Quận ủy Long Biên"
timezone = "Asia/Bangkok"

[access]
admins = ["LB01", "0912345678"]
digest_chats = [-1001234567890, "@quanuy"]

[reminders]
before_meeting = ["3d", "90m"]
quiet_hours = "22:00-06:30"
tick = "30s"

[digest]
send_at = "16:45"

[telegram]
enabled = true
mode = "webhook"
webhook_url = "https://bot.example.vn/tg"
webhook_listen = "0.0.0.0:8080"
""",
    )
    config = load_config(path)
    assert config.committee.name == "Quận ủy Long Biên"
    assert str(config.committee.tz) == "Asia/Bangkok"
    assert config.access.admins == ["LB01", "0912345678"]
    assert config.access.digest_chats == ["-1001234567890", "@quanuy"]
    assert config.reminders.before_meeting == [timedelta(days=3), timedelta(minutes=90)]
    assert config.reminders.quiet_span == (time(22, 0), time(6, 30))
    assert config.reminders.tick == timedelta(seconds=30)
    assert config.digest.send_at == time(16, 45)
    assert config.telegram.enabled is True
    assert config.telegram.mode == "webhook"
    assert config.telegram.webhook_listen == "0.0.0.0:8080"


# --- one line per problem, with the path and the key -------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            '[reminders]\nbefore_meeting = ["1d", "2x"]\n',
            'reminders.before_meeting[1]: "2x" is not a duration (use 90s, 30m, 2h, 1d)',
            id="bad duration in a list",
        ),
        pytest.param(
            '[reminders]\ncheckin_opens_before = "1.5h"\n',
            'reminders.checkin_opens_before: "1.5h" is not a duration (use 90s, 30m, 2h, 1d)',
            id="bad duration",
        ),
        pytest.param(
            '[telegram]\ntokn = "x"\n',
            "telegram.tokn: unknown key (see config.example.toml)",
            id="unknown key",
        ),
        pytest.param(
            "[telgram]\nenabled = true\n",
            "telgram: unknown key (see config.example.toml)",
            id="unknown section",
        ),
        pytest.param(
            '[committee]\ntimezone = "Asia/Hanoi"\n',
            'committee.timezone: "Asia/Hanoi" is not an IANA time zone (e.g. Asia/Ho_Chi_Minh)',
            id="bad timezone",
        ),
        pytest.param(
            '[reminders]\nquiet_hours = "9pm-7am"\n',
            'reminders.quiet_hours: "9pm-7am" is not a span of hours '
            '(use "21:00-07:00", or "" for none)',
            id="bad quiet_hours",
        ),
        pytest.param(
            '[reminders]\nquiet_hours = "21:00"\n',
            'reminders.quiet_hours: "21:00" is not a span of hours '
            '(use "21:00-07:00", or "" for none)',
            id="quiet_hours without an end",
        ),
        pytest.param(
            '[digest]\nsend_at = "25:00"\n',
            'digest.send_at: "25:00" is not a time of day (use HH:MM, e.g. 17:00)',
            id="bad send_at",
        ),
        pytest.param(
            '[telegram]\nmode = "push"\n',
            "telegram.mode: must be one of 'polling' or 'webhook'",
            id="bad mode",
        ),
        pytest.param(
            '[zalo]\nwebhook_listen = "8443"\n',
            'zalo.webhook_listen: "8443" is not host:port (e.g. 127.0.0.1:8443)',
            id="bad webhook_listen",
        ),
        pytest.param(
            '[telegram]\nenabled = "maybe"\n',
            "telegram.enabled: must be true or false",
            id="bad bool",
        ),
        pytest.param(
            "[coverage]\nminimum_overlap_days = 1.5\n",
            "coverage.minimum_overlap_days: must be a whole number",
            id="fractional whole number",
        ),
        pytest.param(
            '[reminders]\nbefore_meeting = "1d"\n',
            "reminders.before_meeting: must be a list, e.g. [...]",
            id="list expected",
        ),
        pytest.param(
            'storage = "bot.sqlite3"\n',
            "storage: must be a [section]",
            id="section expected",
        ),
        pytest.param(
            "[coverage]\nminimum_overlap_days = 0\n",
            "coverage.minimum_overlap_days: must be between 1 and 92 days, not 0",
            id="overlap days out of range",
        ),
    ],
)
def test_a_bad_value_is_reported_with_path_and_key(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, text)
    assert problems_of(path) == [f"{path}: {problem}"]


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[committee]
timezone = "Nowhere/City"

[telegram]
mode = "push"
tokn = "x"

[reminders]
before_meeting = ["1d", "2x", "3y"]

[digest]
send_at = "25:00"
""",
    )
    problems = problems_of(path)
    assert sorted(problems) == sorted(
        [
            f'{path}: committee.timezone: "Nowhere/City" is not an IANA time zone '
            "(e.g. Asia/Ho_Chi_Minh)",
            f"{path}: telegram.mode: must be one of 'polling' or 'webhook'",
            f"{path}: telegram.tokn: unknown key (see config.example.toml)",
            f'{path}: reminders.before_meeting[1]: "2x" is not a duration (use 90s, 30m, 2h, 1d)',
            f'{path}: reminders.before_meeting[2]: "3y" is not a duration (use 90s, 30m, 2h, 1d)',
            f'{path}: digest.send_at: "25:00" is not a time of day (use HH:MM, e.g. 17:00)',
        ]
    )


def test_invalid_toml_is_reported_with_the_path(tmp_path: Path) -> None:
    path = write(tmp_path, "[reminders\ntick = 60s\n")
    problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: not valid TOML: ")


def test_a_directory_name_as_timezone_is_a_config_error(tmp_path: Path) -> None:
    # "Asia" names a folder in the zone database, not a zone; it must be reported like any
    # other unknown zone (exit code 2 with the key), not crash with IsADirectoryError.
    path = write(tmp_path, '[committee]\ntimezone = "Asia"\n')
    assert problems_of(path) == [
        f'{path}: committee.timezone: "Asia" is not an IANA time zone (e.g. Asia/Ho_Chi_Minh)'
    ]


def test_a_duration_too_large_for_timedelta_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[reminders]\ntick = "1000000000d"\n')
    assert problems_of(path) == [
        f'{path}: reminders.tick: "1000000000d" is not a duration (use 90s, 30m, 2h, 1d)'
    ]


# --- quiet hours -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "  "])
def test_empty_quiet_hours_means_no_quiet_span(tmp_path: Path, text: str) -> None:
    config = load_config(write(tmp_path, f'[reminders]\nquiet_hours = "{text}"\n'))
    assert config.reminders.quiet_hours == ""
    assert config.reminders.quiet_span is None


def test_quiet_span_reads_both_ends() -> None:
    assert Reminders(quiet_hours="21:00-07:00").quiet_span == (time(21, 0), time(7, 0))


# --- secrets from the environment --------------------------------------------------------------


def test_environment_token_overrides_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, '[telegram]\nenabled = true\ntoken = "from-file"\n')
    monkeypatch.setenv(ENV_TELEGRAM_TOKEN, "123:from-env")
    config = load_config(path)
    assert config.telegram.token == "123:from-env"
    assert config.telegram.enabled is True


def test_environment_tokens_apply_without_a_section_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_TELEGRAM_TOKEN, "tg-secret")
    monkeypatch.setenv(ENV_ZALO_TOKEN, "zalo-secret")
    from_empty_file = load_config(write(tmp_path, ""))
    from_no_file = load_config(tmp_path / "absent.toml")
    for config in (from_empty_file, from_no_file):
        assert config.telegram.token == "tg-secret"
        assert config.zalo.token == "zalo-secret"


def test_file_token_is_kept_without_the_environment_variable(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[zalo]\ntoken = "from-file"\n'))
    assert config.zalo.token == "from-file"
    assert config.telegram.token == ""


# --- which file, and paths relative to it ------------------------------------------------------


def test_config_path_defaults_to_config_toml_in_the_working_directory() -> None:
    assert config_path(None) == Path("config.toml")


def test_config_path_uses_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_CONFIG, "/etc/checkin-bot/prod.toml")
    assert config_path(None) == Path("/etc/checkin-bot/prod.toml")


def test_config_option_wins_over_the_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_CONFIG, "/etc/checkin-bot/prod.toml")
    assert config_path("staging.toml") == Path("staging.toml")


def test_relative_storage_path_is_next_to_the_config_file(tmp_path: Path) -> None:
    folder = tmp_path / "deploy"
    folder.mkdir()
    path = write(folder, '[storage]\npath = "data/bot.sqlite3"\n')
    assert load_config(path).storage.path == (folder / "data" / "bot.sqlite3").as_posix()


def test_absolute_storage_path_is_kept(tmp_path: Path) -> None:
    database = (tmp_path / "var" / "bot.sqlite3").as_posix()
    path = write(tmp_path, f'[storage]\npath = "{database}"\n')
    assert load_config(path).storage.path == database


# --- values that are well-formed but cannot work ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            '[reminders]\nbefore_meeting = ["1d", "30m", "15m"]\n',
            "reminders.before_meeting: 30m, 15m would never be sent: the check-in window opens"
            " checkin_opens_before = 30m before the meeting, and its notice takes the place of"
            " any reminder from then on (make each longer than 30m, or drop it)",
            id="reminders inside the check-in window",
        ),
        pytest.param(
            '[reminders]\nbefore_meeting = ["2h"]\ncheckin_opens_before = "3h"\n',
            "reminders.before_meeting: 2h would never be sent: the check-in window opens"
            " checkin_opens_before = 3h before the meeting, and its notice takes the place of"
            " any reminder from then on (make each longer than 3h, or drop it)",
            id="the window opening earlier than a reminder",
        ),
        pytest.param(
            '[telegram]\napi_base_url = "api.telegram.org/bot"\n',
            'telegram.api_base_url: "api.telegram.org/bot" is not an http(s) address'
            " (e.g. https://api.telegram.org/bot)",
            id="an address without its scheme",
        ),
        pytest.param(
            '[zalo]\napi_base_url = "ftp://bot-api.zaloplatforms.com/bot"\n',
            'zalo.api_base_url: "ftp://bot-api.zaloplatforms.com/bot" is not an http(s) address'
            " (e.g. https://api.telegram.org/bot)",
            id="another scheme",
        ),
        pytest.param(
            "[zalo]\nmessages_per_second = 0\n",
            "zalo.messages_per_second: must be more than 0, not 0",
            id="no pace on Zalo",
        ),
    ],
)
def test_a_value_that_cannot_work_is_refused_with_its_key(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = write(tmp_path, text)
    assert problems_of(path) == [f"{path}: {problem}"]


def test_reminders_just_outside_the_window_and_a_local_api_server_are_fine(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[reminders]\nbefore_meeting = ["31m"]\n\n'
        '[telegram]\napi_base_url = "http://127.0.0.1:8081/bot"\n\n'
        "[zalo]\nmessages_per_second = 25\n",
    )
    config = load_config(path)
    assert config.reminders.before_meeting == [timedelta(minutes=31)]
    assert config.telegram.api_base_url == "http://127.0.0.1:8081/bot"
    assert (config.zalo.messages_per_second, Config().zalo.messages_per_second) == (25, 10)


# --- closing a quarter -------------------------------------------------------------------------


def test_a_quarter_is_closed_ten_days_after_its_end_unless_the_config_says_otherwise(
    tmp_path: Path,
) -> None:
    assert Config().coverage.close_after == timedelta(days=10)
    config = load_config(write(tmp_path, '[coverage]\nclose_after = "3d"\n'))
    assert config.coverage.close_after == timedelta(days=3)
    path = write(tmp_path, '[coverage]\nclose_after = "ten days"\n')
    assert problems_of(path) == [
        f'{path}: coverage.close_after: "ten days" is not a duration (use 90s, 30m, 2h, 1d)'
    ]
