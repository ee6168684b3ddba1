"""Who decides a check-in (bot.core.decisions): pure rules over every combination of roles."""

from __future__ import annotations

import itertools

import pytest

from bot.core.decisions import judge, role_for, who_is_asked

STATUSES = ("pending", "confirmed", "denied")
WANTED = ("confirmed", "denied")


def verdict(
    own=False,
    admin=False,
    secretary=False,
    current="pending",
    wanted="confirmed",
    change=False,
    closed=False,
):
    return judge(
        own=own,
        admin=admin,
        secretary=secretary,
        current=current,
        wanted=wanted,
        change=change,
        closed=closed,
    )


@pytest.mark.parametrize(
    ("admin", "secretary", "current", "wanted", "change"),
    list(itertools.product([False, True], [False, True], STATUSES, WANTED, [False, True])),
)
def test_nobody_decides_their_own_check_in_whatever_else_they_are(
    admin, secretary, current, wanted, change
):
    assert verdict(True, admin, secretary, current, wanted, change) == "own"


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("wanted", WANTED)
def test_someone_who_is_neither_secretary_nor_admin_decides_nothing(current, wanted):
    assert verdict(current=current, wanted=wanted) == "not_allowed"
    assert verdict(current=current, wanted=wanted, change=True) == "not_allowed"


@pytest.mark.parametrize(("admin", "secretary"), [(True, False), (False, True), (True, True)])
def test_a_pending_check_in_is_decided_by_its_secretary_or_an_admin(admin, secretary):
    for wanted in WANTED:
        assert verdict(admin=admin, secretary=secretary, wanted=wanted) == "decide"


def test_the_status_it_already_has_changes_nothing():
    for current, admin, change in itertools.product(WANTED, [False, True], [False, True]):
        got = verdict(
            admin=admin, secretary=not admin, current=current, wanted=current, change=change
        )
        assert got == "already", (current, admin, change)


def test_a_secretary_never_changes_a_decision_and_is_sent_to_the_office():
    assert verdict(secretary=True, current="confirmed", wanted="denied") == "ask_office"
    assert verdict(secretary=True, current="denied", wanted="confirmed", change=True) == (
        "ask_office"
    )


def test_an_admin_changes_a_decision_only_on_purpose():
    for secretary in (False, True):
        old_button = verdict(admin=True, secretary=secretary, current="confirmed", wanted="denied")
        assert old_button == "offer_change"
        deliberate = verdict(
            admin=True, secretary=secretary, current="denied", wanted="confirmed", change=True
        )
        assert deliberate == "change"


def test_the_role_on_record():
    assert role_for("decide", secretary=True) == "secretary"
    assert role_for("decide", secretary=False) == "admin"
    assert role_for("change", secretary=True) == "admin"  # only the office changes
    # An admin who is also the cell's secretary decides a closed quarter's as the office.
    assert role_for("decide", secretary=True, closed=True) == "admin"


# -- a closed quarter: only an admin decides, an amendment ----------------------------------


@pytest.mark.parametrize(
    ("current", "wanted", "change"), list(itertools.product(STATUSES, WANTED, [False, True]))
)
def test_once_the_quarter_is_closed_a_secretary_decides_nothing_and_is_told_so(
    current, wanted, change
):
    assert verdict(False, False, True, current, wanted, change, closed=True) == "closed"
    # Nobody decides their own, closed or not; a stranger learns nothing.
    assert verdict(True, False, True, current, wanted, change, closed=True) == "own"
    assert verdict(True, True, False, current, wanted, change, closed=True) == "own"
    assert verdict(False, False, False, current, wanted, change, closed=True) == "not_allowed"


@pytest.mark.parametrize(
    ("secretary", "current", "wanted", "change"),
    list(itertools.product([False, True], STATUSES, WANTED, [False, True])),
)
def test_once_the_quarter_is_closed_an_admin_decides_as_before(secretary, current, wanted, change):
    closed = verdict(False, True, secretary, current, wanted, change, closed=True)
    assert closed == verdict(False, True, secretary, current, wanted, change)
    assert closed in ("decide", "change", "offer_change", "already")


@pytest.mark.parametrize(
    ("author", "secretary", "reach", "expected"),
    [
        (1, 2, "reachable", None),
        (1, None, None, "no_secretary"),
        (1, 2, "not_linked", "not_linked"),
        (1, 2, "blocked", "blocked"),
        (2, 2, "reachable", "own"),
        (2, 2, "blocked", "own"),
    ],
)
def test_who_is_asked_to_decide_a_new_check_in(author, secretary, reach, expected):
    assert who_is_asked(author, secretary, reach) == expected
