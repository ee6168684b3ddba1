"""Use cases: each takes the store, the config and `now`, and is shared by CLI and chat.

The layers above hold the store only to hand it to a use case; `Store` is named here for them,
so that they never import storage themselves, and so is `StoreUnavailable`: what any use case
that writes raises when the database cannot take the write now (nothing of it was written).
"""

from storage.faults import StoreUnavailable
from storage.store import Store

__all__ = ["Store", "StoreUnavailable"]
