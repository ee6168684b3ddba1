"""Photos of the meeting, sent while a member writes the note on a check-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from bot.core.photos import MAX_PHOTO_BYTES, MAX_PHOTOS, picture_extension
from storage.store import Store

PhotoOutcome = Literal["saved", "not_image", "too_large", "full", "gone"]


@dataclass(frozen=True)
class PhotoResult:
    outcome: PhotoOutcome
    count: int = 0  # the check-in's photos, with this one when it was saved


async def photo_count(store: Store, checkin_id: int) -> int:
    return await store.photos.count(checkin_id)


async def attach_photo(
    store: Store, member_code: str, checkin_id: int, content: bytes, now: datetime
) -> PhotoResult:
    """Keep CONTENT as a photo of the member's check-in CHECKIN_ID: a picture of at most
    MAX_PHOTO_BYTES, while the check-in has fewer than MAX_PHOTOS and is not denied."""
    if len(content) > MAX_PHOTO_BYTES:
        return PhotoResult("too_large")
    extension = picture_extension(content)
    if extension is None:
        return PhotoResult("not_image")
    count = await store.photos.count(checkin_id)
    if count >= MAX_PHOTOS:
        return PhotoResult("full", count)
    # Written before the transaction: the database's lock is not held while a photo of
    # megabytes goes to the disk.
    name = await store.photos.write(checkin_id, content, extension)
    result = PhotoResult("gone")
    try:
        async with store.transaction():
            # Re-read inside the transaction: the secretary may have denied it since /note.
            checkin = await store.checkins.of_member(member_code, checkin_id)
            if checkin is not None and checkin.status != "denied":
                added = await store.photos.add(checkin_id, name, len(content), MAX_PHOTOS, now)
                result = (
                    PhotoResult("full", MAX_PHOTOS)
                    if added is None
                    else PhotoResult("saved", added)
                )
    finally:
        if result.outcome != "saved":
            store.photos.discard(name)
    return result


async def photo_file(store: Store, name: str) -> Path | None:
    """The file of the photo named NAME, for the board to show; None for a name that is no
    photo's."""
    return await store.photos.file(name)
