"""The tests' fake Bot API servers, for the benches (tests/ is not a package)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent / "tests"


def fake_telegram_module() -> Any:
    """tests/fakes/telegram_api.py, imported as the tests import it (tests/ on the path)."""
    return _fake("telegram_api")


def fake_zalo_module() -> Any:
    """tests/fakes/zalo_api.py, likewise."""
    return _fake("zalo_api")


def _fake(name: str) -> Any:
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    return importlib.import_module(f"fakes.{name}")
