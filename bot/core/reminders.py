"""Who is reminded of what, and when: pure rules over a snapshot of the store and `now`.

Each rule returns `Due` decisions, every one with a unique key. The scheduler queues those
whose time has come (`is_due`) and whose key is not in the outbox yet, so re-computing the same
decisions at every tick, after a restart or in two ticks at once never sends anything twice.

A decision also says until when it still makes sense (`expires_at`): a reminder that waited out
the quiet hours, or a stopped bot, is dropped rather than sent after the meeting has begun.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.core.closing import ClosedQuarter
from bot.core.durations import format_duration
from bot.core.quarters import Quarter

# Messages about a day rather than an hour (a weekly suggestion, a nudge, a missing date) go at
# this local time: early enough to plan the day, after the default quiet hours.
MORNING = time(8, 0)
# A check-in waiting this long for its secretary is chased, once; a bot that was down longer
# than CHASE_CATCH_UP after that lets it be (the secretary's /confirm still lists it). The same
# catch-up holds for the office's request after reminders.confirm_escalate_after.
CONFIRMATION_WAIT = timedelta(hours=24)
CHASE_CATCH_UP = timedelta(days=7)
# By this day of the month a cell should have next month's meeting set.
SCHEDULE_BY_DAY = 25
# A digest the bot missed (it was down at send time) still goes out this long afterwards.
DIGEST_CATCH_UP = timedelta(days=30)
# Meetings listed per organization in a suggestion or a nudge: enough to pick one.
OPTIONS_PER_ORGANIZATION = 3


class MeetingInfo(NamedTuple):
    id: int
    starts_at: datetime
    cell_code: str
    cell_name: str
    organization_code: str
    organization_name: str
    venue: str
    flagged: bool


class PlannedMeeting(NamedTuple):
    """A member's "Will attend" for a meeting."""

    person_id: int
    member_code: str
    meeting: MeetingInfo
    checked_in: bool


class PendingCheckin(NamedTuple):
    checkin_id: int
    secretary_id: int | None  # None: the cell has no secretary on the roster
    member_name: str
    checked_in_at: datetime
    meeting: MeetingInfo
    member_person_id: int


class UnscheduledCell(NamedTuple):
    """A cell with a secretary and no meeting set in the month being looked at."""

    cell_code: str
    cell_name: str
    secretary_id: int


class MemberGap(NamedTuple):
    """A member's required organizations with no visit yet this quarter."""

    person_id: int
    member_code: str
    organizations: tuple[tuple[str, str], ...]  # (code, name)


class GapOption(NamedTuple):
    organization_code: str
    organization_name: str
    meetings: tuple[MeetingInfo, ...]  # flagged cells first, then soonest


@dataclass(frozen=True)
class Due:
    """A decision to send one message: what, to whom, from when, and until when."""

    key: str
    kind: str
    due_at: datetime
    expires_at: datetime | None
    subject: object = field(compare=False)
    person_id: int | None = None  # the recipient, or
    chat: str | None = None  # an explicit "channel:chat_id" (digest chats)


@dataclass(frozen=True)
class Reminder:
    meeting: MeetingInfo
    before: timedelta


@dataclass(frozen=True)
class Suggestion:
    options: tuple[GapOption, ...]


@dataclass(frozen=True)
class Nudge:
    quarter: Quarter
    days_left: int
    options: tuple[GapOption, ...]


@dataclass(frozen=True)
class Escalation:
    """A check-in that has waited WAITED for its secretary: the office is asked to decide."""

    checkin: PendingCheckin
    waited: timedelta


@dataclass(frozen=True)
class MissingDate:
    cell_code: str
    cell_name: str
    month: date  # its first day


@dataclass(frozen=True)
class DigestDue:
    quarter: Quarter


def is_due(decision: Due, now: datetime) -> bool:
    """Whether DECISION's time has come and it still makes sense at NOW."""
    return decision.due_at <= now and (decision.expires_at is None or now < decision.expires_at)


def at_local(day: date, moment: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=tz)


