"""/channel, and where the bot's own messages go for a person linked on two chat apps."""

from __future__ import annotations

from datetime import timedelta

from conftest import dump
from dialogue import CHANNEL, InboxSender, Person, World, texts

from bot.core.messages import Message
from bot.services.outbox import queue_message


async def linked_on_both(world: World, code: str = "M01") -> tuple[Person, InboxSender, int]:
    """CODE linked in the test chat, then on "zalo" too (used just after); the zalo inbox."""
    person = await world.linked(code)
    account = await world.store.accounts.find(CHANNEL, person.user_id)
    assert account is not None
    world.clock.advance(timedelta(minutes=1))
    await world.store.accounts.link("zalo", "z-1", "z-1", account.person_id, world.now())
    zalo = InboxSender()
    world.app.add_channel("zalo", zalo)
    return person, zalo, account.person_id


async def notice(world: World, person_id: int, key: str) -> None:
    await queue_message(world.store, key, Message(key), world.now(), person_id=person_id)
    await world.app.delivery.drain()


async def test_messages_go_to_the_app_used_last_then_to_the_one_chosen(world):
    m01, zalo, person_id = await linked_on_both(world)

    await notice(world, person_id, "k:1")
    assert [m.text for m in zalo.inboxes["z-1"]] == ["k:1"]  # zalo was used last

    world.clock.advance(timedelta(minutes=1))
    replies = await m01.send("/channel")  # using the test chat makes it the last used
    assert "test (kênh đồng chí dùng gần nhất)" in texts(replies)
    await notice(world, person_id, "k:2")
    assert [m.text for m in m01.received] == ["k:2"]

    replies = await m01.send("/kenh zalo")
    assert texts(replies) == "Từ nay nhắc việc và thông báo của bot gửi qua Zalo."
    await notice(world, person_id, "k:3")
    assert [m.text for m in zalo.inboxes["z-1"]] == ["k:1", "k:3"]
    assert "Zalo (đồng chí đã chọn)" in texts(await m01.send("/channel"))


async def test_a_chosen_app_that_blocked_the_bot_gives_way_to_the_other(world):
    m01, _, person_id = await linked_on_both(world)
    await m01.send("/channel zalo")
    account = await world.store.accounts.find("zalo", "z-1")
    assert account is not None
    await world.store.accounts.mark_unreachable(account.id, world.now())

    await notice(world, person_id, "k:after-block")
    assert [m.text for m in m01.received] == ["k:after-block"]
    assert "zalo" not in texts(await m01.send("/channel")).lower()


async def test_choosing_an_app_one_is_not_linked_on_or_no_app_changes_nothing(world):
    m01 = await world.linked("M01")
    before = await dump(world.store)

    not_linked = await m01.send("/channel zalo")
    assert texts(not_linked).startswith("Đồng chí chưa liên kết Zalo với bot")
    unknown = await m01.send("/channel viber")
    assert texts(unknown) == '"viber" không phải là kênh. Gõ /channel telegram hoặc /channel zalo.'
    only = await m01.send("/channel")
    assert "kênh duy nhất đồng chí đã liên kết" in texts(only)
    assert await dump(world.store) == before


async def test_a_stranger_cannot_choose(world):
    stranger = world.stranger()
    before = await dump(world.store)
    replies = await stranger.send("/channel zalo")
    assert texts(replies).startswith("Đồng chí chưa được liên kết với danh sách của Quận ủy.")
    assert await dump(world.store) == before


async def test_writing_again_after_blocking_the_bot_makes_one_reachable_at_once(world):
    m01 = await world.linked("M01")
    account = await world.store.accounts.find(CHANNEL, m01.user_id)
    assert account is not None
    await world.store.accounts.mark_unreachable(account.id, world.now())
    assert await world.store.accounts.for_person(account.person_id) == []

    await m01.send("/help")  # within a minute of the last time seen: still recorded

    (again,) = await world.store.accounts.for_person(account.person_id)
    assert again.id == account.id


async def test_when_one_was_last_seen_is_written_at_most_once_a_minute(world):
    m01 = await world.linked("M01")

    async def last_seen() -> str:
        return await world.store.db.fetchval(
            "SELECT last_seen_at FROM accounts WHERE user_id = ?", (m01.user_id,)
        )

    linked_at = await last_seen()
    world.clock.advance(timedelta(seconds=59))
    await m01.send("/help")
    assert await last_seen() == linked_at
    world.clock.advance(timedelta(seconds=1))
    await m01.send("/help")
    assert await last_seen() > linked_at
