"""`checkin-bot run` on Telegram, end to end: the fake Bot API server, the real runner.

The whole quarter's obligation in one dialogue: a secretary and a member link, the secretary
sets a meeting, the member says they will attend, checks in, writes the note, the secretary
confirms from the request the outbox brought, and the member's status turns covered.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from dialogue import World, make_world
from fakes.telegram_api import FakeTelegram

from bot.channels.telegram import TelegramChannel
from bot.cli import EXIT_BAD_INPUT, main
from bot.core.clock import FakeClock
from bot.core.config import Access, Config, Reminders, Storage, Telegram
from bot.core.local_time import parse_local_time
from bot.core.messages import Message
from bot.runner import run
from bot.services.invites import create_invite
from bot.services.outbox import queue_message
from storage.timefmt import to_db

SECRETARY, MEMBER = 2001, 3001  # Telegram ids of C0101's secretary and of M08
ADMIN = 1001  # M01's, when M01 is the committee office's admin
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Chats:
    """People on Telegram talking to `checkin-bot run`."""

    fake: FakeTelegram
    world: World

    async def says(self, user_id: int, text: str, replies: int = 1) -> list[dict]:
        """USER_ID types TEXT; the next REPLIES messages the bot sends to that chat."""
        before = len(self.fake.sent_to(user_id))
        self.fake.push_text(user_id, text)
        return (await self.fake.wait_for_messages(user_id, before + replies))[before:]

    async def taps(self, user_id: int, message: dict, data_prefix: str) -> list[dict]:
        """USER_ID presses the button of MESSAGE whose data starts with DATA_PREFIX."""
        data = button(message, data_prefix)["callback_data"]
        before = len(self.fake.sent_to(user_id))
        self.fake.push_callback(user_id, data, message["message_id"])
        return (await self.fake.wait_for_messages(user_id, before + 1))[before:]

    async def received(self, user_id: int, count: int) -> list[dict]:
        return await self.fake.wait_for_messages(user_id, count)

    def at(self, local: str) -> None:
        self.world.clock.set(parse_local_time(local, self.world.config.committee.tz))

    async def invite(self, code: str) -> str:
        world = self.world
        return (await create_invite(world.store, world.config, code, world.clock.now())).token


def button(message: dict, data_prefix: str) -> dict[str, Any]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    found = [row[0] for row in rows if row[0]["callback_data"].startswith(data_prefix)]
    assert found, (data_prefix, message)
    return found[0]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = await FakeTelegram.start()
    yield fake
    await fake.close()


@contextlib.asynccontextmanager
async def serving(config: Config, clock: FakeClock) -> AsyncIterator[None]:
    """`run` in the background, polling the fake; stopped (and its failure raised) at exit."""
    stop = asyncio.Event()
    runner = asyncio.create_task(run(config, clock, stop=stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(runner, 10)


def telegram_config(tmp_path: Path, fake: FakeTelegram) -> Config:
    return Config(
        storage=Storage(path=str(tmp_path / "bot.sqlite3")),  # where make_world loads the sample
        telegram=Telegram(enabled=True, token=fake.token, api_base_url=fake.api_base_url),
        # The scheduler's first tick races the dialogue here; its weekly suggestion would land
        # between the replies these tests count (tests/test_scheduler.py covers it).
        reminders=Reminders(weekly_suggestion=False),
    )


@pytest.fixture
async def served(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[Chats]:
    """`run` on the sample district's database file, the clock at the demo start."""
    config = telegram_config(tmp_path, fake)
    world = await make_world(tmp_path, config)
    try:
        async with serving(config, world.clock):
            await fake.wait_for_calls("getUpdates")
            yield Chats(fake, world)
    finally:
        await world.store.close()


