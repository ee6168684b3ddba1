"""The Zalo adapter over real HTTP against a fake Zalo Bot API server (tests/fakes/zalo_api.py).

Each test runs the adapter (polling, or webhook) on the sample district in a real SQLite file.
Users are Zalo ids (strings): "z-m01" is M01 once linked.
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import dump
from dialogue import World, make_world
from fakes.zalo_api import FakeZalo

from bot.channels import problems
from bot.channels.in_order import InOrder
from bot.channels.zalo import RATE_LIMIT_WAIT, ZaloChannel, ZaloPort, ZaloSender
from bot.channels.zalo_api import ZaloApi, ZaloNetworkError
from bot.core.config import Access, Config, ConfigError, Telegram, Zalo
from bot.core.messages import Choice, Message
from bot.delivery import RetryAfter, TransientError, Unreachable
from bot.services.invites import create_invite
from bot.services.outbox import queue_message

SECRET = "s3cret-Zalo_token"


@dataclass
class Running:
    """The sample district's bot, running on the fake Zalo."""

    world: World
    channel: ZaloChannel
    fake: FakeZalo

    async def says(self, user_id: str, text: str, replies: int = 1, **where: Any) -> list[str]:
        """USER_ID types TEXT; the bot's next REPLIES texts in that chat."""
        chat_id = where.get("chat_id") or user_id
        before = len(self.fake.sent_to(chat_id))
        self.fake.push_text(user_id, text, **where)
        return (await self.fake.wait_for_messages(chat_id, before + replies))[before:]

    async def link(self, code: str, user_id: str) -> str:
        world = self.world
        invite = await create_invite(world.store, world.config, code, world.clock.now())
        [welcome] = await self.says(user_id, f"/start {invite.token}")
        return welcome

    async def plans(self) -> int:
        return await self.world.store.db.fetchval("SELECT count(*) FROM plans")

    async def restart(self) -> None:
        """Stop the channel and start another on the same database, as a new run would."""
        await self.channel.close()
        self.channel = ZaloChannel(self.world.app, self.world.config.zalo, backoff=(0.0,))
        await self.channel.start()


def zalo_settings(fake: FakeZalo, **overrides: Any) -> Zalo:
    return Zalo(enabled=True, token=fake.token, api_base_url=fake.api_base_url, **overrides)


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    fake = await FakeZalo.start(poll_cap=0.05)
    yield fake
    await fake.close()


async def running(tmp_path: Path, fake: FakeZalo, access: Access | None = None, **kw) -> Running:
    config = Config(zalo=zalo_settings(fake, **kw), access=access or Access())
    world = await make_world(tmp_path, config)
    # Retries without waiting: the fake answers at once, and tests never sleep on real time.
    channel = ZaloChannel(world.app, world.config.zalo, backoff=(0.0,))
    await channel.start()
    return Running(world, channel, fake)


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeZalo) -> AsyncIterator[Running]:
    """Polling, with the outbox drained in the background as `checkin-bot run` does."""
    bot = await running(tmp_path, fake)
    delivery = asyncio.create_task(bot.world.app.delivery.run())
    yield bot
    delivery.cancel()
    await bot.channel.close()
    await bot.world.store.close()


# -- polling ------------------------------------------------------------------------------------


async def test_polling_takes_an_update_after_empty_polls(bot):
    fake = bot.fake
    assert fake.calls_of("getMe") and fake.calls_of("deleteWebhook")
    assert isinstance(bot.world.app.senders["zalo"], ZaloSender)
    await fake.wait_until(lambda: fake.empty_polls >= 2, what="two empty polls")
    polls = len(fake.calls_of("getUpdates"))

    [answer] = await bot.says("z-1", "/help")
    assert "Bot giúp Quận ủy viên" in answer
    assert len(fake.calls_of("getUpdates")) > polls  # the poll went on after the 408s
    assert fake.calls_of("getUpdates")[0].params["timeout"] == "30"  # a string, as Zalo's docs


