"""A rate limit by the clock: at most N tries in a sliding window, per address and in all."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# Addresses remembered at once; past this the oldest is forgotten (a flood of addresses must
# not grow the process).
MAX_ADDRESSES = 10_000


@dataclass
class RateLimit:
    per_address: int
    window_seconds: int
    # In all, from every address: a spread-out guesser meets this one.
    overall: int = 60
    _tries: dict[str, deque[datetime]] = field(default_factory=dict)
    _all: deque[datetime] = field(default_factory=deque)

    def allow(self, address: str, now: datetime) -> bool:
        """Count a try from ADDRESS at NOW; False when it is one too many."""
        since = now - timedelta(seconds=self.window_seconds)
        tries = self._tries.pop(address, None) or deque()
        self._tries[address] = tries  # most recent last: the first key is the one to forget
        if len(self._tries) > MAX_ADDRESSES:
            del self._tries[next(iter(self._tries))]
        for window in (tries, self._all):
            while window and window[0] <= since:
                window.popleft()
        if len(tries) >= self.per_address or len(self._all) >= self.overall:
            return False
        tries.append(now)
        self._all.append(now)
        return True
