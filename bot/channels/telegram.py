"""Telegram through python-telegram-bot 22: updates become Inbound events, Messages keyboards.

With telegram_http (its HTTP client) and telegram_webhook, the only modules that import
``telegram``. It keeps nothing that matters (no user_data or chat_data): every update goes to
App.handle, and the store is the truth.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Awaitable, Callable, Hashable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram import Message as TelegramMessage
from telegram.constants import ChatType
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
)
from telegram.error import RetryAfter as TelegramRetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels import webhook_path
from bot.channels.host import Host
from bot.channels.in_order import InOrder
from bot.channels.starting import BACKOFF, USE_BACKOFF, Pause, until_answered
from bot.channels.telegram_http import AiohttpRequest
from bot.channels.telegram_webhook import telegram_receiver
from bot.channels.webhook import Served
from bot.core.config import ConfigError, Telegram
from bot.core.i18n import Translator
from bot.core.message_parts import TEXT_LIMITS, split_text
from bot.core.messages import Inbound, Message
from bot.core.photos import Photo, PhotoNotFetched, PhotoTooLarge
from bot.delivery import RetryAfter, TransientError, Unreachable
from bot.outage import Outage
from bot.services.updates import SeenUpdates
from handlers.account import menu_entries

log = logging.getLogger(__name__)
# Time periods as timedelta, PTB's coming default: without it, PTB 22 warns that its integer
# seconds are deprecated on every 429 it sees. Read by PTB at each use, not at import.
os.environ.setdefault("PTB_TIMEDELTA", "true")

CHANNEL = "telegram"
CALLBACK_DATA_LIMIT = 64  # bytes: Telegram refuses longer button data
# Files sent as photos (the digest's chart): Telegram shows them in the chat.
PICTURES = frozenset({".png", ".jpg", ".jpeg"})
# A reply is awaited by the person who asked, so a 429 is waited out this many times. The
# outbox gets no such retries: it reschedules the row itself (bot.delivery.RetryAfter).
REPLY_RETRIES = 3
MAX_CONCURRENT_UPDATES = 64
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
# A failure of polling this long after the last one is a new outage, worth a line of its own.
POLL_OUTAGE_GAP = 60.0


class TelegramChannel:
    """Runs the bot on Telegram: polling or webhook, and the outbox's sender."""

    name = CHANNEL

    def __init__(
        self,
        app: Host,
        settings: Telegram,
        *,
        backoff: Sequence[float] = BACKOFF,
        pause: Pause = asyncio.sleep,
    ):
        self.app = app
        self.settings = settings
        self.backoff = tuple(backoff)
        self.pause = pause  # how the start waits out a platform that is down (tests: no wait)
        self._http = requests()
        self.application = build_application(settings, self._http)
        self._seen = SeenUpdates(app.store, app.clock, CHANNEL)
        # An update delivered twice (a webhook call whose answer was lost, a poll not
        # confirmed before a restart) stops here, before the handlers.
        self.application.add_handler(TypeHandler(Update, self._once), group=-1)
        # Every message (commands included) goes to one handler; the router does the rest.
        self.application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, self._on_message))
        self.application.add_handler(CallbackQueryHandler(self._on_button))
        self.application.add_error_handler(self._on_error)
        self._webhook: Served | None = None
        self._polls = Outage(log, "telegram polls")
        self._polls_failed_at = 0.0

    async def start(self) -> None:
        """Register the outbox sender, set the strangers' menus, start taking updates; a
        Telegram that is down is waited out, a refused token stops the start (ConfigError)."""
        # httpx logs every request at INFO: a line per long poll says nothing worth keeping.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        application = self.application
        await self._until_answered(application.initialize)  # getMe
        self.app.add_channel(CHANNEL, TelegramSender(application.bot))
        tz = self.app.config.committee.tz
        await self._until_answered(lambda: set_default_menus(application.bot, tz))
        await application.start()
        if self.settings.mode == "webhook":
            await self._start_webhook()
        else:
            # PTB's start deletes any webhook too, but does not say when it cannot.
            await self._until_answered(application.bot.delete_webhook)
            updater = application.updater
            assert updater is not None
            await updater.start_polling(
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=-1,
                error_callback=self._poll_failed,
            )

    async def _start_webhook(self) -> None:
        settings = self.settings
        receiver = telegram_receiver(settings.webhook_secret, self.application)
        self._webhook = await self.app.webhooks.serve(
            webhook_path(settings), settings.webhook_listen, receiver
        )
        bot = self.application.bot
        try:
            await self._until_answered(
                lambda: bot.set_webhook(
                    settings.webhook_url,
                    allowed_updates=ALLOWED_UPDATES,
                    secret_token=settings.webhook_secret,
                )
            )
        except BadRequest as exc:  # an address Telegram will not call
            raise ConfigError(
                [f"telegram.webhook_url: refused by Telegram: {exc.message}"]
            ) from None

    async def _until_answered(self, call: Any) -> Any:
        return await until_answered(
            "telegram start calls", call, self._wait_for, backoff=self.backoff, pause=self.pause
        )

    def _wait_for(self, exc: Exception) -> float | None:
        if isinstance(exc, InvalidToken):  # 401 or 404 on the token's own address
            # Not PTB's words: they quote the token.
            where = self.settings.api_base_url
            raise ConfigError(
                [f"telegram.token: refused by {where}: check the token @BotFather gave"]
            ) from None
        if isinstance(exc, TelegramRetryAfter):
            return retry_seconds(exc)
        # A 5xx, a timeout, a refused or lost connection (PTB's NetworkError covers them all).
        return USE_BACKOFF if isinstance(exc, NetworkError) else None

    def _poll_failed(self, exc: TelegramError) -> None:
        """PTB polls again after a failure, waiting longer each time (up to 30 s); a line
        when they start failing, none for each retry."""
        now = time.monotonic()
        if now - self._polls_failed_at > POLL_OUTAGE_GAP:
            self._polls.works()  # the last outage is over: this one gets its own line
        self._polls_failed_at = now
        self._polls.failed(exc, "polling again and again until Telegram answers")

    async def stop(self) -> None:
        """Stop taking updates; the ones already taken are handled to the end."""
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self._webhook is not None:
            await self._webhook.close()
            self._webhook = None
        if self.application.running:
            await self.application.stop()

    async def _once(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._seen.first_time(str(update.update_id)):
            log.info("telegram update %s delivered again: answered already", update.update_id)
            raise ApplicationHandlerStop

    async def close(self) -> None:
        """Release the HTTP connections (the outbox must not send through us any more)."""
        await self.stop()
        await self.application.shutdown()
        # Also when the start failed before PTB counted the Application initialized.
        for request in self._http:
            await request.shutdown()

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user, chat = update.message, update.effective_user, update.effective_chat
        if message is None or user is None or chat is None:
            return
        private = chat.type == ChatType.PRIVATE
        port = TelegramPort(context.bot, chat.id, after_contact=message.contact is not None)
        if message.text is not None:
            if _addressed_elsewhere(message.text, context.bot.username):
                return
            inbound = Inbound.typed(
                CHANNEL,
                str(user.id),
                str(chat.id),
                message.text,
                private=private,
                display_name=user.full_name,
            )
        elif message.contact is not None:
            owner = message.contact.user_id
            inbound = Inbound(
                CHANNEL,
                str(user.id),
                str(chat.id),
                private,
                contact_phone=message.contact.phone_number,
                contact_user_id=None if owner is None else str(owner),
                display_name=user.full_name,
            )
        elif (photo := _photo_in(message)) is not None:
            inbound = Inbound(
                CHANNEL,
                str(user.id),
                str(chat.id),
                private,
                display_name=user.full_name,
                photo=photo,
            )
        else:  # a sticker, a voice message: answered (in a private chat) in the sender's language
            inbound = Inbound(
                CHANNEL,
                str(user.id),
                str(chat.id),
                private,
                display_name=user.full_name,
                unreadable="error.unsupported_message",
            )
        await self.app.handle(inbound, port)

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        # Stops the button's spinner whatever happens next; sent alongside the handling rather
        # than before it, so the reply does not wait for one more HTTP round trip.
        answering = asyncio.create_task(_answer(query))
        try:
            if query.data is not None:
                await self._handle_button(update, context, query.data)
        finally:
            await answering

    async def _handle_button(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, data: str
    ) -> None:
        user, chat = update.effective_user, update.effective_chat
        assert user is not None
        chat_id = chat.id if chat is not None else user.id
        private = chat is None or chat.type == ChatType.PRIVATE
        inbound = Inbound(
            CHANNEL,
            str(user.id),
            str(chat_id),
            private,
            choice=data,
            display_name=user.full_name,
        )
        await self.app.handle(inbound, TelegramPort(context.bot, chat_id))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("telegram update %s failed", update_id, exc_info=context.error)


class TelegramPort:
    """One Telegram chat as the handlers see it (handlers.port.Port). A chat that refuses the
    bot (blocked, gone) raises bot.delivery.Unreachable; Telegram out of reach or busy past
    the rate limiter's retries, TransientError."""

    shares_contacts = True

    def __init__(self, bot: Bot, chat_id: int | str, *, after_contact: bool = False):
        self.bot = bot
        self.chat_id = chat_id
        # The contact button has done its job: the answer to a shared contact removes it.
        self._remove_keyboard = after_contact

    async def reply(self, message: Message) -> None:
        remove, self._remove_keyboard = self._remove_keyboard, False
        with reply_faults():
            await send_message(
                self.bot, self.chat_id, message, retries=REPLY_RETRIES, remove_keyboard=remove
            )

    async def send_file(self, path: Path, caption: str = "") -> None:
        with reply_faults():
            await send_file(self.bot, self.chat_id, path, caption, retries=REPLY_RETRIES)

    async def set_menu(self, commands: list[tuple[str, str]]) -> None:
        with reply_faults():
            await self.bot.set_my_commands(
                [BotCommand(command, description) for command, description in commands],
                scope=BotCommandScopeChat(self.chat_id),
                rate_limit_args=REPLY_RETRIES,
            )

    async def fetch(self, photo: Photo, limit: int) -> bytes:
        """The photo's file through getFile and the file's download, refused unread when
        Telegram says it is larger than LIMIT."""
        if photo.size is not None and photo.size > limit:
            raise PhotoTooLarge(f"{photo.size} bytes")
        try:
            file = await self.bot.get_file(photo.ref)
            if file.file_size is not None and file.file_size > limit:
                raise PhotoTooLarge(f"{file.file_size} bytes")
            content = bytes(await file.download_as_bytearray())
        except BadRequest as exc:
            if "too big" in exc.message.lower():  # over the 20 MB getFile hands out
                raise PhotoTooLarge(exc.message) from None
            raise PhotoNotFetched(exc.message) from None
        except TelegramError as exc:  # Telegram out of reach, busy, or the file gone
            raise PhotoNotFetched(exc.message) from None
        if len(content) > limit:
            raise PhotoTooLarge(f"{len(content)} bytes")
        return content


class TelegramSender:
    """The outbox's way out through Telegram (bot.delivery.ChannelSender)."""

    def __init__(self, bot: Bot):
        self.bot = bot

    async def send(self, chat_id: str, message: Message) -> None:
        with delivery_faults():
            await send_message(self.bot, chat_id, message)

    async def send_file(self, chat_id: str, path: Path, caption: str = "") -> None:
        with delivery_faults():
            await send_file(self.bot, chat_id, path, caption)


class PerSenderUpdateProcessor(BaseUpdateProcessor):
    """PTB's side of InOrder: PTB starts a task per update in arrival order and bounds how many
    run at once; InOrder makes one person's wait for each other."""

    def __init__(self, max_concurrent_updates: int):
        super().__init__(max_concurrent_updates)
        self._in_order = InOrder()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        sender = _sender_of(update)
        if sender is None:
            await coroutine
        else:
            await self._in_order.run(sender, coroutine)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


class _OutboxWaitsItOut(logging.Filter):
    """Drop PTB's ERROR-with-traceback for a 429 passed on without retries: those are the
    outbox's sends, and the outbox re-queues the row for the retry_after (and logs it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.msg == _PASSED_ON_429 and record.args == (0,))


_PASSED_ON_429 = "Rate limit hit after maximum of %d retries"
_RATE_LIMITER_LOG = logging.getLogger("telegram.ext.AIORateLimiter")


def requests() -> tuple[AiohttpRequest, AiohttpRequest]:
    """The HTTP clients of an Application: for every call, and for getUpdates.

    aiohttp, not PTB's default httpx: less CPU per call (bench/chat.py, bench/fanout.py). The
    polls' client has two connections, so that the call confirming the last updates at a stop
    never waits for the cancelled long poll's to be let go, and a short read timeout beyond the
    long poll's own, which bounds that call too.
    """
    return AiohttpRequest(), AiohttpRequest(connection_pool_size=2, read_timeout=2.0)


def build_application(
    settings: Telegram, http: tuple[AiohttpRequest, AiohttpRequest] | None = None
) -> Application:
    if not any(isinstance(f, _OutboxWaitsItOut) for f in _RATE_LIMITER_LOG.filters):
        _RATE_LIMITER_LOG.addFilter(_OutboxWaitsItOut())
    request, get_updates_request = http or requests()
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_base_url)
        .request(request)
        .get_updates_request(get_updates_request)
        # The outbox waits out a 429 itself (bot.delivery.RetryAfter): no retries in here.
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.messages_per_second, max_retries=0))
        .concurrent_updates(PerSenderUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .job_queue(None)  # our scheduler runs due work; PTB's job queue stays off
    )
    file_url = _file_url(settings.api_base_url)
    if file_url:
        builder = builder.base_file_url(file_url)
    return builder.build()


async def set_default_menus(bot: Bot, tz: ZoneInfo) -> None:
    """What strangers see in the menu: Vietnamese by default, English for English clients."""
    for language, language_code in (("vi", None), ("en", "en")):
        entries = menu_entries(Translator(language, tz), None)
        await bot.set_my_commands(
            [BotCommand(command, description) for command, description in entries],
            scope=BotCommandScopeDefault(),
            language_code=language_code,
        )


async def send_message(
    bot: Bot,
    chat_id: int | str,
    message: Message,
    *,
    retries: int | None = None,
    remove_keyboard: bool = False,
) -> None:
    """Send MESSAGE, split at line ends when too long; its buttons go under the last part."""
    markup = reply_markup(message, remove_keyboard=remove_keyboard)
    parts = split_text(message.text, TEXT_LIMITS["telegram"])
    for number, part in enumerate(parts, start=1):
        await bot.send_message(
            chat_id,
            part,
            reply_markup=markup if number == len(parts) else None,
            rate_limit_args=retries,
        )


async def send_file(
    bot: Bot, chat_id: int | str, path: Path, caption: str = "", *, retries: int | None = None
) -> None:
    """PATH in the chat: a picture as a photo, seen in the chat without opening anything (one
    Telegram will not show as a photo, by its size or shape, goes as a file); else a document."""

    async def upload(send: Callable[..., Awaitable[object]], field: str) -> None:
        with path.open("rb") as file:
            await send(
                chat_id,
                **{field: file},
                filename=path.name,
                caption=caption or None,
                rate_limit_args=retries,
            )

    if path.suffix.lower() in PICTURES:
        try:
            await upload(bot.send_photo, "photo")
            return
        except BadRequest as exc:
            if _is_about_the_chat(exc):
                raise
            log.warning("telegram would not show %s as a photo (%s): sent as a file", path, exc)
    await upload(bot.send_document, "document")


def reply_markup(
    message: Message, *, remove_keyboard: bool = False
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    """Choices as inline buttons, one a row; else the contact button; else maybe no keyboard."""
    if message.choices:
        if message.contact_button:
            log.warning("a message with choices cannot also carry the contact button; dropped")
        for choice in message.choices:
            if len(choice.data.encode()) > CALLBACK_DATA_LIMIT:
                raise ValueError(
                    f"button data {choice.data!r} is longer than {CALLBACK_DATA_LIMIT} bytes"
                )
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(c.label, callback_data=c.data)] for c in message.choices]
        )
    if message.contact_button:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(message.contact_button, request_contact=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    return ReplyKeyboardRemove() if remove_keyboard else None


@contextlib.contextmanager
def refusals() -> Iterator[None]:
    """A chat that will take nothing from the bot (blocked by the user, kicked from the group,
    account deleted; or a chat Telegram does not know) as Unreachable; other errors as they
    are."""
    try:
        yield
    except Forbidden as exc:
        raise Unreachable(exc.message) from exc
    except BadRequest as exc:
        if _is_about_the_chat(exc):
            raise Unreachable(exc.message) from exc
        raise


def _is_about_the_chat(exc: BadRequest) -> bool:
    return "chat not found" in exc.message.lower()


@contextlib.contextmanager
def reply_faults() -> Iterator[None]:
    """A reply's faults: the chat's refusal as Unreachable, Telegram out of reach or busy as
    TransientError; anything else (our mistake) as it is."""
    try:
        with refusals():
            yield
    except (NetworkError, TelegramRetryAfter) as exc:
        raise TransientError(exc.message) from exc


@contextlib.contextmanager
def delivery_faults() -> Iterator[None]:
    """Telegram's errors as the outbox understands them."""
    try:
        with refusals():
            yield
    except TelegramRetryAfter as exc:
        raise RetryAfter(retry_seconds(exc)) from exc
    except BadRequest as exc:
        # Not the user's fault but ours: retried a few times, then given up with Telegram's
        # words in the outbox row, instead of marking the person unreachable.
        raise TransientError(exc.message) from exc
    except TelegramError as exc:  # NetworkError, TimedOut, a migrated group, ...
        raise TransientError(exc.message) from exc
    except (ValueError, OSError) as exc:
        # A row that cannot be sent as it is (button data too long, a file gone) must not stop
        # the delivery loop: it is retried a few times, then given up with this reason.
        log.error("outbox message cannot be sent: %s", exc)
        raise TransientError(str(exc)) from exc


def retry_seconds(exc: TelegramRetryAfter) -> float:
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _sender_of(update: object) -> Hashable | None:
    if not isinstance(update, Update):
        return None
    who = update.effective_user or update.effective_chat
    return who.id if who is not None else None


def _addressed_elsewhere(text: str, username: str | None) -> bool:
    """A group command meant for another bot: "/help@OtherBot"."""
    if not text.startswith("/"):
        return False
    _, at, target = text.split(maxsplit=1)[0].partition("@")
    return bool(at) and username is not None and target.lower() != username.lower()


def _photo_in(message: TelegramMessage) -> Photo | None:
    """The picture a message brings: a photo (its largest size), or an image sent as a file."""
    if message.photo:
        largest = message.photo[-1]  # Telegram lists the sizes smallest first
        return Photo(largest.file_id, largest.file_size)
    document = message.document
    if document is not None and (
        (document.mime_type or "").startswith("image/")
        or Path(document.file_name or "").suffix.lower() in PICTURES
    ):
        return Photo(document.file_id, document.file_size)
    return None


def _file_url(api_base_url: str) -> str | None:
    """A self-hosted Bot API server serves files next to its API: .../bot -> .../file/bot."""
    if api_base_url.endswith("/bot"):
        return api_base_url.removesuffix("/bot") + "/file/bot"
    return None


async def _answer(query: Any) -> None:
    try:
        await query.answer()
    except TelegramError as exc:
        log.warning("answering callback query %s failed: %s", query.id, exc)
