"""A new check-in asks for its decision: from its cell's secretary, or else from the office."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.core.checkins import MemberCheckin
from bot.core.config import Config
from bot.core.decisions import OfficeReason, who_is_asked
from bot.core.meetings import MeetingView
from bot.core.reminders import office_request_key
from bot.services.identity import Identity, admin_people
from bot.services.notify import Phrase, notify
from storage.store import Store

log = logging.getLogger(__name__)


def decision_choices(checkin_id: int) -> tuple[tuple[str, str], ...]:
    """The Confirm / Absent buttons of a request to decide the check-in."""
    return (
        ("confirm.button_confirm", f"confirm:{checkin_id}"),
        ("confirm.button_absent", f"absent:{checkin_id}"),
    )


async def ask_for_decision(
    store: Store,
    config: Config,
    author: Identity,
    meeting: MeetingView,
    checkin: MemberCheckin,
    now: datetime,
) -> OfficeReason | None:
    """Queue the request to decide CHECKIN (AUTHOR's, at MEETING): to the cell's secretary if
    the bot can reach them and they are not the author; else to every admin it can reach but
    the author. Each once (the outbox's keys); the caller's transaction holds the check-in.

    Return why the office decides it, or None: its secretary was asked.
    """
    secretary = meeting.secretary_id
    reach = None if secretary is None else await store.accounts.reach(secretary)
    reason = who_is_asked(author.person_id, secretary, reach)
    values = {
        "member": author.name,
        "cell": meeting.cell_name,
        "when": meeting.starts_at,
        "time": f"{checkin.checked_in_at.astimezone(config.committee.tz):%H:%M}",
    }
    if reason is None and secretary is not None:
        await notify(
            store,
            config,
            secretary,
            "checkin.secretary_request",
            dedupe=f"confirm-request:checkin={checkin.id}",
            now=now,
            choices=decision_choices(checkin.id),
            **values,
        )
        return None
    told = 0
    for admin in await admin_people(store, config):
        if admin == author.person_id:
            continue
        told += await notify(
            store,
            config,
            admin,
            "confirm.office_request",
            dedupe=office_request_key(checkin.id, admin),
            now=now,
            choices=decision_choices(checkin.id),
            why=Phrase(f"confirm.why_{reason}", {"member": author.name}),
            **values,
        )
    if not told:
        # The member hears the office decides, which stays true: /confirm lists it for every
        # admin. Nobody was told now, which the office should know.
        log.warning(
            "check-in %s waits for the office, and no admin is linked to hear it", checkin.id
        )
    return reason
