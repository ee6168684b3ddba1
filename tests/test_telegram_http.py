"""AiohttpRequest, the HTTP client under python-telegram-bot: real PTB, real HTTP to the fake
Bot API (tests/fakes/telegram_api.py), or to a closed port. No sleeps: the hanging cases end on
timeouts of at most 0.2 s."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from fakes.telegram_api import FakeTelegram
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram import build_application
from bot.channels.telegram_http import POOL_TIMEOUT_MESSAGE, AiohttpRequest, _without_token
from bot.core.config import Telegram

CHAT = 1001
SHORT = 0.2  # seconds: the longest a test waits for something that is not coming


def make_bot(api_base_url: str, token: str = "424242:fake-token") -> Bot:
    return Bot(
        token,
        base_url=api_base_url,
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with make_bot(fake.api_base_url, fake.token) as started:  # getMe
        yield started


def seconds(value: timedelta | float) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else value


def test_the_application_sends_and_polls_through_aiohttp():
    application = build_application(Telegram(enabled=True, token="1:x"))
    request, polling = application.bot.request, application.bot._request[0]
    assert isinstance(request, AiohttpRequest) and isinstance(polling, AiohttpRequest)
    assert request is not polling
    assert (request._pool_size, polling._pool_size) == (256, 2)
    assert (request.read_timeout, polling.read_timeout) == (5, 2)


async def test_a_message_goes_and_comes_back(bot, fake):
    sent = await bot.send_message(CHAT, "Xin chào đồng chí")
    assert (sent.chat_id, sent.text) == (CHAT, "Xin chào đồng chí")
    assert fake.sent_to(CHAT)[0]["text"] == "Xin chào đồng chí"
    assert bot.username == fake.bot_user["username"]


async def test_a_document_is_uploaded_with_its_vietnamese_name(bot, fake):
    sent = await bot.send_document(
        CHAT, b"a,b\n1,2\n", filename="Báo cáo quý 4.csv", caption="Quý 4"
    )
    assert sent.document is not None and sent.document.file_name == "Báo cáo quý 4.csv"
    [call] = fake.calls_of("sendDocument")
    assert call.files["document"] == ("Báo cáo quý 4.csv", b"a,b\n1,2\n")
    assert (call.params["chat_id"], call.params["caption"]) == (CHAT, "Quý 4")


async def test_a_429_is_retry_after_with_telegrams_wait(bot, fake):
    fake.fail("sendMessage", 1, status=429, retry_after=7)
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(CHAT, "hi")
    assert seconds(refused.value.retry_after) == 7


async def test_every_status_comes_back_to_ptb(bot, fake):
    # The request only says what the server answered, whatever the status...
    fake.fail("getMe", 1, status=429, retry_after=3)
    status, body = await bot.request.do_request(f"{fake.api_base_url}{fake.token}/getMe", "POST")
    assert status == 429 and b'"retry_after": 3' in body
    # ...and PTB makes its errors of them.
    fake.fail("sendMessage", 1, status=502, description="Bad Gateway")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(CHAT, "hi")
    fake.fail("sendMessage", 1, status=400, description="Bad Request: chat not found")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(CHAT, "hi")
    assert (await bot.send_message(CHAT, "still fine")).text == "still fine"


async def test_a_refused_connection_is_a_network_error(fake):
    await fake.close()  # nothing listens on its port any more
    closed = make_bot(fake.api_base_url, fake.token)
    await closed.request.initialize()
    try:
        with pytest.raises(NetworkError, match=r"aiohttp\.ClientConnectorError") as failed:
            await closed.send_message(CHAT, "hi")
        assert not isinstance(failed.value, TimedOut)
    finally:
        await closed.request.shutdown()


async def test_an_answer_that_does_not_come_is_timed_out(bot, fake):
    fake.pause_sends()
    with pytest.raises(TimedOut) as late:
        await bot.send_message(CHAT, "hi", read_timeout=SHORT)
    assert late.value.message != POOL_TIMEOUT_MESSAGE
    fake.resume_sends()
    assert (await bot.send_message(CHAT, "again")).text == "again"


async def test_a_full_pool_is_timed_out_before_sending(fake):
    one = Bot(fake.token, base_url=fake.api_base_url, request=AiohttpRequest(1))
    async with one:
        fake.pause_sends()
        hanging = asyncio.create_task(one.send_message(CHAT, "first"))
        await fake.wait_for_calls("sendMessage", 1)
        with pytest.raises(TimedOut) as full:
            await one.send_message(CHAT, "second", pool_timeout=SHORT / 4)
        assert full.value.message == POOL_TIMEOUT_MESSAGE
        fake.resume_sends()
        assert (await hanging).text == "first"
        assert [call.params["text"] for call in fake.calls_of("sendMessage")] == ["first"]


async def test_a_long_poll_returns_the_update_pushed_during_it(bot, fake):
    polling = asyncio.create_task(bot.get_updates(timeout=1))
    await fake.wait_for_calls("getUpdates", 1)
    fake.push_text(CHAT, "/start")
    [update] = await asyncio.wait_for(polling, 2)
    assert update.message is not None and update.message.text == "/start"
    assert fake.calls_of("getUpdates")[0].params["timeout"] == 1


async def test_a_long_poll_outlasts_the_default_read_timeout(fake):
    # PTB reads for the default read timeout plus the poll's: an empty poll is not TimedOut.
    polling = AiohttpRequest(connection_pool_size=1, read_timeout=SHORT)
    async with Bot(fake.token, base_url=fake.api_base_url, get_updates_request=polling) as bot:
        assert await bot.get_updates(timeout=0.5) == ()


async def test_a_request_must_be_initialized_and_can_be_again(fake):
    request = AiohttpRequest()
    url = f"{fake.api_base_url}{fake.token}/getMe"
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(url, "POST")
    await request.initialize()
    assert (await request.do_request(url, "POST"))[0] == 200
    await request.shutdown()
    await request.shutdown()  # twice is harmless
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(url, "POST")
    await request.initialize()
    try:
        assert (await request.do_request(url, "POST"))[0] == 200
    finally:
        await request.shutdown()


async def test_a_proxy_in_the_environment_is_used_as_httpx_would(monkeypatch):
    request = AiohttpRequest()
    await request.initialize()
    assert request._session is not None and not request._session.trust_env  # costly, if unused
    await request.shutdown()
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    await request.initialize()
    try:
        assert request._session.trust_env
    finally:
        await request.shutdown()


def test_the_token_is_blanked_out_of_a_failed_calls_words_and_a_downloads():
    token = "424242:fake-token"
    for url in (
        f"https://api.telegram.org/bot{token}/sendMessage",
        f"https://api.telegram.org/file/bot{token}/photos/file_1.jpg",
    ):
        said = _without_token(f"aiohttp.ClientResponseError: 502, url='{url}'", url)
        assert token not in said and "<token>" in said, said
        assert "photos/file_1.jpg" in said or "sendMessage" in said
