"""Zalo through the Zalo Bot Platform: updates become Inbound events, choices numbered lists.

The API client is bot.channels.zalo_api (with what this relies on, and where it comes from:
[docs], [openclaw]); the webhook is bot.channels.zalo_webhook.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bot.channels import webhook_path
from bot.channels.host import Host
from bot.channels.in_order import InOrder
from bot.channels.numbered import NumberedChoices
from bot.channels.starting import BACKOFF, USE_BACKOFF, Pause, until_answered
from bot.channels.webhook import Served
from bot.channels.zalo_api import HTTPX_LOG, ZaloApi, ZaloError, ZaloNetworkError, passes
from bot.channels.zalo_webhook import zalo_receiver
from bot.core.config import ConfigError, Zalo
from bot.core.message_parts import TEXT_LIMITS, split_text
from bot.core.messages import Inbound, Message
from bot.core.photos import Photo
from bot.delivery import RetryAfter, TransientError, Unreachable
from bot.outage import Outage, backoff_step
from bot.services.identity import translator_for
from bot.services.updates import SeenUpdates

log = logging.getLogger(__name__)

CHANNEL = "zalo"
TEXT_RECEIVED = "message.text.received"
IMAGE_RECEIVED = "message.image.received"
# Seconds a getUpdates waits for an update: Zalo's default [docs]. stop() does not wait for it.
POLL_TIMEOUT = 30
# A reply is awaited by the person who asked, so it is tried this many more times; the outbox
# gets no retries in here, it reschedules the row itself.
REPLY_RETRIES = 3
# Zalo's 429 carries no retry_after: the outbox waits this long before that row's next try.
# Long enough for a per-second quota to refill, short enough not to hold a reminder back.
RATE_LIMIT_WAIT = 5.0
MAX_CONCURRENT_UPDATES = 64


class ZaloOut:
    """Sending on Zalo: text in parts Zalo takes, choices as a numbered list of the chat."""

    def __init__(self, app: Host, api: ZaloApi, chats: NumberedChoices, backoff: Sequence[float]):
        self.app = app
        self.api = api
        self.chats = chats
        self.backoff = backoff

    async def send(
        self,
        chat_id: str,
        message: Message,
        *,
        retries: int = 0,
        unasked: bool = False,
        earlier: Sequence[str] = (),
    ) -> None:
        """MESSAGE with its choices numbered after the EARLIER ones of the same reply (sent
        UNASKED: saying that they answer it); they become the chat's list once it is out, so a
        send that fails leaves the list the person still has on screen. An aside leaves
        everything as it was."""
        if message.aside:
            await self.send_text(chat_id, message.text, retries=retries)
            return
        text = await self.chats.shown(chat_id, message, unasked=unasked, earlier=earlier)
        await self.send_text(chat_id, text, retries=retries)
        await self.chats.remember(chat_id, message, earlier)

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
                if attempt == retries or not passes(exc):
                    raise
                delay = self.backoff[min(attempt, len(self.backoff) - 1)]
                log.info("zalo reply to %s: %s; trying again in %gs", chat_id, exc, delay)
                await asyncio.sleep(delay)

    async def file_notice(self, user_id: str, path: Path, caption: str) -> str:
        """What stands in for a file: its caption, and where the file itself can be had, in
        the language of USER_ID (a private chat's id is its person's user id [docs])."""
        t = await translator_for(self.app.store, self.app.config, CHANNEL, user_id)
        return "\n".join(
            part for part in (caption, t("zalo.file_elsewhere", name=path.name)) if part
        )


class ZaloPort:
    """One Zalo chat as the handlers see it (handlers.port.Port). A chat that refuses the bot
    raises bot.delivery.Unreachable; Zalo out of reach or busy past REPLY_RETRIES,
    TransientError."""

    # Zalo has no contact sharing [docs]: /start asks for the invite token instead.
    shares_contacts = False

    def __init__(self, out: ZaloOut, chat_id: str, user_id: str):
        self.out = out
        self.chat_id = chat_id
        self.user_id = user_id
        self.listed: list[str] = []  # this reply's choices so far: its next numbers follow

    async def reply(self, message: Message) -> None:
        with reply_faults():
            await self.out.send(self.chat_id, message, retries=REPLY_RETRIES, earlier=self.listed)
        if not message.aside:
            self.listed += [choice.data for choice in message.choices]

    async def say(self, text: str) -> None:
        """Text that answers no list and replaces none (a refusal, a "please type")."""
        await self.reply(Message(text, aside=True))

    async def send_file(self, path: Path, caption: str = "") -> None:
        notice = await self.out.file_notice(self.user_id, path, caption)
        with reply_faults():
            await self.out.send_text(self.chat_id, notice, retries=REPLY_RETRIES)

    async def set_menu(self, commands: list[tuple[str, str]]) -> None:
        """Zalo has no command menu; /help lists the same commands."""

    async def fetch(self, photo: Photo, limit: int) -> bytes:
        """The photo from the address Zalo gave for it."""
        return await self.out.api.download(photo.ref, limit)


class ZaloSender:
    """The outbox's way out through Zalo (bot.delivery.ChannelSender)."""

    def __init__(self, out: ZaloOut):
        self.out = out

    async def send(self, chat_id: str, message: Message) -> None:
        with delivery_faults():
            await self.out.send(chat_id, message, unasked=True)

    async def send_file(self, chat_id: str, path: Path, caption: str = "") -> None:
        # A group's id finds nobody: its notice is in Vietnamese.
        notice = await self.out.file_notice(chat_id, path, caption)
        with delivery_faults():
            await self.out.send_text(chat_id, notice)