async def test_linking_by_start_token_and_by_the_bare_token(bot):
    welcome = await bot.link("M01", "z-m01")
    assert "Nguyễn Văn Thành" in welcome and "/meetings" in welcome
    invite = await create_invite(bot.world.store, bot.world.config, "M02", bot.world.now())
    [welcome] = await bot.says("z-m02", invite.token)
    assert "Trần Thị Minh Nguyệt" in welcome
    rows = await bot.world.store.db.fetchall(
        "SELECT channel, user_id, chat_id FROM accounts ORDER BY id"
    )
    assert [tuple(row) for row in rows] == [("zalo", "z-m01", "z-m01"), ("zalo", "z-m02", "z-m02")]
    [offer] = await bot.says("z-3", "/start")  # no contact sharing on Zalo: the invite is asked
    assert "mã" in offer.lower() and "chia sẻ số điện thoại" not in offer.lower()


async def test_429_and_5xx_on_polling_are_retried_and_nothing_is_lost(bot):
    fake = bot.fake
    fake.fail("getUpdates", 2, error_code=429)
    update = fake.push_text("z-1", "/help")
    [answer] = await fake.wait_for_messages("z-1", 1)
    assert "Bot giúp Quận ủy viên" in answer
    assert update not in fake.updates

    fake.fail("getUpdates", 1, error_code=502)
    fake.fail("sendMessage", 1, error_code=429)  # the reply is retried too
    [answer] = await bot.says("z-1", "/help")
    assert "Bot giúp Quận ủy viên" in answer
    await asyncio.sleep(0)
    assert len(fake.sent_to("z-1")) == 2  # answered once each
    assert len(fake.calls_of("sendMessage")) == 3  # the 429 and its retry


async def test_a_message_delivered_twice_is_answered_once_also_after_a_restart(bot):
    fake = bot.fake
    update = fake.push_text("z-1", "/help")
    fake.duplicate(update)
    fake.push_text("z-1", "/start")
    # One person's updates are handled in order: once /start is answered, so is the duplicate.
    [helped, started] = await fake.wait_for_messages("z-1", 2)
    assert "Bot giúp Quận ủy viên" in helped and started.startswith("Chào đồng chí!")
    assert len(fake.sent_to("z-1")) == 2

    await bot.restart()
    fake.duplicate(update)
    [started] = await bot.says("z-1", "/start")
    assert started.startswith("Chào đồng chí!")
    assert len(fake.sent_to("z-1")) == 3
    seen = await bot.world.store.db.fetchval(
        "SELECT count(*) FROM updates_seen WHERE channel = 'zalo' AND update_id = ?",
        (update["message"]["message_id"],),
    )
    assert seen == 1


# -- numbered choices ---------------------------------------------------------------------------


async def test_choices_come_as_a_numbered_list_and_the_number_picks(bot):
    await bot.link("M01", "z-m01")
    [listing] = await bot.says("z-m01", "/meetings")
    assert "\n  1. Sẽ dự: " in listing
    [noted] = await bot.says("z-m01", "1")
    assert noted.startswith("Đã ghi nhận: đồng chí sẽ dự")
    assert await bot.plans() == 1


async def test_a_wrong_number_is_answered_and_changes_nothing(bot):
    await bot.link("M01", "z-m01")
    [listing] = await bot.says("z-m01", "/meetings")
    count = len(re.findall(r"\n  \d+\. ", listing))
    await listed(bot, "z-m01")
    before = await without_updates_seen(bot.world)

    [refusal] = await bot.says("z-m01", "99")
    assert refusal.startswith("Không có lựa chọn số 99.")
    assert f"từ 1 đến {count}" in refusal
    assert await without_updates_seen(bot.world) == before  # the list stays, too
    [noted] = await bot.says("z-m01", "1")
    assert noted.startswith("Đã ghi nhận")


