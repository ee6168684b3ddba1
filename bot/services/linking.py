"""Linking a chat account to a person of the roster: by invite token or by phone number."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from bot.core.config import Config
from bot.core.phones import normalize_phone
from bot.services.identity import admin_phones
from bot.services.invites import token_hash
from storage.store import Store

Outcome = Literal["ok", "unknown", "used", "expired"]
# What create_invite hands out (token_urlsafe(16)): lets a bare token typed on Zalo be recognised.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


async def redeem_invite(
    store: Store, token: str, channel: str, user_id: str, chat_id: str, now: datetime
) -> Outcome:
    async with store.db.transaction():
        outcome, person_id = await store.invites.take(token_hash(token), now)
        if person_id is not None:
            await store.accounts.link(channel, user_id, chat_id, person_id, now)
    return outcome


async def link_by_phone(
    store: Store,
    config: Config,
    phone: str,
    channel: str,
    user_id: str,
    chat_id: str,
    now: datetime,
) -> bool:
    """Link to the roster person with PHONE (a member, a secretary or a listed admin)."""
    try:
        phone = normalize_phone(phone)
    except ValueError:
        return False
    async with store.db.transaction():
        person = await store.people.by_phone(phone)
        if person is None:
            if phone not in admin_phones(config):
                return False
            person_id = await store.people.add(phone)
        else:
            person_id = person.id
        await store.accounts.link(channel, user_id, chat_id, person_id, now)
    return True
