"""The deployment's configuration: one TOML file, loaded once into typed models.

Every key has a default, so an empty file is a valid (if useless) configuration. A bad value
or an unknown key is reported with its path, e.g.
``config.toml: reminders.before_meeting[1]: "2x" is not a duration (use 90s, 30m, 2h, 1d)``.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from bot.core.durations import format_duration, parse_duration

DEFAULT_PATH = "config.toml"
ENV_CONFIG = "CHECKIN_BOT_CONFIG"
ENV_TELEGRAM_TOKEN = "CHECKIN_BOT_TELEGRAM_TOKEN"
ENV_ZALO_TOKEN = "CHECKIN_BOT_ZALO_TOKEN"


class ConfigError(Exception):
    """The configuration cannot be used; ``problems`` holds one line per fault."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise PydanticCustomError("duration", str(exc)) from None


def _clock_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        hours, minutes = map(int, value.strip().split(":"))
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise PydanticCustomError(
        "clock_time", '"{value}" is not a time of day (use HH:MM, e.g. 17:00)', {"value": value}
    )


def _host_port(value: str, example: str) -> str:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise PydanticCustomError(
            "host_port",
            '"{value}" is not host:port (e.g. {example})',
            {"value": value, "example": example},
        )
    return value


Duration = Annotated[timedelta, BeforeValidator(_duration)]
ClockTime = Annotated[time, BeforeValidator(_clock_time)]


class _Section(BaseModel):
    # strict: "yes" is not true and 1.5 days is not a whole number; say so instead of guessing.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Committee(_Section):
    name: str = "Quận ủy"
    timezone: str = "Asia/Ho_Chi_Minh"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder: OSError
            raise PydanticCustomError(
                "timezone",
                '"{value}" is not an IANA time zone (e.g. Asia/Ho_Chi_Minh)',
                {"value": value},
            ) from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# A message sent must stay known (its key in the outbox) for as long as the scheduler may decide
# it again, or it would go twice: the digest, for instance, is decided up to 30 days late.
KEEP_SENT_AT_LEAST = timedelta(days=60)


class Storage(_Section):
    path: str = "checkin-bot.sqlite3"
    # Sent and dropped outbox rows older than this are purged, with the digest files they carried.
    keep_sent: Duration = timedelta(days=180)

    @field_validator("keep_sent")
    @classmethod
    def _long_enough(cls, value: timedelta) -> timedelta:
        if value < KEEP_SENT_AT_LEAST:
            raise PydanticCustomError(
                "keep_sent",
                "must be at least {days}d: a message is kept as long as the bot may decide it"
                " again (the digest: up to 30 days late)",
                {"days": KEEP_SENT_AT_LEAST.days},
            )
        return value


class Channel(_Section):
    enabled: bool = False
    token: str = ""
    api_base_url: str = ""
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1:8443"
    webhook_secret: str = ""
    # Messages a second the bot sends at most through the channel, all chats together.
    messages_per_second: int = 30

    @field_validator("api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PydanticCustomError(
                "http_url",
                '"{value}" is not an http(s) address (e.g. https://api.telegram.org/bot)',
                {"value": value},
            )
        return value

    @field_validator("messages_per_second")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise PydanticCustomError(
                "positive", "must be more than 0, not {value}", {"value": value}
            )
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        return _host_port(value, "127.0.0.1:8443")


class Telegram(Channel):
    api_base_url: str = "https://api.telegram.org/bot"
    bot_username: str = ""  # for invite links (t.me/<bot_username>?start=...)
    # Telegram's limit for a bot; paid broadcasts or a self-hosted Bot API server allow more.
    messages_per_second: int = 30


class Zalo(Channel):
    api_base_url: str = "https://bot-api.zaloplatforms.com/bot"
    # Zalo publishes no figure: a pace well under Telegram's, to be raised if the bot's quota
    # allows (a 429 from Zalo makes the message wait and go again).
    messages_per_second: int = 10


class Access(_Section):
    admins: list[str] = []
    digest_chats: list[str] = []

    @field_validator("admins", "digest_chats", mode="before")
    @classmethod
    def _as_strings(cls, value: Any) -> Any:
        # Chat ids are often written as numbers (-100123...); keep them as text.
        if isinstance(value, list):
            return [str(item) if isinstance(item, int) else item for item in value]
        return value

    @property
    def digest_targets(self) -> list[str]:
        """Each digest chat as "channel:chat_id": a bare id is a Telegram chat."""
        return [chat if ":" in chat else f"telegram:{chat}" for chat in self.digest_chats]