async def test_a_number_answers_the_last_list_across_replies_without_choices(bot):
    # Until #13.2 "ok, cảm ơn" (answered "did not understand") or a weekly suggestion threw
    # the list away, and the member's "1" then failed.
    await bot.link("M01", "z-m01")
    await bot.says("z-m01", "/meetings")
    await listed(bot, "z-m01")
    [puzzled] = await bot.says("z-m01", "ok, cảm ơn")
    assert "/help" in puzzled
    await ZaloSender(bot.channel.out).send("z-m01", Message("📅 Gợi ý tuần này: ..."))

    [noted] = await bot.says("z-m01", "1")
    assert noted.startswith("Đã ghi nhận: đồng chí sẽ dự")
    [again] = await bot.says("z-m01", "2")  # the list was answered, and is still the one
    assert again.startswith("Đã ghi nhận: đồng chí sẽ dự")
    assert await bot.plans() == 2


async def test_a_list_the_bot_sends_unasked_says_that_its_numbers_answer_it(bot):
    await bot.link("M01", "z-m01")
    await bot.link("M04", "z-m04")  # speaks English
    choices = (Choice("Xác nhận", "confirm:1:yes"), Choice("Vắng", "confirm:1:no"))
    for chat in ("z-m01", "z-m04"):
        await ZaloSender(bot.channel.out).send(chat, Message("Yêu cầu xác nhận", choices))

    assert bot.fake.sent_to("z-m01")[-1].endswith("  2. Vắng\n(Trả lời 1–2 cho tin nhắn này.)")
    assert bot.fake.sent_to("z-m04")[-1].endswith("\n(Reply 1–2 to this message.)")
    await ZaloPort(bot.channel.out, "z-m01", "z-m01").reply(Message("Danh sách", choices))
    assert bot.fake.sent_to("z-m01")[-1] == "Danh sách\n  1. Xác nhận\n  2. Vắng"  # asked for


async def test_a_reply_of_several_lists_numbers_them_on_and_each_line_is_answered(tmp_path, fake):
    """An admin's /confirm: a message per check-in, each with Confirm and Absent. Until one
    reply made one list, each message said "1. Xác nhận 2. Vắng", and a number answered only
    the last message's."""
    bot = await running(tmp_path, fake, access=Access(admins=["M01"]))
    try:
        await bot.link("M01", "z-m01")
        header, first, second, *rest = await bot.says("z-m01", "/confirm", replies=8)
        assert header.startswith("Có 7 lượt điểm danh trong toàn quận chờ xác nhận")
        assert first.endswith("\n  1. Xác nhận\n  2. Vắng")
        assert second.endswith("\n  3. Xác nhận\n  4. Vắng")
        assert rest[-1].endswith("\n  13. Xác nhận\n  14. Vắng")  # the seventh, the last
        member = second.split("\n")[0]
        await listed(bot, "z-m01")

        [decided] = await bot.says("z-m01", "4")  # the second check-in's Absent
        assert decided.startswith(f"Đã ghi đồng chí {member} vắng ở buổi sinh hoạt")
    finally:
        await bot.channel.close()
        await bot.world.store.close()


async def listed(bot: Running, chat_id: str) -> None:
    """Until the chat's list is stored: that comes once the message is out, after the fake
    has it."""
    for _ in range(1_000):  # loop turns, not time
        if await bot.world.store.conversations.choices("zalo", chat_id):
            return
        await asyncio.sleep(0)
    raise AssertionError(f"no list stored for {chat_id}")


async def without_updates_seen(world: World) -> dict[str, list[tuple]]:
    tables = await dump(world.store)
    tables.pop("updates_seen")
    return tables


async def test_a_long_reply_is_split_at_line_ends_with_the_list_under_the_last_part(bot):
    port = ZaloPort(bot.channel.out, "z-1", "z-1")
    lines = [f"{n:04d} " + "x" * 95 for n in range(50)]  # 5,000 characters
    await port.reply(Message("\n".join(lines), (Choice("Đồng ý", "ok:1"),)))
    parts = bot.fake.sent_to("z-1")
    assert len(parts) == 3 and all(len(part) <= 2000 for part in parts)
    assert "\n".join(parts).splitlines() == [*lines, "  1. Đồng ý"]
    assert await bot.world.store.conversations.choices("zalo", "z-1") == ["ok:1"]


