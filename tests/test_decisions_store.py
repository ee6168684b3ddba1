"""The decisions log in the real SQLite store: made once, never rewritten, carried in by 0008."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from dialogue import World, make_world

from bot.core.config import Access, Config
from bot.core.decisions import Decider
from bot.services.confirmations import Decided, decide_checkin
from bot.services.identity import person_identity
from storage.store import Store


@pytest.fixture
async def office(tmp_path):
    world = await make_world(tmp_path, Config(access=Access(admins=["M01"])))
    yield world
    await world.store.close()


async def checkin_of(world: World, member: str, cell: str) -> int:
    return await world.store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE m.code = ? AND ch.cell_code = ?",
        (member, cell),
    )


async def log(store: Store, checkin: int | None = None) -> list[tuple]:
    rows = await store.db.fetchall(
        "SELECT checkin_id, status, previous, by_person, by_code, by_name, role, channel,"
        " decided_at FROM decisions WHERE ? IS NULL OR checkin_id = ? ORDER BY id",
        (checkin, checkin),
    )
    return [tuple(row) for row in rows]


async def test_a_decision_is_one_row_that_sets_the_check_in(office):
    checkin = await checkin_of(office, "M07", "C0106")
    by = Decider(1, "M01", "Nguyễn Văn Thành", "admin", "web")
    decision = await office.store.checkins.decide(checkin, "confirmed", by, office.now())
    assert decision is not None
    row = await office.store.db.fetchone(
        "SELECT status, decided_by, decided_at FROM checkins WHERE id = ?", (checkin,)
    )
    assert tuple(row) == ("confirmed", 1, "2021-11-20T01:00:00+00:00")
    assert await log(office.store, checkin) == [
        (checkin, "confirmed", "pending", 1, "M01", "Nguyễn Văn Thành", "admin", "web", row[2])
    ]
    # Deciding it again as if it were still pending: nothing happens.
    assert await office.store.checkins.decide(checkin, "denied", by, office.now()) is None
    assert len(await log(office.store, checkin)) == 1


async def test_the_log_refuses_to_rewrite_a_decision(office):
    checkin = await checkin_of(office, "M07", "C0106")
    await office.store.checkins.decide(checkin, "confirmed", None, office.now())
    before = await log(office.store)
    for statement in (
        "UPDATE decisions SET status = 'denied'",
        "UPDATE decisions SET by_name = 'someone else', decided_at = '2021-01-01'",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            await office.store.db.execute(statement)
    assert await log(office.store) == before


async def test_two_processes_deciding_at_once_make_one_decision(office):
    """Two bots on one database file (a restart overlapping, the board and a chat): one wins."""
    checkin = await checkin_of(office, "M09", "C0203")
    config = office.config
    other = await Store.open(office.store.db.path)  # the same file, a second connection
    try:
        person = (await office.store.people.by_member_code("M01")).id
        admin_here = await person_identity(office.store, config, person)
        admin_there = await person_identity(other, config, person)
        outcomes = await asyncio.gather(
            decide_checkin(
                office.store, config, admin_here, checkin, "confirmed", office.now(), "telegram"
            ),
            decide_checkin(other, config, admin_there, checkin, "denied", office.now(), "web"),
            decide_checkin(
                office.store, config, admin_here, checkin, "denied", office.now(), "zalo"
            ),
        )
    finally:
        await other.close()
    decided = [o for o in outcomes if isinstance(o, Decided)]
    assert len(decided) == 1
    [(_, status, previous, *_)] = await log(office.store, checkin)
    assert (status, previous) == (decided[0].decision.status, "pending")
    checkin_status = await office.store.db.fetchval(
        "SELECT status FROM checkins WHERE id = ?", (checkin,)
    )
    assert checkin_status == status


async def test_the_web_board_decides_through_the_same_service(office):
    """The board has no chat account: it names the admin and its channel."""
    checkin = await checkin_of(office, "M20", "C0903")
    person = (await office.store.people.by_member_code("M01")).id
    admin = await person_identity(office.store, office.config, person)
    assert admin is not None and admin.account is None and admin.is_admin
    outcome = await decide_checkin(
        office.store, office.config, admin, checkin, "confirmed", office.now(), "web"
    )
    assert isinstance(outcome, Decided) and not outcome.member_told  # M20 never linked
    [row] = await log(office.store, checkin)
    assert row[4:8] == ("M01", "Nguyễn Văn Thành", "admin", "web")


async def test_migration_0008_carries_the_decisions_made_before_it(office):
    """A database of before the log: each decided check-in gets its decision, as it was."""
    store, config = office.store, office.config
    secretary = await person_identity(store, config, await secretary_of(store, "C0106"))
    admin = await person_identity(store, config, (await store.people.by_member_code("M01")).id)
    by_secretary = await checkin_of(office, "M07", "C0106")
    by_admin = await checkin_of(office, "M09", "C0203")
    await decide_checkin(store, config, secretary, by_secretary, "confirmed", office.now(), "x")
    await decide_checkin(store, config, admin, by_admin, "denied", office.now(), "x")
    checkins_before = await store.db.fetchall("SELECT * FROM checkins ORDER BY id")
    for statement in (
        "DROP TRIGGER decisions_set_the_checkin",
        "DROP TRIGGER decisions_are_never_rewritten",
        "DROP TABLE decisions",
        "DELETE FROM schema_migrations WHERE name = '0008_decisions_log'",
    ):
        await store.db.execute(statement)

    async with await Store.open(store.db.path) as reopened:  # as after an upgrade
        carried = await log(reopened)
        checkins_after = await reopened.db.fetchall("SELECT * FROM checkins ORDER BY id")
        decided = await reopened.db.fetchall(
            "SELECT id, status, decided_at FROM checkins WHERE status != 'pending' ORDER BY id"
        )
    assert [tuple(r) for r in checkins_after] == [tuple(r) for r in checkins_before]
    assert sorted((c[0], c[1], c[8]) for c in carried) == [tuple(row) for row in decided]
    assert {c[2] for c in carried} == {"pending"} and {c[7] for c in carried} == {None}
    by_id = {c[0]: c for c in carried}
    assert by_id[by_secretary][3:7] == (
        secretary.person_id,
        "0979944369",
        "Bùi Thị Phương Vân",
        "secretary",
    )
    # Whether M01 decided as an admin the old check-in does not say: the role is left unknown.
    assert by_id[by_admin][3:7] == (admin.person_id, "M01", "Nguyễn Văn Thành", None)
    # The sample's own decisions name nobody.
    sample = await checkin_of(office, "M01", "C0101")
    assert by_id[sample][3:7] == (None, None, None, None)


async def secretary_of(store: Store, cell: str) -> int:
    return await store.db.fetchval("SELECT secretary_id FROM cells WHERE code = ?", (cell,))
