"""Ordered, named schema steps, each applied once and recorded in ``schema_migrations``.

Append new steps at the end; never edit one that has shipped. Instants are stored as UTC
ISO-8601 text with offset (see storage.timefmt); calendar dates as YYYY-MM-DD.
"""

from __future__ import annotations

import sqlite3

import aiosqlite

ROSTER = """
-- A person is a phone number: it is how a chat account is matched to the roster, and how a
-- committee member who is also a cell secretary is recognised as one person.
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    phone TEXT NOT NULL UNIQUE,
    language TEXT CHECK (language IN ('vi', 'en'))  -- chosen in chat; NULL = roster's, else vi
);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    -- Not UNIQUE: a retired member keeps their person while a new code takes it over (the
    -- import refuses two members with one phone, so at most one active member per person).
    person_id INTEGER NOT NULL REFERENCES people(id),
    full_name TEXT NOT NULL,
    position TEXT NOT NULL CHECK (position IN ('standing', 'member')),
    language TEXT CHECK (language IN ('vi', 'en')),  -- as the roster says; NULL = not given
    active INTEGER NOT NULL DEFAULT 1                -- 0: dropped from the roster, kept for history
);

CREATE INDEX members_by_person ON members (person_id);

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('committee', 'cell')),
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE cells (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    secretary_name TEXT,
    secretary_id INTEGER REFERENCES people(id),
    venue TEXT,
    flagged INTEGER NOT NULL DEFAULT 0,
    implied INTEGER NOT NULL DEFAULT 0,  -- the own cell of a kind=cell organization, no row given
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cells_by_organization ON cells (organization_id);
CREATE INDEX cells_by_secretary ON cells (secretary_id);

CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    duty TEXT NOT NULL CHECK (duty IN ('in_charge', 'follow')),
    start_date TEXT NOT NULL,
    end_date TEXT,
    UNIQUE (member_id, organization_id, start_date),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX assignments_by_organization ON assignments (organization_id);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    cell_id INTEGER NOT NULL REFERENCES cells(id),
    starts_at TEXT NOT NULL,
    venue TEXT,
    kind TEXT NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular', 'thematic')),
    created_at TEXT NOT NULL,
    UNIQUE (cell_id, starts_at)
);
CREATE INDEX meetings_by_time ON meetings (starts_at);

CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    checked_in_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'denied')),
    decided_at TEXT,
    decided_by INTEGER REFERENCES people(id),
    -- Copies of the meeting's start and cell (a meeting's start never changes: it is part of
    -- its identity), kept by the trigger below so that a quarter's check-ins are one range of
    -- an index instead of a probe from each of the quarter's meetings.
    meeting_starts_at TEXT,
    cell_id INTEGER REFERENCES cells(id),
    UNIQUE (meeting_id, member_id)
);
CREATE TRIGGER checkins_copy_meeting AFTER INSERT ON checkins BEGIN
    UPDATE checkins SET (meeting_starts_at, cell_id) =
        (SELECT starts_at, cell_id FROM meetings WHERE id = NEW.meeting_id)
    WHERE id = NEW.id;
END;
-- Covers the coverage query: a quarter's check-ins by meeting time, with all it reads.
CREATE INDEX checkins_by_meeting_time
    ON checkins (meeting_starts_at, status, member_id, cell_id);
CREATE INDEX checkins_by_member ON checkins (member_id);

CREATE TABLE notes (
    checkin_id INTEGER PRIMARY KEY REFERENCES checkins(id),
    rating TEXT NOT NULL CHECK (rating IN ('good', 'fair', 'average', 'poor')),
    steps_kept INTEGER NOT NULL,
    difficulties_raised INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '' CHECK (length(text) <= 500),
    written_at TEXT NOT NULL
);

-- Every proactive message: the unique key makes deciding to send idempotent.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    person_id INTEGER REFERENCES people(id),
    chat TEXT,                      -- an explicit target (a digest chat), else the person's
    payload TEXT NOT NULL,          -- JSON: what to say
    due_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dropped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_at TEXT,
    sent_at TEXT,
    error TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, due_at);

-- Only a hash of each token is kept: a copy of the database does not hand out links.
CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
"""

CHAT = """
-- A chat account on one channel, linked to a person of the roster.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    user_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id),
    linked_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    unreachable_at TEXT,  -- the channel said the user blocked the bot
    UNIQUE (channel, user_id)
);
CREATE INDEX accounts_by_person ON accounts (person_id);

-- A multi-step dialogue in progress (the quality note): survives a restart of the bot.
CREATE TABLE conversations (
    channel TEXT NOT NULL,
    user_id TEXT NOT NULL,
    flow TEXT NOT NULL,
    state TEXT NOT NULL,  -- JSON
    updated_at TEXT NOT NULL,
    PRIMARY KEY (channel, user_id)
);

-- "Will attend": a member's plan to come to a meeting.
CREATE TABLE plans (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);

-- The options last offered as a numbered list in a chat without buttons.
CREATE TABLE numbered_choices (
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    options TEXT NOT NULL,  -- JSON list of Choice.data, in the order shown
    offered_at TEXT NOT NULL,
    PRIMARY KEY (channel, chat_id)
);

ALTER TABLE meetings ADD COLUMN set_by INTEGER REFERENCES people(id);
-- A member's note said the meeting raised difficulties: the cell counts as flagged (with the
-- roster's own flag) from then on.
ALTER TABLE cells ADD COLUMN difficulties_reported_at TEXT;
-- Covers counting each organization's cells and listing the flagged ones (coverage).
DROP INDEX cells_by_organization;
CREATE INDEX cells_by_organization ON cells
    (organization_id, active, flagged, difficulties_reported_at, code);
CREATE INDEX meetings_by_cell ON meetings (cell_id, starts_at);
CREATE INDEX checkins_pending ON checkins (status, meeting_id)
"""