async def test_a_file_becomes_a_notice_in_the_persons_language(bot, tmp_path):
    await bot.link("M04", "z-m04")  # speaks English
    report = tmp_path / "digest-2021Q4.xlsx"
    await ZaloPort(bot.channel.out, "z-m04", "z-m04").send_file(report, "Quarter IV")
    notice = bot.fake.sent_to("z-m04")[-1]
    assert notice.startswith("Quarter IV\n📎 The file digest-2021Q4.xlsx cannot be sent on Zalo")
    assert "checkin-bot digest" in notice


# -- what the bot does not take -----------------------------------------------------------------


async def test_a_sticker_or_anything_else_gets_please_type(bot):
    fake = bot.fake
    fake.push_sticker("z-9")
    [answer] = await fake.wait_for_messages("z-9", 1)
    assert answer.startswith("Bot chỉ đọc được tin nhắn chữ")

    await bot.link("M04", "z-m04")
    fake.push_sticker("z-m04")
    fake.push_unsupported("z-m04")
    answers = (await fake.wait_for_messages("z-m04", 3))[1:]
    assert all(a.startswith("The bot only reads text") for a in answers)


# -- photos of the meeting ----------------------------------------------------------------------

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 64


async def in_a_note(bot: Running) -> None:
    """M01 (z-m01) checked in at C0102's meeting, now on, and writing its note."""
    await bot.link("M01", "z-m01")
    [listing] = await bot.says("z-m01", "/checkin")
    assert "\n  1. " in listing
    [done] = await bot.says("z-m01", "1")
    assert "Đã điểm danh" in done
    [question] = await bot.says("z-m01", "/note")
    assert "Bước 1/4" in question


async def sends_image(bot: Running, content: bytes) -> str:
    before = len(bot.fake.sent_to("z-m01"))
    bot.fake.push_image("z-m01", content, caption="buổi sinh hoạt")
    return (await bot.fake.wait_for_messages("z-m01", before + 1))[before]


async def test_an_image_in_a_note_is_downloaded_from_its_address_and_kept(bot, tmp_path):
    await in_a_note(bot)

    assert (await sends_image(bot, JPEG)).startswith("Đã lưu ảnh 1/5")
    [kept] = (tmp_path / "photos").iterdir()
    assert kept.read_bytes() == JPEG and len(bot.fake.downloads) == 1
    # The note's list is still the one its numbers answer: "1" rates the meeting Good.
    [steps] = await bot.says("z-m01", "1")
    assert "Bước 2/4" in steps


async def test_an_image_that_is_not_one_too_large_or_gone_is_refused(bot, tmp_path):
    await in_a_note(bot)

    assert (await sends_image(bot, b"<html>not found</html>")).startswith("Tệp vừa gửi không")
    before = await without_updates_seen(bot.world)  # the note's list is stored by now
    huge = b"\xff\xd8\xff" + b"\0" * (10 * 2**20)
    assert (await sends_image(bot, huge)).startswith("Ảnh lớn quá 10 MB")
    gone = bot.fake.keep_file(JPEG)
    bot.fake.forget_file(gone)  # Zalo's file server no longer has it: 404
    bot.fake.push(bot.fake.update("message.image.received", "z-m01", {"photo": gone}))
    [not_received] = (await bot.fake.wait_for_messages("z-m01", 7))[6:]
    assert not_received.startswith("Bot chưa nhận được ảnh này")

    assert await without_updates_seen(bot.world) == before
    assert not (tmp_path / "photos").exists() or list((tmp_path / "photos").iterdir()) == []


async def test_an_image_outside_a_note_is_answered_with_how_to_send_one(bot):
    await bot.link("M04", "z-m04")  # speaks English
    bot.fake.push_image("z-m04", JPEG)
    [_, said] = await bot.fake.wait_for_messages("z-m04", 2)
    assert said.startswith("Photos of a meeting go with its note")
    assert bot.fake.downloads == []  # nothing fetched that is not kept


