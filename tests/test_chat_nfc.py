"""Vietnamese typed decomposed (NFD) in chat reads as the same words composed (NFC).

Some phone keyboards send "ộ" as "o" and two combining marks; what the bot stores, compares
and shows must not depend on the keyboard.
"""

from __future__ import annotations

import unicodedata

from bot.core.messages import Inbound


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


VENUE = "Hội trường tầng 3, nhà Bồ Đề"


def test_typed_text_is_composed() -> None:
    typed = Inbound.typed("zalo", "u1", "u1", nfd(f"  {VENUE} "), display_name=nfd("Lê Thị Hà"))

    assert nfd(VENUE) != VENUE
    assert typed.text == VENUE
    assert typed.display_name == "Lê Thị Hà"
    assert typed.command is None


def test_a_typed_command_and_its_arguments_are_composed() -> None:
    typed = Inbound.typed("telegram", "u1", "u1", nfd(f"/datlich 15/12/2021 19:30 {VENUE}"))

    assert typed.command == "datlich"
    assert typed.args == ("15/12/2021", "19:30", *VENUE.split())
    assert typed.text == f"/datlich 15/12/2021 19:30 {VENUE}"


async def test_a_venue_typed_decomposed_is_stored_composed(world) -> None:
    secretary = await world.linked("C0101")

    replies = await secretary.send(nfd(f"/datlich 15/12/2021 19:30 {VENUE}"))

    assert VENUE in replies[-1].text
    venue = await world.store.db.fetchval(
        "SELECT mt.venue FROM meetings mt JOIN cells c ON c.id = mt.cell_id"
        " WHERE c.code = 'C0101' AND mt.starts_at LIKE '2021-12-15%'"
    )
    assert venue == VENUE
