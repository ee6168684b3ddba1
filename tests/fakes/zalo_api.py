"""A fake Zalo Bot API server: real HTTP on 127.0.0.1, the real URL layout, recorded calls.

    fake = await FakeZalo.start()
    config = Zalo(enabled=True, token=fake.token, api_base_url=fake.api_base_url)
    fake.push_text("u-1", "/start")
    [answer] = await fake.wait_for_messages("u-1", 1)

It answers what bot/channels/zalo.py calls (``POST /bot<token>/<method>``, JSON bodies) the way
that module's docstring says Zalo does: ``getUpdates`` is a long poll that hands out ONE update
and answers ``error_code`` 408 when none came in its time (capped at ``poll_cap`` seconds, so
that tests never wait long), there is no offset, ``sendMessage`` refuses a text that is empty
or over 2,000 characters (400); the pictures users send are served at the address their
update gives (``/files/<name>``). A test can make calls fail (``fail``), a chat refuse messages
(``block``: 403), deliver an update twice (``duplicate``), hold sends (``pause_sends``), answer
them late (``slow_sends``) or refuse those beyond a pace (``limits``: 429), and post updates to
the bot's webhook with or without the secret, bare or wrapped (``post_to_webhook``). Waiting is on an asyncio.Condition that every call and push notifies.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from fakes.server import ApiCall, FakeBotApi, TokenBucket

TEXT_LIMIT = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"
DATE_MS = 1637370000000  # the messages' "date" (ms); the bot never reads it


@dataclass
class Failure:
    """What the next calls of a method answer instead of success."""

    error_code: int
    description: str
    remaining: int


@dataclass
class Sent:
    """A message the bot sent."""

    message_id: str
    chat_id: str
    text: str


class FakeZalo(FakeBotApi):
    SEND_METHODS = frozenset({"sendMessage", "sendPhoto"})

    def __init__(self, token: str = "1459232241454765289:fake-zalo-token", poll_cap: float = 0.2):
        super().__init__()
        self.limit: TokenBucket | None = None  # sends a second, when limits() was called
        self.throttled = 0  # 429s answered because a send was beyond the limit
        self.token = token
        self.poll_cap = poll_cap
        self.updates: list[dict[str, Any]] = []  # waiting for getUpdates, one per answer
        self.messages: list[Sent] = []
        self.webhook: dict[str, Any] = {"url": "", "secret_token": None}
        self.failures: dict[str, Failure] = {}
        self.blocked: set[str] = set()
        self.empty_polls = 0  # getUpdates answered 408
        self.sends_paused = False
        self.files: dict[str, bytes] = {}  # pictures users sent, by the name in their address
        self.downloads: list[str] = []  # the names of the pictures downloaded, in order
        self._ids = itertools.count(1)

    # -- updates from users -----------------------------------------------------------------

    def update(
        self,
        event_name: str,
        user_id: str,
        content: dict[str, Any] | None = None,
        *,
        chat_type: str = "PRIVATE",
        chat_id: str | None = None,
    ) -> dict[str, Any]:
        """An update as Zalo shapes it; not queued (push it, or post it to the webhook)."""
        message = {
            "message_id": f"{next(self._ids):020x}",
            "from": {"id": user_id, "display_name": f"User {user_id}", "is_bot": False},
            "chat": {"id": chat_id or user_id, "chat_type": chat_type},
            "date": DATE_MS,
            **(content or {}),
        }
        return {"event_name": event_name, "message": message}

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue UPDATE for getUpdates (the same one again: a duplicate delivery)."""
        self.updates.append(update)
        self._notify_soon()
        return update

    def push_text(
        self, user_id: str, text: str, chat_type: str = "PRIVATE", chat_id: str | None = None
    ) -> dict[str, Any]:
        update = self.update(
            "message.text.received", user_id, {"text": text}, chat_type=chat_type, chat_id=chat_id
        )
        return self.push(update)

    def push_sticker(self, user_id: str, **where: Any) -> dict[str, Any]:
        content = {"sticker": "d063f44dc80821567819", "url": "https://zalo.example/s.png"}
        return self.push(self.update("message.sticker.received", user_id, content, **where))

    def push_image(
        self, user_id: str, content: bytes = b"", caption: str = "", **where: Any
    ) -> dict[str, Any]:
        """USER_ID sends a picture holding CONTENT: the update gives its address, where this
        server serves it (as Zalo's file servers do)."""
        message = {"photo": self.keep_file(content), "caption": caption}
        return self.push(self.update("message.image.received", user_id, message, **where))

    def keep_file(self, content: bytes) -> str:
        """Serve CONTENT as a picture a user sent; its address."""
        name = f"{next(self._ids):020x}.jpg"
        self.files[name] = content
        return f"http://127.0.0.1:{self.port}/files/{name}"

    def forget_file(self, url: str) -> None:
        """The picture at URL is gone from Zalo's file servers (404)."""
        self.files.pop(url.rpartition("/")[2], None)

    def push_unsupported(self, user_id: str) -> dict[str, Any]:
        return self.push(self.update("message.unsupported.received", user_id))

    def duplicate(self, update: dict[str, Any]) -> dict[str, Any]:
        """Deliver UPDATE once more, as Zalo may (same message_id)."""
        return self.push(update)

    async def post_to_webhook(
        self, update: dict[str, Any], secret: str | None, *, wrapped: bool = False, url: str = ""
    ) -> int:
        """POST UPDATE to the webhook set (or URL) as Zalo would; the HTTP status answered."""
        headers = {} if secret is None else {SECRET_HEADER: secret}
        body = {"ok": True, "result": update} if wrapped else update
        async with (
            aiohttp.ClientSession() as session,
            session.post(url or self.webhook["url"], json=body, headers=headers) as response,
        ):
            return response.status

    # -- what tests read --------------------------------------------------------------------

    def sent_to(self, chat_id: str) -> list[str]:
        """The texts the bot sent to CHAT_ID, oldest first."""
        return [m.text for m in self.messages if m.chat_id == chat_id]

    async def wait_for_messages(
        self,
        chat_id: str,
        n: int,
        timeout: float = 5,  # noqa: ASYNC109
    ) -> list[str]:
        """The first N texts sent to CHAT_ID, once there are that many."""
        await self.wait_until(lambda: len(self.sent_to(chat_id)) >= n, timeout, f"{n} to {chat_id}")
        return self.sent_to(chat_id)[:n]

    # -- knobs ------------------------------------------------------------------------------

    def fail(self, method: str, times: int, error_code: int = 429, description: str = "") -> None:
        """The next TIMES calls of METHOD answer ERROR_CODE."""
        text = description or {429: "Quota exceeded", 500: "Internal Server Error"}.get(
            error_code, "Bad Request"
        )
        self.failures[method] = Failure(error_code, text, times)

    def block(self, chat_id: str) -> None:
        """The person of CHAT_ID blocked the bot: sends to it answer 403."""
        self.blocked.add(chat_id)

    def pause_sends(self) -> None:
        """sendMessage calls hang (recorded, unanswered) until resume_sends()."""
        self.sends_paused = True

    def resume_sends(self) -> None:
        self.sends_paused = False
        self._notify_soon()

    def limits(self, per_second: float) -> None:
        """From now on, take at most PER_SECOND sends a second (with a second's worth of
        burst), on real time; a send beyond answers 429, with no retry_after (as Zalo does,
        bot.channels.zalo_api), and counts in ``throttled``."""
        self.limit = TokenBucket.full(per_second, time.monotonic())

    # -- the server -------------------------------------------------------------------------

    async def _endpoint(self, request: web.Request) -> web.Response:
        if request.method != "POST":
            return _error(405, "Method Not Allowed")
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        try:
            params = await request.json() if request.can_read_body else {}
        except ValueError:
            return _error(400, "Bad Request: body is not JSON")
        call = ApiCall(method, params if isinstance(params, dict) else {})
        self.calls.append(call)
        await self._notify()
        answer = getattr(self, f"_api_{method}", None)
        if answer is None:
            return _error(404, "Not Found: method not found")
        await self._as_far_away(method)
        failure = self.failures.get(method)
        if failure is not None and failure.remaining > 0:
            failure.remaining -= 1
            return _error(failure.error_code, failure.description)
        if method in self.SEND_METHODS and self.limit is not None:
            if self.limit.wait(time.monotonic()) > 0:
                self.throttled += 1
                return _error(429, "Quota exceeded")
            self.limit.tokens -= 1
        if str(call.params.get("chat_id")) in self.blocked:
            return _error(403, "Forbidden: the user has blocked the bot")
        result = await answer(call)
        await self._notify()
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_get("/files/{name}", self._download)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        self.downloads.append(name)
        if name not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[name], content_type="image/jpeg")

    async def _api_getMe(self, call: ApiCall) -> Any:
        return {
            "id": self.token.split(":", 1)[0],
            "account_name": "bot.CheckinTest",
            "account_type": "BASIC",
            "can_join_groups": False,
        }

    async def _api_getUpdates(self, call: ApiCall) -> Any:
        if self.webhook["url"]:
            # An assumption: the docs say only that getUpdates does not work beside a webhook.
            return _error(400, "Bad Request: a webhook is set; call deleteWebhook first")
        timeout = min(float(call.params.get("timeout") or 30), self.poll_cap)
        with contextlib.suppress(TimeoutError):
            async with self._changed:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: bool(self.updates) or self._closing), timeout
                )
        if not self.updates:
            self.empty_polls += 1
            return _error(408, "Request timeout")
        return self.updates.pop(0)

    async def _api_sendMessage(self, call: ApiCall) -> Any:
        text = call.params.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= TEXT_LIMIT:
            return _error(400, f"Bad Request: text must be 1-{TEXT_LIMIT} characters")
        async with self._changed:
            await self._changed.wait_for(lambda: not self.sends_paused or self._closing)
        sent = Sent(f"{next(self._ids):020x}", str(call.params["chat_id"]), text)
        self.messages.append(sent)
        return {"message_id": sent.message_id, "date": DATE_MS}

    async def _api_sendPhoto(self, call: ApiCall) -> Any:
        return {"message_id": f"{next(self._ids):020x}", "date": DATE_MS}

    async def _api_sendChatAction(self, call: ApiCall) -> Any:
        return True

    async def _api_setWebhook(self, call: ApiCall) -> Any:
        secret = call.params.get("secret_token")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            return _error(400, "Bad Request: secret_token must be 8-256 characters")
        self.webhook = {"url": call.params["url"], "secret_token": secret}
        return {"url": self.webhook["url"], "updated_at": DATE_MS}

    async def _api_deleteWebhook(self, call: ApiCall) -> Any:
        self.webhook = {"url": "", "secret_token": None}
        return {"url": "", "updated_at": DATE_MS}

    async def _api_getWebhookInfo(self, call: ApiCall) -> Any:
        return {"url": self.webhook["url"], "updated_at": DATE_MS}


def _error(code: int, description: str) -> web.Response:
    body = {"ok": False, "error_code": code, "description": description}
    return web.json_response(body, status=code)
