"""Interface language: message catalogs (Vietnamese first, English second) and date formats.

Each feature keeps its texts in ``bot/core/texts/<feature>.py`` as ``TEXTS = {key: (vi, en)}``;
keys are unique across features. A test checks every key has both languages and the same
placeholders in each.

A text that counts something is a ``Plural`` in both languages: a form per plural category of
the language, picked by its ``count`` placeholder. A text with two counts takes the second as
a phrase rendered from its own plural key (``common.days_left``).
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

import bot.core.texts
from bot.core.plural import Plural, Text, plural_category
from bot.core.quarters import Quarter

LANGUAGES = ("vi", "en")
_WEEKDAYS = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = {
    "vi": tuple(f"tháng {number}" for number in range(1, 13)),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


# A quarter, one way per language: "quý IV/2021" (as Vietnamese documents number quarters),
# "Q4 2021".
_QUARTERS = {"vi": "quý {roman}/{year}", "en": "Q{number} {year}"}


@cache
def catalog() -> dict[str, tuple[Text, Text]]:
    """Every text of every feature module, by key."""
    merged: dict[str, tuple[Text, Text]] = {}
    for module_info in sorted(pkgutil.iter_modules(bot.core.texts.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"bot.core.texts.{module_info.name}")
        for key, texts in module.TEXTS.items():
            if key in merged:
                raise KeyError(
                    f"text key {key!r} defined twice (bot/core/texts/{module_info.name})"
                )
            merged[key] = texts
    return merged


class Translator:
    def __init__(self, language: str, tz: ZoneInfo):
        self.language = language if language in LANGUAGES else "vi"
        self.tz = tz
        self._index = LANGUAGES.index(self.language)

    def __call__(self, key: str, **values: object) -> str:
        text = catalog()[key][self._index]
        if isinstance(text, Plural):
            text = text.form(plural_category(self.language, values["count"]))
        return text.format(**values) if values else text

    def when(self, instant: datetime) -> str:
        """A meeting time as people read it: "Thứ Bảy 05/12/2021 08:00" / "Sat 05/12/2021 08:00"."""
        local = instant.astimezone(self.tz)
        return f"{_WEEKDAYS[self.language][local.weekday()]} {local:%d/%m/%Y %H:%M}"

    def quarter(self, quarter: Quarter, *, heading: bool = False) -> str:
        """A quarter as every text writes it: "quý IV/2021" / "Q4 2021"; as a HEADING (a title,
        the start of a line) "Quý IV/2021"."""
        text = _QUARTERS[self.language].format(
            roman=quarter.roman, number=quarter.number, year=quarter.year
        )
        return text[:1].upper() + text[1:] if heading else text

    def month(self, number: int) -> str:
        """A month of the year by its number (1-12): "tháng 2" / "February"."""
        return _MONTHS[self.language][number - 1]

    def clock(self, instant: datetime) -> str:
        return f"{instant.astimezone(self.tz):%H:%M}"

    def day(self, instant: datetime) -> str:
        return f"{instant.astimezone(self.tz):%d/%m/%Y}"