async def test_a_quarters_visit_from_invite_to_covered(served):
    chats = served
    secretary_token, member_token = await chats.invite("C0101"), await chats.invite("M08")
    [welcome] = await chats.says(SECRETARY, f"/start {secretary_token}")
    assert "Đinh Minh Bình" in welcome["text"] and "/schedule" in welcome["text"]
    [welcome] = await chats.says(MEMBER, f"/start {member_token}")
    assert "Bùi Văn Đức" in welcome["text"] and "/meetings" in welcome["text"]
    assert chats.fake.menu({"type": "chat", "chat_id": MEMBER})[:4] == [
        "meetings", "checkin", "note", "status",
    ]  # fmt: skip

    # The secretary sets the next meeting; M08, who has not visited O01 this quarter, is told.
    [scheduled] = await chats.says(SECRETARY, "/schedule 2021-11-25 08:00")
    assert "Thứ Năm 25/11/2021 08:00" in scheduled["text"]
    told = (await chats.received(MEMBER, 2))[1]
    assert "25/11/2021 08:00" in told["text"]

    # M08 lists the meetings and will attend that one; the secretary hears of it.
    [listing] = await chats.says(MEMBER, "/meetings")
    meeting = await chats.world.store.meetings.id_of(
        "C0101", parse_local_time("2021-11-25 08:00", chats.world.config.committee.tz)
    )
    [noted] = await chats.taps(MEMBER, listing, f"attend:{meeting}")
    assert "Đã ghi nhận" in noted["text"]
    heard = (await chats.received(SECRETARY, 3))[2]
    assert "Bùi Văn Đức" in heard["text"]

    # At the meeting: the check-in window is open; the secretary is asked to confirm.
    chats.at("2021-11-25 07:50")
    [offer] = await chats.says(MEMBER, "/checkin")
    [checked_in] = await chats.taps(MEMBER, offer, f"checkin:{meeting}")
    assert "Đã điểm danh" in checked_in["text"] and "07:50" in checked_in["text"]
    request = (await chats.received(SECRETARY, 4))[3]
    assert "Bùi Văn Đức" in request["text"]

    # After the meeting, the note, step by step, ending with a sentence of text.
    chats.at("2021-11-25 10:30")
    [question] = await chats.says(MEMBER, "/note")
    assert "Bước 1/4" in question["text"]
    [question] = await chats.taps(MEMBER, question, "note:rate:good")
    [question] = await chats.taps(MEMBER, question, "note:steps:yes")
    [question] = await chats.taps(MEMBER, question, "note:diff:no")
    assert "Bước 4/4" in question["text"]
    [saved] = await chats.says(
        MEMBER, "Chi bộ sinh hoạt đúng quy trình, đảng viên phát biểu sôi nổi."
    )
    assert "Đã lưu nhận xét" in saved["text"]
    [status] = await chats.says(MEMBER, "/status")
    assert "⏳" in status["text"] and "chờ xác nhận" in status["text"]

    # The secretary confirms from the request the outbox delivered; M08 is told.
    before = len(chats.fake.sent_to(MEMBER))
    [confirmed] = await chats.taps(SECRETARY, request, "confirm:")
    assert "Đã xác nhận đồng chí Bùi Văn Đức" in confirmed["text"]
    told = (await chats.received(MEMBER, before + 1))[-1]
    assert "đã được bí thư chi bộ xác nhận" in told["text"]
    [status] = await chats.says(MEMBER, "/status")
    assert "✅ Đảng bộ phường Bồ Đề: đã dự" in status["text"]

    await chats.fake.wait_for_calls("answerCallbackQuery", 6)  # every press was answered...
    assert len(chats.fake.calls_of("answerCallbackQuery")) == 6  # ...once
    stored = await chats.world.store.db.fetchall(
        "SELECT ch.status, n.rating, n.steps_kept, n.difficulties_raised, n.text"
        " FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " JOIN notes n ON n.checkin_id = ch.id WHERE m.code = 'M08' AND ch.meeting_id = ?",
        (meeting,),
    )
    assert [tuple(row) for row in stored] == [
        ("confirmed", "good", 1, 0, "Chi bộ sinh hoạt đúng quy trình, đảng viên phát biểu sôi nổi.")
    ]


async def test_a_check_in_no_secretary_can_decide_reaches_the_office_and_its_tap_decides(
    tmp_path, fake
):
    """C0101's secretary never linked: M08's check-in goes to the office's chat, M01 taps."""
    config = telegram_config(tmp_path, fake).model_copy(update={"access": Access(admins=["M01"])})
    world = await make_world(tmp_path, config)
    try:
        async with serving(config, world.clock):
            await fake.wait_for_calls("getUpdates")
            chats = Chats(fake, world)
            await chats.says(ADMIN, f"/start {await chats.invite('M01')}")
            await chats.says(MEMBER, f"/start {await chats.invite('M08')}")

            chats.at("2021-12-06 16:05")
            [offer] = await chats.says(MEMBER, "/checkin")
            [checked_in] = await chats.taps(MEMBER, offer, "checkin:")
            assert "Bí thư chi bộ chưa liên kết với bot" in checked_in["text"]
            assert "Văn phòng Quận ủy sẽ xác nhận" in checked_in["text"]

            [request] = (await chats.received(ADMIN, 2))[1:]
            assert "Bùi Văn Đức" in request["text"] and "📋" in request["text"]
            assert [row[0]["text"] for row in request["reply_markup"]["inline_keyboard"]] == [
                "Xác nhận",
                "Vắng",
            ]
            [confirmed] = await chats.taps(ADMIN, request, "confirm:")
            assert "Đã xác nhận đồng chí Bùi Văn Đức" in confirmed["text"]
            assert "đã được báo" in confirmed["text"]
            told = (await chats.received(MEMBER, 4))[-1]
            assert "đã được Văn phòng Quận ủy xác nhận" in told["text"]
        decisions = await world.store.db.fetchall(
            "SELECT d.status, d.by_code, d.role, d.channel FROM decisions d"
            " JOIN checkins ch ON ch.id = d.checkin_id JOIN members m ON m.id = ch.member_id"
            " WHERE m.code = 'M08' AND ch.meeting_starts_at >= '2021-12'"
        )
        assert [tuple(row) for row in decisions] == [("confirmed", "M01", "admin", "telegram")]
    finally:
        await world.store.close()


