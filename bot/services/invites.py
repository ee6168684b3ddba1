"""Invites for the people on the roster: a one-time token, sent to them by the office."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.core.config import Config
from bot.core.people import Person
from storage.store import Store


class UnknownCode(LookupError):
    """No member, and no cell with a secretary's phone, has this code."""


@dataclass(frozen=True)
class Invite:
    token: str
    person: Person
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_invite(store: Store, config: Config, code: str, now: datetime) -> Invite:
    """A fresh token for the member with CODE, or for the secretary of the cell with CODE."""
    person = await store.people.by_member_code(code) or await store.people.secretary_of_cell(code)
    if person is None:
        raise UnknownCode(code)
    # 128 bits, URL-safe: fits Telegram's /start parameter (A-Z a-z 0-9 _ -, <= 64 chars).
    token = secrets.token_urlsafe(16)
    expires_at = now + config.invites.expire_after
    await store.invites.add(token_hash(token), person.id, now, expires_at)
    return Invite(token, person, expires_at)


def invite_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"
