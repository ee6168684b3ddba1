"""Long texts in parts that each channel accepts in one message."""

from __future__ import annotations

# Characters in one message, by channel (the terminal has no limit).
TEXT_LIMITS = {"telegram": 4096, "zalo": 2000}


def split_text(text: str, limit: int) -> list[str]:
    """TEXT in parts of at most LIMIT characters, cut at line ends where there are any."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(text[:cut])
        text = text[cut:].removeprefix("\n")
    parts.append(text)
    return parts


def parts_for(channel: str, text: str) -> list[str]:
    """TEXT as CHANNEL can carry it."""
    limit = TEXT_LIMITS.get(channel)
    return [text] if limit is None else split_text(text, limit)