async def test_group_commands_are_refused_and_group_chatter_ignored(tmp_path, fake):
    office = Access(admins=["M01"], digest_chats=["zalo:g-office"])
    bot = await running(tmp_path, fake, office)
    try:
        await bot.link("M01", "z-m01")
        [refusal] = await bot.says("z-m01", "/meetings", chat_type="GROUP", chat_id="g-1")
        assert refusal == "Hãy nhắn riêng cho bot để dùng lệnh này."
        fake.push_text("z-m01", "chào cả nhà", chat_type="GROUP", chat_id="g-1")
        fake.push_text("z-m01", "3", chat_type="GROUP", chat_id="g-1")
        fake.push_sticker("z-m01", chat_type="GROUP", chat_id="g-1")
        # The office's group is a digest chat: its admin's /report is answered there.
        [report] = await bot.says("z-m01", "/report", chat_type="GROUP", chat_id="g-office")
        assert "nhắn riêng" not in report and "41" in report
        [refusal] = await bot.says("z-m01", "/help", chat_type="GROUP", chat_id="g-1")
        assert "nhắn riêng" in refusal
        assert len(fake.sent_to("g-1")) == 2  # the two refusals, nothing else
    finally:
        await bot.channel.close()
        await bot.world.store.close()


# -- the outbox's sender ------------------------------------------------------------------------


async def test_the_sender_maps_zalos_refusals_to_what_the_outbox_understands(bot):
    sender, fake = bot.world.app.senders["zalo"], bot.fake
    message = Message("Nhắc lịch sinh hoạt")

    fake.block("z-blocked")
    with pytest.raises(Unreachable, match="403"):
        await sender.send("z-blocked", message)
    fake.fail("sendMessage", 1, error_code=404, description="Not Found: user not found")
    with pytest.raises(Unreachable, match="404"):
        await sender.send("z-1", message)
    fake.fail("sendMessage", 1, error_code=429)
    with pytest.raises(RetryAfter) as slow_down:
        await sender.send("z-1", message)
    assert slow_down.value.seconds == RATE_LIMIT_WAIT
    for code in (500, 400):
        fake.fail("sendMessage", 1, error_code=code)
        with pytest.raises(TransientError):
            await sender.send("z-1", message)
    await sender.send("z-1", message)
    assert fake.sent_to("z-1") == ["Nhắc lịch sinh hoạt"]  # nothing else got through

    await sender.send("z-1", Message("Chọn", (Choice("Sẽ dự", "attend:1"),)))
    assert fake.sent_to("z-1")[-1] == "Chọn\n  1. Sẽ dự\n(Trả lời 1 cho tin nhắn này.)"
    assert await bot.world.store.conversations.choices("zalo", "z-1") == ["attend:1"]


async def test_a_429_on_an_outbox_row_is_sent_later_and_a_blocked_person_given_up(tmp_path, fake):
    bot = await running(tmp_path, fake)
    world = bot.world
    try:
        await bot.link("M01", "z-m01")
        await bot.link("M02", "z-m02")
        m01, m02 = [
            await world.store.db.fetchval("SELECT person_id FROM accounts WHERE user_id = ?", (u,))
            for u in ("z-m01", "z-m02")
        ]
        fake.block("z-m01")
        fake.fail("sendMessage", 1, error_code=429)
        await queue_message(world.store, "k:m02", Message("tới M02"), world.now(), person_id=m02)
        await queue_message(world.store, "k:m01", Message("tới M01"), world.now(), person_id=m01)
        await world.app.delivery.drain()
        assert await outbox(world) == [("k:m02", "queued"), ("k:m01", "failed")]
        world.clock.advance(timedelta(seconds=RATE_LIMIT_WAIT))
        await world.app.delivery.drain()
        assert await outbox(world) == [("k:m02", "sent"), ("k:m01", "failed")]
        assert fake.sent_to("z-m02")[-1] == "tới M02"
    finally:
        await bot.channel.close()
        await world.store.close()


async def outbox(world: World) -> list[tuple]:
    rows = await world.store.db.fetchall("SELECT key, state FROM outbox ORDER BY id")
    return [tuple(row) for row in rows]


# -- the token stays secret -----------------------------------------------------------------------