SCHEDULER = """
-- Until when a queued message still makes sense (a reminder: until its meeting begins); a row
-- still queued then (quiet hours, a stopped bot) is dropped instead of sent late. NULL: always.
ALTER TABLE outbox ADD COLUMN expires_at TEXT
"""

CHANNELS = """
-- The channel a person chose with /channel for the bot's own messages; NULL: the one they
-- used last.
ALTER TABLE people ADD COLUMN channel TEXT;

-- Updates a channel has already delivered, by the channel's own id: a platform that delivers
-- one twice (Zalo has no offset to acknowledge with) is answered once.
CREATE TABLE updates_seen (
    channel TEXT NOT NULL,
    update_id TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (channel, update_id)
);
CREATE INDEX updates_seen_by_time ON updates_seen (seen_at)
"""

CHECKIN_CELL_COPIES = """
-- A check-in also carries its cell's organization and code, kept by the triggers below, so
-- that a quarter's visits are read from one index alone instead of a probe into cells for
-- each (a sixth of the coverage computation at a city's scale). A cell's code never changes
-- (codes are identities); its organization may, on a re-import, and the check-ins follow it.
ALTER TABLE checkins ADD COLUMN organization_id INTEGER REFERENCES organizations(id);
ALTER TABLE checkins ADD COLUMN cell_code TEXT;
UPDATE checkins SET (organization_id, cell_code) =
    (SELECT organization_id, code FROM cells WHERE cells.id = checkins.cell_id);
DROP TRIGGER checkins_copy_meeting;
CREATE TRIGGER checkins_copy_meeting AFTER INSERT ON checkins BEGIN
    UPDATE checkins SET (meeting_starts_at, cell_id, organization_id, cell_code) =
        (SELECT mt.starts_at, mt.cell_id, c.organization_id, c.code
         FROM meetings mt JOIN cells c ON c.id = mt.cell_id WHERE mt.id = NEW.meeting_id)
    WHERE id = NEW.id;
END;
CREATE INDEX checkins_by_cell ON checkins (cell_id);
CREATE TRIGGER checkins_follow_their_cell AFTER UPDATE OF organization_id ON cells BEGIN
    UPDATE checkins SET organization_id = NEW.organization_id WHERE cell_id = NEW.id;
END;
DROP INDEX checkins_by_meeting_time;
CREATE INDEX checkins_by_meeting_time ON checkins
    (meeting_starts_at, status, member_id, organization_id, cell_id, cell_code)
"""

# The tables whose rows make up the roster's shape: which members, organizations and cells
# there are, and who is assigned where.
_ROSTER_TABLES = ("members", "organizations", "cells", "assignments")
ROSTER_VERSION = """
-- Counts every change to the roster's tables, whoever makes it (an import by the CLI, a note
-- flagging a cell): what was read from them can be kept until this moves.
CREATE TABLE roster_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    changes INTEGER NOT NULL
);
INSERT INTO roster_version (id, changes) VALUES (1, 0);
""" + "".join(
    f"CREATE TRIGGER {table}_{event.lower()}_moves_roster_version AFTER {event} ON {table}"
    " BEGIN UPDATE roster_version SET changes = changes + 1; END;\n"
    for table in _ROSTER_TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
)

DELIVERY_HEALTH = """
-- Messages the scheduler queues by the hundred (reminders, suggestions, the digest) are bulk:
-- one that someone's action queued (a confirm request) goes out before them, even when it was
-- queued after them.
ALTER TABLE outbox ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0;

-- When the running bot last did its rounds: "tick" (the scheduler), "sent:<channel>" (the
-- last message delivered through that channel). Read by `checkin-bot status`.
CREATE TABLE heartbeats (
    name TEXT PRIMARY KEY,
    at TEXT NOT NULL
)
"""

# (name, SQL) in the order they apply.
MIGRATIONS: list[tuple[str, str]] = [
    ("0001_roster_activity_outbox", ROSTER),
    ("0002_chat", CHAT),
    ("0003_scheduler", SCHEDULER),
    ("0004_channels", CHANNELS),
    ("0005_checkin_cell_copies", CHECKIN_CELL_COPIES),
    ("0006_roster_version", ROSTER_VERSION),
    ("0007_delivery_health", DELIVERY_HEALTH),
]


async def pending_migrations(conn: aiosqlite.Connection) -> list[str]:
    """Names of the steps not yet applied (a read: takes no write lock)."""
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ) as cursor:
        if await cursor.fetchone() is None:
            return [name for name, _ in MIGRATIONS]
    async with conn.execute("SELECT name FROM schema_migrations") as cursor:
        done = {row[0] for row in await cursor.fetchall()}
    return [name for name, _ in MIGRATIONS if name not in done]


async def apply_migrations(conn: aiosqlite.Connection) -> list[str]:
    """Apply the steps not yet recorded; the caller holds the transaction. Return their names."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    async with conn.execute("SELECT name FROM schema_migrations") as cursor:
        done = {row[0] for row in await cursor.fetchall()}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        for statement in _statements(sql):
            await conn.execute(statement)
        # Bookkeeping only, so SQLite's clock is good enough here (domain time uses Clock).
        await conn.execute(
            "INSERT INTO schema_migrations (name, applied_at)"
            " VALUES (?, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))",
            (name,),
        )
        applied.append(name)
    return applied


def _statements(sql: str) -> list[str]:
    # executescript() would COMMIT our transaction, so split by hand: drop "--" comments, then
    # cut at each ";" that ends a complete statement (a trigger's body has its own ";").
    code = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    statements, pending = [], ""
    for part in code.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip())
            pending = ""
    return statements
