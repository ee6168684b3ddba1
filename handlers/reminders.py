"""What the scheduler's messages say: each decision of bot.reminders as text and choices."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.core.i18n import Translator
from bot.core.messages import Choice, Message
from bot.core.reminders import (
    Due,
    Escalation,
    GapOption,
    MeetingInfo,
    MissingDate,
    Nudge,
    PendingCheckin,
    Reminder,
    Suggestion,
)
from bot.services.decision_requests import decision_choices

# Buttons under a suggestion or a nudge: one per organization, its first option.
MAX_ATTEND_BUTTONS = 5


def render(decision: Due, t: Translator) -> Message:
    """DECISION as a message in T's language."""
    return _RENDERERS[decision.kind](decision.subject, t)


def _meeting_values(t: Translator, meeting: MeetingInfo) -> dict[str, str]:
    return {
        "cell": meeting.cell_name,
        "organization": meeting.organization_name,
        "when": t.when(meeting.starts_at),
        "venue": meeting.venue or t("meetings.no_venue"),
    }


def _reminder(subject: Reminder, t: Translator) -> Message:
    return Message(t("reminders.before_meeting", **_meeting_values(t, subject.meeting)))


def _checkin_open(meeting: MeetingInfo, t: Translator) -> Message:
    button = Choice(t("checkin.button", cell_code=meeting.cell_code), f"checkin:{meeting.id}")
    return Message(t("reminders.checkin_open", **_meeting_values(t, meeting)), (button,))


def _options(t: Translator, options: tuple[GapOption, ...]) -> tuple[str, tuple[Choice, ...]]:
    """The organizations to visit, each with its next meetings; "Will attend" for the first."""
    lines, choices = [], []
    for option in options:
        lines.append(
            t(
                "reminders.option_organization",
                organization=option.organization_name,
                code=option.organization_code,
            )
        )
        for meeting in option.meetings:
            marks = t("meetings.flagged_mark") if meeting.flagged else ""
            lines.append(
                t(
                    "reminders.option_meeting",
                    when=t.when(meeting.starts_at),
                    cell=meeting.cell_name,
                    marks=marks,
                )
            )
        if not option.meetings:
            lines.append(t("reminders.option_no_meeting"))
        elif len(choices) < MAX_ATTEND_BUTTONS:
            first = option.meetings[0]
            day = t.day(first.starts_at)[:5]
            label = t("meetings.attend_button", cell_code=first.cell_code, day=day)
            choices.append(Choice(label, f"attend:{first.id}"))
    if choices:
        lines.append(t("meetings.pick"))
    return "\n".join(lines), tuple(choices)


def _suggestion(subject: Suggestion, t: Translator) -> Message:
    text, choices = _options(t, subject.options)
    return Message(t("reminders.suggestion", count=len(subject.options), options=text), choices)


def _nudge(subject: Nudge, t: Translator) -> Message:
    text, choices = _options(t, subject.options)
    return Message(
        t(
            "reminders.nudge",
            days_left=t("common.days_left", count=subject.days_left),
            quarter=t.quarter(subject.quarter),
            count=len(subject.options),
            options=text,
        ),
        choices,
    )


def _confirm_chase(subject: PendingCheckin, t: Translator) -> Message:
    meeting = subject.meeting
    text = t(
        "reminders.confirm_chase",
        member=subject.member_name,
        cell=meeting.cell_name,
        when=t.when(meeting.starts_at),
    )
    return Message(text, _decision_choices(t, subject.checkin_id))


def _office_escalation(subject: Escalation, t: Translator) -> Message:
    checkin = subject.checkin
    text = t(
        "reminders.office_escalation",
        member=checkin.member_name,
        cell=checkin.meeting.cell_name,
        when=t.when(checkin.meeting.starts_at),
        waited=_span(t, subject.waited),
    )
    return Message(text, _decision_choices(t, checkin.checkin_id))


def _decision_choices(t: Translator, checkin_id: int) -> tuple[Choice, ...]:
    return tuple(Choice(t(label), data) for label, data in decision_choices(checkin_id))


def _schedule_chase(subject: MissingDate, t: Translator) -> Message:
    return Message(
        t(
            "reminders.schedule_chase",
            cell=subject.cell_name,
            month=f"{subject.month:%m/%Y}",
            example=f"{subject.month:%Y-%m}-05 08:00",
        )
    )


_RENDERERS: dict[str, Callable[..., Message]] = {
    "reminder": _reminder,
    "checkin_open": _checkin_open,
    "suggestion": _suggestion,
    "nudge": _nudge,
    "confirm_chase": _confirm_chase,
    "office_escalation": _office_escalation,
    "schedule_chase": _schedule_chase,
}


def _span(t: Translator, span: timedelta) -> str:
    """A span as people say it: "2 days", "36 hours", "90 minutes"."""
    minutes = int(span.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        return t("common.days", count=minutes // (24 * 60))
    if minutes % 60 == 0:
        return t("common.hours", count=minutes // 60)
    return t("common.minutes", count=minutes)