async def test_the_token_is_in_no_log_record_and_no_error(tmp_path, fake, caplog):
    caplog.set_level(logging.DEBUG)
    bot = await running(tmp_path, fake)
    # After the start, which quiets httpx: as if someone turned its lines on again.
    caplog.set_level(logging.DEBUG, logger="httpx")
    try:
        fake.fail("getUpdates", 1, error_code=500)
        [answer] = await bot.says("z-1", "/help")
        assert "Bot giúp" in answer
        fake.block("z-1")
        with pytest.raises(Unreachable) as refused:
            await bot.world.app.senders["zalo"].send("z-1", Message("x"))
    finally:
        await bot.channel.close()
        await bot.world.store.close()

    nowhere = ZaloApi(fake.token, f"http://127.0.0.1:{closed_port()}/bot")
    with pytest.raises(ZaloNetworkError) as unheard:
        await nowhere.call("getMe")
    await nowhere.close()

    assert any(r.name == "httpx" and "getUpdates" in r.getMessage() for r in caplog.records)
    secret_part = fake.token.split(":", 1)[1]
    assert secret_part not in caplog.text
    for exc in (refused.value, refused.value.__cause__, unheard.value):
        assert secret_part not in str(exc)


async def test_a_refused_token_stops_the_start_with_the_key_and_without_the_token(tmp_path, fake):
    refused_token = zalo_settings(fake).model_copy(update={"token": "1:wrong-token"})
    world = await make_world(tmp_path, Config(zalo=refused_token))
    channel = ZaloChannel(world.app, world.config.zalo)
    try:
        with pytest.raises(ConfigError) as refused:
            await channel.start()
        [problem] = refused.value.problems
        assert problem.startswith("zalo.token: refused by http://127.0.0.1:")
        assert "401" in problem and "wrong-token" not in problem
        assert "zalo" not in world.app.senders
    finally:
        await channel.close()
        await world.store.close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- webhook ------------------------------------------------------------------------------------


@pytest.fixture
async def hooked(tmp_path: Path, fake: FakeZalo) -> AsyncIterator[Running]:
    port = closed_port()
    bot = await running(
        tmp_path,
        fake,
        mode="webhook",
        webhook_url=f"http://127.0.0.1:{port}/zalo/hook",
        webhook_listen=f"127.0.0.1:{port}",
        webhook_secret=SECRET,
    )
    yield bot
    await bot.channel.close()
    await bot.world.store.close()


async def test_webhook_mode_registers_the_address_and_the_secret_and_does_not_poll(hooked):
    fake = hooked.fake
    assert fake.webhook == {"url": hooked.world.config.zalo.webhook_url, "secret_token": SECRET}
    assert fake.calls_of("getUpdates") == [] and fake.calls_of("deleteWebhook") == []


async def test_webhook_refuses_updates_without_the_right_secret(hooked):
    fake = hooked.fake
    refused = fake.update("message.text.received", "z-1", {"text": "/help"})
    assert await fake.post_to_webhook(refused, secret=None) == 403
    assert await fake.post_to_webhook(refused, secret="wrong-secret") == 403
    assert await fake.post_to_webhook(refused, secret=None, wrapped=True) == 403
    seen = await hooked.world.store.db.fetchval("SELECT count(*) FROM updates_seen")
    assert seen == 0  # nothing was handled

    bare = fake.update("message.text.received", "z-1", {"text": "/help"})
    assert await fake.post_to_webhook(bare, secret=SECRET) == 200
    [answer] = await fake.wait_for_messages("z-1", 1)
    assert "Bot giúp Quận ủy viên" in answer
    wrapped = fake.update("message.text.received", "z-1", {"text": "/start"})
    assert await fake.post_to_webhook(wrapped, secret=SECRET, wrapped=True) == 200
    [_, started] = await fake.wait_for_messages("z-1", 2)
    assert started.startswith("Chào đồng chí!")

    # Zalo posting the first again is answered 200 and not handled twice: the next update of
    # the same person is answered after it, and is the only new message.
    assert await fake.post_to_webhook(bare, secret=SECRET) == 200
    again = fake.update("message.text.received", "z-1", {"text": "/start"})
    assert await fake.post_to_webhook(again, secret=SECRET) == 200
    await fake.wait_for_messages("z-1", 3)
    assert fake.sent_to("z-1")[2].startswith("Chào đồng chí!")
    assert len(fake.sent_to("z-1")) == 3

    other = hooked.world.config.zalo.webhook_url.replace("/zalo/hook", "/other")
    assert await fake.post_to_webhook(bare, secret=SECRET, url=other) == 404


