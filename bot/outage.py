"""Logging a fault that repeats: one line when it starts, one when it ends, nothing between.

A Telegram outage or a full disk makes every poll, send or tick fail the same way; a line (or a
traceback) for each says nothing the first did not, and buries what else happens.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence


class Outage:
    """The state of one thing that can fail (WHAT: "telegram sends", "the outbox's database")."""

    def __init__(self, log: logging.Logger, what: str):
        self.log = log
        self.what = what
        self.failures = 0

    def failed(self, exc: BaseException, then: str = "") -> int:
        """Note a failure: logged as a WARNING (with THEN: what happens now) if it is the
        first since the last success. Returns how many failures in a row that makes."""
        self.failures += 1
        if self.failures == 1:
            reason = str(exc) or type(exc).__name__
            self.log.warning("%s failing: %s%s", self.what, reason, f"; {then}" if then else "")
        return self.failures

    def works(self) -> None:
        """Note a success: logged if it ends an outage."""
        if self.failures:
            self.log.info("%s work again (after %d failures)", self.what, self.failures)
            self.failures = 0


def backoff_step(backoff: Sequence[float], failures: int) -> float:
    """The wait after FAILURES failures in a row: BACKOFF's steps, then its last one."""
    return backoff[min(failures, len(backoff)) - 1]