async def test_run_delivers_what_was_queued_while_it_was_down_and_stops_cleanly(tmp_path, fake):
    config = telegram_config(tmp_path, fake)
    world = await make_world(tmp_path, config)
    now = world.now()
    await world.store.accounts.link("telegram", "4001", "4001", 1, now)
    await queue_message(world.store, "k:while-down", Message("Chào"), now, person_id=1)
    # A row a crashed run had claimed but not marked: it goes out again.
    await queue_message(world.store, "k:half-sent", Message("Lần nữa"), now, person_id=1)
    await world.store.db.execute(
        "UPDATE outbox SET state = 'sending', claimed_at = ? WHERE key = 'k:half-sent'",
        (to_db(now - timedelta(minutes=5)),),
    )
    try:
        async with serving(config, world.clock):
            sent = await fake.wait_for_messages(4001, 2)
            assert [m["text"] for m in sent] == ["Chào", "Lần nữa"]
        states = await world.store.db.fetchall(
            "SELECT key, state FROM outbox WHERE key LIKE 'k:%' ORDER BY id"
        )
        assert [tuple(row) for row in states] == [("k:while-down", "sent"), ("k:half-sent", "sent")]
    finally:
        await world.store.close()


async def test_while_it_serves_what_its_start_made_is_out_of_the_collectors_way(tmp_path, fake):
    # A full collection walks every object the collector tracks, holding up every chat; the
    # modules, classes and channels of the start live as long as the process.
    config = telegram_config(tmp_path, fake)
    world = await make_world(tmp_path, config)
    try:
        async with serving(config, world.clock):
            await fake.wait_for_calls("getUpdates")
            assert gc.get_freeze_count() > 10_000
        assert gc.get_freeze_count() == 0  # given back when it stops
    finally:
        await world.store.close()


async def test_delivery_stops_between_rows_never_between_sending_and_marking(tmp_path, fake):
    config = telegram_config(tmp_path, fake)
    world = await make_world(tmp_path, config)
    channel = TelegramChannel(world.app, config.telegram)
    await channel.start()
    try:
        await world.store.accounts.link("telegram", "4001", "4001", 1, world.clock.now())
        for key in ("k:first", "k:second"):
            await queue_message(world.store, key, Message(key), world.now(), person_id=1)
        fake.pause_sends()
        delivery = asyncio.create_task(world.app.delivery.run())
        await fake.wait_for_calls("sendMessage")  # the first row is on the wire
        world.app.delivery.stop()
        fake.resume_sends()
        await asyncio.wait_for(delivery, 5)

        assert [m["text"] for m in fake.sent_to(4001)] == ["k:first"]
        states = await world.store.db.fetchall("SELECT key, state FROM outbox ORDER BY id")
        # The second row, for the same chat, waits for the first: it was never claimed.
        assert [tuple(row) for row in states] == [("k:first", "sent"), ("k:second", "queued")]
    finally:
        await channel.close()
        await world.store.close()


# -- the command line ----------------------------------------------------------------------------


def write_config(tmp_path: Path, telegram: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\npath = "bot.sqlite3"\n\n[telegram]\n{telegram}\n', "utf-8")
    return path


@pytest.mark.parametrize(
    ("telegram", "problem"),
    [
        ("enabled = false", "no channel enabled: set telegram.enabled = true"),
        ("enabled = true", "telegram.token: required when telegram.enabled = true"),
        (
            'enabled = true\ntoken = "1:x"\nmode = "webhook"',
            "telegram.webhook_url: required in webhook mode",
        ),
        (
            'enabled = true\ntoken = "1:x"\nmode = "webhook"\nwebhook_url = "https://b.example/h"'
            '\nwebhook_secret = "has spaces"',
            "telegram.webhook_secret: required in webhook mode",
        ),
    ],
)
def test_run_refuses_a_config_it_cannot_run_with_exit_2(
    tmp_path, capsys, monkeypatch, telegram, problem
):
    monkeypatch.delenv("CHECKIN_BOT_TELEGRAM_TOKEN", raising=False)
    config = write_config(tmp_path, telegram)
    assert main(["run", "--config", str(config)]) == EXIT_BAD_INPUT
    assert problem in capsys.readouterr().err
    assert not (tmp_path / "bot.sqlite3").exists()  # refused before touching anything


async def test_checkin_bot_run_answers_then_stops_on_sigterm(tmp_path, fake):
    config = write_config(
        tmp_path, f'enabled = true\ntoken = "{fake.token}"\napi_base_url = "{fake.api_base_url}"'
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("CHECKIN_BOT_TELEGRAM_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config),
        env=environment, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake.wait_for_calls("getUpdates", timeout=30)
        fake.push_text(5001, "/help")
        [answer] = await fake.wait_for_messages(5001, 1)
        assert "Bot giúp Quận ủy viên" in answer["text"]
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    assert "SIGTERM received" in stderr.decode() and "stopped" in stderr.decode()
