"""Numbered choices, for chats without buttons: a list offered, a number typed back."""

from __future__ import annotations

import pytest
from conftest import dump
from dialogue import CHANNEL, World

from bot.channels.numbered import NumberedChoices, render
from bot.core.messages import Choice, Inbound, Message
from storage.store import Store

CHAT = "chat-1"
ATTEND = Message(
    "Lịch sinh hoạt sắp tới:",
    (
        Choice("Sẽ dự: C0103 17/12", "attend:1"),
        Choice("Sẽ dự: O11 13/12", "attend:2"),
        Choice("Sẽ dự: C0106 05/12", "attend:3"),
    ),
)
RATING = Message(
    "Buổi sinh hoạt thế nào?", (Choice("Tốt", "note:good"), Choice("Khá", "note:fair"))
)


@pytest.fixture
def chats(world: World) -> NumberedChoices:
    return NumberedChoices(world.store, world.config, world.clock, CHANNEL)


async def test_choices_are_numbered_under_the_text(chats):
    shown = await chats.offer(CHAT, ATTEND)

    assert shown == (
        "Lịch sinh hoạt sắp tới:\n"
        "  1. Sẽ dự: C0103 17/12\n"
        "  2. Sẽ dự: O11 13/12\n"
        "  3. Sẽ dự: C0106 05/12"
    )
    assert render(Message("Đã ghi nhận.")) == "Đã ghi nhận."


async def test_each_number_picks_its_line(chats):
    await chats.offer(CHAT, ATTEND)

    for number, choice in enumerate(ATTEND.choices, 1):
        picked = await chats.read(CHAT, CHAT, f" {number} ")
        assert picked == Inbound(CHANNEL, CHAT, CHAT, choice=choice.data)
    assert (await chats.read(CHAT, CHAT, "2.")).choice == "attend:2"


async def test_a_number_off_the_list_says_so_and_changes_nothing(world, chats):
    await chats.offer(CHAT, ATTEND)
    before = await dump(world.store)

    for typed in ("0", "4", "999999"):
        refusal = await chats.read(CHAT, CHAT, typed)
        assert isinstance(refusal, Message)
        assert f"Không có lựa chọn số {int(typed)}" in refusal.text
        assert "từ 1 đến 3" in refusal.text
        assert refusal.choices == ()

    assert await dump(world.store) == before
    assert (await chats.read(CHAT, CHAT, "3")).choice == "attend:3"  # the list is still there


async def test_text_that_is_not_a_number_passes_through(chats):
    await chats.offer(CHAT, ATTEND)

    text = await chats.read(CHAT, CHAT, "xin chào 1")
    assert text == Inbound(CHANNEL, CHAT, CHAT, text="xin chào 1")
    command = await chats.read(CHAT, CHAT, "/lang en")
    assert (command.command, command.args) == ("lang", ("en",))
    assert (await chats.read(CHAT, CHAT, "-1")).text == "-1"


async def test_a_new_list_replaces_the_old_one(chats):
    await chats.offer(CHAT, ATTEND)
    await chats.offer(CHAT, RATING)

    assert (await chats.read(CHAT, CHAT, "1")).choice == "note:good"
    refusal = await chats.read(CHAT, CHAT, "3")
    assert isinstance(refusal, Message) and "từ 1 đến 2" in refusal.text


async def test_a_number_after_the_list_was_answered_is_refused(world, chats):
    await chats.offer(CHAT, ATTEND)
    assert (await chats.read(CHAT, CHAT, "1")).choice == "attend:1"
    await chats.offer(CHAT, Message("Đã ghi nhận: đồng chí sẽ dự."))  # the bot's answer
    before = await dump(world.store)

    refusal = await chats.read(CHAT, CHAT, "2")

    assert isinstance(refusal, Message)
    assert "Không có danh sách lựa chọn nào đang chờ" in refusal.text
    assert await dump(world.store) == before


async def test_a_number_in_a_chat_never_offered_a_list_is_refused(chats):
    refusal = await chats.read("someone", "someone", "1")
    assert isinstance(refusal, Message) and "gõ lại lệnh" in refusal.text


async def test_refusals_speak_the_users_language(world):
    person = await world.linked("M04")  # English on the roster
    chats = NumberedChoices(world.store, world.config, world.clock, CHANNEL)
    await chats.offer(person.user_id, RATING)

    refusal = await chats.read(person.user_id, person.user_id, "5")

    assert refusal == Message("There is no choice 5. Type a number from 1 to 2 from the last list.")


async def test_lists_are_per_chat(chats):
    await chats.offer("chat-a", ATTEND)
    await chats.offer("chat-b", RATING)

    assert (await chats.read("chat-a", "chat-a", "2")).choice == "attend:2"
    assert (await chats.read("chat-b", "chat-b", "2")).choice == "note:fair"


async def test_a_list_outlives_a_restart(world, tmp_path, chats):
    await chats.offer(CHAT, ATTEND)

    async with await Store.open(tmp_path / "bot.sqlite3") as reopened:
        after = NumberedChoices(reopened, world.config, world.clock, CHANNEL)
        assert (await after.read(CHAT, CHAT, "3")).choice == "attend:3"


async def test_in_a_dialogue_waiting_for_text_a_number_is_text(world, chats):
    person = await world.linked("M01")
    await world.store.conversations.put(CHANNEL, person.user_id, "note", {}, world.now())

    typed = await chats.read(person.user_id, person.user_id, "5")

    assert typed == Inbound(CHANNEL, person.user_id, person.user_id, text="5")


async def test_in_a_group_a_number_that_answers_no_list_is_chatter(chats):
    typed = await chats.read("user-1", "group-1", "2", private=False)
    assert typed == Inbound(CHANNEL, "user-1", "group-1", private=False, text="2")

    await chats.offer("group-1", RATING)
    picked = await chats.read("user-1", "group-1", "2", private=False)
    assert picked == Inbound(CHANNEL, "user-1", "group-1", private=False, choice="note:fair")
