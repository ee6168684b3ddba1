"""A fake Telegram Bot API server: real HTTP on 127.0.0.1, the real URL layout, recorded calls.

    fake = await FakeTelegram.start()
    config = Telegram(enabled=True, token=fake.token, api_base_url=fake.api_base_url)
    fake.push_text(1001, "/start")
    [answer] = await fake.wait_for_messages(1001, 1)

It answers the methods python-telegram-bot uses (``/bot<token>/<method>``, JSON, form or
multipart bodies) the way Telegram does, keeps updates until a ``getUpdates`` offset confirms
them, serves the files users sent (``getFile``, then ``/file/bot<token>/<path>``), and lets a
test make sends fail (429, 403) or hang. Waiting is on an asyncio.Condition
that every call and every pushed update notifies, never on sleeps.

Opt-in, for delivery tests and benches: ``limits()`` enforces Telegram's flood limits on sends
(429 with retry_after beyond them, counted in ``throttled``), ``slow_sends(seconds)`` answers
each send that much later, as a server far away does, and ``kill_on_send(n, pid)`` SIGKILLs a
bot process while its Nth send is on the wire, before the message is recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes.server import ApiCall, FakeBotApi, TokenBucket

# Parameters whose form value is JSON text (python-telegram-bot dumps non-string values).
JSON_PARAMETERS = {
    "reply_markup",
    "commands",
    "scope",
    "allowed_updates",
    "entities",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
    "drop_pending_updates",
    "show_alert",
}
INT_PARAMETERS = {"chat_id", "message_id", "offset", "limit", "user_id", "max_connections"}
NUMBER_PARAMETERS = {"timeout", "cache_time"}
# Epoch seconds of the fake's messages; PTB needs a date, tests never read it.
DATE = 1637370000
# The methods that send a message to a chat: what the flood limits and kill_on_send count.
SEND_METHODS = {"sendMessage", "sendDocument", "sendPhoto"}
# Telegram's flood limits for a bot: messages a second in all, and to any one chat.
MESSAGES_PER_SECOND = 30
MESSAGES_PER_SECOND_PER_CHAT = 1
GET_FILE_LIMIT = 20 * 1024 * 1024  # bytes: getFile refuses larger files


@dataclass
class Failure:
    """What the next calls of a method answer instead of success."""

    status: int
    description: str
    remaining: int
    parameters: dict[str, Any] | None = None


@dataclass
class FloodLimits:
    """Telegram's limits on sends: a bucket for the bot, and one per chat."""

    per_second: float
    per_chat: float
    clock: Callable[[], float]
    overall: TokenBucket
    chats: dict[int, TokenBucket] = field(default_factory=dict)

    def retry_after(self, chat_id: int) -> int:
        """0 if a send to CHAT_ID may go now (it takes its tokens); else whole seconds to wait,
        as Telegram says them (at least 1)."""
        now = self.clock()
        chat = self.chats.setdefault(chat_id, TokenBucket.full(self.per_chat, now))
        wait = max(self.overall.wait(now), chat.wait(now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self.overall.tokens -= 1
        chat.tokens -= 1
        return 0


class FakeTelegram(FakeBotApi):
    SEND_METHODS = frozenset(SEND_METHODS)

    def __init__(self, token: str = "424242:fake-token", username: str = "checkin_test_bot"):
        super().__init__()
        self.token = token
        self.bot_user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Checkin Test Bot",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.updates: list[dict[str, Any]] = []  # not yet confirmed by a getUpdates offset
        # What the bot sent, by message_id, with whatever reply_markup it asked for.
        self.messages: dict[int, dict[str, Any]] = {}
        self.menus: dict[tuple[str, str], list[dict[str, str]]] = {}  # (scope, language) -> list
        self.webhook: dict[str, Any] = {"url": ""}
        self.blocked: set[int] = set()  # chats that answer 403 (the user blocked the bot)
        self.failures: dict[str, Failure] = {}
        self.sends_paused = False
        self.chats: dict[int, dict[str, Any]] = {}
        self.flood_limits: FloodLimits | None = None
        self.throttled = 0  # 429s answered because a send was beyond the flood limits
        self._kill: tuple[int, int] | None = None  # (sends to go, pid)
        self.killed: int | None = None  # the pid kill_on_send killed
        # Files users sent, by file_id: what getFile answers, and the content downloaded.
        self.files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self.downloads: list[str] = []  # the file paths downloaded, in order
        self._file_numbers = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    # -- what tests push (updates from users) -----------------------------------------------

    def user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}

    def chat(self, chat_id: int, chat_type: str = "private") -> dict[str, Any]:
        if chat_id not in self.chats:
            chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
            if chat_type == "private":
                chat["first_name"] = f"User {chat_id}"
            else:
                chat["title"] = f"Group {chat_id}"
            self.chats[chat_id] = chat
        return self.chats[chat_id]

    def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), kind: payload}
        self.updates.append(update)
        self._notify_soon()
        return update

    def push_message(
        self,
        user_id: int,
        content: dict[str, Any],
        *,
        chat_type: str = "private",
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A message from USER_ID in their private chat (or in CHAT_ID of CHAT_TYPE)."""
        chat = self.chat(user_id if chat_id is None else chat_id, chat_type)
        message = {
            "message_id": next(self._message_ids),
            "date": DATE,
            "chat": chat,
            "from": self.user(user_id),
            **content,
        }
        return self.push_update("message", message)

    def push_text(
        self, user_id: int, text: str, chat_type: str = "private", chat_id: int | None = None
    ) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if chat_type != "private" and chat_id is None:
            chat_id = -1000 - user_id
        return self.push_message(user_id, content, chat_type=chat_type, chat_id=chat_id)

    def push_contact(
        self, user_id: int, phone: str, contact_user_id: int | None = None
    ) -> dict[str, Any]:
        contact: dict[str, Any] = {"phone_number": phone, "first_name": "Contact"}
        if contact_user_id is not None:
            contact["user_id"] = contact_user_id
        return self.push_message(user_id, {"contact": contact})

    def push_sticker(self, user_id: int, **where: Any) -> dict[str, Any]:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        return self.push_message(user_id, {"sticker": sticker}, **where)

    def push_photo(
        self, user_id: int, content: bytes = b"", caption: str = "", **where: Any
    ) -> dict[str, Any]:
        """USER_ID sends a photo whose largest size holds CONTENT (getFile and the download
        give it), as Telegram lists it: its sizes, smallest first."""
        largest = self.keep_file(content, "photos", "jpg")
        sizes = [
            {
                "file_id": f"{largest['file_id']}-s",
                "file_unique_id": "small",
                "width": 90,
                "height": 90,
                "file_size": 1000,
            },
            {**largest, "width": 1280, "height": 960},
        ]
        message: dict[str, Any] = {"photo": sizes}
        if caption:
            message["caption"] = caption
        return self.push_message(user_id, message, **where)

    def push_document(
        self, user_id: int, content: bytes, file_name: str, mime_type: str
    ) -> dict[str, Any]:
        """USER_ID sends CONTENT as a file named FILE_NAME, said to be of MIME_TYPE."""
        document = self.keep_file(content, "documents", file_name.rpartition(".")[2])
        document |= {"file_name": file_name, "mime_type": mime_type}
        return self.push_message(user_id, {"document": document})

    def keep_file(self, content: bytes, folder: str, extension: str) -> dict[str, Any]:
        """CONTENT as a file users sent, for getFile and the download: its File fields."""
        number = next(self._file_numbers)
        path = f"{folder}/file_{number}.{extension}"
        found = {"file_id": f"file-{number}", "file_unique_id": f"u{number}", "file_path": path}
        self.files[found["file_id"]] = (found, content)
        return {
            "file_id": found["file_id"],
            "file_unique_id": found["file_unique_id"],
            "file_size": len(content),
        }

    def forget_file(self, file_id: str) -> None:
        """The file is gone from Telegram's servers: getFile refuses its id."""
        self.files.pop(file_id, None)

    def push_callback(self, user_id: int, data: str, message_id: int) -> dict[str, Any]:
        """USER_ID presses a button with DATA under the bot's message MESSAGE_ID."""
        message = _as_telegram_shows(self.messages.get(message_id)) or {
            "message_id": message_id,
            "date": DATE,
            "chat": self.chat(user_id),
            "from": self.bot_user,
            "text": "",
        }
        query = {
            "id": str(next(self._callback_ids)),
            "from": self.user(user_id),
            "chat_instance": f"instance-{message['chat']['id']}",
            "message": message,
            "data": data,
        }
        return self.push_update("callback_query", query)

    # -- what tests read --------------------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        """The messages (text and documents) the bot sent to CHAT_ID, oldest first."""
        return [m for m in self.messages.values() if m["chat"]["id"] == chat_id]

    def menu(self, scope: dict[str, Any] | None = None, language: str = "") -> list[str]:
        """The commands of a menu, e.g. menu({"type": "chat", "chat_id": 1001})."""
        return [entry["command"] for entry in self.menu_entries(scope, language)]

    def menu_entries(
        self, scope: dict[str, Any] | None = None, language: str = ""
    ) -> list[dict[str, str]]:
        return self.menus.get((_scope_key(scope), language), [])

    # A timeout argument (ASYNC109) because every wait in a test should state its bound.
    async def wait_for_messages(
        self,
        chat_id: int,
        n: int,
        timeout: float = 5,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """The first N messages sent to CHAT_ID, once there are that many."""
        await self.wait_until(lambda: len(self.sent_to(chat_id)) >= n, timeout, f"{n} to {chat_id}")
        return self.sent_to(chat_id)[:n]

    # -- knobs ------------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        times: int,
        status: int = 429,
        retry_after: int = 7,
        description: str = "",
    ) -> None:
        """The next TIMES calls of METHOD answer STATUS (429 carries retry_after)."""
        parameters = {"retry_after": retry_after} if status == 429 else None
        text = description or (
            f"Too Many Requests: retry after {retry_after}" if status == 429 else "Bad Request"
        )
        self.failures[method] = Failure(status, text, times, parameters)

    def block(self, chat_id: int) -> None:
        """The user of CHAT_ID blocked the bot: sends to it answer 403."""
        self.blocked.add(chat_id)

    def pause_sends(self) -> None:
        """sendMessage calls hang (recorded, unanswered) until resume_sends()."""
        self.sends_paused = True

    def resume_sends(self) -> None:
        self.sends_paused = False
        self._notify_soon()

    def limits(
        self,
        per_second: float = MESSAGES_PER_SECOND,
        per_chat: float = MESSAGES_PER_SECOND_PER_CHAT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """From now on, enforce Telegram's flood limits on sends: PER_SECOND messages a second
        in all and PER_CHAT to any one chat, each with a second's worth of burst. A send beyond
        them answers 429 with retry_after (whole seconds) and counts in ``throttled``. CLOCK
        (seconds) is real time, or a test's fake clock so that waits are moved, not slept."""
        now = clock()
        self.flood_limits = FloodLimits(
            per_second, per_chat, clock, TokenBucket.full(per_second, now)
        )

    def kill_on_send(self, n: int, pid: int) -> None:
        """SIGKILL process PID when the Nth send request from now arrives, before the message
        is recorded: the bot died while that request was on the wire, so Telegram never got
        it. The request is in ``calls``; the message is not in ``messages``."""
        self._kill = (n, pid)

    # -- the server -------------------------------------------------------------------------

    async def _endpoint(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await _read_body(request)
        call = ApiCall(method, params, files)
        self.calls.append(call)
        await self._notify()
        await self._as_far_away(method)
        answer = getattr(self, f"_api_{method}", None)
        if answer is None:
            return _error(404, "Not Found: method not found")
        if method in SEND_METHODS and self._killed_on_this_send():
            return _error(500, "Internal Server Error: the sender was killed")
        failure = self.failures.get(method)
        if failure is not None and failure.remaining > 0:
            failure.remaining -= 1
            return _error(failure.status, failure.description, failure.parameters)
        if method in SEND_METHODS and self.flood_limits is not None:
            wait = self.flood_limits.retry_after(params.get("chat_id", 0))
            if wait:
                self.throttled += 1
                description = f"Too Many Requests: retry after {wait}"
                return _error(429, description, {"retry_after": wait})
        if params.get("chat_id") in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        result = await answer(call)
        await self._notify()
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    def _killed_on_this_send(self) -> bool:
        if self._kill is None:
            return False
        to_go, pid = self._kill
        if to_go > 1:
            self._kill = (to_go - 1, pid)
            return False
        self._kill = None
        os.kill(pid, signal.SIGKILL)
        self.killed = pid
        return True

    def _record_message(self, chat_id: int, content: dict[str, Any]) -> dict[str, Any]:
        message = {
            "message_id": next(self._message_ids),
            "date": DATE,
            "chat": self.chat(chat_id, "private" if chat_id > 0 else "group"),
            "from": self.bot_user,
            **content,
        }
        self.messages[message["message_id"]] = message
        return _as_telegram_shows(message)

    async def _api_getMe(self, call: ApiCall) -> Any:
        return self.bot_user

    async def _api_getUpdates(self, call: ApiCall) -> Any:
        offset = call.params.get("offset") or 0
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        limit = call.params.get("limit") or 100
        timeout = float(call.params.get("timeout") or 0)
        with contextlib.suppress(TimeoutError):
            async with self._changed:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: bool(self.updates) or self._closing), timeout
                )
        return self.updates[:limit]

    async def _api_sendMessage(self, call: ApiCall) -> Any:
        async with self._changed:
            await self._changed.wait_for(lambda: not self.sends_paused or self._closing)
        content: dict[str, Any] = {"text": call.params["text"]}
        markup = call.params.get("reply_markup")
        if markup is not None:
            content["reply_markup"] = markup
        return self._record_message(call.params["chat_id"], content)

    def _uploaded(self, call: ApiCall, kind: str) -> str:
        # A file is uploaded under the parameter's name, or under the one "attach://name" gives.
        field = str(call.params.get(kind, "")).removeprefix("attach://") or kind
        name, _content = call.files.get(field, (str(call.params.get(kind, "")), b""))
        return name

    def _with_caption(self, call: ApiCall, content: dict[str, Any]) -> dict[str, Any]:
        if call.params.get("caption"):
            content["caption"] = call.params["caption"]
        return self._record_message(call.params["chat_id"], content)

    async def _api_sendDocument(self, call: ApiCall) -> Any:
        name = self._uploaded(call, "document")
        document = {"file_id": f"file-{name}", "file_unique_id": name, "file_name": name}
        return self._with_caption(call, {"document": document})

    async def _api_sendPhoto(self, call: ApiCall) -> Any:
        """A photo, shown in the chat: Telegram keeps it in a few sizes and no file name."""
        name = self._uploaded(call, "photo")
        sizes = [
            {
                "file_id": f"photo-{name}-{width}",
                "file_unique_id": f"{name}-{width}",
                "width": width,
                "height": width // 2,
            }
            for width in (320, 1280)
        ]
        return self._with_caption(call, {"photo": sizes})

    async def _api_getFile(self, call: ApiCall) -> Any:
        kept = self.files.get(str(call.params.get("file_id")))
        if kept is None:
            return _error(400, "Bad Request: invalid file_id")
        found, content = kept
        if len(content) > GET_FILE_LIMIT:
            return _error(400, "Bad Request: file is too big")
        return {**found, "file_size": len(content)}

    def _add_routes(self, app: web.Application) -> None:
        # Telegram serves the files getFile names at https://api.telegram.org/file/bot<token>/.
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        self.downloads.append(path)
        for found, content in self.files.values():
            if found["file_path"] == path:
                return web.Response(body=content, content_type="application/octet-stream")
        return web.Response(status=404)

    async def _api_answerCallbackQuery(self, call: ApiCall) -> Any:
        return True

    async def _edit(self, call: ApiCall, change: dict[str, Any]) -> Any:
        message = self.messages.get(call.params.get("message_id", 0))
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        message.update(change)
        if change.get("reply_markup") is None:
            message.pop("reply_markup", None)
        return _as_telegram_shows(message)

    async def _api_editMessageText(self, call: ApiCall) -> Any:
        change = {"text": call.params["text"], "reply_markup": call.params.get("reply_markup")}
        return await self._edit(call, change)

    async def _api_editMessageReplyMarkup(self, call: ApiCall) -> Any:
        return await self._edit(call, {"reply_markup": call.params.get("reply_markup")})

    async def _api_setMyCommands(self, call: ApiCall) -> Any:
        key = (_scope_key(call.params.get("scope")), call.params.get("language_code") or "")
        self.menus[key] = list(call.params["commands"])
        return True

    async def _api_deleteMyCommands(self, call: ApiCall) -> Any:
        key = (_scope_key(call.params.get("scope")), call.params.get("language_code") or "")
        self.menus.pop(key, None)
        return True

    async def _api_getMyCommands(self, call: ApiCall) -> Any:
        key = (_scope_key(call.params.get("scope")), call.params.get("language_code") or "")
        return self.menus.get(key, [])

    async def _api_setWebhook(self, call: ApiCall) -> Any:
        self.webhook = {"url": call.params["url"], "secret_token": call.params.get("secret_token")}
        if call.params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    async def _api_deleteWebhook(self, call: ApiCall) -> Any:
        self.webhook = {"url": ""}
        if call.params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    async def _api_getWebhookInfo(self, call: ApiCall) -> Any:
        return {
            "url": self.webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }

    async def _api_close(self, call: ApiCall) -> Any:
        return True

    async def _api_logOut(self, call: ApiCall) -> Any:
        return True


def _as_telegram_shows(message: dict[str, Any] | None) -> dict[str, Any] | None:
    """A sent message as the API returns it: only inline keyboards belong to a message."""
    if message is None or "inline_keyboard" in message.get("reply_markup", {}):
        return message
    return {key: value for key, value in message.items() if key != "reply_markup"}


def _scope_key(scope: dict[str, Any] | None) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


async def _read_body(request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """The call's parameters, typed as Telegram reads them, and its uploaded files."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, tuple[str, bytes]] = {}
    if request.content_type == "application/json":
        params.update(await request.json())
        return params, files
    if request.can_read_body:
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                files[name] = (value.filename, value.file.read())
            else:
                params[name] = _typed(name, str(value))
    return params, files


def _typed(name: str, value: str) -> Any:
    if name in JSON_PARAMETERS:
        return json.loads(value)
    if name in INT_PARAMETERS:
        with contextlib.suppress(ValueError):
            return int(value)
    if name in NUMBER_PARAMETERS:
        with contextlib.suppress(ValueError):
            return float(value)
    return value
