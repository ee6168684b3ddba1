"""Photos of the meeting with the note (#13.12): up to five per check-in, each checked and kept
beside the database under a name of the bot's own; outside a note, how to send one.

The sample district: M01 checks in at C0106's meeting on 05/12/2021 19:30 and writes the note
at 21:40 (tests/test_dialogue_member.py: checked_in_at_c0106).
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from conftest import dump
from dialogue import CHANNEL, Person, World, texts
from openpyxl import load_workbook
from test_dialogue_member import checked_in_at_c0106, dump_but_last_seen

from bot.app import build_app
from bot.core.messages import Inbound
from bot.core.photos import MAX_PHOTO_BYTES, Photo, picture_extension
from bot.core.quarters import Quarter
from bot.digest.gather import gather_digest
from bot.digest.render import render_digest
from storage.store import Store


def png(width: int = 4, height: int = 3) -> bytes:
    """A real PNG of WIDTH x HEIGHT grey pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\0" + b"\x80" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40  # a phone's photo, short
NAME = re.compile(r"^\d+-[0-9a-f]{12}\.(jpg|png)$")


def photos_folder(world: World) -> Path:
    return Path(world.store.db.path).parent / "photos"


def files(world: World) -> dict[str, bytes]:
    folder = photos_folder(world)
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


async def photo_rows(world: World, checkin: int) -> list[tuple]:
    rows = await world.store.db.fetchall(
        "SELECT file_name, bytes FROM note_photos WHERE checkin_id = ? ORDER BY id", (checkin,)
    )
    return [tuple(row) for row in rows]


async def in_the_note(world: World) -> tuple[Person, int]:
    thanh, checkin = await checked_in_at_c0106(world)
    start = texts(await thanh.send("/note"))
    assert "đồng chí có thể gửi kèm ảnh buổi sinh hoạt (tối đa 5 ảnh)" in start
    return thanh, checkin


async def test_photos_sent_during_the_note_are_kept_beside_the_database(world):
    thanh, checkin = await in_the_note(world)

    first = await thanh.send_photo(JPEG, size=len(JPEG))
    assert texts(first).startswith("Đã lưu ảnh 1/5 của buổi sinh hoạt.")
    assert first[0].aside  # the note's question stays the one a number answers
    await thanh.tap("note:rate:good")
    second = await thanh.send_photo(png())
    assert texts(second).startswith("Đã lưu ảnh 2/5")

    rows = await photo_rows(world, checkin)
    assert [size for _, size in rows] == [len(JPEG), len(png())]
    assert all(NAME.match(name) and name.startswith(f"{checkin}-") for name, _ in rows)
    assert files(world) == {rows[0][0]: JPEG, rows[1][0]: png()}
    assert rows[0][0].endswith(".jpg") and rows[1][0].endswith(".png")

    for step in ("note:steps:yes", "note:diff:no"):
        await thanh.tap(step)
    done = texts(await thanh.send("Có ảnh."))
    assert "Đã lưu nhận xét" in done and "Kèm 2 ảnh buổi sinh hoạt." in done


async def test_a_sixth_photo_is_refused_and_changes_nothing(world):
    thanh, checkin = await in_the_note(world)
    for number in range(1, 6):
        assert texts(await thanh.send_photo(JPEG)).startswith(f"Đã lưu ảnh {number}/5")
    before, kept = await dump(world.store), files(world)

    refused = texts(await thanh.send_photo(JPEG))

    assert refused == "Buổi sinh hoạt này đã có đủ 5 ảnh nên ảnh vừa gửi không được lưu."
    assert await dump(world.store) == before and files(world) == kept
    assert len(await photo_rows(world, checkin)) == 5


async def test_a_photo_too_large_or_no_picture_is_refused_and_changes_nothing(world):
    thanh, _ = await in_the_note(world)
    before = await dump(world.store)
    big = JPEG + b"\0" * MAX_PHOTO_BYTES

    said_large = texts(await thanh.send_photo(big, size=len(big)))  # Telegram says its size
    unsaid_large = texts(await thanh.send_photo(big))  # Zalo's URL says nothing beforehand
    not_a_picture = texts(await thanh.send_photo(b"%PDF-1.7 a file renamed photo.jpg"))

    assert (
        said_large == unsaid_large == "Ảnh lớn quá 10 MB nên không được lưu. Hãy gửi ảnh nhỏ hơn."
    )
    assert not_a_picture.startswith("Tệp vừa gửi không phải là ảnh (JPEG, PNG, WebP, HEIC)")
    assert await dump(world.store) == before and files(world) == {}


async def test_a_photo_the_platform_does_not_give_is_asked_again(world):
    thanh, _ = await in_the_note(world)
    before = await dump(world.store)
    gone = Inbound(CHANNEL, thanh.user_id, thanh.user_id, photo=Photo("expired-file-id"))

    await thanh.app.handle(gone, thanh.port)

    assert thanh.last.text == "Bot chưa nhận được ảnh này nên chưa lưu. Đồng chí hãy gửi lại."
    assert await dump(world.store) == before


async def test_a_photo_outside_a_note_says_how_to_send_one(world):
    thanh, _ = await checked_in_at_c0106(world)
    secretary = await world.linked("C0106")
    before = await dump_but_last_seen(world)  # the photos were seen

    for person in (thanh, secretary):
        said = texts(await person.send_photo(JPEG))
        assert said == (
            "Ảnh buổi sinh hoạt được gửi kèm nhận xét: sau khi điểm danh, gõ /note rồi gửi ảnh"
            " (tối đa 5 ảnh) trong lúc nhận xét."
        )
    stranger = texts(await world.stranger().send_photo(JPEG))
    assert "/start" in stranger or "mã" in stranger  # how to get in, nothing more
    in_a_group = Inbound(CHANNEL, thanh.user_id, "group-1", private=False, photo=Photo("p"))
    replies = len(thanh.port.replies)
    await thanh.app.handle(in_a_group, thanh.port)
    assert len(thanh.port.replies) == replies  # other people's photos: none of our business
    assert await dump_but_last_seen(world) == before and files(world) == {}


