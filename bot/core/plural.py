"""Plural forms: a text that counts has a form per plural category of its language (CLDR)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Category = Literal["one", "other"]


def plural_category(language: str, count: object) -> Category:
    """COUNT's category in LANGUAGE, for whole numbers: Vietnamese does not inflect."""
    return "one" if language == "en" and count == 1 else "other"


@dataclass(frozen=True)
class Plural:
    """A text that counts, by its ``count`` placeholder: its form for each category."""

    other: str
    one: str | None = None  # only where the language has the category (English)

    def form(self, category: Category) -> str:
        return self.one if category == "one" and self.one is not None else self.other

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(form for form in (self.one, self.other) if form is not None)


# A catalogue entry in one language.
Text = str | Plural
