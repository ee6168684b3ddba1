"""Tell someone other than the sender: rendered in the recipient's language, sent via the outbox."""

from __future__ import annotations

from datetime import datetime

from bot.core.config import Config
from bot.core.i18n import Translator
from bot.core.messages import Choice, Message
from bot.services.outbox import queue_message
from storage.store import Store


async def notify(
    store: Store,
    config: Config,
    person_id: int,
    key: str,
    *,
    dedupe: str,
    now: datetime,
    choices: tuple[tuple[str, str], ...] = (),
    **values: object,
) -> bool:
    """Queue text KEY for PERSON_ID once per DEDUPE key; datetimes are shown in their language.

    CHOICES are (label text key, data) pairs. Returns False when DEDUPE was queued before.
    """
    t = Translator(await store.people.language(person_id), config.committee.tz)
    shown = {k: t.when(v) if isinstance(v, datetime) else v for k, v in values.items()}
    message = Message(t(key, **shown), tuple(Choice(t(label), data) for label, data in choices))
    return await queue_message(store, dedupe, message, now, person_id=person_id)
