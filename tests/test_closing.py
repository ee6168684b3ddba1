"""`checkin-bot close`: a quarter's figures frozen once it has ended, and what reads them.

The sample district with its activity, through the real command line (in-process, FakeClock,
a real SQLite file). Its 2021Q3 was closed by the bot on 11/10/2021, as a running bot would
have; 2021Q4 is closed here.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import copy_sample_roster
from test_cli import db_file, run, seed_sample_activity, table_dump, write_config
from test_roster_history import leave_out_member, set_flag
from test_roster_import import drop_rows, replace_row

from bot.core.config import load_config
from bot.core.quarters import Quarter
from bot.services.confirmations import Decided, decide_checkin
from bot.services.identity import person_identity
from storage.store import Store

REPO_ROOT = Path(__file__).resolve().parent.parent
Q4 = Quarter(2021, 4)
ENDED = datetime(2022, 1, 3, 2, 0, tzinfo=UTC)  # 03/01/2022 09:00 local: 2021Q4 has ended
AMENDED = ENDED + timedelta(days=2)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The config file of the sample district with its activity, the office being M01."""
    config_file = write_config(tmp_path, '[access]\nadmins = ["M01"]\n')
    seed_sample_activity(config_file)
    return config_file


def coverage_out(capsys, config_file: Path, *formats: str, now: datetime = ENDED) -> list[str]:
    """`coverage --quarter 2021Q4` in each of FORMATS, as printed."""
    outs = []
    for form in formats:
        code, out, err = run(
            capsys, config_file, "coverage", "--quarter", "2021Q4", "--format", form, now=now
        )
        assert code == 0, err
        outs.append(out)
    return outs


async def m07_at_c0106(store: Store) -> int:
    return await store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE m.code = 'M07' AND ch.cell_code = 'C0106'"
    )


def admin_decides(config_file: Path, status: str, at: datetime, *, change: bool = False):
    """M01, an admin, decides M07's pending check-in at C0106 (2021Q4) on the board."""
    config = load_config(config_file)

    async def decide():
        async with await Store.open(config.storage.path) as store:
            admin = await store.people.by_member_code("M01")
            who = await person_identity(store, config, admin.id)
            checkin = await m07_at_c0106(store)
            return await decide_checkin(
                store, config, who, checkin, status, at, "web", change=change
            )

    return asyncio.run(decide())


# -- refused, or already done ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "why"),
    [
        (  # mid-quarter
            datetime(2021, 11, 20, 1, 0, tzinfo=UTC),
            "has not ended (its last day is 31/12/2021); it can be closed from 01/01/2022 03:00",
        ),
        (  # 01:30 on New Year's night: its last meetings still take check-ins
            datetime(2021, 12, 31, 18, 30, tzinfo=UTC),
            "check-ins at its last meetings are taken until 01/01/2022 03:00"
            " (reminders.checkin_closes_after); close it from then on",
        ),
    ],
)
def test_a_quarter_not_over_is_refused_with_exit_2_and_nothing_changes(sample, capsys, now, why):
    before = table_dump(db_file(sample))
    code, out, err = run(capsys, sample, "close", "--quarter", "2021Q4", now=now)
    assert (code, out, err) == (2, "", f"--quarter 2021Q4: {why}\n")
    assert table_dump(db_file(sample)) == before


def test_a_bad_quarter_is_refused_with_exit_2(sample, capsys):
    code, _, err = run(capsys, sample, "close", "--quarter", "2021Q5")
    assert code == 2 and err == '--quarter: "2021Q5" is not a quarter (use e.g. 2021Q4)\n'


def test_closing_a_closed_quarter_says_so_with_exit_0_and_changes_nothing(sample, capsys):
    code, out, err = run(capsys, sample, "close", now=ENDED)  # the last quarter that ended
    assert code == 0, err
    before = table_dump(db_file(sample))

    code, out, err = run(capsys, sample, "close", "--quarter", "2021Q4", now=AMENDED)

    assert (code, err) == (0, "")
    assert (
        out
        == "2021Q4 was already closed on 03/01/2022 09:00 (with checkin-bot close); nothing changed.\n"
    )
    assert table_dump(db_file(sample)) == before
    code, out, _ = run(capsys, sample, "close", "--quarter", "2021Q3", now=AMENDED)
    assert out == "2021Q3 was already closed on 11/10/2021 00:00 (by the bot); nothing changed.\n"


