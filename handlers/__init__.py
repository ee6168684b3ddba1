"""What the bot says and does in a conversation, channel-neutral (see handlers.port)."""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.router import Router


def register_all(router: Router) -> None:
    """Let every feature module under handlers/ add its commands and choices."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(router)
