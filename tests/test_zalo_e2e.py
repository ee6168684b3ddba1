"""`checkin-bot run` on Zalo, end to end: the fake Zalo Bot API server, the real runner.

The quarter's obligation typed on Zalo: a secretary links with /start TOKEN and a member with
the bare token, the secretary sets a meeting, the member will attend it, checks in, writes the
note, all by typing numbers from lists, the secretary confirms from the request the outbox
brought, and the member's status turns covered. Then one `run` serving Telegram and Zalo.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from dialogue import World, make_world
from fakes.telegram_api import FakeTelegram
from fakes.zalo_api import FakeZalo

from bot.core.clock import FakeClock
from bot.core.config import Config, Reminders, Storage, Telegram, Zalo
from bot.core.local_time import parse_local_time
from bot.runner import run
from bot.services.invites import create_invite

SECRETARY, MEMBER = "z-sec-c0101", "z-m08"  # Zalo ids of C0101's secretary and of M08


@dataclass
class Chats:
    """People on Zalo talking to `checkin-bot run`."""

    fake: FakeZalo
    world: World

    async def says(self, user_id: str, text: str, replies: int = 1) -> list[str]:
        """USER_ID types TEXT; the next REPLIES texts the bot sends to that chat."""
        before = len(self.fake.sent_to(user_id))
        self.fake.push_text(user_id, text)
        return (await self.fake.wait_for_messages(user_id, before + replies))[before:]

    async def picks(self, user_id: str, listing: str, label: str, replies: int = 1) -> list[str]:
        """USER_ID types the number of LISTING's line that starts with LABEL."""
        return await self.says(user_id, number_of(listing, label), replies)

    async def received(self, user_id: str, count: int) -> list[str]:
        return await self.fake.wait_for_messages(user_id, count)

    def at(self, local: str) -> None:
        self.world.clock.set(parse_local_time(local, self.world.config.committee.tz))

    async def invite(self, code: str) -> str:
        world = self.world
        return (await create_invite(world.store, world.config, code, world.clock.now())).token


def number_of(listing: str, label: str) -> str:
    """The number before LABEL in a numbered list ("  3. Sẽ dự: C0101 25/11")."""
    found = re.findall(rf"^  (\d+)\. {re.escape(label)}", listing, re.M)
    assert len(found) == 1, (label, listing)
    return found[0]


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    fake = await FakeZalo.start(poll_cap=0.2)
    yield fake
    await fake.close()


