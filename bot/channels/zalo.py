"""Zalo through the Zalo Bot Platform: updates become Inbound events, choices numbered lists.

A small client of our own on httpx rather than a PyPI package: python-zalo-bot and pyzalo are
thin wrappers with known faults (they want to own the event loop, and they lose errors, so a
failed send or a refused token goes unseen), and the few calls the bot needs are a JSON POST
each. httpx is already here through python-telegram-bot.

What this relies on, and where it comes from:

* [docs] The Zalo Bot Platform's API reference (https://bot.zaloplatforms.com/docs/, updated
  10/12/2025): calls are ``POST {api_base_url}{token}/{method}`` with a JSON body; answers are
  ``{"ok": true, "result": ...}``; ``getUpdates`` is a long poll whose ``timeout`` (seconds, as
  a string, default 30) bounds the request and whose answer is one update, not a list, with no
  offset to confirm it by; it does not work while a webhook is set (``deleteWebhook`` first);
  ``setWebhook`` takes ``url`` and a ``secret_token`` of 8-256 characters that Zalo sends back
  in the ``X-Bot-Api-Secret-Token`` header; ``sendMessage`` takes ``chat_id`` and a ``text`` of
  1-2,000 characters; ``sendPhoto`` takes the photo as a URL only, so a file on our disk cannot
  be sent; in a private chat the chat id is the sender's id (its sample); there are no
  buttons and no contact sharing.
* [openclaw] OpenClaw's Zalo plugin (extensions/zalo/src/api.ts and monitor.ts), a client that
  runs against the real platform: errors are ``{"ok": false, "error_code": N, "description"}``;
  a ``getUpdates`` that found nothing answers ``error_code`` 408; a webhook body is the bare
  update, but may come wrapped as ``{"ok": true, "result": update}``; the events are
  ``message.text.received``, ``message.image.received``, ``message.sticker.received`` and
  ``message.unsupported.received``; the sender's name is in ``from.display_name`` (or ``name``,
  or ``first_name`` in [docs]' sample).

Neither says what a 429 asks us to wait (there is no ``retry_after``), nor what a send to
someone who blocked the bot answers: see RATE_LIMIT_WAIT and delivery_faults.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Coroutine, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from bot.app import App
from bot.channels.numbered import NumberedChoices, render
from bot.core.config import ConfigError, Zalo
from bot.core.i18n import Translator
from bot.core.message_parts import TEXT_LIMITS, split_text
from bot.core.messages import Message
from bot.delivery import RetryAfter, TransientError, Unreachable
from bot.services.identity import identify

log = logging.getLogger(__name__)

CHANNEL = "zalo"
TEXT_RECEIVED = "message.text.received"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
NO_UPDATE = 408  # getUpdates' answer when the long poll found nothing [openclaw]
# Seconds a getUpdates waits for an update: Zalo's default [docs]. stop() does not wait for it.
POLL_TIMEOUT = 30
CALL_TIMEOUT = 30.0  # seconds for any other call
# Waits (seconds) before the 1st, 2nd, ... retry of a call that failed for a reason that
# passes (429, 5xx, the network); the last one repeats while polling.
BACKOFF: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 30.0)
# A reply is awaited by the person who asked, so it is tried this many more times; the outbox
# gets no retries in here, it reschedules the row itself.
REPLY_RETRIES = 3
# Zalo's 429 carries no retry_after: the outbox waits this long before that row's next try.
# Long enough for a per-second quota to refill, short enough not to hold a reminder back.
RATE_LIMIT_WAIT = 5.0
# How long a delivered message id is remembered: a platform re-delivers within minutes.
UPDATES_KEPT = timedelta(days=7)
MAX_CONCURRENT_UPDATES = 64


class ZaloError(Exception):
    """Zalo answered ``ok: false`` (or not JSON at all) to a call."""

    def __init__(self, method: str, code: int, description: str):
        super().__init__(f"zalo {method}: {code} {description}".rstrip())
        self.method = method
        self.code = code
        self.description = description

    @property
    def passes(self) -> bool:
        """Whether trying again later may succeed: quota exceeded, or the server's fault."""
        return self.code == 429 or self.code >= 500