# -- closed: frozen ---------------------------------------------------------------------------


def test_closing_freezes_the_figures_as_they_are(sample, capsys):
    json_before, csv_before = coverage_out(capsys, sample, "json", "csv")

    code, out, err = run(capsys, sample, "close", "--quarter", "2021Q4", now=ENDED)

    assert code == 0, err
    assert out.splitlines() == [
        "2021Q4 closed on 03/01/2022 09:00: required 41, covered 10, pending 5, missed 26.",
        "Its figures are frozen: coverage, digest and audit read them, and no roster change"
        " alters them.",
        "A later decision on one of its check-ins is an admin's amendment, listed with them.",
    ]
    json_after, csv_after = coverage_out(capsys, sample, "json", "csv")
    after, before = json.loads(json_after), json.loads(json_before)
    assert (before["closed_at"], after["closed_at"]) == (None, "2022-01-03T09:00:00+07:00")
    assert after["amendments"] == []
    assert {**after, "closed_at": None} == before
    assert csv_after == csv_before
    # The record as closed: each pair with its status and the check-in it came from.
    with closing(sqlite3.connect(db_file(sample))) as conn:
        pairs = dict(
            ((member, org), (status, checkin))
            for member, org, status, checkin in conn.execute(
                "SELECT member, organization, status, checkin_id FROM closed_pairs"
                " WHERE quarter = '2021Q4' AND required"
            )
        )
    statuses = {
        (m["code"], p["code"]): p["status"] for m in after["members"] for p in m["organizations"]
    }
    assert {pair: status for pair, (status, _) in pairs.items()} == statuses
    assert all((checkin is None) == (status == "missed") for status, checkin in pairs.values())


def test_no_roster_change_alters_a_closed_quarter(sample, tmp_path, capsys):
    run(capsys, sample, "close", "--quarter", "2021Q4", now=ENDED)
    before = coverage_out(capsys, sample, "json", "csv", "text")
    roster = copy_sample_roster(tmp_path / "roster")
    leave_out_member(roster, "M20")  # required at O09 in 2021Q4, and pending there
    drop_rows(roster, "assignments", lambda row: not row.startswith("M07,O01,"))
    replace_row(roster, "members", "M01,", "M01,Nguyễn Văn Thành Mới,0963106218,standing,")
    replace_row(roster, "organizations", "O02,", "O02,Đảng bộ phường Ngọc Lâm (mới),committee")
    drop_rows(roster, "cells", lambda row: not row.startswith("C0205,"))  # flagged and visited
    drop_rows(roster, "meetings", lambda row: not row.startswith("C0205,"))
    set_flag(roster, "C0101", True)

    code, out, err = run(capsys, sample, "import", roster, now=ENDED + timedelta(days=1))
    assert code == 0 and "retired" in out, err

    assert coverage_out(capsys, sample, "json", "csv", "text") == before
    # The open quarter after it sees the change; the closed one keeps the names it had.
    code, out, _ = run(
        capsys, sample, "coverage", "--quarter", "2022Q1", "--format", "json", now=ENDED
    )
    names = {m["code"]: m["name"] for m in json.loads(out)["members"]}
    assert names["M01"] == "Nguyễn Văn Thành Mới"
    assert '"name": "Nguyễn Văn Thành"' in before[0]


def test_a_closed_quarters_record_is_never_rewritten(sample, capsys):
    run(capsys, sample, "close", "--quarter", "2021Q4", now=ENDED)
    with closing(sqlite3.connect(db_file(sample))) as conn:
        for statement in (
            "UPDATE closed_pairs SET status = 'covered' WHERE quarter = '2021Q4'",
            "DELETE FROM closed_visits WHERE quarter = '2021Q4'",
            "UPDATE closed_members SET name = 'X'",
            "DELETE FROM closed_quarters",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="never rewritten: amend it"):
                conn.execute(statement)


