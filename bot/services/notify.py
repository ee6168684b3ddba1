"""Tell someone other than the sender: rendered in the recipient's language, sent via the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.core.config import Config
from bot.core.i18n import Translator
from bot.core.messages import Choice, Message
from bot.services.outbox import queue_message
from storage.store import Store


@dataclass(frozen=True)
class Phrase:
    """A value of a notice that is itself a text: shown in the recipient's language."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


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
    """Queue text KEY for PERSON_ID once per DEDUPE key, if the bot can reach them; return
    whether the message is on its way (queued now, or under DEDUPE before).

    Only people linked and not blocked are written to: a reply may then say "X was told" when,
    and only when, this returned True. CHOICES are (label text key, data) pairs; datetimes and
    Phrases are shown in the recipient's language.
    """
    if await store.accounts.reach(person_id) != "reachable":
        return False
    t = Translator(await store.people.language(person_id), config.committee.tz)
    shown = {key: _shown(t, value) for key, value in values.items()}
    message = Message(t(key, **shown), tuple(Choice(t(label), data) for label, data in choices))
    await queue_message(store, dedupe, message, now, person_id=person_id)
    return True


def _shown(t: Translator, value: object) -> object:
    if isinstance(value, datetime):
        return t.when(value)
    if isinstance(value, Phrase):
        return t(value.key, **{k: _shown(t, v) for k, v in value.values.items()})
    return value
