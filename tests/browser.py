"""A real browser for the board's tests: Debian's headless Chromium, driven by Selenium through
Debian's chromedriver (the same version), nothing downloaded.

Selenium's calls block, so each runs on a worker thread while the test's event loop goes on
serving the board and the fake Bot API. Without the packages the tests are skipped with one
line saying how to install them; under CI (CI=true) that is a failure instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HOW_TO_INSTALL = (
    "the board's browser tests need Debian's chromium and chromium-driver:"
    " apt-get install chromium chromium-driver (make test does it when run as root)"
)
# The flags that keep Chromium quiet on a machine without a network (nothing but loopback).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
DESKTOP = (1280, 800)
PHONE = (390, 844)
WAIT_S = 10


def require_chromium() -> None:
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(HOW_TO_INSTALL)
    pytest.skip(HOW_TO_INSTALL)


class Browser:
    """One headless Chromium with a fresh profile and its own download folder."""

    def __init__(self, downloads: Path):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.downloads = downloads
        self.profile = Path(tempfile.mkdtemp(prefix="checkin-chromium-"))
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
        options.add_experimental_option(
            "prefs",
            {
                "download.default_directory": str(downloads),
                "download.prompt_for_download": False,
            },
        )
        self.driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        self.driver.implicitly_wait(0)

    # Every call goes to a worker thread: the board answering it runs on this loop.
    async def call(self, method: str, *args: Any) -> Any:
        return await asyncio.to_thread(getattr(self.driver, method), *args)

    async def open(self, url: str) -> None:
        await self.call("get", url)

    async def find(self, css: str):
        from selenium.webdriver.common.by import By

        return await self.call("find_element", By.CSS_SELECTOR, css)

    async def find_all(self, css: str) -> list:
        from selenium.webdriver.common.by import By

        return await self.call("find_elements", By.CSS_SELECTOR, css)

    async def text(self, css: str) -> str:
        element = await self.find(css)
        return await asyncio.to_thread(lambda: element.text)

    async def texts(self, css: str) -> list[str]:
        elements = await self.find_all(css)
        return await asyncio.to_thread(lambda: [e.text for e in elements])

    async def click(self, css: str) -> None:
        """Click what does not leave the page (a checkbox)."""
        element = await self.find(css)
        await asyncio.to_thread(element.click)

    async def follow(self, css: str) -> None:
        """Click a link or a form's button, and wait for the page it leads to."""
        from selenium.webdriver.common.by import By

        await self._navigating(lambda: self.driver.find_element(By.CSS_SELECTOR, css).click())

    async def _navigating(self, act) -> None:
        from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait

        def run() -> None:
            for attempt in (1, 2):
                old = self.driver.find_element(By.TAG_NAME, "html")
                try:
                    act()
                    break
                except WebDriverException as exc:
                    # Chromium now and then replaces the document just after a navigation,
                    # between finding an element and acting on it ("Node with given id does
                    # not belong to the document"): act again, once, on the page as shown.
                    replaced = isinstance(exc, StaleElementReferenceException) or (
                        "does not belong to the document" in str(exc)
                    )
                    if attempt == 2 or not replaced:
                        raise
            wait = WebDriverWait(self.driver, WAIT_S)
            wait.until(expected_conditions.staleness_of(old))
            wait.until(lambda d: d.execute_script("return document.readyState") == "complete")

        await asyncio.to_thread(run)

    async def type(self, css: str, text: str) -> None:
        element = await self.find(css)
        await asyncio.to_thread(element.send_keys, text)

    async def keys(self, *keys: str, leaves: bool = False) -> None:
        """Press KEYS where the focus is (Tab, Enter: selenium.webdriver.common.keys.Keys);
        LEAVES: they lead to another page, to wait for."""
        from selenium.webdriver.common.action_chains import ActionChains

        def press() -> None:
            ActionChains(self.driver).send_keys(*keys).perform()

        await (self._navigating(press) if leaves else asyncio.to_thread(press))

    async def focused(self) -> str:
        """The text of the element that has the keyboard's focus."""
        return await self.call("execute_script", "return document.activeElement.textContent")

    async def url(self) -> str:
        return await asyncio.to_thread(lambda: self.driver.current_url)

    async def page_text(self) -> str:
        return await self.text("body")

    async def screenshot(self, path: Path, size: tuple[int, int]) -> int:
        """A full-width screenshot at SIZE into PATH; the page's width in CSS pixels."""
        path.parent.mkdir(parents=True, exist_ok=True)
        await self.call("set_window_size", *size)
        width = await self.call("execute_script", "return document.documentElement.scrollWidth")
        await self.call("save_screenshot", str(path))
        return width

    async def downloaded(self, name_ending: str) -> Path:
        """The file ending in NAME_ENDING once Chromium has finished writing it."""

        def wait() -> Path:
            deadline = time.monotonic() + WAIT_S
            while time.monotonic() < deadline:
                done = [p for p in self.downloads.glob(f"*{name_ending}")]
                if done and not list(self.downloads.glob("*.crdownload")):
                    return done[0]
                time.sleep(0.05)  # Chromium writes the file on its own; we can only look
            raise AssertionError(f"no *{name_ending} in {list(self.downloads.iterdir())}")

        return await asyncio.to_thread(wait)

    def quit(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)