def test_two_processes_closing_at_once_close_it_once(sample, capsys):
    """Two `checkin-bot close` run side by side (the real clock: 2021Q4 ended long ago)."""
    command = [sys.executable, "-m", "bot", "close", "--quarter", "2021Q4", "--config", str(sample)]
    both = [
        subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outs = [process.communicate(timeout=60) for process in both]
    assert [process.returncode for process in both] == [0, 0], outs
    said = sorted(out.split(" ", 2)[1] for out, _ in outs)
    assert said == ["closed", "was"], outs  # "2021Q4 closed on …", "2021Q4 was already closed …"
    with closing(sqlite3.connect(db_file(sample))) as conn:
        assert conn.execute(
            "SELECT count(*) FROM closed_quarters WHERE quarter = '2021Q4'"
        ).fetchone() == (1,)
        visits = conn.execute(
            "SELECT count(*) FROM closed_visits WHERE quarter = '2021Q4'"
        ).fetchone()
        checkins = conn.execute(
            "SELECT count(*) FROM checkins WHERE meeting_starts_at >= '2021-09-30T17:00'"
            " AND meeting_starts_at < '2021-12-31T17:00'"
        ).fetchone()
    assert visits == checkins != (0,)  # each check-in once


# -- amendments -------------------------------------------------------------------------------


def test_an_admins_late_decision_is_an_amendment_in_coverage_and_audit(sample, capsys):
    run(capsys, sample, "close", "--quarter", "2021Q4", now=ENDED)
    [closed_json] = coverage_out(capsys, sample, "json")

    decided = admin_decides(sample, "confirmed", AMENDED)

    assert isinstance(decided, Decided) and decided.amendment is not None
    data = json.loads(coverage_out(capsys, sample, "json", now=AMENDED)[0])
    closed = json.loads(closed_json)
    assert closed["totals"] == {"required": 41, "covered": 10, "pending": 5, "missed": 26}
    assert data["totals"] == {"required": 41, "covered": 11, "pending": 4, "missed": 26}
    assert data["amendments"] == [
        {
            "member": "M07",
            "organization": "O01",
            "from": "pending",
            "to": "covered",
            "by": "M01",
            "at": "2022-01-05T09:00:00+07:00",
        }
    ]
    o01 = next(o for o in data["organizations"] if o["code"] == "O01")
    assert o01["cells_visited"] == 2  # C0106 counts now too

    admin_decides(sample, "denied", AMENDED + timedelta(hours=1), change=True)

    # M07 has two more check-ins at O01 waiting (C0102, C0103): the pair is pending again.
    data = json.loads(coverage_out(capsys, sample, "json", now=AMENDED)[0])
    assert data["totals"] == {"required": 41, "covered": 10, "pending": 5, "missed": 26}
    assert [(a["from"], a["to"]) for a in data["amendments"]] == [
        ("pending", "covered"),
        ("covered", "pending"),
    ]
    [text] = coverage_out(capsys, sample, "text", now=AMENDED)
    assert "closed on 03/01/2022 09:00: frozen figures, changed only by amendments (2)" in text
    assert "  05/01/2022 09:00  M07 at O01: pending -> covered, by Nguyễn Văn Thành (M01)" in text

    code, out, err = run(capsys, sample, "audit", "--quarter", "2021Q4", "--format", "json")
    assert code == 0, err
    audit = json.loads(out)
    assert audit["closed_at"] == "2022-01-03T09:00:00+07:00"
    [m07] = [c for c in audit["checkins"] if c["member"] == "M07" and c["cell"] == "C0106"]
    assert [(d["to"], d["role"], d["amendment"]) for d in m07["decisions"]] == [
        ("confirmed", "admin", {"from": "pending", "to": "covered"}),
        ("denied", "admin", {"from": "covered", "to": "pending"}),
    ]
    code, out, _ = run(capsys, sample, "audit", "--quarter", "2021Q4")
    assert out.splitlines()[0].endswith("; closed on 03/01/2022 09:00, amendments since: 2")
    assert "(amendment: M07 at O01 covered -> pending)" in out
