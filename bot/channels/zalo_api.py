"""The calls of the Zalo Bot Platform's API the bot makes, on a small client of our own.

A client of our own on httpx rather than a PyPI package: python-zalo-bot and pyzalo are
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
  or ``first_name`` in [docs]' sample); an image's message has the picture's address in
  ``photo`` (and a ``caption``), which the plugin downloads.

Neither says what a 429 asks us to wait (there is no ``retry_after``), nor what a send to
someone who blocked the bot answers: see bot.channels.zalo (RATE_LIMIT_WAIT, delivery_faults).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx
from aiolimiter import AsyncLimiter

from bot.core.photos import PhotoNotFetched, PhotoTooLarge

NO_UPDATE = 408  # getUpdates' answer when the long poll found nothing [openclaw]
CALL_TIMEOUT = 30.0  # seconds for any call but a long poll


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


def passes(exc: Exception) -> bool:
    """Whether a failed call may succeed when tried again later."""
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


HTTPX_LOG = logging.getLogger("httpx")
_TOKENS_HIDDEN = _HideTokens()


class ZaloApi:
    """The calls of the Zalo Bot API the bot makes. Nothing it raises or logs holds the token."""

    def __init__(self, token: str, api_base_url: str, messages_per_second: float | None = None):
        self._token = token
        self._base = f"{api_base_url}{token}/"
        self._client = httpx.AsyncClient(timeout=CALL_TIMEOUT)
        # Sends (replies and the outbox's alike) keep to this pace; None: as fast as they go.
        self._pace = AsyncLimiter(messages_per_second, 1) if messages_per_second else None
        _TOKENS_HIDDEN.tokens.add(token)
        if _TOKENS_HIDDEN not in HTTPX_LOG.filters:
            HTTPX_LOG.addFilter(_TOKENS_HIDDEN)

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
        if self._pace is not None:
            await self._pace.acquire()
        await self.call("sendMessage", {"chat_id": chat_id, "text": text})

    async def download(self, url: str, limit: int) -> bytes:
        """The file at URL (a photo a user sent: Zalo gives its address), of at most LIMIT
        bytes: PhotoTooLarge beyond, read no further; PhotoNotFetched when it cannot be had."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise PhotoNotFetched("not a web address")
        parts: list[bytes] = []
        size = 0
        try:
            async with self._client.stream("GET", url, follow_redirects=True) as response:
                if response.status_code != 200:
                    raise PhotoNotFetched(f"{response.status_code} {response.reason_phrase}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise PhotoTooLarge(f"{declared} bytes")
                async for part in response.aiter_bytes():
                    size += len(part)
                    if size > limit:
                        raise PhotoTooLarge(f"over {limit} bytes")
                    parts.append(part)
        except httpx.HTTPError as exc:
            raise PhotoNotFetched(f"{type(exc).__name__} {exc}".rstrip()) from None
        return b"".join(parts)

    async def close(self) -> None:
        await self._client.aclose()
