"""Use cases: each takes the store, the config and `now`, and is shared by CLI and chat.

The layers above hold the store only to hand it to a use case; `Store` is named here for them,
so that they never import storage themselves.
"""

from storage.store import Store

__all__ = ["Store"]
