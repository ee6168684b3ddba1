"""/web (/trangweb) in chat: a one-time sign-in link for an admin, and nobody else."""

from __future__ import annotations

import re

from board import ADMIN, board_config
from conftest import dump
from dialogue import make_world, texts

from bot.core.config import Web

LINK = re.compile(r"http://127\.0\.0\.1:8080/login/([A-Za-z0-9_-]{40,})")


async def test_an_admin_gets_a_link_that_works_once_for_ten_minutes(tmp_path):
    world = await make_world(tmp_path, board_config(tmp_path))
    try:
        admin = await world.linked(ADMIN)
        [reply] = await admin.send("/trangweb")
        assert LINK.search(reply.text) and "dùng được một lần, đến Thứ Bảy 20/11/2021 08:10" in (
            reply.text
        )
        assert "Đừng chuyển tiếp" in reply.text
        assert "web" in [command for command, _ in admin.port.menu]
        rows = await world.store.db.fetchall("SELECT person_id, used_at FROM web_sign_ins")
        assert len(rows) == 1 and rows[0][1] is None
    finally:
        await world.store.close()


async def test_anyone_else_is_refused_in_their_language_and_nothing_is_made(tmp_path):
    world = await make_world(tmp_path, board_config(tmp_path))
    try:
        member = await world.linked("M08")
        secretary = await world.linked("C0101")
        before = await dump(world.store)
        assert "dành cho Văn phòng Quận ủy" in texts(await member.send("/web"))
        assert "dành cho Văn phòng Quận ủy" in texts(await secretary.send("/web"))
        await member.send("/lang en")
        assert "This command is for the committee office." in texts(await member.send("/web"))
        stranger = world.stranger()
        assert "mở đường link mời" in texts(await stranger.send("/web"))
        assert await world.store.db.fetchval("SELECT count(*) FROM web_sign_ins") == 0
        assert (await dump(world.store))["web_sign_ins"] == before["web_sign_ins"]
    finally:
        await world.store.close()


async def test_an_admin_gets_no_link_in_a_group(tmp_path):
    world = await make_world(tmp_path, board_config(tmp_path))
    try:
        admin = await world.linked(ADMIN)
        replies = await admin.send("/web", private=False, chat_id="group-1")
        assert "nhắn riêng" in texts(replies) and not LINK.search(texts(replies))
        assert await world.store.db.fetchval("SELECT count(*) FROM web_sign_ins") == 0
    finally:
        await world.store.close()


async def test_with_the_board_off_the_admin_is_told_so_not_given_a_dead_link(tmp_path):
    config = board_config(tmp_path).model_copy(update={"web": Web(enabled=False)})
    world = await make_world(tmp_path, config)
    try:
        admin = await world.linked(ADMIN)
        reply = texts(await admin.send("/web"))
        assert "chưa được bật" in reply and not LINK.search(reply)
    finally:
        await world.store.close()
