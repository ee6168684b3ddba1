"""The store: one database and the repositories the application is handed."""

from __future__ import annotations

from pathlib import Path

from storage.accounts import AccountsRepository
from storage.board import BoardQueries
from storage.checkins import CheckinsRepository
from storage.closing import ClosingRepository
from storage.conversations import ConversationsRepository
from storage.coverage import CoverageQueries
from storage.db import Database
from storage.decisions import AuditQueries, DecisionsRepository
from storage.digest import DigestQueries
from storage.flags import FlagsRepository
from storage.invites import InvitesRepository
from storage.meetings import MeetingsRepository
from storage.outbox import OutboxRepository
from storage.people import PeopleRepository
from storage.plans import PlansRepository
from storage.reminders import ReminderQueries
from storage.roster import RosterRepository
from storage.updates_seen import UpdatesSeenRepository
from storage.web_sessions import WebSessionsRepository


class Store:
    def __init__(self, db: Database):
        self.db = db
        # These read or write many rows at once: their statements run on the database's
        # worker thread, the others in place (storage/db.py says why).
        self.roster = RosterRepository(db.threaded)
        self.coverage = CoverageQueries(db.threaded)
        self.digest = DigestQueries(db.threaded)
        self.reminders = ReminderQueries(db.threaded)
        self.audit = AuditQueries(db.threaded)
        self.board = BoardQueries(db.threaded)
        self.people = PeopleRepository(db)
        self.invites = InvitesRepository(db)
        self.meetings = MeetingsRepository(db)
        self.checkins = CheckinsRepository(db)
        # Point lookups in place; a quarter's rows on the worker (it holds both views).
        self.closing = ClosingRepository(db)
        self.decisions = DecisionsRepository(db)
        self.flags = FlagsRepository(db)
        self.accounts = AccountsRepository(db)
        self.conversations = ConversationsRepository(db)
        self.outbox = OutboxRepository(db)
        self.plans = PlansRepository(db)
        self.updates_seen = UpdatesSeenRepository(db)
        self.web_sessions = WebSessionsRepository(db)

    @classmethod
    async def open(cls, path: str | Path) -> Store:
        return cls(await Database.open(path))

    def transaction(self):
        """Everything inside commits together: a decision and the messages it queues."""
        return self.db.transaction()

    async def close(self) -> None:
        await self.db.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
