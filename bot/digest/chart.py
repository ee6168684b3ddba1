"""The digest's chart: a PNG the office can forward.

Drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas (no pyplot: no global
figures, no GUI backend), in DejaVu Sans, which ships with matplotlib and has every Vietnamese
letter. matplotlib is imported when a chart is drawn, not with this module: it takes a while
to load, and only the digest needs it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.checkins import RATINGS
from bot.core.i18n import Translator
from bot.digest.model import Digest
from bot.digest.whole_file import write_whole

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FONT_FAMILY = "DejaVu Sans"
# Status colours people read at a glance: green done, amber waiting, red not done.
GREEN, AMBER, RED, GREY = "#2e7d32", "#f9a825", "#c62828", "#9e9e9e"
# matplotlib is not thread-safe; renderings run in worker threads (asyncio.to_thread).
_DRAWING = threading.Lock()


def write_chart(digest: Digest, path: Path, t: Translator) -> None:
    """A PNG: required visits by status, organizations and flagged cells visited, ratings."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with _DRAWING:
        canvas = FigureCanvasAgg(draw_chart(digest, t))
        write_whole(path, lambda target: canvas.print_png(str(target)))


def draw_chart(digest: Digest, t: Translator) -> Figure:
    """The chart's figure, its three panels side by side (hold _DRAWING while drawing)."""
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = FontProperties(family=FONT_FAMILY)
    figure = Figure(figsize=(13, 4.8), dpi=100, layout="constrained")
    coverage_axes, visits_axes, ratings_axes = figure.subplots(1, 3)
    _draw_coverage(coverage_axes, digest, t, font)
    _draw_visits(visits_axes, digest, t, font)
    _draw_ratings(ratings_axes, digest, t, font)
    figure.suptitle(
        t("digest.chart_title", committee=digest.committee, quarter=t.quarter(digest.quarter))
        + "\n"
        + t("digest.chart_subtitle", day=f"{digest.as_of_day:%d/%m/%Y}"),
        fontproperties=FontProperties(family=FONT_FAMILY, size=14, weight="bold"),
    )
    return figure


def _draw_coverage(axes, digest: Digest, t: Translator, font) -> None:
    totals = digest.coverage.totals
    statuses = ("covered", "pending", "missed")
    labels = [t(f"digest.chart_{s}") for s in statuses]
    bars = axes.bar(labels, [totals[s] for s in statuses], color=[GREEN, AMBER, RED])
    axes.bar_label(bars, fontproperties=font)
    axes.set_title(
        t("digest.chart_coverage", percent=digest.percent, **totals), fontproperties=font
    )
    _finish(axes, axes.yaxis, font)


def _draw_visits(axes, digest: Digest, t: Translator, font) -> None:
    labels = [t("digest.chart_organizations"), t("digest.chart_flagged")]
    visited = [digest.organizations_visited, digest.flagged_visited]
    missing = [len(digest.unvisited_organizations), len(digest.unvisited_flagged)]
    done = axes.barh(labels, visited, color=GREEN, label=t("digest.chart_visited"))
    not_done = axes.barh(
        labels, missing, left=visited, color=GREY, label=t("digest.chart_not_visited")
    )
    for bars, values, colour in ((done, visited, "white"), (not_done, missing, "black")):
        labels = [str(value) if value else "" for value in values]  # no "0" on an empty bar
        axes.bar_label(bars, labels, label_type="center", fontproperties=font, color=colour)
    axes.invert_yaxis()
    axes.set_title(t("digest.chart_visits"), fontproperties=font)
    axes.legend(prop=font, loc="lower right")
    _finish(axes, axes.xaxis, font)


def _draw_ratings(axes, digest: Digest, t: Translator, font) -> None:
    if not digest.notes:
        # Bars of nothing would be drawn on an axis from -0.045 to 0.045: say it instead.
        axes.set_title(t("digest.chart_ratings", count=0), fontproperties=font)
        axes.text(
            0.5,
            0.5,
            t("digest.chart_no_notes"),
            ha="center",
            va="center",
            transform=axes.transAxes,
            fontproperties=font,
            color=GREY,
        )
        axes.set_axis_off()
        return
    labels = [t(f"note.rating_{r}") for r in RATINGS]
    bars = axes.bar(
        labels, [digest.ratings[r] for r in RATINGS], color=[GREEN, "#7cb342", AMBER, RED]
    )
    axes.bar_label(bars, fontproperties=font)
    axes.set_title(t("digest.chart_ratings", count=len(digest.notes)), fontproperties=font)
    _finish(axes, axes.yaxis, font)


def _finish(axes, counts_axis, font) -> None:
    """Whole-number ticks on COUNTS_AXIS, category labels in the font with Vietnamese letters,
    no frame lines on top and right."""
    from matplotlib.ticker import MaxNLocator

    counts_axis.set_major_locator(MaxNLocator(integer=True))
    for label in (*axes.get_xticklabels(), *axes.get_yticklabels()):
        label.set_fontproperties(font)
    axes.spines[["top", "right"]].set_visible(False)
