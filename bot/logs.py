"""The process's log: a line per record on stderr, as text or as JSON (`--log-format json`, for
log collectors), with the bot's secrets blanked out whatever logged them."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FORMATS = ("text", "json")
HIDDEN = "<secret>"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class Redacting(logging.Formatter):
    """FORMATTER's lines with every one of SECRETS replaced (tracebacks included)."""

    def __init__(self, formatter: logging.Formatter, secrets: Iterable[str]):
        super().__init__()
        self.formatter = formatter
        # A secret of a few letters would blank out ordinary words: tokens are long.
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = self.formatter.format(record)
        for secret in self.secrets:
            line = line.replace(secret, HIDDEN)
        return line


def configure(log_format: str = "text", secrets: Iterable[str] = ()) -> None:
    """Log INFO and above to stderr in LOG_FORMAT, as logging.basicConfig would: only in a
    process that has no handler yet (a test's capture stays as it is)."""
    root = logging.getLogger()
    ours = [handler for handler in root.handlers if getattr(handler, "checkin_bot", False)]
    for handler in ours:
        root.removeHandler(handler)
    if root.handlers:
        return
    formatter = JsonFormatter() if log_format == "json" else logging.Formatter(TEXT)
    handler = logging.StreamHandler()
    handler.checkin_bot = True  # type: ignore[attr-defined]
    handler.setFormatter(Redacting(formatter, secrets))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
