"""Doubles of the outside world that tests talk to over real HTTP (see telegram_api)."""