async def test_after_the_note_a_photo_is_told_how_to_go_with_a_new_one(world):
    thanh, _ = await in_the_note(world)
    for step in ("note:rate:good", "note:steps:yes", "note:diff:no", "note:skip"):
        await thanh.tap(step)
    assert texts(await thanh.send_photo(JPEG)).startswith("Ảnh buổi sinh hoạt được gửi kèm")


async def test_photos_survive_a_restart_mid_note(world):
    thanh, checkin = await in_the_note(world)
    await thanh.send_photo(JPEG)
    await thanh.tap("note:rate:fair")

    async with await Store.open(world.store.db.path) as reopened:
        restarted = build_app(world.config, reopened, world.clock)
        restarted.add_channel(CHANNEL, world.inbox)
        same_chat = Person(restarted, world.inbox, thanh.user_id)
        assert texts(await same_chat.send_photo(png())).startswith("Đã lưu ảnh 2/5")
        for step in ("note:steps:yes", "note:diff:no", "note:skip"):
            done = texts(await same_chat.tap(step))
    assert "Kèm 2 ảnh buổi sinh hoạt." in done
    rows = await photo_rows(world, checkin)
    assert [files(world)[name] for name, _ in rows] == [JPEG, png()]


async def test_a_photo_of_a_check_in_denied_meanwhile_is_not_kept(world):
    thanh, checkin = await in_the_note(world)
    assert await world.store.checkins.decide(checkin, "denied", None, world.now())
    before = await dump(world.store)

    said = texts(await thanh.send_photo(JPEG))

    assert said.startswith("Lượt điểm danh này đã bị ghi vắng")
    assert await dump(world.store) == before and files(world) == {}


async def test_a_member_reading_english_is_answered_in_english(world):
    thanh, _ = await in_the_note(world)
    await thanh.send("/lang en")
    await thanh.send("/note")
    assert texts(await thanh.send_photo(JPEG)) == (
        "Photo 1 of 5 of the meeting saved. You may send more, or go on with the note."
    )


def test_what_counts_as_a_picture():
    assert picture_extension(JPEG) == "jpg"
    assert picture_extension(png()) == "png"
    assert picture_extension(b"GIF89a...") == "gif"
    assert picture_extension(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "webp"
    assert picture_extension(b"\x00\x00\x00\x18ftypheic\x00\x00") == "heic"
    for not_one in (b"", b"%PDF-1.7", b"PK\x03\x04", b"\x00\x00\x00\x18ftypisom", b"RIFFxxxxWAVE"):
        assert picture_extension(not_one) is None, not_one


async def test_the_digest_counts_photos_by_organization_and_the_notes_sheet_names_them(
    world, tmp_path
):
    thanh, checkin = await in_the_note(world)
    for content in (JPEG, png()):
        await thanh.send_photo(content)
    for step in ("note:rate:good", "note:steps:yes", "note:diff:no", "note:skip"):
        await thanh.tap(step)
    names = [name for name, _ in await photo_rows(world, checkin)]

    digest = await gather_digest(world.store, world.config, Quarter(2021, 4), world.now())
    rendered = await render_digest(
        world.store, world.config, Quarter(2021, 4), world.now(), tmp_path
    )

    assert digest.photos_by_organization == {"O01": 2} and digest.photos == 2
    assert "Ảnh buổi sinh hoạt gửi kèm nhận xét: 2 (tên tệp ở trang Nhận xét)." in rendered.text
    book = load_workbook(rendered.xlsx)
    organizations = list(book["Cơ sở đảng"].iter_rows(values_only=True))
    assert organizations[0][-1] == "Số ảnh"
    photos = {row[0]: row[-1] for row in organizations[1:]}
    assert photos["O01"] == 2 and set(photos.values()) == {0, 2}
    notes = list(book["Nhận xét"].iter_rows(values_only=True))
    assert notes[0][-1] == "Tệp ảnh"
    [row] = [row for row in notes[1:] if row[-1]]
    assert row[1] == "M01" and row[5] == "Chi bộ khu dân cư Lâm Du" and row[6] == "Tốt"
    assert row[-1] == f"photos/{names[0]}, photos/{names[1]}"


async def test_photos_of_a_note_not_finished_are_listed_and_a_denied_visits_are_not(
    world, tmp_path
):
    thanh, _ = await in_the_note(world)
    await thanh.send_photo(JPEG)  # and the note left there
    ha = await world.linked("M05")  # pending at C0505, already noted
    await ha.send("/note")
    await ha.send_photo(JPEG)
    denied = await world.store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id WHERE m.code = 'M05'"
        " AND ch.status = 'pending'"
    )
    assert await world.store.checkins.decide(denied, "denied", None, world.now())

    digest = await gather_digest(world.store, world.config, Quarter(2021, 4), world.now())

    assert digest.photos_by_organization == {"O01": 1}
    [unfinished] = [v for v in digest.noted if v.photos]
    assert unfinished.member_code == "M01" and unfinished.rating is None
    rendered = await render_digest(
        world.store, world.config, Quarter(2021, 4), world.now(), tmp_path
    )
    [row] = [
        r
        for r in load_workbook(rendered.xlsx)["Nhận xét"].iter_rows(values_only=True)
        if r[1] == "M01" and r[-1]
    ]
    assert row[6:9] == (None, None, None)  # no rating yet, and none made up
