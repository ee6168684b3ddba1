"""The reminder rules (bot.reminders) and quiet hours: pure functions of data and `now`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.core.config import Config, Reminders
from bot.core.quarters import Quarter
from bot.core.quiet_hours import QuietHours
from bot.core.reminders import (
    DIGEST_CATCH_UP,
    Escalation,
    GapOption,
    MeetingInfo,
    MemberGap,
    PendingCheckin,
    PlannedMeeting,
    UnscheduledCell,
    confirmation_chases,
    digests,
    gap_options,
    is_due,
    meeting_reminders,
    next_month,
    nudge_moments,
    office_escalations,
    quarter_nudges,
    scheduling_chases,
    suggestion_week,
    weekly_suggestions,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


MEETING_AT = local(2021, 11, 25, 8, 0)


def meeting(
    id_: int = 42,
    starts_at: datetime = MEETING_AT,
    org: str = "O01",
    flagged: bool = False,
    cell: str = "C0101",
) -> MeetingInfo:
    return MeetingInfo(id_, starts_at, cell, f"Chi bộ {cell}", org, f"Đảng ủy {org}", "", flagged)


def plan(checked_in: bool = False, **kwargs) -> PlannedMeeting:
    return PlannedMeeting(7, "M07", meeting(**kwargs), checked_in)


def remind(plans, before=(DAY, 2 * HOUR), opens=timedelta(minutes=30), closes=3 * HOUR):
    return {d.key: d for d in meeting_reminders(plans, before, opens, closes)}


def due_keys(decisions, now: datetime) -> list[str]:
    return sorted(d.key for d in decisions if is_due(d, now))


# --- meeting reminders -------------------------------------------------------------------


def test_each_offset_is_due_until_the_next_one_and_the_window_opens_with_a_button():
    found = remind([plan()])
    day_before = found["remind:meeting=42:member=M07:before=1d"]
    two_hours = found["remind:meeting=42:member=M07:before=2h"]
    opening = found["checkin-open:meeting=42:member=M07"]
    assert (day_before.due_at, day_before.expires_at) == (
        local(2021, 11, 24, 8),
        local(2021, 11, 25, 6),
    )
    assert (two_hours.due_at, two_hours.expires_at) == (
        local(2021, 11, 25, 6),
        local(2021, 11, 25, 7, 30),
    )
    assert (opening.due_at, opening.expires_at) == (
        local(2021, 11, 25, 7, 30),
        local(2021, 11, 25, 11),
    )
    assert {d.person_id for d in found.values()} == {7}
    assert {d.kind for d in found.values()} == {"reminder", "checkin_open"}


def test_at_any_moment_at_most_one_reminder_of_a_plan_is_due():
    decisions = list(remind([plan()]).values())
    assert due_keys(decisions, local(2021, 11, 24, 7, 59)) == []
    assert due_keys(decisions, local(2021, 11, 24, 8)) == ["remind:meeting=42:member=M07:before=1d"]
    # Back online the morning of the meeting: the latest reminder only, not a burst.
    assert due_keys(decisions, local(2021, 11, 25, 6, 30)) == [
        "remind:meeting=42:member=M07:before=2h"
    ]
    assert due_keys(decisions, local(2021, 11, 25, 9)) == ["checkin-open:meeting=42:member=M07"]
    assert due_keys(decisions, local(2021, 11, 25, 11)) == []


@given(
    offsets=st.lists(st.integers(1, 72 * 60), min_size=1, max_size=5),
    opens=st.integers(0, 120),
    probe=st.integers(-4 * 24 * 60, 4 * 24 * 60),
)
def test_reminder_windows_never_overlap(offsets, opens, probe):
    decisions = list(
        remind(
            [plan()],
            before=[timedelta(minutes=m) for m in offsets],
            opens=timedelta(minutes=opens),
        ).values()
    )
    now = local(2021, 11, 25, 8) + timedelta(minutes=probe)
    due = [d for d in decisions if d.kind == "reminder" and is_due(d, now)]
    assert len(due) <= 1
    assert all(d.due_at < d.expires_at <= local(2021, 11, 25, 8) for d in decisions[:-1])


def test_a_member_already_checked_in_is_not_reminded():
    assert remind([plan(checked_in=True)]) == {}


def test_an_offset_inside_the_check_in_window_is_left_to_the_check_in_message():
    found = remind([plan()], before=[timedelta(minutes=15)])
    assert list(found) == ["checkin-open:meeting=42:member=M07"]


# --- secretaries ---------------------------------------------------------------------------


def test_a_check_in_is_chased_once_after_24_hours():
    waiting = PendingCheckin(5, 99, "Nguyễn Văn A", local(2021, 11, 20, 9), meeting(), 7)
    (chase,) = confirmation_chases([waiting])
    assert chase.key == "confirm-chase:checkin=5"
    assert (chase.due_at, chase.expires_at, chase.person_id) == (
        local(2021, 11, 21, 9),
        local(2021, 11, 28, 9),
        99,
    )


def test_a_secretarys_own_check_in_is_not_chased_with_them_nor_one_with_no_secretary():
    own = PendingCheckin(5, 99, "Nguyễn Văn A", local(2021, 11, 20, 9), meeting(), 99)
    nobody = PendingCheckin(6, None, "Nguyễn Văn B", local(2021, 11, 20, 9), meeting(), 7)
    assert list(confirmation_chases([own, nobody])) == []


def test_a_check_in_goes_to_every_admin_but_its_author_after_the_wait():
    waiting = PendingCheckin(5, 99, "Nguyễn Văn A", local(2021, 11, 20, 9), meeting(), 7)
    found = list(office_escalations([waiting], [1, 7, 3], 48 * HOUR))
    assert [(d.key, d.person_id, d.kind) for d in found] == [
        ("office-request:checkin=5:person=1", 1, "office_escalation"),
        ("office-request:checkin=5:person=3", 3, "office_escalation"),
    ]
    assert {(d.due_at, d.expires_at) for d in found} == {
        (local(2021, 11, 22, 9), local(2021, 11, 29, 9))
    }
    assert found[0].subject == Escalation(waiting, 48 * HOUR)


def test_an_escalation_is_due_from_the_wait_on_until_the_catch_up_ends():
    waiting = PendingCheckin(5, None, "Nguyễn Văn A", local(2021, 11, 20, 9), meeting(), 7)
    (escalation,) = office_escalations([waiting], [1], 48 * HOUR)
    assert not is_due(escalation, local(2021, 11, 22, 8, 59))
    assert is_due(escalation, local(2021, 11, 22, 9))
    assert is_due(escalation, local(2021, 11, 29, 8, 59))
    assert not is_due(escalation, local(2021, 11, 29, 9))


def test_no_admin_no_escalation():
    waiting = PendingCheckin(5, None, "Nguyễn Văn A", local(2021, 11, 20, 9), meeting(), 7)
    assert list(office_escalations([waiting], [], 48 * HOUR)) == []
    assert list(office_escalations([waiting], [7], 48 * HOUR)) == []  # only the author


def test_a_missing_date_is_chased_from_the_25th_until_the_month_begins():
    cell = UnscheduledCell("C0101", "Chi bộ 1", 99)
    (chase,) = scheduling_chases([cell], date(2021, 12, 1), TZ)
    assert chase.key == "schedule-chase:cell=C0101:month=2021-12"
    assert (chase.due_at, chase.expires_at) == (local(2021, 11, 25, 8), local(2021, 12, 1))
    (january,) = scheduling_chases([cell], date(2022, 1, 1), TZ)
    assert january.due_at == local(2021, 12, 25, 8)


def test_next_month_wraps_the_year_on_the_local_calendar():
    assert next_month(local(2021, 12, 31, 23, 30), TZ) == date(2022, 1, 1)
    assert next_month(local(2021, 11, 30, 23, 30), TZ) == date(2021, 12, 1)
    # 23:30 local on 30/11 is still November although it is 16:30 UTC.
    assert next_month(local(2021, 12, 1, 0, 30), TZ) == date(2022, 1, 1)


# --- members behind ------------------------------------------------------------------------

GAP = MemberGap(7, "M07", (("O01", "Đảng ủy O01"), ("O02", "Đảng ủy O02"), ("O03", "O03")))


def test_options_put_flagged_cells_first_and_organizations_without_dates_last():
    upcoming = {
        "O01": [
            meeting(1, local(2021, 11, 22, 8)),
            meeting(2, local(2021, 11, 29, 8), flagged=True),
        ],
        "O02": [meeting(3, local(2021, 12, 1, 8), org="O02", flagged=True)],
    }
    options = gap_options(GAP, upcoming)
    assert [o.organization_code for o in options] == ["O01", "O02", "O03"]
    assert [m.id for m in options[0].meetings] == [2, 1]
    assert options[2] == GapOption("O03", "O03", ())


def test_options_list_at_most_three_meetings_an_organization():
    upcoming = {"O01": [meeting(n, local(2021, 11, 22, 8) + n * DAY) for n in range(6)]}
    (first, *_) = gap_options(GAP, upcoming)
    assert [m.id for m in first.meetings] == [0, 1, 2]


def test_suggestions_go_monday_morning_once_per_member_and_iso_week():
    saturday = local(2021, 11, 20, 8)
    assert suggestion_week(saturday, TZ) == (
        "2021W46",
        local(2021, 11, 15, 8),
        local(2021, 11, 22),
    )
    (suggestion,) = weekly_suggestions([GAP], {}, saturday, TZ)
    assert suggestion.key == "suggest:week=2021W46:member=M07"
    assert is_due(suggestion, saturday)
    (next_week,) = weekly_suggestions([GAP], {}, local(2021, 11, 22, 7, 59), TZ)
    assert next_week.key == "suggest:week=2021W47:member=M07" and not is_due(
        next_week, local(2021, 11, 22, 7, 59)
    )


def test_nudges_go_on_the_morning_of_each_offset_before_the_quarter_ends():
    quarter = Quarter(2021, 4)
    moments = nudge_moments(quarter, [3 * DAY, 14 * DAY], TZ)
    assert moments == [
        (local(2021, 12, 18, 8), local(2021, 12, 29, 8), "2w"),
        (local(2021, 12, 29, 8), local(2022, 1, 1), "3d"),
    ]
    nudges = list(quarter_nudges([GAP], {}, quarter, [14 * DAY, 3 * DAY], TZ))
    assert [n.key for n in nudges] == [
        "nudge:quarter=2021Q4:before=2w:member=M07",
        "nudge:quarter=2021Q4:before=3d:member=M07",
    ]
    assert [n.subject.days_left for n in nudges] == [14, 3]
    assert due_keys(nudges, local(2021, 12, 30, 12)) == [
        "nudge:quarter=2021Q4:before=3d:member=M07"
    ]


# --- the digest ---------------------------------------------------------------------------


def test_the_digest_is_due_at_send_time_on_the_quarters_last_day_for_each_chat():
    chats = ["telegram:-100", "zalo:office"]
    before = list(digests(chats, time(17), local(2021, 12, 31, 16, 59), TZ))
    assert due_keys(before, local(2021, 12, 31, 16, 59)) == []
    at = list(digests(chats, time(17), local(2021, 12, 31, 17), TZ))
    assert due_keys(at, local(2021, 12, 31, 17)) == [
        "digest:quarter=2021Q4:chat=telegram:-100",
        "digest:quarter=2021Q4:chat=zalo:office",
    ]


def test_a_missed_digest_goes_out_on_start_within_the_catch_up_only():
    back = local(2022, 1, 3, 9)
    assert due_keys(digests(["telegram:-100"], time(17), back, TZ), back) == [
        "digest:quarter=2021Q4:chat=telegram:-100"
    ]
    late = local(2021, 12, 31, 17) + DIGEST_CATCH_UP
    assert due_keys(digests(["telegram:-100"], time(17), late, TZ), late) == []


# --- quiet hours ----------------------------------------------------------------------------


def quiet(span: str) -> QuietHours | None:
    return QuietHours.of(Config(reminders=Reminders(quiet_hours=span)))


def test_quiet_hours_across_midnight():
    night = quiet("21:00-07:00")
    assert night is not None
    assert [
        night.contains(local(2021, 11, 20, h, m)) for h, m in ((20, 59), (21, 0), (23, 59))
    ] == [
        False,
        True,
        True,
    ]
    assert [night.contains(local(2021, 11, 21, h, m)) for h, m in ((0, 0), (6, 59), (7, 0))] == [
        True,
        True,
        False,
    ]
    # Given in UTC: 14:30 UTC is 21:30 in Hà Nội.
    assert night.contains(datetime(2021, 11, 20, 14, 30, tzinfo=ZoneInfo("UTC")))


def test_quiet_hours_within_a_day_and_none():
    lunch = quiet("12:00-13:30")
    assert lunch is not None
    assert [
        lunch.contains(local(2021, 11, 20, h, m)) for h, m in ((11, 59), (12, 0), (13, 30))
    ] == [
        False,
        True,
        False,
    ]
    assert quiet("") is None
