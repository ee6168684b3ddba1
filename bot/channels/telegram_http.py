"""python-telegram-bot's HTTP client on aiohttp, in place of its default HTTPXRequest (httpx).

httpx spends much more CPU per request than aiohttp on its own machinery (transports, pool
bookkeeping, per-request timeout and header objects), and a check-in tap makes three Bot API
calls: bench/chat.py compares the two (README, Speed).
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import ssl
from urllib.parse import urlencode
from urllib.request import getproxies_environment

import aiohttp
import certifi
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB's marker for "no timeout passed for this call: use this request's default".
_DefaultValue = type(BaseRequest.DEFAULT_NONE)
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# HTTPXRequest's words for the same case, so that the logs read the same.
POOL_TIMEOUT_MESSAGE = (
    "Pool timeout: All connections in the connection pool are occupied. "
    "Request was *not* sent to Telegram. Consider adjusting the connection "
    "pool size or the pool timeout."
)

_PROXIED = ("http", "https")


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """The CA certificates httpx trusts: SSL_CERT_FILE or SSL_CERT_DIR, else certifi's (not
    only the system's, which a slim container may lack)."""
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    return ssl.create_default_context(cafile=certifi.where())


class AiohttpRequest(BaseRequest):
    """BaseRequest on an aiohttp.ClientSession, with HTTPXRequest's defaults and errors.

    Timeouts, in seconds (None: no limit), as HTTPXRequest reads them:

    * pool: waiting for one of the CONNECTION_POOL_SIZE connections to be free. aiohttp's own
      ClientTimeout.connect counts that wait and the connect together, so the wait is a
      semaphore of ours, and the connector (same limit) never has to wait.
    * connect: ClientTimeout.connect and sock_connect (DNS, TCP and TLS handshake).
    * read: sock_read, between two reads of the answer (from the end of the upload on).
    * write: aiohttp has none. A request without files is a few hundred bytes that the
      socket takes at once, and runs without a total (a long poll's read timeout is the
      poll plus the default read, and must not be cut short). With files, the write timeout
      (MEDIA_WRITE_TIMEOUT by default) bounds the upload through ClientTimeout.total, which
      also gets the other phases' timeouts so that none of them is cut short by it.
    """

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_slots",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ):
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        # Made by initialize(), in the loop that will use them.
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB's get_updates adds the long poll's to it)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown) in the running loop."""
        if self._session is not None and not self._session.closed:
            return
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self._pool_size, ssl=_ssl_context()),
            headers={"User-Agent": self.USER_AGENT},
            # Telegram sets no cookies; a real jar would be looked into at every request.
            cookie_jar=aiohttp.DummyCookieJar(),
            # Every request sets its own timeouts; none of aiohttp's 5-minute defaults.
            timeout=aiohttp.ClientTimeout(),
            # httpx's HTTP(S)_PROXY and NO_PROXY; aiohttp reads the environment and ~/.netrc
            # at every request to honour them, so that is paid only when a proxy is set.
            trust_env=any(scheme in _PROXIED for scheme in getproxies_environment()),
        )
        self._slots = asyncio.Semaphore(self._pool_size)

    async def shutdown(self) -> None:
        """Close the session and its connections; initialize() opens a new one."""
        if self._session is None or self._session.closed:
            return
        await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; (status, body) whatever the status, PTB's errors otherwise."""
        session, slots = self._session, self._slots
        if session is None or slots is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")

        files = request_data.multipart_data if request_data is not None else None
        if isinstance(read_timeout, _DefaultValue):
            read_timeout = self._read_timeout
        if isinstance(connect_timeout, _DefaultValue):
            connect_timeout = self._connect_timeout
        if isinstance(pool_timeout, _DefaultValue):
            pool_timeout = self._pool_timeout
        total = None
        if files:
            if isinstance(write_timeout, _DefaultValue):
                write_timeout = self._media_write_timeout
            if write_timeout is not None and read_timeout is not None:
                # From a free connection on (the pool wait is before aiohttp's timer starts).
                total = (connect_timeout or 0) + write_timeout + read_timeout
        timeout = aiohttp.ClientTimeout(
            total=total,
            connect=connect_timeout,
            sock_connect=connect_timeout,
            sock_read=read_timeout,
        )

        headers = None
        data: aiohttp.FormData | bytes | None = None
        parameters = request_data.json_parameters if request_data is not None else None
        if files:
            # Unquoted: Telegram shows a percent-encoded file name as it is ("B%C3%A1o...").
            form = aiohttp.FormData(quote_fields=False)
            for name, value in (parameters or {}).items():
                form.add_field(name, value)
            for name, (filename, content, mimetype) in files.items():
                form.add_field(name, content, filename=filename, content_type=mimetype)
            data = form
        elif parameters:
            data = urlencode(parameters).encode()
            headers = _FORM

        if slots.locked():
            try:
                async with asyncio.timeout(pool_timeout):
                    await slots.acquire()
            except TimeoutError:
                raise TimedOut(POOL_TIMEOUT_MESSAGE) from None
        else:
            await slots.acquire()  # free: returns without waiting
        try:
            async with session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        # Before ClientError: aiohttp's timeouts (ServerTimeoutError) are both. Not chained:
        # aiohttp's exceptions may hold the URL, and so the token, which must reach no log
        # record and no outbox row.
        except TimeoutError:
            raise TimedOut from None
        except aiohttp.ClientError as exc:
            # The class name says what happened when the message says nothing.
            what = f"aiohttp.{type(exc).__name__}: {exc}"
            raise NetworkError(_without_token(what, url)) from None
        finally:
            slots.release()


def _without_token(text: str, url: str) -> str:
    """TEXT with the token of URL (".../bot<token>/<method>", or a file's download,
    ".../file/bot<token>/<path>") blanked out."""
    found = _TOKEN_IN_URL.search(url)
    return text.replace(found.group(1), "<token>") if found else text


_TOKEN_IN_URL = re.compile(r"/bot([^/]+)/")