@contextlib.contextmanager
def refusals() -> Iterator[None]:
    """A chat that will take nothing from the bot as Unreachable; other errors as they are.

    Neither source names the answer for a blocked bot or an unknown chat; these are the
    Forbidden and Not Found of an API shaped like Telegram's. getMe at start has proved the
    token and the address, so a 404 on a send is about the chat.
    """
    try:
        yield
    except ZaloError as exc:
        if exc.code in (403, 404):
            raise Unreachable(str(exc)) from exc
        raise


@contextlib.contextmanager
def reply_faults() -> Iterator[None]:
    """A reply's faults: the chat's refusal as Unreachable, Zalo out of reach or busy as
    TransientError; anything else (our mistake) as it is."""
    try:
        with refusals():
            yield
    except (ZaloError, ZaloNetworkError) as exc:
        if passes(exc):
            raise TransientError(str(exc)) from exc
        raise


@contextlib.contextmanager
def delivery_faults() -> Iterator[None]:
    """Zalo's errors as the outbox understands them."""
    try:
        with refusals():
            yield
    except ZaloError as exc:
        if exc.code == 429:
            raise RetryAfter(RATE_LIMIT_WAIT) from exc
        # 400 (our fault), 401 (the token revoked), 5xx: not the person's fault. Retried a few
        # times, then given up with Zalo's words in the outbox row.
        raise TransientError(str(exc)) from exc
    except ZaloNetworkError as exc:
        raise TransientError(str(exc)) from exc


