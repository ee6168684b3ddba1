"""Photos of the meetings on the board: beside each visit's note, served only to the office."""

from __future__ import annotations

import re
from pathlib import Path

from board import open_board
from test_dialogue_photos import JPEG, png
from test_web_http import SAMPLE_DATA

from bot.services.photos import attach_photo

# An iPhone's HEIC, as far as bot.core.photos tells one: a browser shows none.
HEIC = b"\x00\x00\x00\x18ftypheic" + bytes(200)


async def photographed_visit(office) -> tuple[int, list[str]]:
    """M07's check-in at C0106 (the sample's, at O01) with a PNG, a JPEG and a HEIC; its id
    and the photos' file names."""
    world = office.world
    checkin = await world.store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE m.code = 'M07' AND ch.cell_code = 'C0106'"
    )
    for content in (png(), JPEG, HEIC):
        result = await attach_photo(world.store, "M07", checkin, content, world.now())
        assert result.outcome == "saved"
    names = await world.store.photos.names(checkin)
    return checkin, names


def shown(text: str) -> list[str]:
    """The photos' addresses a page links to."""
    return re.findall(r'href="/photos/([^"]+)"', text)


async def test_a_visits_photos_are_shown_on_the_members_and_the_organizations_pages(tmp_path):
    async with open_board(tmp_path) as office:
        _, names = await photographed_visit(office)
        await office.sign_in()
        member = await office.get("/members/M07")
        organization = await office.get("/organizations/O01")
        other = await office.get("/organizations/O02")  # M07's photos are not O02's
    assert shown(member.text) == names and shown(organization.text) == names
    assert shown(other.text) == []
    png_name, jpg_name, heic_name = names
    for name in (png_name, jpg_name):  # pictures, with words for who cannot see them
        assert re.search(rf'<img src="/photos/{name}" alt="Ảnh buổi sinh hoạt \d/3"', member.text)
    assert f'<img src="/photos/{heic_name}"' not in member.text  # a link, not a broken picture
    assert "Ảnh buổi sinh hoạt 3/3 (HEIC)</a>" in member.text


async def test_a_photo_is_served_whole_with_its_own_type(tmp_path):
    async with open_board(tmp_path) as office:
        _, names = await photographed_visit(office)
        await office.sign_in()
        answers = {}
        for name in names:
            async with office.client.get(f"/photos/{name}") as response:
                answers[name] = (response.status, response.content_type, await response.read())
    png_name, jpg_name, heic_name = names
    assert answers == {
        png_name: (200, "image/png", png()),
        jpg_name: (200, "image/jpeg", JPEG),
        heic_name: (200, "image/heic", HEIC),
    }


async def test_without_a_session_a_photo_is_not_served(tmp_path):
    async with open_board(tmp_path) as office:
        _, names = await photographed_visit(office)
        async with office.client.get(f"/photos/{names[0]}") as response:
            status, body = response.status, await response.read()
    assert status == 401 and png() not in body
    assert b"Sign in to the board" in body
    assert not [data for data in SAMPLE_DATA if data.encode() in body]


async def test_only_a_photo_the_database_lists_is_served(tmp_path):
    async with open_board(tmp_path) as office:
        world = office.world
        folder = Path(world.store.db.path).parent / "photos"
        folder.mkdir(exist_ok=True)
        (folder / "9-0123456789ab.jpg").write_bytes(JPEG)  # a file no row names
        await office.sign_in()
        paths = [
            "/photos/9-0123456789ab.jpg",
            "/photos/..%2Fbot.sqlite3",  # the database beside the folder
            "/photos/%2E%2E%2Fbot.sqlite3",
            "/photos/bot.sqlite3",
            "/photos/1-0123456789ab.png",
        ]
        answers = {}
        for path in paths:
            async with office.client.get(path) as response:
                answers[path] = (response.status, await response.read())
    assert {path: status for path, (status, _) in answers.items()} == dict.fromkeys(paths, 404)
    assert not [path for path, (_, body) in answers.items() if b"SQLite format" in body]
    assert not [path for path, (_, body) in answers.items() if JPEG in body]
