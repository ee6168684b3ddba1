"""Vietnamese phone numbers, normalised so that every way people write one matches."""

from __future__ import annotations

import re

_NOISE = re.compile(r"[\s.\-()]")


def normalize_phone(text: str) -> str:
    """Return the national form ("0912345678") of TEXT, or raise ValueError.

    Accepts "0912 345 678", "+84912345678", "84912345678", and the nine digits Excel leaves
    when it drops the leading zero of a number stored as a number.
    """
    digits = _NOISE.sub("", text or "")
    if digits.startswith("+84"):
        digits = _trunk(digits[3:])
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = _trunk(digits[2:])
    elif len(digits) == 9 and digits.isdigit() and digits[0] != "0":
        digits = "0" + digits
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise ValueError(f'"{text}" is not a Vietnamese phone number (e.g. 0912 345 678)')
    return digits


def _trunk(subscriber: str) -> str:
    # "+84 0912 345 678" is a common way of writing it: the zero is not part of the number.
    return subscriber if subscriber.startswith("0") else "0" + subscriber
