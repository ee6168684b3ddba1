"""Signing in to the office's board: a one-time link from the bot, then a session cookie.

An admin asks the bot (/web) or the command line (web-login CODE) for a link; it works once,
for SIGN_IN_VALID. Opening it starts a session of `web.session_hours`. Every request checks
again that the session's person is still an admin, so a session ends at once when the roster
or the config no longer says so.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.core.board import BoardAdmin
from bot.core.config import Config
from bot.core.people import Person
from bot.core.phones import normalize_phone
from bot.services.identity import is_admin, language_of
from storage.store import Store

SIGN_IN_VALID = timedelta(minutes=10)
# Expired links and sessions are kept this long (what a look at the table may want), then
# dropped at the next sign-in.
FORGET_AFTER = timedelta(days=30)

SignInOutcome = Literal["ok", "unknown", "used", "expired", "not_admin"]


class UnknownCode(LookupError):
    """No member has this code (nor any person this phone)."""


class NotAdmin(PermissionError):
    """The person is on the roster but not among [access] admins."""

    def __init__(self, person: Person):
        super().__init__(person.name)
        self.person = person


@dataclass(frozen=True)
class SignIn:
    """A fresh one-time sign-in link for PERSON."""

    token: str
    person: Person
    expires_at: datetime

    def link(self, config: Config) -> str:
        return f"{config.web.link_base}/login/{self.token}"


@dataclass(frozen=True)
class Session:
    """A session just opened: its id goes into the cookie."""

    id: str
    admin: BoardAdmin
    expires_at: datetime


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_sign_in(store: Store, config: Config, person_id: int, now: datetime) -> SignIn:
    """A link for the admin PERSON_ID (the caller checked they are one)."""
    roles = await store.people.roles(person_id)
    if roles is None:
        raise UnknownCode(str(person_id))
    if not is_admin(config, roles):
        raise NotAdmin(roles.person)
    # 256 bits, URL-safe: a link cannot be guessed, even with /login's rate limit lifted.
    token = secrets.token_urlsafe(32)
    expires_at = now + SIGN_IN_VALID
    await store.web_sessions.add_sign_in(_hash(token), person_id, now, expires_at)
    return SignIn(token, roles.person, expires_at)


async def sign_in_for_code(store: Store, config: Config, code: str, now: datetime) -> SignIn:
    """A link for the admin with member code CODE (or listed in [access] admins by this phone)."""
    person = await store.people.by_member_code(code)
    if person is None:
        try:
            person = await store.people.by_phone(normalize_phone(code))
        except ValueError:
            person = None
    if person is None:
        raise UnknownCode(code)
    return await create_sign_in(store, config, person.id, now)


async def check_sign_in(store: Store, config: Config, token: str, now: datetime) -> SignInOutcome:
    """Whether the link TOKEN would sign someone in now (it stays unused)."""
    outcome, person_id = await store.web_sessions.sign_in(_hash(token), now, use=False)
    if outcome == "ok" and await _admin(store, config, person_id, "") is None:
        return "not_admin"
    return outcome


async def sign_in(
    store: Store, config: Config, token: str, now: datetime
) -> tuple[SignInOutcome, Session | None]:
    """Spend the link TOKEN and open a session for its admin."""
    await store.web_sessions.forget_before(now - FORGET_AFTER)
    async with store.transaction():
        outcome, person_id = await store.web_sessions.sign_in(_hash(token), now, use=True)
        if outcome != "ok" or person_id is None:
            return outcome, None
        session_id, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        admin = await _admin(store, config, person_id, csrf_token)
        if admin is None:
            return "not_admin", None
        expires_at = now + timedelta(hours=config.web.session_hours)
        await store.web_sessions.open_session(
            _hash(session_id), person_id, csrf_token, now, expires_at
        )
    return "ok", Session(session_id, admin, expires_at)


async def session_admin(
    store: Store, config: Config, session_id: str, now: datetime
) -> BoardAdmin | None:
    """The admin of a live session, or None: no such session, ended, expired, or the person is
    no longer an admin (then it ends here, for good)."""
    session = await store.web_sessions.session(_hash(session_id), now)
    if session is None:
        return None
    admin = await _admin(store, config, session.person_id, session.csrf_token)
    if admin is None:
        await store.web_sessions.end_session(_hash(session_id), now)
    return admin


async def sign_out(store: Store, session_id: str, now: datetime) -> None:
    await store.web_sessions.end_session(_hash(session_id), now)


async def _admin(
    store: Store, config: Config, person_id: int | None, csrf_token: str
) -> BoardAdmin | None:
    roles = None if person_id is None else await store.people.roles(person_id)
    if roles is None or not is_admin(config, roles):
        return None
    person = roles.person
    return BoardAdmin(person.id, person.name, language_of(roles), person.member_code, csrf_token)
