"""A roster uploaded on the board: kept with its preview until the office applies it."""

from __future__ import annotations

import secrets
from datetime import datetime

from storage.store import Store


async def keep_upload(
    store: Store, person_id: int, file_name: str, content: bytes, now: datetime
) -> str:
    """Keep the file until its Apply (in place of the person's earlier one); return its id.

    It is kept with the roster's version now, so that Apply can tell whether the roster has
    changed since the preview the office read.
    """
    upload_id = secrets.token_urlsafe(16)
    version = await store.roster.version()
    await store.web_sessions.keep_upload(upload_id, person_id, file_name, content, version, now)
    return upload_id


async def upload(store: Store, person_id: int, upload_id: str) -> tuple[str, bytes, bool] | None:
    """(file name, content, whether the roster changed since its preview) of the person's
    upload, or None when there is none by that id (applied already, or replaced)."""
    kept = await store.web_sessions.upload(upload_id, person_id)
    if kept is None:
        return None
    name, content, version = kept
    return name, content, version != await store.roster.version()


async def forget_upload(store: Store, upload_id: str) -> None:
    """The upload is applied: its Apply is gone with it."""
    await store.web_sessions.drop_upload(upload_id)