class ZaloNetworkError(Exception):
    """The call did not get an answer (connection refused or lost, timed out)."""


def _passes(exc: Exception) -> bool:
    return isinstance(exc, ZaloNetworkError) or (isinstance(exc, ZaloError) and exc.passes)


class _HideTokens(logging.Filter):
    """Blanks bot tokens out of httpx's records: it logs each request's URL, token included."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        hidden = _hide(text, self.tokens)
        if hidden != text:
            record.msg, record.args = hidden, ()
        return True


def _hide(text: str, tokens: set[str] | Sequence[str]) -> str:
    for token in tokens:
        if token:
            text = text.replace(token, "<zalo-token>")
    return text


_HTTPX_LOG = logging.getLogger("httpx")
_TOKENS_HIDDEN = _HideTokens()


class ZaloApi:
    """The calls of the Zalo Bot API the bot makes. Nothing it raises or logs holds the token."""

    def __init__(self, token: str, api_base_url: str):
        self._token = token
        self._base = f"{api_base_url}{token}/"
        self._client = httpx.AsyncClient(timeout=CALL_TIMEOUT)
        _TOKENS_HIDDEN.tokens.add(token)
        if _TOKENS_HIDDEN not in _HTTPX_LOG.filters:
            _HTTPX_LOG.addFilter(_TOKENS_HIDDEN)

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, seconds: float = CALL_TIMEOUT
    ) -> Any:
        """METHOD's result; ZaloError when Zalo refuses, ZaloNetworkError when it is not heard."""
        try:
            response = await self._client.post(
                self._base + method, json=params or {}, timeout=seconds
            )
        except httpx.HTTPError as exc:
            # Not chained: httpx's exception holds the request, and so the URL with the token.
            what = f"zalo {method}: {type(exc).__name__} {exc}".rstrip()
            raise ZaloNetworkError(_hide(what, [self._token])) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("ok") is True:
            return body.get("result")
        if isinstance(body, dict) and isinstance(body.get("error_code"), int):
            code, description = body["error_code"], str(body.get("description") or "")
        else:  # a proxy's error page, say
            code, description = response.status_code, response.reason_phrase
        raise ZaloError(method, code, _hide(description, [self._token]))

    async def updates(self, poll_seconds: float) -> list[dict[str, Any]]:
        """What one long poll brings: one update [docs], or none (408) [openclaw]."""
        try:
            # timeout goes as a string [docs]; the request itself may take a little longer.
            result = await self.call(
                "getUpdates", {"timeout": str(int(poll_seconds))}, seconds=poll_seconds + 10
            )
        except ZaloError as exc:
            if exc.code == NO_UPDATE:
                return []
            raise
        # Should a list ever come, none of it is dropped.
        found = result if isinstance(result, list) else [result]
        return [update for update in found if isinstance(update, dict)]

    async def send_message(self, chat_id: str, text: str) -> None:
        await self.call("sendMessage", {"chat_id": chat_id, "text": text})

    async def close(self) -> None:
        await self._client.aclose()


