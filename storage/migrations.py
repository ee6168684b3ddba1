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

HISTORY = """
-- The days each member, organization and cell was on the roster, so that a later import leaving
-- one out does not rewrite the quarters it counted in. listed_from: the local day the import that
-- added it ran (NULL: on the first roster, or on the roster before this history was kept);
-- retired_on: the local day an import left it out (NULL while listed, and for rows retired
-- before this history was kept: their day is unknown, so they count in no quarter).
ALTER TABLE members ADD COLUMN listed_from TEXT;
ALTER TABLE members ADD COLUMN retired_on TEXT;
ALTER TABLE organizations ADD COLUMN listed_from TEXT;
ALTER TABLE organizations ADD COLUMN retired_on TEXT;
ALTER TABLE cells ADD COLUMN listed_from TEXT;
ALTER TABLE cells ADD COLUMN retired_on TEXT;

-- An assignment an import leaves out once it has begun is kept, ended (end_date) the day before
-- that import at the latest: the days it held still count. left_on is that import's day; NULL
-- while the roster lists it.
ALTER TABLE assignments ADD COLUMN left_on TEXT;

-- Difficulty flags, each the time it held: raised by an import (flagged=yes) or by a member's
-- note (the check-in it was written on says who), cleared by an import (flagged=no) or by an
-- admin in chat. raised_at NULL: on the first roster, or flagged before this history was kept.
CREATE TABLE flag_periods (
    id INTEGER PRIMARY KEY,
    cell_id INTEGER NOT NULL REFERENCES cells(id),
    raised_at TEXT,
    raised_by TEXT NOT NULL CHECK (raised_by IN ('import', 'note')),
    raised_checkin INTEGER REFERENCES checkins(id),
    cleared_at TEXT,
    cleared_by TEXT CHECK (cleared_by IN ('import', 'admin')),
    cleared_person INTEGER REFERENCES people(id),
    CHECK ((cleared_at IS NULL) = (cleared_by IS NULL))
);
CREATE UNIQUE INDEX flag_periods_open ON flag_periods (cell_id) WHERE cleared_at IS NULL;
CREATE INDEX flag_periods_by_cell ON flag_periods (cell_id, raised_at);

-- The flags already there: the roster's, and the notes' (kept apart until now).
INSERT INTO flag_periods (cell_id, raised_at, raised_by) SELECT id, NULL, 'import' FROM cells
    WHERE flagged;
INSERT INTO flag_periods (cell_id, raised_at, raised_by, raised_checkin)
    SELECT c.id, c.difficulties_reported_at, 'note',
        (SELECT n.checkin_id FROM notes n JOIN checkins ch ON ch.id = n.checkin_id
         WHERE ch.cell_id = c.id AND n.difficulties_raised ORDER BY n.written_at DESC LIMIT 1)
    FROM cells c WHERE NOT c.flagged AND c.difficulties_reported_at IS NOT NULL;
UPDATE cells SET flagged = 1 WHERE difficulties_reported_at IS NOT NULL;
DROP INDEX cells_by_organization;
ALTER TABLE cells DROP COLUMN difficulties_reported_at;
-- Covers counting the cells each organization had on the roster in a quarter (coverage).
CREATE INDEX cells_by_organization ON cells
    (organization_id, active, retired_on, listed_from, code);

-- cells.flagged is whether the cell is flagged now, kept from the periods by these two alone.
CREATE TRIGGER flag_raised AFTER INSERT ON flag_periods WHEN NEW.cleared_at IS NULL BEGIN
    UPDATE cells SET flagged = 1 WHERE id = NEW.cell_id;
END;
CREATE TRIGGER flag_cleared AFTER UPDATE OF cleared_at ON flag_periods
    WHEN OLD.cleared_at IS NULL AND NEW.cleared_at IS NOT NULL BEGIN
    UPDATE cells SET flagged = 0 WHERE id = NEW.cell_id;
END
"""

# The decisions made before they were logged, carried into the log: who decided and when, as
# the check-in kept them (the person's code and name of today, the best there is; the role only
# where it is sure: the decider is the cell's secretary), the channel unknown.
CARRY_DECISIONS = """
INSERT INTO decisions (checkin_id, status, previous, by_person, by_code, by_name, role, decided_at)
SELECT ch.id, ch.status, 'pending', ch.decided_by,
    coalesce((SELECT m.code FROM members m WHERE m.person_id = ch.decided_by
              ORDER BY m.active DESC, m.id DESC LIMIT 1), p.phone),
    coalesce((SELECT m.full_name FROM members m WHERE m.person_id = ch.decided_by
              ORDER BY m.active DESC, m.id DESC LIMIT 1),
             (SELECT c.secretary_name FROM cells c WHERE c.secretary_id = ch.decided_by
              ORDER BY c.active DESC, c.code LIMIT 1),
             p.phone),
    CASE WHEN ch.decided_by = (SELECT c.secretary_id FROM cells c WHERE c.id = ch.cell_id)
         THEN 'secretary' END,
    coalesce(ch.decided_at, ch.checked_in_at)
FROM checkins ch LEFT JOIN people p ON p.id = ch.decided_by
WHERE ch.status != 'pending'
ORDER BY coalesce(ch.decided_at, ch.checked_in_at), ch.id
"""

