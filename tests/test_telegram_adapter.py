"""The Telegram adapter: real python-telegram-bot over real HTTP to a fake Bot API server.

Each test runs the adapter (polling, or webhook) against tests/fakes/telegram_api.py and the
sample district in a real SQLite file. Users are Telegram ids: 1001 is M01 once linked.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from dialogue import World, make_world
from fakes.telegram_api import FakeTelegram
from telegram import Chat, Message, Update, User

from bot.channels.telegram import (
    PerSenderUpdateProcessor,
    TelegramChannel,
    TelegramPort,
    TelegramSender,
)
from bot.core.config import Config, Storage, Telegram
from bot.core.message_parts import split_text
from bot.core.messages import Choice
from bot.core.messages import Message as BotMessage
from bot.core.quarters import Quarter
from bot.delivery import RetryAfter, TransientError, Unreachable
from bot.digest.outbox import queue_digest
from bot.services.invites import create_invite
from bot.services.outbox import queue_message

M01_PHONE = "0963106218"
PNG = b"\x89PNG\r\n\x1a\n a chart"
MEMBER_MENU = ["meetings", "checkin", "note", "status", "help", "lang", "channel"]


@dataclass
class Running:
    """The sample district's bot, running on the fake Telegram."""

    world: World
    channel: TelegramChannel
    fake: FakeTelegram

    async def says(self, user_id: int, text: str, replies: int = 1, **kw: Any) -> list[dict]:
        """USER_ID types TEXT; the bot's next REPLIES messages in that chat."""
        chat_id = kw.get("chat_id") or user_id
        before = len(self.fake.sent_to(chat_id))
        self.fake.push_text(user_id, text, **kw)
        return (await self.fake.wait_for_messages(chat_id, before + replies))[before:]

    async def taps(self, user_id: int, data: str, message_id: int, replies: int = 1) -> list[dict]:
        before = len(self.fake.sent_to(user_id))
        self.fake.push_callback(user_id, data, message_id)
        return (await self.fake.wait_for_messages(user_id, before + replies))[before:]

    async def link(self, code: str, user_id: int) -> dict:
        invite = await create_invite(
            self.world.store, self.world.config, code, self.world.clock.now()
        )
        [welcome] = await self.says(user_id, f"/start {invite.token}")
        return welcome

    async def accounts(self) -> list[tuple]:
        rows = await self.world.store.db.fetchall(
            "SELECT channel, user_id, chat_id FROM accounts ORDER BY id"
        )
        return [tuple(row) for row in rows]


def telegram_settings(fake: FakeTelegram, **overrides: Any) -> Telegram:
    return Telegram(enabled=True, token=fake.token, api_base_url=fake.api_base_url, **overrides)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = await FakeTelegram.start()
    yield fake
    await fake.close()


async def running(tmp_path: Path, fake: FakeTelegram, **settings: Any) -> Running:
    world = await make_world(tmp_path, Config(telegram=telegram_settings(fake, **settings)))
    channel = TelegramChannel(world.app, world.config.telegram)
    await channel.start()
    return Running(world, channel, fake)


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[Running]:
    """Polling, with the outbox drained in the background as `checkin-bot run` does."""
    bot = await running(tmp_path, fake)
    delivery = asyncio.create_task(bot.world.app.delivery.run())
    yield bot
    delivery.cancel()
    await bot.channel.close()
    await bot.world.store.close()