class ZaloOut:
    """Sending on Zalo: text in parts Zalo takes, choices as a numbered list of the chat."""

    def __init__(self, app: App, api: ZaloApi, chats: NumberedChoices, backoff: Sequence[float]):
        self.app = app
        self.api = api
        self.chats = chats
        self.backoff = backoff

    async def send(self, chat_id: str, message: Message, *, retries: int = 0) -> None:
        """MESSAGE with its choices numbered; they become the chat's list once it is out, so a
        send that fails leaves the list the person still has on screen."""
        await self.send_text(chat_id, render(message), retries=retries)
        await self.chats.offer(chat_id, message)

    async def send_text(self, chat_id: str, text: str, *, retries: int = 0) -> None:
        """TEXT as it is (the chat's list stays), cut at line ends into parts Zalo accepts."""
        for part in split_text(text, TEXT_LIMITS[CHANNEL]):
            if part.strip():  # Zalo refuses an empty text [docs]
                await self._send_part(chat_id, part, retries)

    async def _send_part(self, chat_id: str, part: str, retries: int) -> None:
        for attempt in range(retries + 1):
            try:
                await self.api.send_message(chat_id, part)
                return
            except (ZaloError, ZaloNetworkError) as exc:
                if attempt == retries or not _passes(exc):
                    raise
                delay = self.backoff[min(attempt, len(self.backoff) - 1)]
                log.info("zalo reply to %s: %s; trying again in %gs", chat_id, exc, delay)
                await asyncio.sleep(delay)

    async def translator(self, user_id: str) -> Translator:
        """The language of USER_ID (Vietnamese for a stranger or a group chat)."""
        config = self.app.config
        who = await identify(self.app.store, config, CHANNEL, user_id)
        return Translator(who.language if who else "vi", config.committee.tz)

    async def file_notice(self, user_id: str, path: Path, caption: str) -> str:
        """What stands in for a file: its caption, and where the file itself can be had."""
        t = await self.translator(user_id)
        return "\n".join(
            part for part in (caption, t("zalo.file_elsewhere", name=path.name)) if part
        )


class ZaloPort:
    """One Zalo chat as the handlers see it (handlers.port.Port)."""

    # Zalo has no contact sharing [docs]: /start asks for the invite token instead.
    shares_contacts = False

    def __init__(self, out: ZaloOut, chat_id: str, user_id: str):
        self.out = out
        self.chat_id = chat_id
        self.user_id = user_id

    async def reply(self, message: Message) -> None:
        await self.out.send(self.chat_id, message, retries=REPLY_RETRIES)

    async def say(self, text: str) -> None:
        """Text that answers no list and replaces none (a refusal, a "please type")."""
        await self.out.send_text(self.chat_id, text, retries=REPLY_RETRIES)

    async def send_file(self, path: Path, caption: str = "") -> None:
        notice = await self.out.file_notice(self.user_id, path, caption)
        await self.out.send_text(self.chat_id, notice, retries=REPLY_RETRIES)

    async def set_menu(self, commands: list[tuple[str, str]]) -> None:
        """Zalo has no command menu; /help lists the same commands."""


class ZaloSender:
    """The outbox's way out through Zalo (bot.delivery.ChannelSender)."""

    def __init__(self, out: ZaloOut):
        self.out = out

    async def send(self, chat_id: str, message: Message) -> None:
        with delivery_faults():
            await self.out.send(chat_id, message)

    async def send_file(self, chat_id: str, path: Path, caption: str = "") -> None:
        # A private chat's id is its person's user id [docs]; a group's finds nobody: Vietnamese.
        notice = await self.out.file_notice(chat_id, path, caption)
        with delivery_faults():
            await self.out.send_text(chat_id, notice)


@contextlib.contextmanager
def delivery_faults() -> Iterator[None]:
    """Zalo's errors as the outbox understands them."""
    try:
        yield
    except ZaloError as exc:
        if exc.code == 429:
            raise RetryAfter(RATE_LIMIT_WAIT) from exc
        if exc.code in (403, 404):
            # Neither source names the answer for a blocked bot or an unknown chat; these are
            # the Forbidden and Not Found of an API shaped like Telegram's. getMe at start has
            # proved the token and the address, so a 404 on a send is about the chat.
            raise Unreachable(str(exc)) from exc
        # 400 (our fault), 401 (the token revoked), 5xx: not the person's fault. Retried a few
        # times, then given up with Zalo's words in the outbox row.
        raise TransientError(str(exc)) from exc
    except ZaloNetworkError as exc:
        raise TransientError(str(exc)) from exc