DECISIONS = (
    """
-- Every decision on a check-in and every later change, as it was made: by whom (their code or
-- phone and their name then, and the role they decided in), through which channel, and when.
-- Rows are only added: the trigger below refuses to rewrite one. A decision is made by adding
-- its row, which sets the check-in's status (checkins.status is the latest decision), so the
-- log and the status can never disagree.
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    checkin_id INTEGER NOT NULL REFERENCES checkins(id),
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'denied')),
    previous TEXT NOT NULL CHECK (previous IN ('pending', 'confirmed', 'denied')),
    by_person INTEGER REFERENCES people(id),  -- NULL, with by_code and by_name: not recorded
    by_code TEXT,                             -- the member code, else the phone
    by_name TEXT,
    role TEXT CHECK (role IN ('secretary', 'admin')),
    channel TEXT,                             -- telegram, zalo, terminal, cli, web
    decided_at TEXT NOT NULL,
    CHECK (status != previous)
);
CREATE INDEX decisions_by_checkin ON decisions (checkin_id, id);
"""
    + CARRY_DECISIONS
    + """;
CREATE TRIGGER decisions_are_never_rewritten BEFORE UPDATE ON decisions BEGIN
    SELECT RAISE(ABORT, 'decisions are recorded once: add a change instead');
END;
CREATE TRIGGER decisions_set_the_checkin AFTER INSERT ON decisions BEGIN
    UPDATE checkins SET status = NEW.status, decided_by = NEW.by_person,
        decided_at = NEW.decided_at
    WHERE id = NEW.checkin_id;
END
"""
)


CANCELLED_MEETINGS = """
-- A meeting its cell's secretary cancelled, or moved (a move cancels it and sets the new one):
-- kept, never deleted, and left out of every list, reminder and check-in from then on.
ALTER TABLE meetings ADD COLUMN cancelled_at TEXT;
ALTER TABLE meetings ADD COLUMN cancelled_by INTEGER REFERENCES people(id)
"""

WEB_SIGN_IN = """
-- The office's board (bot/web). Sign-in links and session cookies are kept only as hashes:
-- a copy of the database signs nobody in.
CREATE TABLE web_sign_ins (
    token_hash TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    csrf_token TEXT NOT NULL,  -- what every form of the session sends back
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT              -- signed out, or no longer an admin
);
CREATE INDEX web_sessions_by_person ON web_sessions (person_id);
-- A roster file uploaded on the board, kept between its preview and Apply (a restart in
-- between loses nothing); removed once applied or replaced.
CREATE TABLE web_uploads (
    id TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    roster_changes INTEGER NOT NULL,  -- roster_version.changes when it was previewed
    uploaded_at TEXT NOT NULL
);
"""

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

# A closed quarter's tables: rows are only added, never rewritten or removed.
FROZEN_TABLES = (
    "closed_quarters",
    "closed_members",
    "closed_organizations",
    "closed_flagged_cells",
    "closed_pairs",
    "closed_visits",
    "amendments",
)

