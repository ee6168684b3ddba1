"""`checkin-bot audit`: every check-in of a quarter with its decisions, in three formats."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_cli import NOW, run, seed_sample_activity, write_config

from bot.core.config import load_config
from bot.services.confirmations import decide_checkin
from bot.services.identity import person_identity
from storage.store import Store

SECRETARY = ("0979944369", "Bùi Thị Phương Vân")  # C0106's, no member: recorded by phone
ADMIN = ("M01", "Nguyễn Văn Thành")


@pytest.fixture
def decided(tmp_path: Path) -> Path:
    """The sample's activity; then C0106's secretary confirms M07 in Telegram at 08:00 and the
    office (M01) changes it to absent on the board at 09:00."""
    config_file = write_config(tmp_path, '[access]\nadmins = ["M01"]\n')
    seed_sample_activity(config_file)
    config = load_config(config_file)

    async def decide() -> None:
        async with await Store.open(config.storage.path) as store:
            checkin = await m07_checkin(store)
            secretary = await store.db.fetchval(
                "SELECT secretary_id FROM cells WHERE code = 'C0106'"
            )
            admin = (await store.people.by_member_code("M01")).id
            who = await person_identity(store, config, secretary)
            await decide_checkin(store, config, who, checkin, "confirmed", NOW, "telegram")
            who = await person_identity(store, config, admin)
            later = NOW + timedelta(hours=1)
            await decide_checkin(store, config, who, checkin, "denied", later, "web", change=True)

    asyncio.run(decide())
    return config_file


async def m07_checkin(store: Store) -> int:
    return await store.db.fetchval(
        "SELECT ch.id FROM checkins ch JOIN members m ON m.id = ch.member_id"
        " WHERE m.code = 'M07' AND ch.cell_code = 'C0106'"
    )


def test_audit_json_has_every_check_in_of_the_quarter_with_its_history(decided, capsys):
    code, out, err = run(capsys, decided, "audit", "--quarter", "2021Q4", "--format", "json")
    assert code == 0, err
    audit = json.loads(out)
    assert (audit["quarter"], audit["start"], audit["end"], audit["closed_at"]) == (
        "2021Q4",
        "2021-10-01",
        "2021-12-31",
        None,  # not closed: no decision is an amendment
    )
    checkins = audit["checkins"]
    assert len(checkins) == 19  # the sample's check-ins at meetings of October to December
    assert [c["meeting"] for c in checkins] == sorted(c["meeting"] for c in checkins)
    [m07] = [c for c in checkins if c["member"] == "M07" and c["cell"] == "C0106"]
    assert m07 == {
        "id": m07["id"],
        "meeting": "2021-11-07T19:30:00+07:00",
        "member": "M07",
        "member_name": "Hoàng Thị Lan Anh",
        "organization": "O01",
        "cell": "C0106",
        "cell_name": "Chi bộ khu dân cư Lâm Du",
        "checked_in_at": "2021-11-07T19:30:00+07:00",
        "status": "denied",
        "decisions": [
            {
                "from": "pending",
                "to": "confirmed",
                "by": SECRETARY[0],
                "by_name": SECRETARY[1],
                "role": "secretary",
                "channel": "telegram",
                "at": "2021-11-20T08:00:00+07:00",
                "amendment": None,
            },
            {
                "from": "confirmed",
                "to": "denied",
                "by": ADMIN[0],
                "by_name": ADMIN[1],
                "role": "admin",
                "channel": "web",
                "at": "2021-11-20T09:00:00+07:00",
                "amendment": None,
            },
        ],
    }
    pending = [c for c in checkins if c["status"] == "pending"]
    assert sorted(c["member"] for c in pending) == ["M01", "M05", "M07", "M07", "M09", "M12", "M20"]
    assert all(c["decisions"] == [] for c in pending)
    # The sample's decisions came before anyone recorded who made them.
    [m13] = [c for c in checkins if c["member"] == "M13"]
    assert m13["status"] == "denied"
    assert m13["decisions"] == [
        {
            "from": "pending",
            "to": "denied",
            "by": None,
            "by_name": None,
            "role": None,
            "channel": None,
            "at": "2021-10-21T19:32:00+07:00",
            "amendment": None,
        }
    ]


def test_audit_csv_has_a_row_per_decision_and_one_for_each_undecided(decided, capsys):
    code, out, err = run(capsys, decided, "audit", "--quarter", "2021Q4", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "quarter", "checkin", "meeting", "member", "member_name", "organization", "cell",
        "cell_name", "checked_in_at", "status", "decision", "from", "to", "by", "by_name",
        "role", "channel", "decided_at", "amended_from", "amended_to",
    ]  # fmt: skip
    assert len(rows) == 11 + 2 + 7  # the sample's decided, M07's two, the seven pending
    m07 = [r for r in rows if r["member"] == "M07" and r["cell"] == "C0106"]
    assert [(r["decision"], r["from"], r["to"], r["by"], r["role"], r["channel"]) for r in m07] == [
        ("1", "pending", "confirmed", SECRETARY[0], "secretary", "telegram"),
        ("2", "confirmed", "denied", ADMIN[0], "admin", "web"),
    ]
    assert {r["status"] for r in m07} == {"denied"}
    assert [r["decided_at"] for r in m07] == ["2021-11-20 08:00", "2021-11-20 09:00"]
    assert m07[0]["meeting"] == "2021-11-07 19:30" and m07[0]["quarter"] == "2021Q4"
    undecided = [r for r in rows if r["decision"] == ""]
    assert sorted(r["member"] for r in undecided) == [
        "M01",
        "M05",
        "M07",
        "M07",
        "M09",
        "M12",
        "M20",
    ]
    assert all(r["by"] == r["to"] == r["decided_at"] == "" for r in undecided)


def test_audit_text_reads_as_the_record(decided, capsys):
    code, out, err = run(capsys, decided, "audit", "--quarter", "2021Q4")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == (
        "Audit 2021Q4 (01/10/2021 - 31/12/2021): 19 check-ins: 10 confirmed, 2 absent,"
        " 7 pending; changed decisions: 1"
    )
    at = lines.index(
        "07/11/2021 19:30  C0106 Chi bộ khu dân cư Lâm Du  M07 Hoàng Thị Lan Anh"
        "  checked in 07/11 19:30  absent"
    )
    assert lines[at + 1 : at + 3] == [
        "    20/11/2021 08:00  confirmed  by Bùi Thị Phương Vân (0979944369), secretary,"
        " via telegram",
        "    20/11/2021 09:00  confirmed -> absent  by Nguyễn Văn Thành (M01), admin, via web",
    ]
    assert (
        "    21/10/2021 19:32  absent  by someone not recorded (decided before the decisions log)"
        in lines
    )


def test_audit_defaults_to_the_clocks_quarter_and_an_empty_one_says_so(decided, capsys):
    code, out, _ = run(capsys, decided, "audit")
    assert code == 0 and out.startswith("Audit 2021Q4 ")
    later = datetime(2022, 2, 1, 1, 0, tzinfo=UTC)
    code, out, _ = run(capsys, decided, "audit", "--format", "json", now=later)
    assert code == 0
    assert json.loads(out) == {
        "quarter": "2022Q1", "start": "2022-01-01", "end": "2022-03-31", "closed_at": None,
        "checkins": [],
    }  # fmt: skip


def test_audit_refuses_a_bad_quarter_with_exit_2(decided, capsys):
    code, out, err = run(capsys, decided, "audit", "--quarter", "2021Q5")
    assert code == 2 and out == ""
    assert err.strip() == '--quarter: "2021Q5" is not a quarter (use e.g. 2021Q4)'
