"""The committee office clears a cell's difficulty flag once its difficulties are resolved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.flags import Flag
from bot.services.identity import Identity
from storage.store import Store


@dataclass(frozen=True)
class Cleared:
    """This tap cleared the flag."""

    flag: Flag


@dataclass(frozen=True)
class AlreadyCleared:
    """Someone (or an import) cleared it before; FLAG says who and when."""

    flag: Flag


async def flagged_cells(store: Store) -> list[Flag]:
    """The cells flagged now, by organization then cell."""
    return await store.flags.flagged_now()


def parse_number(data: str) -> int | None:
    """The number in "<prefix>:<number>", else None."""
    _, _, tail = data.partition(":")
    return int(tail) if tail.isdigit() and len(tail) < 19 else None


async def clear_flag(
    store: Store, who: Identity, flag_id: int, now: datetime
) -> Cleared | AlreadyCleared | None:
    """Clear the flag on behalf of an admin; None when WHO is no admin or there is no such flag."""
    if not who.is_admin:
        return None
    flag = await store.flags.get(flag_id)
    if flag is None:
        return None
    if not await store.flags.clear_by_admin(flag_id, who.person_id, now):
        return AlreadyCleared(await store.flags.get(flag_id) or flag)
    return Cleared(flag)
