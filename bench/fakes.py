"""The tests' fake Bot API server, for the benches (tests/ is not a package)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent / "tests"


def fake_telegram_module() -> Any:
    """tests/fakes/telegram_api.py, imported as the tests import it (tests/ on the path)."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    return importlib.import_module("fakes.telegram_api")
