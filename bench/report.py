"""The shape every bench reports in: one row per figure, printed as a table at the end."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure. OK is None for figures given for information, without a target.

    BROKEN marks a result that is wrong rather than slow (e.g. two computations disagree); it
    is the only thing that makes the bench run fail.
    """

    name: str
    measured: str
    target: str = "-"
    ok: bool | None = None
    broken: bool = False

    @classmethod
    def exactly(cls, name: str, measured: object, expected: object) -> Figure:
        """A figure that must be EXPECTED: anything else is wrong, not slow."""
        right = measured == expected
        return cls(name, str(measured), str(expected), right, broken=not right)

    @property
    def verdict(self) -> str:
        if self.broken:
            return "WRONG"
        return "info" if self.ok is None else "ok" if self.ok else "NOT OK"


def print_table(figures: list[Figure]) -> None:
    widths = [
        max(len(header), *(len(cell) for cell in cells))
        for header, *cells in zip(
            ("figure", "measured", "target", "verdict"),
            *((f.name, f.measured, f.target, f.verdict) for f in figures),
            strict=True,
        )
    ]
    for row in [("figure", "measured", "target", "verdict"), None] + [
        (f.name, f.measured, f.target, f.verdict) for f in figures
    ]:
        if row is None:
            print("  ".join("-" * w for w in widths))
        else:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def median(values: list[float]) -> float:
    return statistics.median(values)


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def seconds(values: list[float]) -> str:
    """Every run, in order, so a slow first run (cold caches) is visible."""
    return " ".join(f"{v:.3f}" for v in values)