def meeting_reminders(
    plans: Iterable[PlannedMeeting],
    before_meeting: Sequence[timedelta],
    checkin_opens_before: timedelta,
    checkin_closes_after: timedelta,
) -> Iterator[Due]:
    """For each plan: one reminder per offset, and a "Check in" when the window opens.

    A reminder makes sense until the next one (or the window's opening) is due: a member who
    comes back online late gets the latest reminder only, never a burst of stale ones.
    """
    offsets = sorted(set(before_meeting), reverse=True)
    for plan in plans:
        if plan.checked_in:
            continue
        meeting, who = plan.meeting, f"meeting={plan.meeting.id}:member={plan.member_code}"
        opens = meeting.starts_at - checkin_opens_before
        for index, before in enumerate(offsets):
            due = meeting.starts_at - before
            following = (
                meeting.starts_at - offsets[index + 1] if index + 1 < len(offsets) else opens
            )
            until = min(following, opens, meeting.starts_at)
            if due < until:
                yield Due(
                    f"remind:{who}:before={format_duration(before)}",
                    "reminder",
                    due,
                    until,
                    Reminder(meeting, before),
                    person_id=plan.person_id,
                )
        yield Due(
            f"checkin-open:{who}",
            "checkin_open",
            opens,
            meeting.starts_at + checkin_closes_after,
            meeting,
            person_id=plan.person_id,
        )


def confirmation_chases(pending: Iterable[PendingCheckin]) -> Iterator[Due]:
    """Once per check-in that has waited CONFIRMATION_WAIT for its secretary (not for one the
    secretary made: the office decides that)."""
    for checkin in pending:
        if checkin.secretary_id is None or checkin.secretary_id == checkin.member_person_id:
            continue
        due = checkin.checked_in_at + CONFIRMATION_WAIT
        yield Due(
            f"confirm-chase:checkin={checkin.checkin_id}",
            "confirm_chase",
            due,
            due + CHASE_CATCH_UP,
            checkin,
            person_id=checkin.secretary_id,
        )


def office_request_key(checkin_id: int, admin_person_id: int) -> str:
    """One request to decide a check-in per admin: whether it went at once (no secretary to
    ask) or after the wait, an admin gets it once."""
    return f"office-request:checkin={checkin_id}:person={admin_person_id}"


def office_escalations(
    pending: Iterable[PendingCheckin], admins: Sequence[int], wait: timedelta
) -> Iterator[Due]:
    """Once per check-in still pending WAIT after it was made, to every admin but its author."""
    for checkin in pending:
        due = checkin.checked_in_at + wait
        for admin in admins:
            if admin == checkin.member_person_id:
                continue
            yield Due(
                office_request_key(checkin.checkin_id, admin),
                "office_escalation",
                due,
                due + CHASE_CATCH_UP,
                Escalation(checkin, wait),
                person_id=admin,
            )


def next_month(now: datetime, tz: ZoneInfo) -> date:
    """The first day of the local month after NOW's."""
    today = now.astimezone(tz).date()
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def scheduling_chase_moment(month: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """When the chase for MONTH's missing dates is due (the 25th before it, in the morning),
    and until when it makes sense (MONTH's first day)."""
    before = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, SCHEDULE_BY_DAY)
    return at_local(before, MORNING, tz), at_local(month, time(0), tz)


def scheduling_chases(cells: Iterable[UnscheduledCell], month: date, tz: ZoneInfo) -> Iterator[Due]:
    """On the 25th, once, to each secretary whose cell has no meeting set in MONTH."""
    due, until = scheduling_chase_moment(month, tz)
    for cell in cells:
        yield Due(
            f"schedule-chase:cell={cell.cell_code}:month={month:%Y-%m}",
            "schedule_chase",
            due,
            until,
            MissingDate(cell.cell_code, cell.cell_name, month),
            person_id=cell.secretary_id,
        )


def gap_options(
    gap: MemberGap, upcoming: Mapping[str, Sequence[MeetingInfo]]
) -> tuple[GapOption, ...]:
    """The member's uncovered organizations, each with its next meetings, flagged ones first."""
    options = []
    for code, name in gap.organizations:
        meetings = sorted(upcoming.get(code, ()), key=lambda m: (not m.flagged, m.starts_at))
        options.append(GapOption(code, name, tuple(meetings[:OPTIONS_PER_ORGANIZATION])))
    # Organizations with a flagged cell to visit first, then those with any date set.
    options.sort(key=lambda o: (not any(m.flagged for m in o.meetings), not o.meetings, o[0]))
    return tuple(options)


