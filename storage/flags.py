"""Difficulty flags on cells (khó khăn, vướng mắc): the one definition of "flagged".

A cell is flagged by the roster (cells.csv's flagged column) or by a member's note that said the
meeting raised difficulties. Every statement that asks whether a cell is flagged is built from
`flagged` below, so the rule is written once.
"""

from __future__ import annotations


def flagged(cell: str = "c") -> str:
    """SQL: whether the cell aliased CELL is flagged."""
    return f"({cell}.flagged OR {cell}.difficulties_reported_at IS NOT NULL)"