CLOSED_QUARTERS = """
-- A closed quarter (chốt số liệu) and its figures as they were when it was closed, written in
-- one transaction: the coverage rule's inputs, so that later roster changes alter nothing.
-- Codes and names are copied, not referenced: they are the quarter's, whatever the roster
-- says later. Its figures change only by an amendment (an admin's decision after closing).
CREATE TABLE closed_quarters (
    quarter TEXT PRIMARY KEY,  -- 2021Q4
    starts_at TEXT NOT NULL,   -- [starts_at, ends_at): the quarter's meetings, as UTC instants
    ends_at TEXT NOT NULL,
    closed_at TEXT NOT NULL,
    closed_by TEXT NOT NULL CHECK (closed_by IN ('bot', 'cli'))
);
CREATE INDEX closed_quarters_by_start ON closed_quarters (starts_at);
-- The members, organizations and flagged cells the roster listed on some day of the quarter.
CREATE TABLE closed_members (
    quarter TEXT NOT NULL REFERENCES closed_quarters(quarter),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    position TEXT NOT NULL,
    PRIMARY KEY (quarter, code)
) WITHOUT ROWID;
CREATE TABLE closed_organizations (
    quarter TEXT NOT NULL REFERENCES closed_quarters(quarter),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    cells INTEGER NOT NULL,
    PRIMARY KEY (quarter, code)
) WITHOUT ROWID;
CREATE TABLE closed_flagged_cells (
    quarter TEXT NOT NULL REFERENCES closed_quarters(quarter),
    cell TEXT NOT NULL,
    organization TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (quarter, cell)
) WITHOUT ROWID;
-- Who was assigned where: required (overlapping the quarter coverage.minimum_overlap_days),
-- or not (overlapping it less: a visit still counts for its cell). STATUS and CHECKIN are the
-- pair's status when closed and the check-in it came from (NULL: missed).
CREATE TABLE closed_pairs (
    quarter TEXT NOT NULL REFERENCES closed_quarters(quarter),
    member TEXT NOT NULL,
    organization TEXT NOT NULL,
    required INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('covered', 'pending', 'missed')),
    checkin_id INTEGER REFERENCES checkins(id),
    PRIMARY KEY (quarter, member, organization)
) WITHOUT ROWID;
-- Every check-in at a meeting of the quarter, denied ones too, with its status when closed.
-- COUNTED 0: its cell was on the roster on no day of the quarter, so not among the cells.
CREATE TABLE closed_visits (
    quarter TEXT NOT NULL REFERENCES closed_quarters(quarter),
    checkin_id INTEGER NOT NULL REFERENCES checkins(id),
    member TEXT NOT NULL,
    member_name TEXT NOT NULL,
    organization TEXT NOT NULL,
    organization_name TEXT NOT NULL,
    cell TEXT NOT NULL,
    cell_name TEXT NOT NULL,
    counted INTEGER NOT NULL,
    meeting_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'denied')),
    PRIMARY KEY (quarter, checkin_id)
) WITHOUT ROWID;
CREATE INDEX closed_visits_by_pair ON closed_visits (quarter, member, organization);
-- A decision on a check-in of a closed quarter made after it was closed, and what it did to
-- the status of the check-in's (member, organization) pair. Who and when: the decision's.
CREATE TABLE amendments (
    decision_id INTEGER PRIMARY KEY REFERENCES decisions(id),
    quarter TEXT NOT NULL REFERENCES closed_quarters(quarter),
    checkin_id INTEGER NOT NULL REFERENCES checkins(id),
    before TEXT NOT NULL CHECK (before IN ('covered', 'pending', 'missed')),
    after TEXT NOT NULL CHECK (after IN ('covered', 'pending', 'missed'))
);
CREATE INDEX amendments_by_checkin ON amendments (checkin_id, decision_id);
""" + "".join(
    f"""
CREATE TRIGGER {table}_never_rewritten BEFORE UPDATE ON {table} BEGIN
    SELECT RAISE(ABORT, 'a closed quarter is never rewritten: amend it instead');
END;
CREATE TRIGGER {table}_never_removed BEFORE DELETE ON {table} BEGIN
    SELECT RAISE(ABORT, 'a closed quarter is never rewritten: amend it instead');
END;
"""
    for table in FROZEN_TABLES
)

NUMBERED_LISTS_KEPT = """
-- A numbered list stays the chat's list when a message without choices follows it ("did not
-- understand", a weekly suggestion): a number still answers it. This says whether such a
-- message came last, so that a dialogue waiting for typed text takes "5" as text.
ALTER TABLE numbered_choices ADD COLUMN plain_after INTEGER NOT NULL DEFAULT 0
"""

NOTE_PHOTOS = """
-- Photos of the meeting a member sent with the note on a check-in (at most five: the
-- repository checks). The file is in the photos folder beside the database, under a name of
-- the bot's own, written whole before its row.
CREATE TABLE note_photos (
    id INTEGER PRIMARY KEY,
    checkin_id INTEGER NOT NULL REFERENCES checkins(id),
    file_name TEXT NOT NULL UNIQUE,
    bytes INTEGER NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX note_photos_by_checkin ON note_photos (checkin_id)
"""

# (name, SQL) in the order they apply.
MIGRATIONS: list[tuple[str, str]] = [
    ("0001_roster_activity_outbox", ROSTER),
    ("0002_chat", CHAT),
    ("0003_scheduler", SCHEDULER),
    ("0004_channels", CHANNELS),
    ("0005_checkin_cell_copies", CHECKIN_CELL_COPIES),
    ("0006_roster_version", ROSTER_VERSION),
    ("0007_history_of_roster_and_flags", HISTORY),
    ("0008_decisions_log", DECISIONS),
    ("0009_cancelled_meetings", CANCELLED_MEETINGS),
    ("0010_delivery_health", DELIVERY_HEALTH),
    ("0011_web_sign_in", WEB_SIGN_IN),
    ("0012_closed_quarters", CLOSED_QUARTERS),
    ("0013_numbered_lists_kept", NUMBERED_LISTS_KEPT),
    ("0014_note_photos", NOTE_PHOTOS),
]


async def pending_migrations(conn: aiosqlite.Connection) -> list[str]:
    """Names of the steps not yet applied (a read: takes no write lock)."""
    done = await _applied(conn)
    return [name for name, _ in MIGRATIONS if name not in done]


async def unknown_migrations(conn: aiosqlite.Connection) -> list[str]:
    """Names of applied steps this build does not have: a newer build wrote the database."""
    known = {name for name, _ in MIGRATIONS}
    return sorted(await _applied(conn) - known)


async def _applied(conn: aiosqlite.Connection) -> set[str]:
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ) as cursor:
        if await cursor.fetchone() is None:
            return set()
    async with conn.execute("SELECT name FROM schema_migrations") as cursor:
        return {row[0] for row in await cursor.fetchall()}


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