class Reminders(_Section):
    # Before before_meeting, which is checked against it.
    checkin_opens_before: Duration = timedelta(minutes=30)
    before_meeting: list[Duration] = [timedelta(days=1), timedelta(hours=2)]
    checkin_closes_after: Duration = timedelta(hours=3)
    quiet_hours: str = "21:00-07:00"
    nudge_before_quarter_end: list[Duration] = [timedelta(days=14), timedelta(days=3)]
    tick: Duration = timedelta(seconds=60)
    weekly_suggestion: bool = True
    # A check-in still waiting for its secretary this long goes to the admins, once.
    confirm_escalate_after: Duration = timedelta(hours=48)

    @field_validator("before_meeting")
    @classmethod
    def _before_the_window(cls, value: list[timedelta], info: ValidationInfo) -> list[timedelta]:
        """A reminder at or after the check-in window opens is never sent (the "Check in"
        notice takes its place): refused rather than silently dropped."""
        opens = info.data.get("checkin_opens_before")
        inside = [offset for offset in value if opens is not None and offset <= opens]
        if inside:
            raise PydanticCustomError(
                "inside_window",
                "{offsets} would never be sent: the check-in window opens"
                " checkin_opens_before = {opens} before the meeting, and its notice takes the"
                " place of any reminder from then on (make each longer than {opens}, or drop it)",
                {
                    "offsets": ", ".join(format_duration(offset) for offset in inside),
                    "opens": format_duration(opens),
                },
            )
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        if value.strip() == "":
            return ""
        parts = value.split("-")
        if len(parts) == 2:
            try:
                _clock_time(parts[0])
                _clock_time(parts[1])
                return value.strip()
            except PydanticCustomError:
                pass
        raise PydanticCustomError(
            "quiet_hours",
            '"{value}" is not a span of hours (use "21:00-07:00", or "" for none)',
            {"value": value},
        )

    @property
    def quiet_span(self) -> tuple[time, time] | None:
        if not self.quiet_hours:
            return None
        start, end = self.quiet_hours.split("-")
        return _clock_time(start), _clock_time(end)


class Digest(_Section):
    send_at: ClockTime = time(17, 0)


class Coverage(_Section):
    # domain.md: a pair is required when the assignment overlaps the quarter this many days.
    minimum_overlap_days: int = 30
    # The bot closes each quarter (freezes its figures, sends the final digest) this long after
    # its end: time for late confirmations.
    close_after: Duration = timedelta(days=10)

    @field_validator("minimum_overlap_days")
    @classmethod
    def _in_quarter(cls, value: int) -> int:
        if not 1 <= value <= 92:
            raise PydanticCustomError(
                "days", "must be between 1 and 92 days, not {value}", {"value": value}
            )
        return value


class Invites(_Section):
    expire_after: Duration = timedelta(days=14)


class Web(_Section):
    """The office's board, served by `run` (bot/web)."""

    enabled: bool = False
    listen: str = "127.0.0.1:8080"
    # The address people open, as the reverse proxy publishes it; "" = http://<listen>. Only
    # scheme and host: the pages link to their own paths from the root.
    base_url: str = ""
    session_hours: int = 12

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        return _host_port(value, "127.0.0.1:8080")

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^/\s?#@]+/?", value):
            raise PydanticCustomError(
                "base_url",
                '"{value}" is not an http(s) address of scheme and host only'
                " (e.g. https://bang.quanuy.vn)",
                {"value": value},
            )
        return value.rstrip("/")

    @field_validator("session_hours")
    @classmethod
    def _hours(cls, value: int) -> int:
        if not 1 <= value <= 24 * 7:
            raise PydanticCustomError(
                "hours", "must be between 1 and 168 hours, not {value}", {"value": value}
            )
        return value

    @property
    def link_base(self) -> str:
        """Where links to the board point: base_url, else the listen address itself."""
        return self.base_url or f"http://{self.listen}"

    @property
    def host_port(self) -> tuple[str, int]:
        host, _, port = self.listen.rpartition(":")
        return host.strip("[]"), int(port)


class Config(_Section):
    committee: Committee = Committee()
    storage: Storage = Storage()
    telegram: Telegram = Telegram()
    zalo: Zalo = Zalo()
    access: Access = Access()
    reminders: Reminders = Reminders()
    digest: Digest = Digest()
    coverage: Coverage = Coverage()
    invites: Invites = Invites()
    web: Web = Web()


def config_path(explicit: str | None) -> Path:
    """The file to read: --config, else $CHECKIN_BOT_CONFIG, else ./config.toml."""
    return Path(explicit or os.environ.get(ENV_CONFIG) or DEFAULT_PATH)


def load_config(path: Path, *, must_exist: bool = False) -> Config:
    """Read PATH (a missing default file means all defaults) and apply secrets from the env."""
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    elif must_exist:
        raise ConfigError([f"{path}: no such file (copy config.example.toml and edit it)"])
    _apply_env_secrets(data)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = [f"{path}: {_where(err['loc'])}: {_why(err)}" for err in exc.errors()]
        raise ConfigError(problems) from None
    # Relative storage paths are relative to the config file, not to wherever we were started.
    if path.exists() and not Path(config.storage.path).is_absolute():
        resolved = (path.parent / config.storage.path).as_posix()
        storage = config.storage.model_copy(update={"path": resolved})
        config = config.model_copy(update={"storage": storage})
    return config


def _apply_env_secrets(data: dict[str, Any]) -> None:
    for section, variable in (("telegram", ENV_TELEGRAM_TOKEN), ("zalo", ENV_ZALO_TOKEN)):
        token = os.environ.get(variable)
        if token and isinstance(data.setdefault(section, {}), dict):
            data[section]["token"] = token


def _where(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_MESSAGES = {
    "extra_forbidden": "unknown key (see config.example.toml)",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_parsing": "must be true or false",
    "string_type": "must be text in quotes",
    "list_type": "must be a list, e.g. [...]",
    "model_type": "must be a [section]",
    "literal_error": "must be one of {expected}",
}


def _why(error: dict[str, Any]) -> str:
    template = _MESSAGES.get(error["type"])
    if template is None:
        return error["msg"]
    return template.format(**(error.get("ctx") or {}))