class InOrder:
    """Different people's updates run side by side; one person's one at a time, in order.

    A task per update, started in arrival order; asyncio locks are first come, first served,
    so a person's second message waits for the first to be answered.
    """

    def __init__(self, limit: int = MAX_CONCURRENT_UPDATES):
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}  # updates holding or awaiting each lock
        self._slots = asyncio.Semaphore(limit)
        self._running: set[asyncio.Task[None]] = set()

    def submit(self, sender: str, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(self._run(sender, work))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def join(self) -> None:
        """Wait for every update taken so far to be handled."""
        while self._running:
            await asyncio.wait(set(self._running))

    async def _run(self, sender: str, work: Coroutine[Any, Any, None]) -> None:
        lock = self._locks.setdefault(sender, asyncio.Lock())
        self._waiting[sender] = self._waiting.get(sender, 0) + 1
        try:
            async with lock, self._slots:
                await work
        except Exception:
            log.exception("zalo update from %s failed", sender)
        finally:
            self._waiting[sender] -= 1
            if not self._waiting[sender]:  # forget idle people, or the dicts grow forever
                del self._waiting[sender], self._locks[sender]


class ZaloChannel:
    """Runs the bot on Zalo: polling or webhook, and the outbox's sender."""

    name = CHANNEL

    def __init__(
        self,
        app: App,
        settings: Zalo,
        *,
        backoff: Sequence[float] = BACKOFF,
        poll_timeout: float = POLL_TIMEOUT,
    ):
        self.app = app
        self.settings = settings
        self.poll_timeout = poll_timeout
        self.backoff = tuple(backoff)
        self.api = ZaloApi(settings.token, settings.api_base_url)
        self.chats = NumberedChoices(app.store, app.config, app.clock, CHANNEL)
        self.out = ZaloOut(app, self.api, self.chats, self.backoff)
        self._in_order = InOrder()
        self._polling: asyncio.Task[None] | None = None
        self._server: HTTPServer | None = None
        self._forgotten_at: datetime | None = None

    async def start(self) -> None:
        """Check the token, register the outbox sender, start taking updates."""
        # httpx logs every request at INFO: a line per long poll says nothing worth keeping.
        _HTTPX_LOG.setLevel(logging.WARNING)
        try:
            await self.api.call("getMe")
        except ZaloError as exc:
            if exc.code in (401, 403, 404):
                where = self.settings.api_base_url
                raise ConfigError([f"zalo.token: refused by {where}: {exc}"]) from None
            raise
        self.app.add_channel(CHANNEL, ZaloSender(self.out))
        await self._forget_old_updates()
        if self.settings.mode == "webhook":
            await self._start_webhook()
        else:
            await self.api.call("deleteWebhook")  # getUpdates does not work beside one [docs]
            self._polling = asyncio.create_task(self._poll(), name="zalo polling")

    async def stop(self) -> None:
        """Stop taking updates; the ones already taken are handled to the end.

        A long poll in progress is cancelled rather than waited out (up to POLL_TIMEOUT):
        an update Zalo is handing over at that very moment is lost, as there is no offset to
        confirm updates by, and the person types again.
        """
        if self._polling is not None:
            self._polling.cancel()
            await asyncio.wait({self._polling})
            self._polling = None
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None
        await self._in_order.join()

    async def close(self) -> None:
        """Release the HTTP connections (the outbox must not send through us any more)."""
        await self.stop()
        await self.api.close()

    # -- taking updates ---------------------------------------------------------------------

    async def _poll(self) -> None:
        failures = 0
        while True:
            try:
                updates = await self.api.updates(self.poll_timeout)
            except Exception as exc:
                failures += 1
                delay = self.backoff[min(failures, len(self.backoff)) - 1]
                level = logging.WARNING if _passes(exc) else logging.ERROR
                log.log(level, "zalo getUpdates failed: %s; polling again in %gs", exc, delay)
                await asyncio.sleep(delay)
                continue
            failures = 0
            for update in updates:
                self.take(update)

    def take(self, update: dict[str, Any]) -> None:
        """Queue UPDATE behind its sender's earlier ones."""
        message = update.get("message")
        if not isinstance(message, dict):
            log.warning("zalo update without a message ignored: %s", update.get("event_name"))
            return
        sender = str(_field(message, "from", "id") or _field(message, "chat", "id") or "")
        self._in_order.submit(sender, self._handle(update.get("event_name"), message))

    async def _handle(self, event: object, message: dict[str, Any]) -> None:
        message_id = str(message.get("message_id") or "")
        if message_id and not await self._first_time(message_id):
            log.info("zalo message %s delivered again: answered already", message_id)
            return
        user_id = str(_field(message, "from", "id") or "")
        chat_id = str(_field(message, "chat", "id") or user_id)
        if not user_id:
            log.warning("zalo message %s without a sender ignored", message_id)
            return
        private = _field(message, "chat", "chat_type") != "GROUP"
        port = ZaloPort(self.out, chat_id, user_id)
        text = message.get("text")
        if event == TEXT_RECEIVED and isinstance(text, str):
            understood = await self.chats.read(
                user_id, chat_id, text, private=private, display_name=_display_name(message)
            )
            if isinstance(understood, Message):  # a number that answers nothing: the list stays
                await port.say(understood.text)
            else:
                await self.app.handle(understood, port)
        elif private:  # in a group, other people's stickers are none of our business
            t = await self.out.translator(user_id)
            await port.say(t("zalo.please_type"))

    async def _first_time(self, message_id: str) -> bool:
        now = self.app.clock.now()
        if self._forgotten_at is None or now - self._forgotten_at > timedelta(days=1):
            await self._forget_old_updates()
        return await self.app.store.updates_seen.first_time(CHANNEL, message_id, now)

    async def _forget_old_updates(self) -> None:
        now = self.app.clock.now()
        await self.app.store.updates_seen.forget_before(now - UPDATES_KEPT)
        self._forgotten_at = now

    # -- webhook ----------------------------------------------------------------------------

    async def _start_webhook(self) -> None:
        settings = self.settings
        host, _, port = settings.webhook_listen.rpartition(":")
        path = urlsplit(settings.webhook_url).path or "/"
        application = Application([(path, WebhookHandler, {"channel": self})])
        server = HTTPServer(application)
        server.listen(int(port), host.strip("[]"))
        self._server = server
        await self.api.call(
            "setWebhook", {"url": settings.webhook_url, "secret_token": settings.webhook_secret}
        )

    def secret_matches(self, given: str) -> bool:
        expected = self.settings.webhook_secret
        return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


class WebhookHandler(RequestHandler):
    """Zalo's POSTs of updates: refused (403) without the secret; answered as soon as queued."""

    def initialize(self, channel: ZaloChannel) -> None:
        self.channel = channel

    async def post(self) -> None:
        if not self.channel.secret_matches(self.request.headers.get(SECRET_HEADER, "")):
            self.set_status(403)
            return
        update = _update_in(self.request.body)
        if update is None:
            self.set_status(400)
            return
        self.channel.take(update)
        self.write({"ok": True})


def _update_in(body: bytes) -> dict[str, Any] | None:
    """The update a webhook body carries: bare, or wrapped as {"ok": true, "result": ...}."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("ok") is True and isinstance(data.get("result"), dict):
        data = data["result"]
    if not isinstance(data, dict) or "event_name" not in data:
        return None
    return data


def _field(message: dict[str, Any], part: str, name: str) -> Any:
    value = message.get(part)
    return value.get(name) if isinstance(value, dict) else None


def _display_name(message: dict[str, Any]) -> str:
    for name in ("display_name", "name", "first_name"):
        value = _field(message, "from", name)
        if isinstance(value, str) and value:
            return value
    return ""
