"""Numbered choices, for chats without buttons: a list offered, a number typed back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import dump
from dialogue import CHANNEL, World

from bot.channels.numbered import LIST_KEPT, NumberedChoices, render
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


async def test_a_number_after_the_list_was_answered_still_answers_it(world, chats):
    # Until #13.2 the bot's answer (a message without choices) spent the list.
    await chats.offer(CHAT, ATTEND)
    assert (await chats.read(CHAT, CHAT, "1")).choice == "attend:1"
    await chats.offer(CHAT, Message("Đã ghi nhận: đồng chí sẽ dự."))  # the bot's answer

    assert (await chats.read(CHAT, CHAT, "2")).choice == "attend:2"


async def test_a_reply_without_choices_in_between_keeps_the_list(world, chats):
    await chats.offer(CHAT, ATTEND)
    # "ok, cảm ơn" -> "did not understand"; then a weekly suggestion that brings no list.
    await chats.offer(CHAT, Message("Xin lỗi, tôi chưa hiểu. Gõ /help để xem các lệnh."))
    await chats.offer(CHAT, Message("📅 Gợi ý tuần này: ..."), unasked=True)
    before = await dump(world.store)

    assert (await chats.read(CHAT, CHAT, "3")).choice == "attend:3"
    refusal = await chats.read(CHAT, CHAT, "4")
    assert isinstance(refusal, Message) and "từ 1 đến 3" in refusal.text
    assert await dump(world.store) == before


async def test_a_list_is_answered_for_a_day_then_refused_saying_why(world, chats):
    await chats.offer(CHAT, ATTEND)
    await chats.offer(CHAT, Message("Đã ghi nhận."))

    world.clock.advance(LIST_KEPT)
    assert (await chats.read(CHAT, CHAT, "1")).choice == "attend:1"
    world.clock.advance(timedelta(seconds=1))
    before = await dump(world.store)
    refusal = await chats.read(CHAT, CHAT, "1")

    assert isinstance(refusal, Message)
    assert refusal.text.startswith("Danh sách lựa chọn gần nhất đã gửi quá 24 giờ")
    assert await dump(world.store) == before
    # In a group, an old list's number is chatter like any other.
    await chats.offer("group-1", RATING)
    world.clock.advance(LIST_KEPT + timedelta(seconds=1))
    typed = await chats.read("user-1", "group-1", "1", private=False)
    assert typed == Inbound(CHANNEL, "user-1", "group-1", private=False, text="1")


async def test_a_newer_list_replaces_an_old_one_even_after_plain_messages(chats):
    await chats.offer(CHAT, ATTEND)
    await chats.offer(CHAT, Message("Đã ghi nhận."))
    await chats.offer(CHAT, RATING)
    await chats.offer(CHAT, Message("Cảm ơn đồng chí."))

    assert (await chats.read(CHAT, CHAT, "2")).choice == "note:fair"
    assert isinstance(await chats.read(CHAT, CHAT, "3"), Message)


async def test_a_list_sent_unasked_says_its_numbers_answer_it(world, chats):
    shown = await chats.offer(CHAT, ATTEND, unasked=True)
    assert shown.endswith("\n  3. Sẽ dự: C0106 05/12\n(Trả lời 1–3 cho tin nhắn này.)")

    one = Message("Đã đến giờ điểm danh.", (Choice("Điểm danh", "checkin:1"),))
    assert (await chats.offer(CHAT, one, unasked=True)).endswith("\n(Trả lời 1 cho tin nhắn này.)")
    assert (
        await chats.offer(CHAT, Message("📅 Gợi ý tuần này"), unasked=True) == "📅 Gợi ý tuần này"
    )
    assert "Trả lời" not in await chats.offer(CHAT, ATTEND)  # an answer to what was asked

    person = await world.linked("M04")  # English on the roster
    english = await chats.offer(person.user_id, RATING, unasked=True)
    assert english.endswith("\n  2. Khá\n(Reply 1–2 to this message.)")


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
    await chats.offer(CHAT, Message("Đã ghi nhận."))

    async with await Store.open(tmp_path / "bot.sqlite3") as reopened:
        after = NumberedChoices(reopened, world.config, world.clock, CHANNEL)
        assert (await after.read(CHAT, CHAT, "3")).choice == "attend:3"


async def test_in_a_dialogue_waiting_for_text_a_number_is_text(world, chats):
    person = await world.linked("M01")
    await world.store.conversations.put(CHANNEL, person.user_id, "note", {}, world.now())

    typed = await chats.read(person.user_id, person.user_id, "5")

    assert typed == Inbound(CHANNEL, person.user_id, person.user_id, text="5")


async def test_a_dialogue_that_asked_for_text_after_the_list_takes_a_number_as_text(world, chats):
    person = await world.linked("C0102")
    chat = person.user_id
    await chats.offer(chat, ATTEND)  # "/schedule": the meetings, each with Move
    assert (await chats.read(chat, chat, "1")).choice == "attend:1"
    # The tap started a dialogue, whose question ("type the new date") has no choices.
    await world.store.conversations.put(CHANNEL, chat, "reschedule", {}, world.now())
    await chats.offer(chat, Message("Gõ ngày giờ mới của buổi sinh hoạt."))

    assert await chats.read(chat, chat, "2") == Inbound(CHANNEL, chat, chat, text="2")
    # A dialogue whose question is the list (the note's steps) takes the number as a pick.
    await chats.offer(chat, RATING)
    assert (await chats.read(chat, chat, "2")).choice == "note:fair"


async def test_in_a_group_a_number_that_answers_no_list_is_chatter(chats):
    typed = await chats.read("user-1", "group-1", "2", private=False)
    assert typed == Inbound(CHANNEL, "user-1", "group-1", private=False, text="2")

    await chats.offer("group-1", RATING)
    picked = await chats.read("user-1", "group-1", "2", private=False)
    assert picked == Inbound(CHANNEL, "user-1", "group-1", private=False, choice="note:fair")


async def test_the_lists_of_one_reply_are_numbered_on_and_each_line_answered(chats):
    # /confirm on Zalo: a check-in a message, each with Confirm and Absent, in one reply.
    first = Message("M07, C0103", (Choice("Xác nhận", "confirm:1"), Choice("Vắng", "absent:1")))
    second = Message("M09, C0201", (Choice("Xác nhận", "confirm:2"), Choice("Vắng", "absent:2")))
    await chats.offer(CHAT, first)
    shown = await chats.offer(CHAT, second, earlier=["confirm:1", "absent:1"])

    assert shown == "M09, C0201\n  3. Xác nhận\n  4. Vắng"
    picked = [(await chats.read(CHAT, CHAT, str(number))).choice for number in (1, 2, 3, 4)]
    assert picked == ["confirm:1", "absent:1", "confirm:2", "absent:2"]
    # The next reply's list starts again at 1, and replaces the whole of this one.
    await chats.offer(CHAT, RATING)
    assert (await chats.read(CHAT, CHAT, "1")).choice == "note:good"
    refused = await chats.read(CHAT, CHAT, "3")
    assert isinstance(refused, Message) and "từ 1 đến 2" in refused.text
