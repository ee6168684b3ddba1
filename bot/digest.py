"""The quarterly digest: what it says (gathered once from the store), its text and files.

``gather_digest`` reads everything the digest reports into one frozen ``Digest``; the text,
the workbook and the chart (bot.digest_files) are pure functions of it, and ``render_digest``
makes all of them, so the scheduler's digest, ``checkin-bot digest`` and /report say the same.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from bot.config import Config
from bot.coverage import MemberCoverage, QuarterCoverage
from bot.digest_files import write_chart, write_workbook
from bot.quarters import Quarter
from bot.services.coverage import quarter_coverage
from bot.services.notes import RATINGS
from handlers.i18n import Translator
from storage.digest import DigestVisit, UnreachablePerson
from storage.store import Store

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# The short text fits a phone screen; the full lists are in the full text and the workbook.
SHOWN = 15
# People the bot cannot reach, in the digest's message: a city has thousands of secretaries
# not linked yet, pages of chat; the workbook's unreachable sheet has them all.
SHOWN_UNREACHABLE = 40


@dataclass(frozen=True)
class Digest:
    """Everything the digest of QUARTER says, as of AS_OF."""

    committee: str
    quarter: Quarter
    as_of: datetime
    as_of_day: date  # the last day the figures cover (the quarter's last day once it is over)
    coverage: QuarterCoverage
    member_positions: Mapping[str, str]  # code -> standing | member
    organization_kinds: Mapping[str, str]  # code -> committee | cell
    flagged_cell_names: Mapping[str, str]  # code -> name
    visits: tuple[DigestVisit, ...]  # every check-in of the quarter, denied ones too
    unreachable: tuple[UnreachablePerson, ...]

    @property
    def roman(self) -> str:
        return ROMAN[self.quarter.number]

    def quarter_title(self, t: Translator) -> str:
        """ "Quý IV/2021", as the chart and the files' captions name the quarter."""
        return t("digest.quarter", roman=self.roman, year=self.quarter.year)

    @property
    def percent(self) -> int:
        totals = self.coverage.totals
        return round(100 * totals["covered"] / totals["required"]) if totals["required"] else 0

    @cached_property
    def organization_names(self) -> dict[str, str]:
        return {o.code: o.name for o in self.coverage.organizations}

    @cached_property
    def unvisited_organizations(self) -> list[tuple[str, str]]:
        """(code, name) of the organizations none of whose cells had a confirmed visit."""
        return [(o.code, o.name) for o in self.coverage.organizations if o.cells_visited == 0]

    @property
    def organizations_visited(self) -> int:
        return len(self.coverage.organizations) - len(self.unvisited_organizations)

    @cached_property
    def unvisited_flagged(self) -> list[tuple[str, str]]:
        """(cell code, organization code) of the flagged cells not visited."""
        return [
            (cell, o.code)
            for o in self.coverage.organizations
            for cell in o.flagged_cells
            if cell not in o.flagged_visited
        ]

    @property
    def flagged_total(self) -> int:
        return sum(len(o.flagged_cells) for o in self.coverage.organizations)

    @property
    def flagged_visited(self) -> int:
        return self.flagged_total - len(self.unvisited_flagged)

    @cached_property
    def members_with_missed(self) -> list[tuple[MemberCoverage, list[str]]]:
        """Each member with a missed organization, and those organizations' codes."""
        found = []
        for member in self.coverage.members:
            missed = [p.organization for p in member.organizations if p.status == "missed"]
            if missed:
                found.append((member, missed))
        return found

    @cached_property
    def notes(self) -> tuple[DigestVisit, ...]:
        """The visits with a quality note, except those the secretary denied (no visit)."""
        return tuple(v for v in self.visits if v.rating is not None and v.status != "denied")

    @cached_property
    def ratings(self) -> dict[str, int]:
        counts = Counter(v.rating for v in self.notes)
        return {rating: counts[rating] for rating in RATINGS}

    @property
    def steps_kept(self) -> int:
        return sum(1 for v in self.notes if v.steps_kept)

    @property
    def difficulties_raised(self) -> int:
        return sum(1 for v in self.notes if v.difficulties_raised)

    @cached_property
    def unreachable_members(self) -> dict[str, UnreachablePerson]:
        return {p.member_code: p for p in self.unreachable if p.member_code is not None}


