"""The member services as functions of data and time: assignment days, windows, the note draft."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.config import Config
from bot.core.local_time import parse_local_time
from bot.core.meetings import AssignedMeeting, MeetingView
from bot.sample import demo_start, load_sample
from bot.services.agenda import assigned_on_meeting_day, plan_attendance, upcoming_meetings
from bot.services.checkins import checkin_window, open_for_checkin
from bot.services.notes import NoteDraft, answer, text_too_long
from bot.services.progress import member_progress, next_to_attend
from handlers.meetings import choice_id
from storage.store import Store

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(text: str) -> datetime:
    return parse_local_time(text, TZ)


def meeting(
    starts: str, *, cell: str = "C0101", org: str = "O01", flagged: bool = False, id: int = 1
) -> MeetingView:
    return MeetingView(id, local(starts), "", "regular", 1, cell, cell, flagged, None, org, org)


# -- assignments hold on local calendar days ---------------------------------------------------


@pytest.mark.parametrize(
    ("starts", "until", "held"),
    [
        ("2021-11-15 23:30", date(2021, 11, 15), True),  # already 16:30 UTC, still the 15th here
        ("2021-11-16 06:00", date(2021, 11, 15), False),  # still the 15th in UTC, not here
        ("2021-11-16 06:00", None, True),
        ("2020-10-31 20:00", None, False),  # before the assignment started
    ],
)
def test_an_assignment_holds_on_the_meetings_local_day(starts, until, held):
    row = AssignedMeeting(meeting(starts), date(2020, 11, 1), until)
    assert assigned_on_meeting_day(row, TZ) is held


def test_the_next_meeting_to_attend_prefers_a_flagged_cell_then_the_soonest():
    soon = meeting("2021-12-01 08:00", id=1)
    flagged = meeting("2021-12-20 08:00", cell="C0103", flagged=True, id=2)
    elsewhere = meeting("2021-11-25 08:00", org="O10", flagged=True, id=3)
    assert next_to_attend([soon, flagged, elsewhere], "O01") == flagged
    assert next_to_attend([soon, elsewhere], "O01") == soon
    assert next_to_attend([elsewhere], "O01") is None


def test_the_checkin_window_includes_both_ends():
    window = checkin_window(Config(), local("2021-12-05 19:30"))
    assert window.opens == local("2021-12-05 19:00")
    assert window.closes == local("2021-12-05 22:30")
    assert window.is_open(window.opens) and window.is_open(window.closes)
    assert not window.is_open(window.opens - timedelta(seconds=1))
    assert not window.is_open(window.closes + timedelta(seconds=1))


# -- the note draft ------------------------------------------------------------------------------


def test_the_note_draft_goes_step_by_step_and_refuses_anything_else():
    draft = NoteDraft(7)
    assert answer(draft, "steps", "yes") is None  # not the current step
    assert answer(draft, "rating", "excellent") is None
    rated = answer(draft, "rating", "good")
    assert rated == NoteDraft(7, "steps", "good")
    assert answer(rated, "steps", "maybe") is None
    kept = answer(rated, "steps", "no")
    raised = answer(kept, "difficulties", "yes")
    assert raised == NoteDraft(7, "text", "good", False, True)
    assert answer(raised, "text", "anything") is None


def test_the_note_draft_round_trips_through_its_stored_state():
    draft = NoteDraft(7, "difficulties", "fair", True, None, replaces=True)
    assert NoteDraft.from_state(draft.state()) == draft
    assert NoteDraft.from_state({"checkin_id": 7, "step": "done"}) is None
    assert NoteDraft.from_state({"checkin": 7}) is None
    assert NoteDraft.from_state({"checkin_id": "7"}) is None


def test_a_comment_may_be_500_characters():
    assert not text_too_long("ệ" * 500)
    assert text_too_long("ệ" * 501)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("attend:42", 42),
        ("attend:", None),
        ("attend:4a", None),
        ("attend:-4", None),
        ("attend:٤٢", None),  # Arabic-Indic digits are digits to Python, not to us
        ("attend:" + "9" * 19, None),
        (None, None),
    ],
)
def test_choice_ids_are_plain_small_numbers(data, expected):
    assert choice_id(data) == expected


# -- on the sample district ----------------------------------------------------------------------


@pytest.fixture
async def sample(tmp_path):
    config = Config()
    store = await Store.open(tmp_path / "bot.sqlite3")
    await load_sample(store, config, demo_start(config))
    yield store, config
    await store.close()


async def test_a_mid_quarter_handover_moves_the_meetings_with_it(sample):
    """M19 follows O09 until 15/11 inclusive, M20 from 16/11."""
    store, config = sample
    now = local("2021-11-14 08:00")
    m19 = {
        (u.meeting.cell_code, u.meeting.starts_at.day)
        for u in await upcoming_meetings(store, config, "M19", now)
    }
    m20 = {
        (u.meeting.cell_code, u.meeting.starts_at.day)
        for u in await upcoming_meetings(store, config, "M20", now)
    }
    assert {("C0902", 15), ("C0905", 15)} <= m19 and ("C0903", 18) not in m19
    assert ("C0903", 18) in m20 and ("C0902", 15) not in m20

    at_c0902 = local("2021-11-15 13:45")
    assert [
        m.cell_code for m in (await open_for_checkin(store, config, "M19", at_c0902)).meetings
    ] == ["C0902"]
    assert (await open_for_checkin(store, config, "M20", at_c0902)).meetings == []


async def test_planning_a_meeting_after_ones_assignment_ended_is_refused(sample):
    store, config = sample
    december = await store.meetings.id_of("C0904", local("2021-12-13 14:00"))
    result = await plan_attendance(store, config, "M19", december, local("2021-11-20 08:00"))
    assert result.outcome == "not_yours"
    result = await plan_attendance(store, config, "M20", december, local("2021-11-20 08:00"))
    assert result.outcome == "planned"


async def test_a_meeting_late_on_the_last_evening_still_counts_for_the_quarter(sample):
    """O12's thematic meeting at 23:30 on 31/12 is 2022 in UTC but 2021Q4 here."""
    store, config = sample
    progress = await member_progress(store, config, "M11", local("2021-12-31 20:00"))
    o12 = next(org for org in progress.organizations if org.code == "O12")
    assert o12.status == "missed"
    assert o12.next_meeting is not None
    assert o12.next_meeting.starts_at == local("2021-12-31 23:30")
    assert progress.days_left == 1
