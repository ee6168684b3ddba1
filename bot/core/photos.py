"""Photos of a meeting, sent with the note on a check-in: how many, how large, what is one."""

from __future__ import annotations

from dataclasses import dataclass

MAX_PHOTOS = 5  # a check-in's photos, at most
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # what a phone's photo is, with room to spare

# The formats phones send, by their first bytes; the name each is stored under ends so.
_SIGNATURES = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
# HEIF/HEIC (iPhones' own) is an ISO box file: "ftyp" at byte 4, then its brand.
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1")


@dataclass(frozen=True)
class Photo:
    """A picture someone sent, as their channel can fetch it (nothing is downloaded yet)."""

    ref: str  # Telegram: the file's id; Zalo: its URL
    size: int | None = None  # bytes, where the channel says beforehand


class PhotoTooLarge(Exception):
    """The picture is larger than the limit asked for; nothing more of it was read."""


class PhotoNotFetched(Exception):
    """The picture could not be had from the platform (gone, or the platform out of reach)."""


def picture_extension(content: bytes) -> str | None:
    """The file name ending of CONTENT's picture format; None when it is no picture we take."""
    for signature, extension in _SIGNATURES:
        if content.startswith(signature):
            return extension
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    if content[4:8] == b"ftyp" and content[8:12] in _HEIF_BRANDS:
        return "heic"
    return None
