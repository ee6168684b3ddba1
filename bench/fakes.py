"""The tests' fake Bot API server, for the benches (tests/ is not a package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_NAME = "bench_fake_telegram_api"


def fake_telegram_module() -> Any:
    """tests/fakes/telegram_api.py, loaded by its path once."""
    if _NAME not in sys.modules:
        path = ROOT / "tests" / "fakes" / "telegram_api.py"
        spec = importlib.util.spec_from_file_location(_NAME, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[_NAME] = module
        spec.loader.exec_module(module)
    return sys.modules[_NAME]
