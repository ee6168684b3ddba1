"""Who is writing: the roster person behind a chat account, and what they may do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.config import Config
from bot.core.i18n import LANGUAGES, Translator
from bot.core.people import Account, CellRef, MemberRef, Roles
from bot.core.phones import normalize_phone
from storage.store import Store


@dataclass(frozen=True)
class Identity:
    account: Account | None  # None: not through a chat (the office's board, the command line)
    person_id: int
    phone: str
    name: str
    language: str
    member: MemberRef | None
    cells: tuple[CellRef, ...]
    is_admin: bool

    @property
    def is_member(self) -> bool:
        return self.member is not None

    @property
    def is_secretary(self) -> bool:
        return bool(self.cells)

    def secretary_of(self, cell_id: int) -> bool:
        return any(cell.id == cell_id for cell in self.cells)


def language_of(roles: Roles) -> str:
    """Chosen in chat, else the roster's, else Vietnamese."""
    return roles.language or (roles.member and roles.member.language) or "vi"


def admin_phones(config: Config) -> set[str]:
    """The phones among [access] admins (the other entries are member codes)."""
    phones = set()
    for entry in config.access.admins:
        try:
            phones.add(normalize_phone(entry))
        except ValueError:
            continue
    return phones


def is_admin(config: Config, roles: Roles) -> bool:
    """Admins are listed in [access] admins by member code or phone."""
    if roles.member and roles.member.code in config.access.admins:
        return True
    return roles.person.phone in admin_phones(config)


async def identify(store: Store, config: Config, channel: str, user_id: str) -> Identity | None:
    """The identity of a linked account that is still on the roster, else None."""
    account = await store.accounts.find(channel, user_id)
    if account is None:
        return None
    return await person_identity(store, config, account.person_id, account)


async def person_identity(
    store: Store, config: Config, person_id: int, account: Account | None = None
) -> Identity | None:
    """What the person is today (member, secretary, admin), if anything on the roster."""
    roles = await store.people.roles(person_id)
    if roles is None or (roles.member is None and not roles.cells and not is_admin(config, roles)):
        return None  # dropped from the roster: a stranger again
    return Identity(
        account=account,
        person_id=person_id,
        phone=roles.person.phone,
        name=roles.person.name,
        language=language_of(roles),
        member=roles.member,
        cells=roles.cells,
        is_admin=is_admin(config, roles),
    )


async def admin_people(store: Store, config: Config) -> list[int]:
    """The people [access] admins names (by member code or phone), by person id; whether the
    bot can reach them is for whoever writes to them to check."""
    admins = config.access.admins
    return await store.people.admins(admins, sorted(admin_phones(config)))


def translator_of(who: Identity | None, config: Config) -> Translator:
    """How the bot speaks to WHO: in their language; to a stranger or a group, in Vietnamese."""
    return Translator(who.language if who else "vi", config.committee.tz)


async def translator_for(store: Store, config: Config, channel: str, user_id: str) -> Translator:
    """How the bot speaks to USER_ID of CHANNEL (a group's id finds nobody: Vietnamese)."""
    return translator_of(await identify(store, config, channel, user_id), config)


# How fresh "the app used last" (where the bot's own messages go) is kept: a write per update
# in a burst of check-ins costs more than a minute's imprecision between two apps.
SEEN_PRECISION = timedelta(minutes=1)


async def note_seen(store: Store, account: Account, now: datetime) -> None:
    """Record that the account's user wrote: they unblocked the bot, or a while has passed."""
    last = account.last_seen_at
    if account.blocked or last is None or now - last >= SEEN_PRECISION:
        await store.accounts.seen(account.id, now)


async def set_language(store: Store, person_id: int, language: str) -> None:
    """The interface language the person chose in chat (LANGUAGES)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    await store.people.set_language(person_id, language)