class ZaloChannel:
    """Runs the bot on Zalo: polling or webhook, and the outbox's sender."""

    name = CHANNEL

    def __init__(
        self,
        app: Host,
        settings: Zalo,
        *,
        backoff: Sequence[float] = BACKOFF,
        poll_timeout: float = POLL_TIMEOUT,
        pause: Pause = asyncio.sleep,
    ):
        self.app = app
        self.settings = settings
        self.poll_timeout = poll_timeout
        self.backoff = tuple(backoff)
        self.pause = pause  # how the start waits out a platform that is down
        self.api = ZaloApi(settings.token, settings.api_base_url, settings.messages_per_second)
        self.chats = NumberedChoices(app.store, app.config, app.clock, CHANNEL)
        self.out = ZaloOut(app, self.api, self.chats, self.backoff)
        self._in_order = InOrder(MAX_CONCURRENT_UPDATES)
        self._polling: asyncio.Task[None] | None = None
        self._server: Served | None = None
        self._seen = SeenUpdates(app.store, app.clock, CHANNEL)

    async def start(self) -> None:
        """Check the token, register the outbox sender, start taking updates; a Zalo that is
        down is waited out, a refused token stops the start (ConfigError)."""
        # httpx logs every request at INFO: a line per long poll says nothing worth keeping.
        HTTPX_LOG.setLevel(logging.WARNING)
        await self._until_answered("getMe")
        self.app.add_channel(CHANNEL, ZaloSender(self.out))
        if self.settings.mode == "webhook":
            await self._start_webhook()
        else:
            # getUpdates does not work beside a webhook [docs].
            await self._until_answered("deleteWebhook")
            self._polling = asyncio.create_task(self._poll(), name="zalo polling")

    async def _until_answered(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return await until_answered(
            "zalo start calls",
            lambda: self.api.call(method, params),
            self._wait_for,
            backoff=self.backoff,
            pause=self.pause,
        )

    def _wait_for(self, exc: Exception) -> float | None:
        if isinstance(exc, ZaloError) and exc.code in (401, 403, 404):
            if exc.method == "setWebhook":
                raise ConfigError([f"zalo.webhook_url: refused by Zalo: {exc}"]) from None
            where = self.settings.api_base_url
            raise ConfigError([f"zalo.token: refused by {where}: {exc}"]) from None
        if isinstance(exc, ZaloError) and exc.code == 400 and exc.method == "setWebhook":
            raise ConfigError([f"zalo.webhook_url: refused by Zalo: {exc}"]) from None
        return USE_BACKOFF if passes(exc) else None

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
            await self._server.close()
            self._server = None
        await self._in_order.join()

    async def close(self) -> None:
        """Release the HTTP connections (the outbox must not send through us any more)."""
        await self.stop()
        await self.api.close()

    # -- taking updates ---------------------------------------------------------------------

    async def _poll(self) -> None:
        """Poll until stopped; an outage of Zalo is waited out with a line when it begins and
        one when it ends."""
        trouble = Outage(log, "zalo polls")
        while True:
            try:
                updates = await self.api.updates(self.poll_timeout)
            except (ZaloError, ZaloNetworkError) as exc:
                failures = trouble.failed(exc, "polling again until Zalo answers")
                await asyncio.sleep(backoff_step(self.backoff, failures))
                continue
            except Exception:  # a bug: said in full, and polling goes on
                log.exception("zalo getUpdates failed")
                await asyncio.sleep(self.backoff[-1])
                continue
            trouble.works()
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
        if message_id and not await self._seen.first_time(message_id):
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
        name = _display_name(message)
        if event == TEXT_RECEIVED and isinstance(text, str):
            understood = await self.chats.read(
                user_id, chat_id, text, private=private, display_name=name
            )
            if isinstance(understood, Message):  # a number that answers nothing: the list stays
                try:
                    await port.say(understood.text)
                except (Unreachable, TransientError) as exc:
                    log.warning("zalo chat %s: an answer could not go (%s)", chat_id, exc)
                return
            inbound = understood
        elif event == IMAGE_RECEIVED and (address := _photo_address(message)):
            photo = Photo(address)
            inbound = Inbound(CHANNEL, user_id, chat_id, private, display_name=name, photo=photo)
        else:
            inbound = Inbound(
                CHANNEL,
                user_id,
                chat_id,
                private,
                display_name=name,
                unreadable="zalo.please_type",
            )
        await self.app.handle(inbound, port)

    # -- webhook ----------------------------------------------------------------------------

    async def _start_webhook(self) -> None:
        settings = self.settings
        receiver = zalo_receiver(settings.webhook_secret, self.take)
        self._server = await self.app.webhooks.serve(
            webhook_path(settings), settings.webhook_listen, receiver
        )
        webhook = {"url": settings.webhook_url, "secret_token": settings.webhook_secret}
        await self._until_answered("setWebhook", webhook)


def _field(message: dict[str, Any], part: str, name: str) -> Any:
    value = message.get(part)
    return value.get(name) if isinstance(value, dict) else None


def _photo_address(message: dict[str, Any]) -> str:
    """Where the picture of an image message is: ``photo`` [openclaw] (``photo_url`` in some
    clients' samples)."""
    for name in ("photo", "photo_url"):
        value = message.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


def _display_name(message: dict[str, Any]) -> str:
    for name in ("display_name", "name", "first_name"):
        value = _field(message, "from", name)
        if isinstance(value, str) and value:
            return value
    return ""