@pytest.fixture
async def undelivered(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[Running]:
    """Polling, with the outbox drained only when the test says so."""
    bot = await running(tmp_path, fake)
    yield bot
    await bot.channel.close()
    await bot.world.store.close()


# -- starting -----------------------------------------------------------------------------------


async def test_start_sets_the_strangers_menu_in_vietnamese_and_english(bot):
    fake = bot.fake
    assert fake.menu() == fake.menu(language="en") == ["start", "help"]
    descriptions = {
        language: [entry["description"] for entry in fake.menu_entries(language=language)]
        for language in ("", "en")
    }
    assert descriptions == {
        "": ["Bắt đầu, liên kết tài khoản", "Các lệnh dùng được"],
        "en": ["Start: link your account", "What you can do"],
    }
    # Polling: any webhook is removed first, and only messages and button presses are asked for.
    assert fake.calls_of("deleteWebhook")
    poll = (await fake.wait_for_calls("getUpdates"))[0]
    assert poll.params["allowed_updates"] == ["message", "callback_query"]
    assert isinstance(bot.world.app.senders["telegram"], TelegramSender)


# -- linking ------------------------------------------------------------------------------------


async def test_start_with_an_invite_links_the_account_and_sets_the_chats_menu(bot):
    welcome = await bot.link("M01", 1001)
    assert "Nguyễn Văn Thành" in welcome["text"] and "/meetings" in welcome["text"]
    assert bot.fake.menu({"type": "chat", "chat_id": 1001}) == MEMBER_MENU
    assert await bot.accounts() == [("telegram", "1001", "1001")]


async def test_start_without_a_token_offers_the_contact_button(bot):
    [offer] = await bot.says(1002, "/start")
    assert "Chia sẻ số điện thoại" in offer["text"]
    assert offer["reply_markup"] == {
        "keyboard": [[{"text": "Chia sẻ số điện thoại", "request_contact": True}]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }


async def test_someone_elses_contact_is_refused_and_ones_own_links(bot):
    fake = bot.fake
    fake.push_contact(1002, M01_PHONE, contact_user_id=1003)  # a forwarded card, not the button
    [refusal] = await fake.wait_for_messages(1002, 1)
    assert "Chỉ nhận số điện thoại của chính đồng chí" in refusal["text"]
    fake.push_contact(1002, M01_PHONE)  # a phone-book card of no Telegram user
    refusal = (await fake.wait_for_messages(1002, 2))[1]
    assert "chính đồng chí" in refusal["text"]
    assert await bot.accounts() == []

    fake.push_contact(1002, "+84963106218", contact_user_id=1002)
    welcome = (await fake.wait_for_messages(1002, 3))[2]
    assert "Nguyễn Văn Thành" in welcome["text"]
    assert welcome["reply_markup"] == {"remove_keyboard": True}  # the button has done its job
    assert await bot.accounts() == [("telegram", "1002", "1002")]


# -- buttons ------------------------------------------------------------------------------------


async def test_a_button_press_is_answered_and_handled(bot):
    await bot.link("M01", 1001)
    [listing] = await bot.says(1001, "/meetings")
    rows = listing["reply_markup"]["inline_keyboard"]
    assert all(len(row) == 1 for row in rows)  # one button a row
    button = next(row[0] for row in rows if "C0101" in row[0]["text"])

    press = bot.fake.push_callback(1001, button["callback_data"], listing["message_id"])
    answer = (await bot.fake.wait_for_messages(1001, 3))[2]  # the welcome, the list, this
    assert "Đã ghi nhận" in answer["text"]
    # Answered beside the handling, so it may reach the server after the reply.
    [answered] = await bot.fake.wait_for_calls("answerCallbackQuery", 1)
    assert answered.params["callback_query_id"] == press["callback_query"]["id"]
    plans = await bot.world.store.db.fetchval("SELECT count(*) FROM plans")
    assert plans == 1


async def test_a_forged_button_is_answered_and_refused(bot):
    await bot.link("M01", 1001)
    [reply] = await bot.taps(1001, "nonsense:42", message_id=999)
    assert "Lựa chọn này không còn hiệu lực" in reply["text"]
    await bot.fake.wait_for_calls("answerCallbackQuery", 1)
    assert len(bot.fake.calls_of("answerCallbackQuery")) == 1


# -- what the bot does not take -----------------------------------------------------------------


async def test_a_sticker_or_a_file_gets_a_polite_answer_in_the_users_language(bot):
    bot.fake.push_sticker(1002)
    [answer] = await bot.fake.wait_for_messages(1002, 1)
    assert answer["text"].startswith("Bot chỉ đọc được tin nhắn chữ")

    await bot.link("M04", 1004)  # speaks English
    bot.fake.push_document(1004, b"%PDF-1.7", "minutes.pdf", "application/pdf")
    answer = (await bot.fake.wait_for_messages(1004, 2))[1]
    assert answer["text"].startswith("The bot only reads text")
    assert bot.fake.calls_of("getFile") == []


# -- photos of the meeting ----------------------------------------------------------------------

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 64


async def in_a_note(bot: Running) -> None:
    """M01 (1001) checked in at C0102's meeting, now on, and writing its note."""
    await bot.link("M01", 1001)
    [listing] = await bot.says(1001, "/checkin")
    data = listing["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    [done] = await bot.taps(1001, data, listing["message_id"])
    assert "Đã điểm danh" in done["text"]
    [question] = await bot.says(1001, "/note")
    assert "Bước 1/4" in question["text"]


async def sends_photo(bot: Running, push) -> str:
    before = len(bot.fake.sent_to(1001))
    push()
    return (await bot.fake.wait_for_messages(1001, before + 1))[before]["text"]


async def test_a_photo_in_a_note_is_fetched_through_getfile_and_kept(bot, tmp_path):
    await in_a_note(bot)
    fake = bot.fake

    saved = await sends_photo(bot, lambda: fake.push_photo(1001, JPEG, caption="Chi bộ"))
    assert saved.startswith("Đã lưu ảnh 1/5")
    [get_file] = fake.calls_of("getFile")
    assert get_file.params["file_id"] == "file-1"  # the largest size, not the thumbnail
    assert fake.downloads == ["photos/file_1.jpg"]
    [kept] = (tmp_path / "photos").iterdir()  # beside the database, a name of our own
    assert kept.read_bytes() == JPEG and kept.name != "file_1.jpg"

    as_file = await sends_photo(
        bot, lambda: fake.push_document(1001, JPEG, "IMG_2041.JPG", "image/jpeg")
    )
    assert as_file.startswith("Đã lưu ảnh 2/5")
    assert len(list((tmp_path / "photos").iterdir())) == 2


async def test_a_photo_that_is_not_one_too_large_or_gone_is_refused(bot, tmp_path):
    await in_a_note(bot)
    fake = bot.fake

    liar = await sends_photo(
        bot, lambda: fake.push_document(1001, b"MZ\x90\x00 a program", "photo.jpg", "image/jpeg")
    )
    assert liar.startswith("Tệp vừa gửi không phải là ảnh")
    downloads = len(fake.downloads)
    huge = b"\xff\xd8\xff" + b"\0" * (10 * 2**20)
    too_large = await sends_photo(
        bot, lambda: fake.push_document(1001, huge, "scan.jpg", "image/jpeg")
    )
    assert too_large.startswith("Ảnh lớn quá 10 MB")
    assert len(fake.downloads) == downloads  # refused by its size, never downloaded

    def gone() -> None:
        update = fake.push_photo(1001, JPEG)
        fake.forget_file(update["message"]["photo"][-1]["file_id"])

    assert (await sends_photo(bot, gone)).startswith("Bot chưa nhận được ảnh này")
    assert not (tmp_path / "photos").exists() or list((tmp_path / "photos").iterdir()) == []
    count = await bot.world.store.db.fetchval("SELECT count(*) FROM note_photos")
    assert count == 0


async def test_a_photo_outside_a_note_is_answered_with_how_to_send_one(bot):
    await bot.link("M04", 1004)  # speaks English
    answer = await bot.says(1004, "/help")
    assert answer
    bot.fake.push_photo(1004, JPEG)
    said = (await bot.fake.wait_for_messages(1004, 3))[2]["text"]
    assert said.startswith("Photos of a meeting go with its note")
    assert bot.fake.calls_of("getFile") == []  # nothing fetched that is not kept


async def test_commands_in_a_group_are_refused_and_its_chatter_ignored(bot):
    await bot.link("M01", 1001)
    group = -5001
    [refusal] = await bot.says(1001, "/meetings", chat_type="group", chat_id=group)
    assert refusal["text"] == "Hãy nhắn riêng cho bot để dùng lệnh này."

    bot.fake.push_text(1001, "chào cả nhà", chat_type="group", chat_id=group)
    bot.fake.push_sticker(1001)  # in the private chat, after the group text
    bot.fake.push_sticker(1001, chat_type="group", chat_id=group)
    bot.fake.push_text(1001, "/help@some_other_bot", chat_type="group", chat_id=group)
    [refusal] = await bot.says(1001, "/help@checkin_test_bot", chat_type="group", chat_id=group)
    assert "nhắn riêng" in refusal["text"]
    assert len(bot.fake.sent_to(group)) == 2  # the two refusals, nothing else
    assert len(bot.fake.sent_to(1001)) == 2  # the welcome and the sticker answer


# -- replies the way Telegram takes them ---------------------------------------------------------


async def test_a_long_reply_is_split_at_line_ends_with_the_buttons_under_the_last_part(bot):
    port = TelegramPort(bot.channel.application.bot, 1001)
    lines = [f"{n:04d} " + "x" * 95 for n in range(60)]  # 6,000 characters
    await port.reply(BotMessage("\n".join(lines), (Choice("OK", "ok:1"),)))
    first, second = bot.fake.sent_to(1001)
    assert first["text"].splitlines() == lines[:40] and second["text"].splitlines() == lines[40:]
    assert "reply_markup" not in first
    assert second["reply_markup"] == {
        "inline_keyboard": [[{"text": "OK", "callback_data": "ok:1"}]]
    }
    assert split_text("short", 4096) == ["short"]
    assert split_text("a" * 10, limit=4) == ["aaaa", "aaaa", "aa"]


async def test_button_data_over_64_bytes_is_refused_before_sending(bot):
    port = TelegramPort(bot.channel.application.bot, 1001)
    with pytest.raises(ValueError, match="64 bytes"):
        await port.reply(BotMessage("pick", (Choice("Đ", "đ" * 33),)))
    assert bot.fake.sent_to(1001) == []


async def test_a_file_goes_as_a_document_with_its_name_and_caption(bot, tmp_path):
    report = tmp_path / "coverage-2021Q4.xlsx"
    report.write_bytes(b"PK fake workbook")
    await TelegramPort(bot.channel.application.bot, 1001).send_file(report, "Quý IV")
    [call] = bot.fake.calls_of("sendDocument")
    assert call.files["document"] == ("coverage-2021Q4.xlsx", b"PK fake workbook")
    assert call.params["caption"] == "Quý IV"


async def test_a_picture_goes_as_a_photo_seen_in_the_chat(bot, tmp_path):
    chart = tmp_path / "digest-2021Q4.png"
    chart.write_bytes(PNG)
    await TelegramPort(bot.channel.application.bot, 1001).send_file(chart, "Biểu đồ")
    [call] = bot.fake.calls_of("sendPhoto")
    assert call.files["photo"] == ("digest-2021Q4.png", PNG)
    assert call.params["caption"] == "Biểu đồ"
    assert "photo" in bot.fake.sent_to(1001)[-1]
    assert bot.fake.calls_of("sendDocument") == []


async def test_a_picture_telegram_will_not_show_as_a_photo_goes_as_a_file(bot, tmp_path, caplog):
    chart = tmp_path / "digest-2021Q4.png"
    chart.write_bytes(PNG)
    bot.fake.fail("sendPhoto", 1, status=400, description="Bad Request: PHOTO_INVALID_DIMENSIONS")
    await TelegramPort(bot.channel.application.bot, 1001).send_file(chart, "Biểu đồ")
    [call] = bot.fake.calls_of("sendDocument")
    assert call.files["document"] == ("digest-2021Q4.png", PNG)
    assert "sent as a file" in caplog.text
    bot.fake.block(1002)
    with pytest.raises(Unreachable):  # a refusal of the chat is not about the picture
        await bot.world.app.senders["telegram"].send_file("1002", chart, "Biểu đồ")


async def test_the_digest_comes_as_its_message_the_workbook_and_the_chart_as_a_photo(bot):
    world, office = bot.world, -1001
    # The digest's files are kept beside the database until sent.
    config = world.config.model_copy(update={"storage": Storage(path=str(world.store.db.path))})
    await queue_digest(world.store, config, Quarter(2021, 4), world.now(), [f"telegram:{office}"])

    text, workbook, chart = await bot.fake.wait_for_messages(office, 3)
    assert "chi bộ quý IV/2021" in text["text"]
    assert workbook["document"]["file_name"] == "digest-2021Q4.xlsx"
    assert "photo" in chart and "document" not in chart
    assert chart["caption"].startswith("Biểu đồ")
    [photo] = bot.fake.calls_of("sendPhoto")
    assert photo.files["photo"][1][:8] == b"\x89PNG\r\n\x1a\n"


# -- the outbox's sender ------------------------------------------------------------------------


async def test_the_sender_maps_telegrams_refusals_to_what_the_outbox_understands(bot):
    sender = bot.world.app.senders["telegram"]
    message = BotMessage("Nhắc lịch sinh hoạt")

    bot.fake.block(1009)
    with pytest.raises(Unreachable, match="blocked"):
        await sender.send("1009", message)
    bot.fake.fail("sendMessage", 1, status=429, retry_after=7)
    with pytest.raises(RetryAfter) as slow_down:
        await sender.send("1001", message)
    assert slow_down.value.seconds == 7
    bot.fake.fail("sendMessage", 1, status=400, description="Bad Request: chat not found")
    with pytest.raises(Unreachable, match=r"(?i)chat not found"):
        await sender.send("1001", message)
    bot.fake.fail("sendMessage", 1, status=502, description="Bad Gateway")
    with pytest.raises(TransientError):
        await sender.send("1001", message)
    await sender.send("1001", message)
    assert [m["text"] for m in bot.fake.sent_to(1001)] == ["Nhắc lịch sinh hoạt"]


async def test_a_429_on_an_outbox_send_is_logged_once_as_information_not_as_an_error(bot, caplog):
    sender = bot.world.app.senders["telegram"]
    bot.fake.fail("sendMessage", 1, status=429, retry_after=7)
    with caplog.at_level(logging.INFO), pytest.raises(RetryAfter):
        await sender.send("1001", BotMessage("Nhắc lịch"))
    # PTB's own traceback for it is filtered: the outbox re-queues the row and says so.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_blocked_user_is_marked_unreachable_and_a_429_is_retried_later(undelivered):
    bot, world, fake = undelivered, undelivered.world, undelivered.fake
    await bot.link("M01", 1001)
    await bot.link("M02", 1002)
    m01, m02 = [
        await world.store.db.fetchval("SELECT person_id FROM accounts WHERE user_id = ?", (u,))
        for u in ("1001", "1002")
    ]
    now = world.clock.now()

    fake.block(1001)
    await queue_message(world.store, "k:blocked", BotMessage("to M01"), now, person_id=m01)
    await world.app.delivery.drain()
    assert await outbox(world) == [("k:blocked", "failed")]
    assert await world.store.accounts.for_person(m01) == []  # unreachable: not tried again

    fake.fail("sendMessage", 1, status=429, retry_after=30)
    await queue_message(world.store, "k:slow", BotMessage("to M02"), now, person_id=m02)
    await world.app.delivery.drain()
    world.clock.advance(timedelta(seconds=29))
    await world.app.delivery.drain()
    assert (await outbox(world))[1] == ("k:slow", "queued")
    world.clock.advance(timedelta(seconds=1))
    await world.app.delivery.drain()
    assert (await outbox(world))[1] == ("k:slow", "sent")
    assert fake.sent_to(1002)[-1]["text"] == "to M02"
    assert len(fake.calls_of("sendMessage")) == 2 + 1 + 2  # welcomes, the 403, the 429 and after


async def test_an_outbox_row_telegram_cannot_take_is_set_aside_not_fatal(undelivered):
    world = undelivered.world
    await undelivered.link("M01", 1001)
    m01 = await world.store.db.fetchval("SELECT person_id FROM accounts WHERE user_id = '1001'")
    too_long = BotMessage("Chọn", (Choice("Sẽ dự", "attend:" + "9" * 60),))
    await queue_message(world.store, "k:too-long", too_long, world.now(), person_id=m01)
    await queue_message(world.store, "k:fine", BotMessage("Nhắc lịch"), world.now(), person_id=m01)
    await world.app.delivery.drain()
    rows = await world.store.db.fetchall("SELECT key, state, error FROM outbox ORDER BY id")
    assert [tuple(row)[:2] for row in rows] == [("k:too-long", "queued"), ("k:fine", "sent")]
    assert "longer than 64 bytes" in rows[0][2]
    assert [m["text"] for m in undelivered.fake.sent_to(1001)][1:] == ["Nhắc lịch"]


async def outbox(world: World) -> list[tuple]:
    rows = await world.store.db.fetchall("SELECT key, state FROM outbox ORDER BY id")
    return [tuple(row) for row in rows]


# -- webhook ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def hooked(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[Running]:
    port = free_port()
    bot = await running(
        tmp_path,
        fake,
        mode="webhook",
        webhook_url=f"http://127.0.0.1:{port}/tg/hook",
        webhook_listen=f"127.0.0.1:{port}",
        webhook_secret="s3cret-Token_1",
    )
    yield bot
    await bot.channel.close()
    await bot.world.store.close()


async def post_update(url: str, update: dict, secret: str | None) -> int:
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers=headers) as response,
    ):
        return response.status


def help_update(fake: FakeTelegram, user_id: int) -> dict:
    """An update as Telegram would POST it (not queued for getUpdates)."""
    update = fake.push_text(user_id, "/help")
    fake.updates.remove(update)
    return update


async def test_webhook_mode_registers_the_address_and_the_secret(hooked):
    fake = hooked.fake
    assert fake.webhook == {
        "url": hooked.world.config.telegram.webhook_url,
        "secret_token": "s3cret-Token_1",
    }
    assert fake.calls_of("getUpdates") == []


async def test_webhook_refuses_updates_without_the_right_secret(hooked):
    fake, url = hooked.fake, hooked.world.config.telegram.webhook_url
    assert await post_update(url, help_update(fake, 1101), secret=None) == 403
    assert await post_update(url, help_update(fake, 1101), secret="wrong") == 403
    assert await post_update(url, help_update(fake, 1101), secret="s3cret-Token_1") == 200
    [answer] = await fake.wait_for_messages(1101, 1)
    assert "Bot giúp Quận ủy viên" in answer["text"]
    # The refused two were not queued behind it: this person's updates run in order.
    assert len(fake.sent_to(1101)) == 1
    assert await post_update(url.replace("/tg/hook", "/other"), help_update(fake, 1101), "x") == 404


# -- one person's updates in order, different people's side by side ------------------------------


def update_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, f"User {user_id}", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    message = Message(update_id, datetime(2021, 11, 20, tzinfo=UTC), chat, from_user=user)
    return Update(update_id, message=message)


async def test_one_persons_updates_wait_for_each_other_and_others_do_not():
    processor = PerSenderUpdateProcessor(8)
    events: list[str] = []
    release_first = asyncio.Event()

    async def handle(name: str, hold: asyncio.Event | None = None) -> None:
        events.append(f"{name} starts")
        if hold is not None:
            await hold.wait()
        events.append(f"{name} ends")

    first = asyncio.create_task(
        processor.process_update(update_from(1, 1), handle("A1", release_first))
    )
    second = asyncio.create_task(processor.process_update(update_from(1, 2), handle("A2")))
    other = asyncio.create_task(processor.process_update(update_from(2, 3), handle("B1")))
    await other
    assert events == ["A1 starts", "B1 starts", "B1 ends"]
    release_first.set()
    await asyncio.gather(first, second)
    assert events[3:] == ["A1 ends", "A2 starts", "A2 ends"]


# -- the fake itself: what later tests rely on ---------------------------------------------------


async def test_the_fake_takes_json_keeps_updates_until_an_offset_confirms_them(fake):
    async def call(method: str, token: str = fake.token, **params: Any) -> tuple[int, dict]:
        url = f"{fake.api_base_url}{token}/{method}"
        async with aiohttp.ClientSession() as session, session.post(url, json=params) as response:
            return response.status, await response.json()

    first, second = fake.push_text(7, "một"), fake.push_text(7, "hai")
    status, body = await call("getUpdates", offset=0, timeout=0)
    assert status == 200 and [u["update_id"] for u in body["result"]] == [
        first["update_id"],
        second["update_id"],
    ]
    _, body = await call("getUpdates", offset=second["update_id"], timeout=0)
    assert [u["update_id"] for u in body["result"]] == [second["update_id"]]  # first confirmed
    _, body = await call("getUpdates", offset=second["update_id"] + 1, timeout=0)
    assert body["result"] == []

    status, body = await call("sendMessage", chat_id=7, text="chào")
    assert status == 200 and body["result"]["chat"]["id"] == 7
    assert fake.sent_to(7)[0]["text"] == "chào"
    assert (await call("getMe", token="1:wrong"))[0] == 401
    assert (await call("noSuchMethod"))[0] == 404


# -- what Telegram delivers twice, refuses, or must not see in the logs --------------------------


async def test_a_webhook_update_delivered_twice_is_answered_once(hooked):
    fake, url = hooked.fake, hooked.world.config.telegram.webhook_url
    update = help_update(fake, 1101)
    for _ in range(3):  # Telegram posts it again when our answer did not reach it
        assert await post_update(url, update, secret="s3cret-Token_1") == 200
    later = help_update(fake, 1101)
    assert await post_update(url, later, secret="s3cret-Token_1") == 200
    await fake.wait_for_messages(1101, 2)
    for _ in range(20):
        await asyncio.sleep(0)  # loop turns, not time: nothing more comes
    assert len(fake.sent_to(1101)) == 2  # the first update once, then the later one


async def test_updates_polled_again_after_a_restart_are_answered_once(undelivered):
    """A bot stopped before it confirmed its last poll gets those updates again at its next
    start (Telegram keeps them until an offset confirms them)."""
    bot, fake = undelivered, undelivered.fake
    first = fake.push_text(1102, "/help")
    await fake.wait_for_messages(1102, 1)
    fake.updates.insert(0, first)  # as if never confirmed
    await bot.channel.close()
    bot.channel = TelegramChannel(bot.world.app, bot.world.config.telegram)
    await bot.channel.start()
    fake.push_text(1102, "/help")
    await fake.wait_for_messages(1102, 2)
    for _ in range(20):
        await asyncio.sleep(0)
    assert len(fake.sent_to(1102)) == 2


@pytest.mark.parametrize(
    ("refusal", "reason"),
    [
        (lambda fake: fake.block(1001), "blocked"),
        (
            lambda fake: fake.fail(
                "sendMessage", 1, 400, description="Bad Request: chat not found"
            ),
            "chat not found",
        ),
    ],
)
async def test_a_chat_that_refuses_the_reply_is_marked_unreachable_with_one_warning(
    undelivered, caplog, refusal, reason
):
    bot, fake, store = undelivered, undelivered.fake, undelivered.world.store
    await bot.link("M01", 1001)
    refusal(fake)
    with caplog.at_level(logging.INFO):
        fake.push_text(1001, "/meetings")
        await fake.wait_for_calls("sendMessage", 2)  # the welcome, then the refused list
        await fake.wait_until(lambda: bool(caplog.records) and "unreachable" in caplog.text)
    [warning] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning.getMessage().startswith("telegram chat 1001 refused the answer (")
    assert reason in warning.getMessage().lower() and warning.exc_info is None
    unreachable = await store.db.fetchval(
        "SELECT unreachable_at FROM accounts WHERE user_id = '1001'"
    )
    assert unreachable is not None
    # Nothing more was tried in that chat: no "something went wrong" after the refusal.
    assert len(fake.calls_of("sendMessage")) == 2


async def test_the_token_is_in_no_log_record_no_error_and_no_outbox_row(undelivered, caplog):
    bot, world = undelivered, undelivered.world
    secret = bot.fake.token.split(":", 1)[1]
    caplog.set_level(logging.DEBUG)
    await bot.link("M01", 1001)
    person = await world.store.db.fetchval("SELECT person_id FROM accounts WHERE user_id = '1001'")
    await queue_message(world.store, "k:offline", BotMessage("x"), world.now(), person_id=person)
    port = bot.fake.port
    await bot.fake.close()  # Telegram unreachable: the connection is refused
    sender = world.app.senders["telegram"]
    with pytest.raises(TransientError) as unheard:
        await sender.send("1001", BotMessage("x"))
    await world.app.delivery.drain()
    bot.fake = await FakeTelegram.start(port=port)
    bot.fake.fail("sendMessage", 1, status=502, description="Bad Gateway")
    with pytest.raises(TransientError) as refused:
        await sender.send("1001", BotMessage("x"))

    errors = [row[0] for row in await world.store.db.fetchall("SELECT error FROM outbox")]
    assert errors and all(error and secret not in error for error in errors)
    for exc in (unheard.value, refused.value):
        chain = [exc, exc.__cause__, exc.__cause__ and exc.__cause__.__cause__]
        assert all(secret not in str(link) for link in chain if link is not None)
    assert secret not in caplog.text
