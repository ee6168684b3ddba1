"""Linking, help and language: the first minutes of anyone's conversation with the bot."""

from __future__ import annotations

from dialogue import World, make_world, texts

from bot.core.config import Access, Config
from bot.services.invites import create_invite


async def dump_accounts(world: World) -> list[tuple]:
    return [tuple(r) for r in await world.store.db.fetchall("SELECT * FROM accounts ORDER BY id")]


async def test_a_stranger_learns_only_how_to_get_an_invite(world):
    stranger = world.stranger()
    for command in ("/meetings", "/checkin", "/schedule 2021-12-05 08:00", "/report", "/status"):
        replies = await stranger.send(command)
        assert "mở đường link mời" in texts(replies), command
    assert "đường link mời" in texts(await stranger.send("/help"))
    assert await dump_accounts(world) == []


async def test_an_invite_links_once_then_is_used_up(world):
    invite = await create_invite(world.store, world.config, "M01", world.now())
    member = world.stranger("tg-1")
    replies = await member.send(f"/start {invite.token}")
    assert "Nguyễn Văn Thành" in replies[-1].text
    assert "/meetings" in replies[-1].text and "/schedule" not in replies[-1].text
    assert [command for command, _ in member.port.menu] == [
        "meetings",
        "checkin",
        "note",
        "status",
        "help",
        "lang",
        "channel",
    ]

    someone_else = world.stranger("tg-2")
    replies = await someone_else.send(f"/start {invite.token}")
    assert "đã được dùng" in replies[-1].text
    assert len(await dump_accounts(world)) == 1


async def test_an_expired_or_unknown_invite_is_refused(world):
    invite = await create_invite(world.store, world.config, "M02", world.now())
    world.clock.advance(world.config.invites.expire_after)
    member = world.stranger()
    assert "hết hạn" in texts(await member.send(f"/start {invite.token}"))
    assert "không đúng" in texts(await member.send("/start not-a-real-token-at-all-xyz"))
    assert await dump_accounts(world) == []


async def test_a_bare_token_links_too(world):
    """Zalo users paste the code itself."""
    invite = await create_invite(world.store, world.config, "M03", world.now())
    member = world.stranger()
    replies = await member.send(invite.token)
    assert "Lê Quang Huy" in replies[-1].text


async def test_sharing_ones_own_contact_links_by_phone(world):
    member = world.stranger("tg-7")
    replies = await member.send("/start")
    assert replies[-1].contact_button == "Chia sẻ số điện thoại"
    replies = await member.share_contact("+84963106218")  # M01's 0963106218
    assert "Nguyễn Văn Thành" in replies[-1].text


async def test_someone_elses_contact_is_refused(world):
    member = world.stranger("tg-7")
    replies = await member.share_contact("0963106218", owner="tg-8")
    assert "chính đồng chí" in replies[-1].text
    assert await dump_accounts(world) == []


async def test_an_unknown_phone_is_refused(world):
    replies = await world.stranger().share_contact("0900000001")
    assert "không có trong danh sách" in replies[-1].text
    assert await dump_accounts(world) == []


async def test_member_who_is_also_secretary_gets_both_menus(world):
    nhung = await world.linked("M14")
    commands = [command for command, _ in nhung.port.menu]
    assert commands[:6] == ["meetings", "checkin", "note", "status", "schedule", "confirm"]


async def test_a_secretary_is_invited_by_cell_code(world):
    secretary = await world.linked("C0101")
    assert [c for c, _ in secretary.port.menu] == ["schedule", "confirm", "help", "lang", "channel"]
    assert "dành cho Quận ủy viên" in texts(await secretary.send("/meetings"))


async def test_language_from_roster_then_by_command(world):
    english = await world.linked("M04")  # language en in members.csv
    assert "Hello" in english.port.replies[-1].text
    replies = await english.send("/lang vi")
    assert replies[-1].text == "Đã chuyển sang Tiếng Việt."
    assert "Lịch sinh hoạt" in dict(english.port.menu)["meetings"]
    replies = await english.send("/lang fr")
    assert "/lang vi" in replies[-1].text


async def test_an_admin_listed_by_phone_can_link_without_a_roster_role(tmp_path):
    config = Config(access=Access(admins=["0911000111"]))
    world = await make_world(tmp_path, config)
    try:
        office = world.stranger()
        replies = await office.share_contact("0911 000 111")
        assert "/report" in replies[-1].text
    finally:
        await world.store.close()


async def test_commands_in_a_group_are_refused(world):
    member = await world.linked("M01")
    replies = await member.send("/meetings", private=False, chat_id="-100")
    assert "nhắn riêng" in replies[-1].text


async def test_unknown_command_and_forged_button(world):
    member = await world.linked("M01")
    assert "/help" in texts(await member.send("/frobnicate"))
    assert "không còn hiệu lực" in texts(await member.tap("nonsense:1"))
