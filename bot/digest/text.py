"""The digest as ONE chat message, at any scale: the totals, the organizations furthest behind,
the flagged cells not visited, what is still pending, and where the full lists are (the
workbook, and the office's board when it is served). The scheduler's digest, `checkin-bot
digest` and /report all say it.

A group receives a bot's messages slowly (about 20 a minute): a digest of many messages would
hold up everything else, and nobody reads page after page in a chat. So the lists are capped,
and the caps are lowered until the message fits the channel's limit.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.checkins import RATINGS
from bot.core.i18n import Translator
from bot.digest.model import Digest
from storage.digest import UnreachablePerson

# Lines of a list in the message, at most; the workbook has every one.
MOST_LISTED = 10


def digest_message(
    digest: Digest,
    t: Translator,
    *,
    limit: int,
    files_attached: bool,
    board: str | None = None,
    files_on_telegram: bool = True,
) -> str:
    """The digest in at most LIMIT characters; FILES_ATTACHED: the workbook follows it (else
    the message says where it is: in a Telegram digest chat when FILES_ON_TELEGRAM, else from
    the command line); BOARD: the address of the quarter on the office's board, which has the
    full lists too."""
    elsewhere = "digest.files_elsewhere" if files_on_telegram else "digest.files_by_command"
    where = t("digest.where_attached" if files_attached else elsewhere)
    if board:
        where += "\n" + t("digest.on_the_board", address=board)
    for listed in range(MOST_LISTED, -1, -1):
        text = _message(digest, t, listed, where)
        if len(text) <= limit:
            return text
    return text[: limit - 1] + "…"  # only a committee name of pages could come here


def _message(digest: Digest, t: Translator, listed: int, where: str) -> str:
    sections = [
        "\n".join((_title(digest, t), _standing(digest, t), _totals(digest, t))),
        _behind(digest, t, listed),
        _unvisited_flagged(digest, t, listed),
        _pending(digest, t),
        _amendments(digest, t, listed),
        _ratings(digest, t),
        _unreachable(digest, t),
        where,
    ]
    return "\n\n".join(section for section in sections if section)


def _title(digest: Digest, t: Translator) -> str:
    return t(
        "digest.title",
        committee=digest.committee,
        quarter=t.quarter(digest.quarter),
        day=f"{digest.as_of_day:%d/%m/%Y}",
    )


def _standing(digest: Digest, t: Translator) -> str:
    """Final (closed, when) or preliminary (how many check-ins still pending, closed when)."""
    if digest.closed_at is not None:
        return t("digest.final", closed=t.when(digest.closed_at))
    return t("digest.preliminary", count=digest.pending_checkins, closes=t.day(digest.closes_at))


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


def _behind(digest: Digest, t: Translator, listed: int) -> str:
    behind = digest.organizations_behind
    if not behind:
        return t("digest.none_behind")
    lines = [
        t(
            "digest.behind_line",
            code=o.code,
            name=o.name,
            missed=o.missed,
            required=o.required,
            visited=o.cells_visited,
            cells=o.cells,
        )
        for o in behind[:listed]
    ]
    shown = len(lines)
    return t("digest.behind", shown=shown, count=len(behind), lines=_bullets(lines))


def _unvisited_flagged(digest: Digest, t: Translator, listed: int) -> str:
    flagged = digest.unvisited_flagged
    if not flagged:
        return t("digest.flagged_all_visited")
    names, cell_names = digest.organization_names, digest.flagged_cell_names
    lines = [
        " ".join(part for part in (cell, cell_names.get(cell, ""), f"({names[org]})") if part)
        for cell, org in flagged[:listed]
    ]
    if len(flagged) > len(lines):
        lines.append(t("digest.and_more", count=len(flagged) - len(lines)))
    return t("digest.unvisited_flagged", count=len(flagged), lines=_bullets(lines))


def _pending(digest: Digest, t: Translator) -> str:
    members = digest.coverage.members
    behind = t("digest.members_behind", count=len(digest.members_with_missed), total=len(members))
    pending = digest.pending_checkins
    key = "digest.pending_closed" if digest.closed_at is not None else "digest.pending"
    waiting = t(key, count=pending) if pending else t("digest.none_pending")
    return f"{waiting}\n{behind}"


def _amendments(digest: Digest, t: Translator, listed: int) -> str:
    """The amendments, the latest LISTED of them; nothing when there are none."""
    amendments = digest.amendments
    if not amendments:
        return ""
    lines = [
        t(
            "digest.amendment_line",
            quarter=""
            if a.quarter == digest.quarter
            else t("digest.amendment_of", quarter=t.quarter(a.quarter, heading=True)),
            member=a.member,
            organization=a.organization,
            before=t(f"closing.status_{a.before}"),
            after=t(f"closing.status_{a.after}"),
            by=a.by_name,
            at=f"{a.at.astimezone(t.tz):%d/%m/%Y %H:%M}",
        )
        for a in amendments[-listed:]
        if listed
    ]
    if len(amendments) > len(lines):
        lines.insert(0, t("digest.and_earlier", count=len(amendments) - len(lines)))
    return t("digest.amendments", count=len(amendments), lines=_bullets(lines))


def _ratings(digest: Digest, t: Translator) -> str:
    count = len(digest.notes)
    if not count:
        said = t("digest.no_notes")
    else:
        counts = " · ".join(
            f"{t(f'note.rating_{rating}')}: {digest.ratings[rating]}" for rating in RATINGS
        )
        said = t(
            "digest.ratings",
            count=count,
            counts=counts,
            steps=digest.steps_kept,
            difficulties=digest.difficulties_raised,
        )
    if digest.photos:
        said += "\n" + t("digest.photos", photos=digest.photos, sheet=t("digest.sheet_notes"))
    return said


def _unreachable(digest: Digest, t: Translator) -> str:
    if not digest.unreachable:
        return t("digest.all_reachable")
    sheet = t("digest.sheet_unreachable")  # as the workbook names it
    return t("digest.unreachable_count", count=len(digest.unreachable), sheet=sheet)


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(line if line.startswith("…") else f"• {line}" for line in lines)


def why_unreachable(person: UnreachablePerson, t: Translator) -> str:
    if person.reason == "blocked":
        since = t.day(person.since) if person.since is not None else "?"
        return t("digest.reason_blocked", day=since)
    return t("digest.reason_not_linked")