def suggestion_week(now: datetime, tz: ZoneInfo) -> tuple[str, datetime, datetime]:
    """NOW's ISO week ("2021W47"), when its suggestions are due (Monday morning), and until
    when they make sense (the week's end)."""
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    year, week, _ = monday.isocalendar()
    return (
        f"{year}W{week:02d}",
        at_local(monday, MORNING, tz),
        at_local(monday + timedelta(days=7), time(0), tz),
    )


def weekly_suggestions(
    gaps: Iterable[MemberGap],
    upcoming: Mapping[str, Sequence[MeetingInfo]],
    now: datetime,
    tz: ZoneInfo,
) -> Iterator[Due]:
    """At most one a week (Monday morning, or as soon after as the bot runs) per member."""
    week, due, until = suggestion_week(now, tz)
    for gap in gaps:
        yield Due(
            f"suggest:week={week}:member={gap.member_code}",
            "suggestion",
            due,
            until,
            Suggestion(gap_options(gap, upcoming)),
            person_id=gap.person_id,
        )


def nudge_moments(
    quarter: Quarter, offsets: Sequence[timedelta], tz: ZoneInfo
) -> list[tuple[datetime, datetime, str]]:
    """(due, until, offset as written) of each nudge of QUARTER, in time order.

    A nudge goes on the morning of the day OFFSET before the quarter ends, and makes sense
    until the next one is due, the last until the quarter ends.
    """
    ends = at_local(quarter.next().start, time(0), tz)
    dues = sorted(
        (at_local((ends - offset).date(), MORNING, tz), offset) for offset in set(offsets)
    )
    untils = [due for due, _ in dues[1:]] + [ends]
    return [
        (due, until, format_duration(offset))
        for (due, offset), until in zip(dues, untils, strict=True)
    ]


def quarter_nudges(
    gaps: Iterable[MemberGap],
    upcoming: Mapping[str, Sequence[MeetingInfo]],
    quarter: Quarter,
    offsets: Sequence[timedelta],
    tz: ZoneInfo,
) -> Iterator[Due]:
    """At each offset before the quarter ends, to every member with a missed organization."""
    gaps = list(gaps)
    for due, until, before in nudge_moments(quarter, offsets, tz):
        days_left = (quarter.next().start - due.date()).days
        for gap in gaps:
            yield Due(
                f"nudge:quarter={quarter}:before={before}:member={gap.member_code}",
                "nudge",
                due,
                until,
                Nudge(quarter, days_left, gap_options(gap, upcoming)),
                person_id=gap.person_id,
            )


def digest_chat_key(quarter: Quarter, chat: str, *, final: bool = False) -> str:
    """The outbox key of QUARTER's digest to CHAT: the preliminary one (on the quarter's last
    day) or the FINAL one (once it is closed), each once."""
    return f"digest{'-final' if final else ''}:quarter={quarter}:chat={chat}"


def digests(chats: Iterable[str], send_at: time, now: datetime, tz: ZoneInfo) -> Iterator[Due]:
    """The digest of the quarter of NOW and of the one before, to each digest chat.

    The one before is there for a bot that was down at send time: it goes out on start,
    within DIGEST_CATCH_UP.
    """
    chats = list(chats)
    current = Quarter.at(now, tz)
    for quarter in (current.previous(), current):
        due = at_local(quarter.end, send_at, tz)
        for chat in chats:
            yield Due(
                digest_chat_key(quarter, chat),
                "digest",
                due,
                due + DIGEST_CATCH_UP,
                DigestDue(quarter),
                chat=chat,
            )


def final_digests(chats: Iterable[str], closed: Iterable[ClosedQuarter]) -> Iterator[Due]:
    """The final digest of each CLOSED quarter, to each digest chat, once it is closed (by the
    bot or by `checkin-bot close`); a bot that was down then sends it within DIGEST_CATCH_UP."""
    chats = list(chats)
    for quarter in closed:
        for chat in chats:
            yield Due(
                digest_chat_key(quarter.quarter, chat, final=True),
                "digest",
                quarter.closed_at,
                quarter.closed_at + DIGEST_CATCH_UP,
                DigestDue(quarter.quarter),
                chat=chat,
            )
