"""Use cases: each takes the store, the config and `now`, and is shared by CLI and chat."""
