"""The message catalogs: every text in both languages, and every key the code asks for exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.core.decisions import OFFICE_REASONS
from bot.core.i18n import LANGUAGES, Translator, catalog

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*ROOT.glob("handlers/*.py"), *ROOT.glob("bot/**/*.py")]
# A text key written as a literal in a call that shows text: ctx.say("x.y"), t("x.y"), ...
KEY_USE = re.compile(r"""(?:say|\bt|notify\([^"]*|_t|text)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(catalog()))
def test_each_text_has_both_languages_with_the_same_placeholders(key):
    texts = catalog()[key]
    assert len(texts) == len(LANGUAGES), key
    vietnamese, english = texts
    assert vietnamese.strip() and english.strip(), key
    assert placeholders(vietnamese) == placeholders(english), key


def test_every_key_the_code_names_exists():
    used = {
        (path.relative_to(ROOT).as_posix(), key)
        for path in SOURCES
        for key in KEY_USE.findall(path.read_text(encoding="utf-8"))
    }
    assert len(used) > 50  # the pattern still finds the calls
    missing = sorted((where, key) for where, key in used if key not in catalog())
    assert missing == []


@pytest.mark.parametrize(
    "family",
    [
        # Keys the code builds from a value: every value it can take must have its text.
        [f"start.invite_{outcome}" for outcome in ("unknown", "used", "expired")],
        [f"error.not_{role}" for role in ("linked", "member", "secretary", "admin", "decider")],
        [
            f"confirm.{kind}_{status}"
            for kind in (
                "done",
                "done_changed",
                "told",
                "changed",
                "already",
                "offer_change",
                "state",
                "button_change",
            )
            for status in ("confirmed", "denied")
        ],
        [f"confirm.{kind}_{role}" for kind in ("by", "role") for role in ("secretary", "admin")],
        [f"digest.role_{role}" for role in ("secretary", "admin")],
        [f"checkin.office_decides_{reason}" for reason in OFFICE_REASONS],
        [f"confirm.why_{reason}" for reason in OFFICE_REASONS],
        [
            f"menu.{command}"
            for command in (
                "start",
                "help",
                "lang",
                "meetings",
                "checkin",
                "note",
                "status",
                "schedule",
                "confirm",
                "report",
            )
        ],
    ],
)
def test_keys_built_from_values_exist(family):
    assert [key for key in family if key not in catalog()] == []


def test_vietnamese_dates_read_day_first():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    instant = datetime(2021, 12, 5, 1, 0, tzinfo=ZoneInfo("UTC"))
    assert Translator("vi", tz).when(instant) == "Chủ Nhật 05/12/2021 08:00"
    assert Translator("en", tz).when(instant) == "Sun 05/12/2021 08:00"