# -- order, and stopping ------------------------------------------------------------------------


async def test_one_persons_updates_wait_for_each_other_and_others_do_not():
    in_order = InOrder()
    events: list[str] = []
    release_first = asyncio.Event()

    async def handle(name: str, hold: asyncio.Event | None = None) -> None:
        events.append(f"{name} starts")
        if hold is not None:
            await hold.wait()
        events.append(f"{name} ends")

    in_order.submit("a", handle("A1", release_first))
    in_order.submit("a", handle("A2"))
    in_order.submit("b", handle("B1"))
    for _ in range(5):
        await asyncio.sleep(0)  # loop turns, not time
    assert events == ["A1 starts", "B1 starts", "B1 ends"]
    release_first.set()
    await in_order.join()
    assert events[3:] == ["A1 ends", "A2 starts", "A2 ends"]


async def test_stop_lets_the_handlers_in_hand_finish(tmp_path, fake):
    bot = await running(tmp_path, fake)
    try:
        fake.pause_sends()
        fake.push_text("z-1", "/help")
        await fake.wait_for_calls("sendMessage")  # the reply is on the wire
        stopping = asyncio.create_task(bot.channel.stop())
        for _ in range(20):
            await asyncio.sleep(0)  # loop turns, not time
        assert not stopping.done()
        fake.resume_sends()
        await stopping
        assert len(fake.sent_to("z-1")) == 1
        polls = len(fake.calls_of("getUpdates"))
        fake.push_text("z-1", "/help")  # stopped: no longer taken
        await asyncio.sleep(0)
        assert len(fake.calls_of("getUpdates")) == polls
    finally:
        await bot.channel.close()
        await bot.world.store.close()


# -- the config -----------------------------------------------------------------------------------


WEBHOOK = {"token": "1:x", "mode": "webhook", "webhook_url": "https://b.example/z"}


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({}, "zalo.token: required when zalo.enabled = true (or set CHECKIN_BOT_ZALO_TOKEN)"),
        ({**WEBHOOK, "webhook_url": "", "webhook_secret": "eight-ch"}, "zalo.webhook_url:"),
        (WEBHOOK, "zalo.webhook_secret: required in webhook mode: 8-256 letters, digits, _ or -"),
        # Zalo wants 8 characters at least.
        ({**WEBHOOK, "webhook_secret": "seven-c"}, "zalo.webhook_secret: required in webhook"),
    ],
)
def test_the_config_problems_of_zalo(settings, problem):
    [found] = problems(Config(zalo=Zalo(enabled=True, **settings)))
    assert found.startswith(problem)


def test_a_complete_zalo_config_has_no_problems():
    assert problems(Config(zalo=Zalo(enabled=True, **WEBHOOK, webhook_secret="eight-ch"))) == []
    assert problems(Config(zalo=Zalo(enabled=True, token="1:x"))) == []


def test_two_webhooks_on_one_address_are_refused():
    telegram = Telegram(
        enabled=True,
        token="1:x",
        mode="webhook",
        webhook_url="https://b.example/t",
        webhook_secret="eight-ch",
    )
    zalo = Zalo(enabled=True, **WEBHOOK, webhook_secret="eight-ch")  # both on 127.0.0.1:8443
    assert problems(Config(telegram=telegram, zalo=zalo)) == [
        "zalo.webhook_listen: 127.0.0.1:8443 is telegram's webhook address too: give each"
        " channel its own port"
    ]
    apart = zalo.model_copy(update={"webhook_listen": "127.0.0.1:8444"})
    assert problems(Config(telegram=telegram, zalo=apart)) == []