async def gather_digest(store: Store, config: Config, quarter: Quarter, now: datetime) -> Digest:
    """Read what the digest of QUARTER says, as of NOW."""
    tz = config.committee.tz
    start, end = quarter.utc_bounds(tz)
    queries = store.digest
    coverage = await quarter_coverage(store, config, quarter)
    return Digest(
        committee=config.committee.name,
        quarter=quarter,
        as_of=now,
        as_of_day=min(now.astimezone(tz).date(), quarter.end),
        coverage=coverage,
        member_positions=await queries.member_positions(),
        organization_kinds=await queries.organization_kinds(),
        flagged_cell_names=await queries.flagged_cell_names(),
        visits=tuple(await queries.visits_between(start, end)),
        unreachable=tuple(await queries.unreachable()),
    )


@dataclass(frozen=True)
class RenderedDigest:
    text: str  # the full digest, one piece (the outbox cuts it to each channel's length)
    short_text: str  # /report's reply
    xlsx: Path
    png: Path
    xlsx_caption: str
    png_caption: str


async def render_digest(
    store: Store,
    config: Config,
    quarter: Quarter,
    now: datetime,
    folder: Path,
    language: str = "vi",
) -> RenderedDigest:
    """Write digest-<quarter>.xlsx and .png into FOLDER; return them with the texts."""
    digest = await gather_digest(store, config, quarter, now)
    t = Translator(language, config.committee.tz)
    # Seconds of CPU at city scale: off the event loop, so the bot keeps answering meanwhile.
    return await asyncio.to_thread(_render, digest, t, Path(folder))


def _render(digest: Digest, t: Translator, folder: Path) -> RenderedDigest:
    folder.mkdir(parents=True, exist_ok=True)
    xlsx = folder / f"digest-{digest.quarter}.xlsx"
    png = folder / f"digest-{digest.quarter}.png"
    write_workbook(digest, xlsx, t)
    write_chart(digest, png, t)
    quarter = digest.quarter_title(t)
    return RenderedDigest(
        text=digest_text(digest, t),
        short_text=digest_text(digest, t, short=True),
        xlsx=xlsx,
        png=png,
        xlsx_caption=t("digest.workbook_caption", quarter=quarter),
        png_caption=t("digest.chart_caption", quarter=quarter),
    )


# -- text -------------------------------------------------------------------------------------


def digest_text(digest: Digest, t: Translator, *, short: bool = False) -> str:
    """The digest as a message: SHORT is /report's (capped lists, codes only)."""
    if short:
        sections = [
            _headline(digest, t),
            _unvisited_organizations(digest, t, short=True),
            _unvisited_flagged(digest, t, short=True),
            _missed_members(digest, t, short=True),
        ]
    else:
        sections = [
            _title(digest, t) + "\n" + _totals(digest, t),
            _unvisited_organizations(digest, t, short=False),
            _unvisited_flagged(digest, t, short=False),
            _missed_members(digest, t, short=False),
            _ratings(digest, t),
            _unreachable(digest, t),
        ]
    return "\n\n".join(sections)


def _title(digest: Digest, t: Translator) -> str:
    return t(
        "digest.title",
        committee=digest.committee,
        roman=digest.roman,
        year=digest.quarter.year,
        day=_day(digest.as_of_day),
    )


def _headline(digest: Digest, t: Translator) -> str:
    return t(
        "digest.headline",
        roman=digest.roman,
        year=digest.quarter.year,
        day=_day(digest.as_of_day),
        percent=digest.percent,
        **digest.coverage.totals,
    )


