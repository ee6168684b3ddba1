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
from storage.health import HealthQueries
from storage.housekeeping import HousekeepingQueries
from storage.invites import InvitesRepository
from storage.meetings import MeetingsRepository
from storage.outbox import OutboxRepository
from storage.people import PeopleRepository
from storage.photos import PhotosRepository
from storage.plans import PlansRepository
from storage.reminders import ReminderQueries
from storage.roster import RosterRepository
from storage.updates_seen import UpdatesSeenRepository
from storage.web_sessions import WebSessionsRepository


class Store:
    def __init__(self, db: Database):
        self.db = db
        # The roster writes many rows at once: on the database's worker thread, the others in
        # place (storage/db.py says why). A quarter's coverage, the digest and the
        # scheduler's scan read many: on the reader, a connection of their own, so that the
        # chat's statements never wait for them. One member's coverage (/status, /meetings)
        # reads on the worker, where no quarter's read is ahead of it in the queue.
        self.roster = RosterRepository(db.threaded)
        self.coverage = CoverageQueries(db.reader)
        self.member_coverage = CoverageQueries(db.threaded)
        self.digest = DigestQueries(db.reader)
        self.reminders = ReminderQueries(db.reader)
        self.housekeeping = HousekeepingQueries(db.threaded)
        self.audit = AuditQueries(db.reader)
        self.board = BoardQueries(db.reader)
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
        self.health = HealthQueries(db)
        self.photos = PhotosRepository(db, Path(db.path).absolute().parent / "photos")

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