@contextlib.asynccontextmanager
async def serving(config: Config, clock: FakeClock) -> AsyncIterator[None]:
    """`run` in the background; stopped (and its failure raised) at exit."""
    stop = asyncio.Event()
    runner = asyncio.create_task(run(config, clock, stop=stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(runner, 10)


def zalo_config(tmp_path: Path, fake: FakeZalo, **more: object) -> Config:
    return Config(
        storage=Storage(path=str(tmp_path / "bot.sqlite3")),  # where make_world loads the sample
        zalo=Zalo(enabled=True, token=fake.token, api_base_url=fake.api_base_url),
        # The scheduler's first tick races the dialogue here; its weekly suggestion would land
        # between the replies these tests count (tests/test_scheduler.py covers it).
        reminders=Reminders(weekly_suggestion=False),
        **more,
    )


@pytest.fixture
async def served(tmp_path: Path, zalo: FakeZalo) -> AsyncIterator[Chats]:
    """`run` on the sample district's database file, the clock at the demo start."""
    config = zalo_config(tmp_path, zalo)
    world = await make_world(tmp_path, config)
    try:
        async with serving(config, world.clock):
            await zalo.wait_for_calls("getUpdates")
            yield Chats(zalo, world)
    finally:
        await world.store.close()


async def test_a_quarters_visit_typed_on_zalo_from_invite_to_covered(served):
    chats = served
    secretary_token, member_token = await chats.invite("C0101"), await chats.invite("M08")
    [welcome] = await chats.says(SECRETARY, f"/start {secretary_token}")
    assert "Đinh Minh Bình" in welcome and "/schedule" in welcome
    [welcome] = await chats.says(MEMBER, member_token)  # the bare token, as pasted on Zalo
    assert "Bùi Văn Đức" in welcome and "/meetings" in welcome

    # The secretary sets the next meeting; M08, who has not visited O01 this quarter, is told.
    [scheduled] = await chats.says(SECRETARY, "/schedule 2021-11-25 08:00")
    assert "Thứ Năm 25/11/2021 08:00" in scheduled
    told = (await chats.received(MEMBER, 2))[1]
    assert "25/11/2021 08:00" in told

    # M08 lists the meetings and types the number of that one; the secretary hears of it.
    [listing] = await chats.says(MEMBER, "/meetings")
    [noted] = await chats.picks(MEMBER, listing, "Sẽ dự: C0101 25/11")
    assert noted.startswith("Đã ghi nhận: đồng chí sẽ dự")
    heard = (await chats.received(SECRETARY, 3))[2]
    assert "Bùi Văn Đức" in heard

    # At the meeting: the check-in window is open; the secretary is asked to confirm.
    chats.at("2021-11-25 07:50")
    [offer] = await chats.says(MEMBER, "/checkin")
    [checked_in] = await chats.picks(MEMBER, offer, "Điểm danh: C0101")
    assert "Đã điểm danh" in checked_in and "07:50" in checked_in
    request = (await chats.received(SECRETARY, 4))[3]
    assert "Bùi Văn Đức" in request and "\n  1. Xác nhận\n  2. Vắng" in request

    # After the meeting, the note, step by step by number, ending with a sentence of text.
    chats.at("2021-11-25 10:30")
    [question] = await chats.says(MEMBER, "/note")
    assert "Bước 1/4" in question
    [question] = await chats.picks(MEMBER, question, "Tốt")
    assert "Bước 2/4" in question
    [question] = await chats.picks(MEMBER, question, "Có")
    assert "Bước 3/4" in question
    [question] = await chats.picks(MEMBER, question, "Không")
    assert "Bước 4/4" in question
    sentence = "Chi bộ sinh hoạt đúng quy trình, đảng viên phát biểu sôi nổi."
    [saved] = await chats.says(MEMBER, sentence)
    assert "Đã lưu nhận xét" in saved
    [status] = await chats.says(MEMBER, "/status")
    assert "⏳" in status and "chờ xác nhận" in status

    # The secretary confirms from a fresh /confirm list: a header, then the check-in.
    before = len(chats.fake.sent_to(MEMBER))
    [_, item] = await chats.says(SECRETARY, "/confirm", replies=2)
    assert "Bùi Văn Đức" in item
    [confirmed] = await chats.picks(SECRETARY, item, "Xác nhận")
    assert "Đã xác nhận đồng chí Bùi Văn Đức" in confirmed
    told = (await chats.received(MEMBER, before + 1))[-1]
    assert "đã được bí thư chi bộ xác nhận" in told
    [status] = await chats.says(MEMBER, "/status")
    assert "✅ Đảng bộ phường Bồ Đề: đã dự" in status

    stored = await chats.world.store.db.fetchall(
        "SELECT ch.status, n.rating, n.steps_kept, n.difficulties_raised, n.text"
        " FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " JOIN notes n ON n.checkin_id = ch.id WHERE m.code = 'M08'"
        " AND ch.meeting_id = (SELECT max(id) FROM meetings)"
    )
    assert [tuple(row) for row in stored] == [("confirmed", "good", 1, 0, sentence)]
    assert all(len(text) <= 2000 for text in (m.text for m in chats.fake.messages))


async def test_one_run_serves_telegram_and_zalo_at_once(tmp_path, zalo):
    telegram = await FakeTelegram.start()
    config = zalo_config(tmp_path, zalo).model_copy(
        update={
            "telegram": Telegram(
                enabled=True, token=telegram.token, api_base_url=telegram.api_base_url
            )
        }
    )
    world = await make_world(tmp_path, config)
    try:
        async with serving(config, world.clock):
            await telegram.wait_for_calls("getUpdates")
            await zalo.wait_for_calls("getUpdates")
            telegram.push_text(7001, "/help")
            zalo.push_text("z-7001", "/help")
            [on_telegram] = await telegram.wait_for_messages(7001, 1)
            [on_zalo] = await zalo.wait_for_messages("z-7001", 1)
        # The same help; where a phone number cannot be shared, by invite code alone.
        assert on_telegram["text"].startswith("Bot giúp Quận ủy viên")
        assert "gõ /start để chia sẻ số điện thoại" in on_telegram["text"]
        assert on_zalo.startswith("Bot giúp Quận ủy viên")
        assert "gõ /start MÃ hoặc chỉ gõ mã" in on_zalo and "số điện thoại" not in on_zalo
    finally:
        await world.store.close()
        await telegram.close()
