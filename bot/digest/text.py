"""The digest as a chat message: the full one for the digest chats, the short one for /report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.checkins import RATINGS
from bot.core.i18n import Translator
from bot.digest.model import Digest
from storage.digest import UnreachablePerson

# The short text fits a phone screen; the full lists are in the full text and the workbook.
SHOWN = 15
# People the bot cannot reach, in the digest's message: a city has thousands of secretaries
# not linked yet, pages of chat; the workbook's unreachable sheet has them all.
SHOWN_UNREACHABLE = 40


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