def _totals(digest: Digest, t: Translator) -> str:
    return "\n".join(
        [
            t("digest.totals", percent=digest.percent, **digest.coverage.totals),
            t(
                "digest.organizations_visited",
                visited=digest.organizations_visited,
                total=len(digest.coverage.organizations),
            ),
            t(
                "digest.flagged_visited",
                visited=digest.flagged_visited,
                total=digest.flagged_total,
            ),
        ]
    )


def _unvisited_organizations(digest: Digest, t: Translator, *, short: bool) -> str:
    lines = [f"{code} {name}" for code, name in digest.unvisited_organizations]
    if not lines:
        return t("digest.all_organizations_visited")
    return t("digest.unvisited_organizations", count=len(lines), lines=_listed(t, lines, short))


def _unvisited_flagged(digest: Digest, t: Translator, *, short: bool) -> str:
    names = digest.organization_names
    lines = []
    for cell, org in digest.unvisited_flagged:
        cell_name = "" if short else digest.flagged_cell_names.get(cell, "")
        lines.append(
            f"{cell} {cell_name} ({names[org]})" if cell_name else f"{cell} ({names[org]})"
        )
    if not lines:
        return t("digest.flagged_all_visited")
    return t("digest.unvisited_flagged", count=len(lines), lines=_listed(t, lines, short))


def _missed_members(digest: Digest, t: Translator, *, short: bool) -> str:
    names = digest.organization_names
    if short:  # names of people only: the codes of what they missed
        lines = [f"{m.name}: {', '.join(missed)}" for m, missed in digest.members_with_missed]
    else:
        lines = [
            f"{m.name} ({m.code}): " + "; ".join(f"{org} {names[org]}" for org in missed)
            for m, missed in digest.members_with_missed
        ]
    if not lines:
        return t("digest.no_missed_members")
    return t("digest.missed_members", count=len(lines), lines=_listed(t, lines, short))


def _ratings(digest: Digest, t: Translator) -> str:
    count = len(digest.notes)
    if not count:
        return t("digest.no_notes")
    counts = " · ".join(
        f"{t(f'note.rating_{rating}')}: {digest.ratings[rating]}" for rating in RATINGS
    )
    return t(
        "digest.ratings",
        count=count,
        counts=counts,
        steps=digest.steps_kept,
        difficulties=digest.difficulties_raised,
    )


def _unreachable(digest: Digest, t: Translator) -> str:
    if not digest.unreachable:
        return t("digest.all_reachable")
    people = digest.unreachable
    lines = [
        f"• {who_is(person, t)}: {why_unreachable(person, t)}"
        for person in people[:SHOWN_UNREACHABLE]
    ]
    if len(people) > SHOWN_UNREACHABLE:
        lines.append(t("digest.and_more_in_workbook", count=len(people) - SHOWN_UNREACHABLE))
    return t("digest.unreachable", count=len(people), lines="\n".join(lines))


def who_is(person: UnreachablePerson, t: Translator) -> str:
    """ "Name (M05)", "Name, secretary of C0101", or both: the codes `invite` takes."""
    code = f"({person.member_code})" if person.member_code is not None else ""
    parts = [" ".join(part for part in (person.name, code) if part)]
    if person.cells:
        parts.append(t("digest.secretary_of", cells=", ".join(person.cells)))
    return ", ".join(part for part in parts if part)


def why_unreachable(person: UnreachablePerson, t: Translator) -> str:
    if person.reason == "blocked":
        since = t.day(person.since) if person.since is not None else "?"
        return t("digest.reason_blocked", day=since)
    return t("digest.reason_not_linked")


def _listed(t: Translator, lines: Sequence[str], short: bool) -> str:
    shown = [f"• {line}" for line in (lines[:SHOWN] if short else lines)]
    if short and len(lines) > SHOWN:
        shown.append(t("digest.and_more", count=len(lines) - SHOWN))
    return "\n".join(shown)


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}"
