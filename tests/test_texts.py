"""The message catalogs: every text in both languages, and every key the code asks for exists."""

from __future__ import annotations

import re
import string
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.decisions import OFFICE_REASONS
from bot.core.i18n import LANGUAGES, Translator, catalog
from bot.core.plural import Plural
from bot.core.quarters import Quarter

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*ROOT.glob("handlers/*.py"), *ROOT.glob("bot/**/*.py")]
# A text key written as a literal in a call that shows text: ctx.say("x.y"), t("x.y"), ...
KEY_USE = re.compile(r"""(?:say|\bt|notify\([^"]*|_t|text)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
COUNTING = sorted(key for key, (vi, _) in catalog().items() if isinstance(vi, Plural))
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def forms(text: str | Plural) -> tuple[str, ...]:
    return text.forms if isinstance(text, Plural) else (text,)


@pytest.mark.parametrize("key", sorted(catalog()))
def test_each_text_has_both_languages_with_the_same_placeholders(key):
    texts = catalog()[key]
    assert len(texts) == len(LANGUAGES), key
    vietnamese, english = texts
    every = forms(vietnamese) + forms(english)
    assert all(form.strip() for form in every), key
    assert len({frozenset(placeholders(form)) for form in every}) == 1, key
    # A text counts in both languages or in neither, and by its count.
    assert isinstance(vietnamese, Plural) == isinstance(english, Plural), key
    assert not isinstance(vietnamese, Plural) or "count" in placeholders(every[0]), key


def test_there_are_counting_texts():
    assert len(COUNTING) >= 10  # the test below still finds them


@pytest.mark.parametrize("count", [0, 1, 2])
@pytest.mark.parametrize("key", COUNTING)
def test_a_counting_text_takes_the_form_of_its_count(key, count):
    vietnamese, english = catalog()[key]
    values = {name: f"<{name}>" for name in placeholders(vietnamese.other)} | {"count": count}
    # Vietnamese has no plural inflection: one form whatever the count.
    assert Translator("vi", TZ)(key, **values) == vietnamese.other.format(**values)
    shown = Translator("en", TZ)(key, **values)
    assert shown == (english.one if count == 1 else english.other).format(**values)
    if count == 1:
        assert english.one is not None and english.one != english.other, key
        assert not re.search(r"\b1 [a-z-]+s\b", shown), shown


@pytest.mark.parametrize("key", sorted(catalog()))
def test_a_number_before_a_plural_noun_is_a_counting_text(key):
    # "{count} organizations" reads "1 organizations" at 1: such a text must be a Plural.
    english = catalog()[key][1]
    for form in forms(english):
        assert "(s)" not in form, (key, form)
        if not isinstance(english, Plural):
            assert not re.search(r"\{\w+\} (?!(as|is|has|was|this)\b)[a-z-]+s\b", form), (key, form)


def test_the_counts_the_issue_found_wrong_read_right():
    en = Translator("en", TZ)
    one_day = en("common.days_left", count=1)
    nudge = en("reminders.nudge", quarter="Q4 2021", days_left=one_day, count=1, options="")
    assert "has 1 day left: you have not yet attended a meeting at 1 of your organizations" in nudge
    ratings = en("digest.ratings", count=1, counts="Good: 1", steps=1, difficulties=0)
    assert ratings.startswith("Quality of the meetings (1 note):")
    told = en("schedule.told_some", count=2, organization="O01")
    assert told == "2 committee members with no confirmed visit to O01 this quarter were told."


@pytest.mark.parametrize("key", sorted(catalog()))
def test_a_cells_name_is_not_preceded_by_its_kind(key):
    # Cell names carry their kind already ("Chi bộ Tổ dân phố số 3"): "Chi bộ {cell}" would
    # read "Chi bộ Chi bộ Tổ dân phố số 3", "Cell {cell}" "Cell Chi bộ ...".
    for text in (form for texts in catalog()[key] for form in forms(texts)):
        assert not re.search(r"(?i)\b(chi bộ|cell)\s+\{cell\}", text), (key, text)


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
        [f"schedule.confirm_{unusual}" for unusual in ("soon", "night")],
        [f"schedule.change_{why}" for why in ("cancelled", "started", "checked_in")],
        [f"meetings.{outcome}" for outcome in ("past", "cancelled", "not_found", "not_yours")],
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
    tz = TZ
    instant = datetime(2021, 12, 5, 1, 0, tzinfo=ZoneInfo("UTC"))
    assert Translator("vi", tz).when(instant) == "Chủ Nhật 05/12/2021 08:00"
    assert Translator("en", tz).when(instant) == "Sun 05/12/2021 08:00"


# -- one register, one term per thing (#13.7, #13.8) -------------------------------------------


def vietnamese_forms() -> list[tuple[str, str]]:
    return [(key, form) for key, (vi, _) in catalog().items() for form in forms(vi)]


def english_forms() -> list[tuple[str, str]]:
    return [(key, form) for key, (_, en) in catalog().items() for form in forms(en)]


def found(pattern: str, texts: list[tuple[str, str]], flags: int = 0) -> list[tuple[str, str]]:
    """(key, what matched) of every text where PATTERN is found."""
    return [
        (key, match.group(0)) for key, text in texts for match in re.finditer(pattern, text, flags)
    ]


def test_every_vietnamese_text_addresses_the_person_as_dong_chi():
    # "bạn" is how one speaks to a friend, not to a party member: never, as a word.
    assert found(r"(?<!\w)bạn(?!\w)", vietnamese_forms(), re.IGNORECASE) == []
    assert found(r"(?<!\w)bạn(?!\w)", [("made up", "Quý này Bạn chưa dự.")], re.I) != []


def test_the_quarter_is_written_one_way_per_language():
    q4 = Quarter(2021, 4)
    assert Translator("vi", TZ).quarter(q4) == "quý IV/2021"
    assert Translator("en", TZ).quarter(q4) == "Q4 2021"
    assert Translator("en", TZ).quarter(Quarter(2022, 1)) == "Q1 2022"
    assert Translator("vi", TZ).quarter(q4, heading=True) == "Quý IV/2021"
    assert Translator("en", TZ).quarter(q4, heading=True) == "Q4 2021"
    # A text names a quarter through its {quarter}, never by its own numbers.
    vietnamese, english = vietnamese_forms(), english_forms()
    assert found(r"[Qq][Uu][Ýý]\s*(\{\w+\}|\d|[IV]+\b)", vietnamese) == []
    assert found(r"\b(Quarter|QUARTER)\s*(\{\w+\}|\d|[IV]+\b)|\bQ(\{\w+\}|\d)", english) == []


def test_an_organization_is_named_one_way_in_vietnamese():
    # "cơ sở đảng" (the organizations a member is assigned to: "cơ sở đảng được phân công");
    # "cơ sở" otherwise only in the kinds of organization and the demo's database.
    allowed = r"cơ sở (đảng|dữ liệu)|(đảng ủy|chi bộ) cơ sở"
    texts = vietnamese_forms()
    stray = [
        (key, hit)
        for key, text in texts
        for hit in re.findall(r"\S*\s*cơ sở\s*\S*", re.sub(allowed, "", text, flags=re.I), re.I)
    ]
    assert stray == []
    assert found(r"tổ chức", texts, re.IGNORECASE) == []  # the older word for it
    # A meeting of a cell is "sinh hoạt", as the Regulation says, not "họp".
    assert found(r"(?<!\w)họp(?!\w)", texts, re.IGNORECASE) == []
    # A check-in is a "lượt điểm danh", rosters are "nhập" (imported), the next page is "Xem thêm".
    assert found(r"lần điểm danh|nạp danh sách|xem tiếp", texts, re.IGNORECASE) == []


def test_the_people_are_named_as_the_glossary_names_them_in_english():
    texts = english_forms()
    assert found(r"district committee member|standing committee member", texts, re.I) == []


def line_marks(text: str) -> list[str]:
    """The marks (emoji, bullets, dashes) each line of TEXT starts with."""
    return [re.match(r"\s*([^\w\s{(\"'\[]*)", line).group(1).strip() for line in text.split("\n")]


def symbols(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c) == "So"}


@pytest.mark.parametrize("key", sorted(catalog()))
def test_both_languages_say_it_in_the_same_shape(key):
    # The same meaning in both languages shows first in the same lines, marks and emoji (the
    # /meetings overflow line once said different things in each).
    every = [form for language in catalog()[key] for form in forms(language)]
    assert len({tuple(line_marks(form)) for form in every}) == 1, every
    assert len({frozenset(symbols(form)) for form in every}) == 1, every
