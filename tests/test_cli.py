"""The command line, run in-process with a FakeClock against a real SQLite file."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import copy_sample_roster

from bot.cli import main
from bot.core.clock import FakeClock
from bot.core.config import ENV_CONFIG, ENV_TELEGRAM_TOKEN, ENV_ZALO_TOKEN, load_config
from bot.sample import SAMPLE_DIR, load_sample
from bot.services.invites import token_hash
from storage.db import Database
from storage.store import Store
from storage.timefmt import to_db

REPO_ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2021, 11, 20, 1, 0, tzinfo=UTC)  # 08:00 local, mid-2021Q4 (the demo's start)
TOKEN_LINE = re.compile(r"Token \(Zalo: send it to the bot\): (\S+)")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No config from the environment, and a working directory where a stray ./config.toml or
    default database (checkin-bot.sqlite3) can do no harm."""
    for variable in (ENV_CONFIG, ENV_TELEGRAM_TOKEN, ENV_ZALO_TOKEN):
        monkeypatch.delenv(variable, raising=False)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)


def write_config(folder: Path, extra: str = "", name: str = "config.toml") -> Path:
    """A config whose storage.path is relative: it lives next to the config file."""
    path = folder / name
    path.write_text(f'[storage]\npath = "data/bot.sqlite3"\n{extra}', encoding="utf-8")
    return path


def db_file(config_file: Path) -> Path:
    return config_file.parent / "data" / "bot.sqlite3"


def run(
    capsys: pytest.CaptureFixture[str],
    config: Path,
    *args: str | Path,
    now: datetime = NOW,
) -> tuple[int, str, str]:
    """Run `checkin-bot ARGS --config CONFIG` in-process; return (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main([*map(str, args), "--config", str(config)], clock=FakeClock(now))
    out, err = capsys.readouterr()
    return code, out, err


def rows(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return [tuple(row) for row in conn.execute(sql)]


def table_dump(path: Path) -> dict[str, list[tuple]]:
    tables = [r[0] for r in rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: sorted(rows(path, f'SELECT * FROM "{t}"'), key=repr) for t in tables}


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return write_config(tmp_path)


@pytest.fixture
def imported(config_file: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The config file, after importing the sample roster through the CLI."""
    code, _, err = run(capsys, config_file, "import", SAMPLE_DIR)
    assert code == 0, err
    return config_file


def seed_sample_activity(config_file: Path) -> None:
    """Roster plus the sample's check-ins, in the database the config names."""
    config = load_config(config_file)

    async def seed() -> None:
        async with await Store.open(config.storage.path) as store:
            await load_sample(store, config, NOW)

    asyncio.run(seed())


# -- import --------------------------------------------------------------------------------


def test_import_prints_counts_then_nothing_changed(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, config_file, "import", SAMPLE_DIR)

    assert code == 0, err
    assert out.splitlines() == [
        f"{SAMPLE_DIR}: imported.",
        "  members: 20 added, 0 updated, 0 retired",
        "  organizations: 16 added, 0 updated, 0 retired",
        "  cells: 64 added, 0 updated, 0 retired",
        "  assignments: 42 added, 0 updated, 0 ended, 0 deleted",
        "  meetings: 390 added, 0 updated",
        "  difficulty flags: 7 raised, 0 cleared",
        "  flags raised: C0103, C0205, C0302, C0406, C0504, C0601, O12",
    ]
    assert db_file(config_file).is_file()  # storage.path is relative to the config file
    before = table_dump(db_file(config_file))

    code, out, err = run(capsys, config_file, "import", SAMPLE_DIR)

    assert code == 0, err
    assert out == f"{SAMPLE_DIR}: the roster is already up to date; nothing changed.\n"
    assert table_dump(db_file(config_file)) == before


def test_import_of_a_bad_folder_exits_2_and_changes_nothing(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = copy_sample_roster(tmp_path / "bad")
    members = (bad / "members.csv").read_text(encoding="utf-8")
    (bad / "members.csv").write_text(members + "M21,Người Mới,12345,chair,\n", encoding="utf-8")
    (bad / "organizations.csv").unlink()
    before = table_dump(db_file(imported))

    code, out, err = run(capsys, imported, "import", bad)

    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "organizations.csv:0: -: missing (every roster needs this file)",
        "Nothing was imported.",
    ]
    assert table_dump(db_file(imported)) == before

    (bad / "organizations.csv").write_bytes((SAMPLE_DIR / "organizations.csv").read_bytes())
    code, out, err = run(capsys, imported, "import", bad)

    assert code == 2
    assert err.splitlines() == [
        'members.csv:22: phone: "12345" is not a Vietnamese phone number (e.g. 0912 345 678)',
        'members.csv:22: position: "chair" is not one of: standing, member',
        "Nothing was imported.",
    ]
    assert table_dump(db_file(imported)) == before


def test_import_of_a_path_that_does_not_exist_exits_2(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"

    code, _, err = run(capsys, config_file, "import", missing)

    assert code == 2
    assert err.splitlines() == [
        f"{missing}:0: -: not a folder of CSV files or an .xlsx workbook",
        "Nothing was imported.",
    ]


def test_config_before_the_subcommand_is_used(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`checkin-bot --config PATH import ...`: the usual place for a global option."""
    bad = write_config(tmp_path, 'colour = "red"\n', name="bad.toml")

    code = main(["--config", str(bad), "import", str(SAMPLE_DIR)], clock=FakeClock(NOW))

    assert code == 2, "--config given before the subcommand was ignored"
    assert f"{bad}: storage.colour: unknown key" in capsys.readouterr().err
    assert not (Path.cwd() / "checkin-bot.sqlite3").exists()

    code = main(["--config", str(config_file), "import", str(SAMPLE_DIR)], clock=FakeClock(NOW))

    assert code == 0
    assert db_file(config_file).is_file()


# -- config problems -----------------------------------------------------------------------


def test_a_missing_config_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "absent.toml"

    code, out, err = run(capsys, missing, "coverage")

    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"{missing}: ")
    assert "no such file" in err


def test_a_bad_config_key_exits_2_with_the_key_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, '[reminders]\nbefore_meeting = ["1d", "2x"]\ncolour = "red"\n')

    code, _, err = run(capsys, config, "import", SAMPLE_DIR)

    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 2
    assert any(line.startswith(f"{config}: reminders.colour: unknown key") for line in lines), lines
    assert any(
        line.startswith(f"{config}: reminders.before_meeting[1]: ") and '"2x"' in line
        for line in lines
    ), lines
    assert not db_file(config).exists()  # nothing ran


# -- coverage ------------------------------------------------------------------------------


def coverage_json(capsys: pytest.CaptureFixture[str], config: Path, *extra: str) -> dict:
    code, out, err = run(capsys, config, "coverage", "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def assert_contract_shape(data: dict) -> None:
    assert set(data) == {
        *("quarter", "start", "end", "totals", "members", "organizations"),
        *("closed_at", "amendments"),
    }
    for amendment in data["amendments"]:
        assert set(amendment) == {"member", "organization", "from", "to", "by", "at"}
    assert set(data["totals"]) == {"required", "covered", "pending", "missed"}
    for member in data["members"]:
        assert set(member) == {"code", "name", "organizations"}
        for pair in member["organizations"]:
            assert set(pair) == {"code", "status"}
            assert pair["status"] in ("covered", "pending", "missed")
    contract_org_keys = {"code", "cells", "cells_visited", "flagged_cells", "flagged_visited"}
    for org in data["organizations"]:
        # contract.md: "More fields may be added" (the implementation adds "name")
        assert contract_org_keys <= set(org), org
        assert set(org) - contract_org_keys <= {"name"}
        assert isinstance(org["cells"], int) and isinstance(org["cells_visited"], int)
        assert set(org["flagged_visited"]) <= set(org["flagged_cells"])


def status_counts(data: dict) -> dict[str, int]:
    counts = dict.fromkeys(("covered", "pending", "missed"), 0)
    for member in data["members"]:
        for pair in member["organizations"]:
            counts[pair["status"]] += 1
    return counts


def test_coverage_json_of_a_roster_without_activity_is_all_missed(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = coverage_json(capsys, imported, "--quarter", "2021Q4")

    assert_contract_shape(data)
    assert (data["quarter"], data["start"], data["end"]) == ("2021Q4", "2021-10-01", "2021-12-31")
    assert (data["closed_at"], data["amendments"]) == (None, [])  # open: nothing frozen
    assert data["totals"] == {"required": 41, "covered": 0, "pending": 0, "missed": 41}
    assert status_counts(data) == {"covered": 0, "pending": 0, "missed": 41}
    assert [m["code"] for m in data["members"]] == [f"M{i:02}" for i in range(1, 21)]
    assert [o["code"] for o in data["organizations"]] == [f"O{i:02}" for i in range(1, 17)]
    assert sum(o["cells"] for o in data["organizations"]) == 64
    assert all(
        o["cells_visited"] == 0 and o["flagged_visited"] == [] for o in data["organizations"]
    )


def test_coverage_json_with_the_sample_activity(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_sample_activity(config_file)

    data = coverage_json(capsys, config_file, "--quarter", "2021Q4")

    assert_contract_shape(data)
    totals = data["totals"]
    assert totals == {"required": 41, "covered": 10, "pending": 5, "missed": 26}
    assert totals["required"] == totals["covered"] + totals["pending"] + totals["missed"]
    assert status_counts(data) == {k: v for k, v in totals.items() if k != "required"}
    by_member = {m["code"]: {p["code"] for p in m["organizations"]} for m in data["members"]}
    assert {"O09"} <= by_member["M19"] and {"O09"} <= by_member["M20"]  # mid-quarter change
    assert "O15" not in by_member["M13"]  # only 22 days in 2021Q4
    flagged = {o["code"]: (o["flagged_cells"], o["flagged_visited"]) for o in data["organizations"]}
    assert flagged["O02"] == (["C0205"], ["C0205"])
    assert flagged["O12"] == (["O12"], ["O12"])
    assert flagged["O01"] == (["C0103"], [])
    assert sum(o["cells_visited"] for o in data["organizations"]) >= len(
        [o for o in data["organizations"] if o["flagged_visited"]]
    )


def test_coverage_csv_has_one_row_per_required_pair(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_sample_activity(config_file)

    code, out, err = run(capsys, config_file, "coverage", "--quarter", "2021Q4", "--format", "csv")

    assert code == 0, err
    header, *body = list(csv.reader(io.StringIO(out)))
    assert header == ["quarter", "member", "member_name", "organization", "status"]
    assert len(body) == 41
    assert len({(row[1], row[3]) for row in body}) == 41
    assert {row[0] for row in body} == {"2021Q4"}
    statuses = [row[4] for row in body]
    assert (statuses.count("covered"), statuses.count("pending"), statuses.count("missed")) == (
        10,
        5,
        26,
    )
    assert ["M14", "Nguyễn Thị Hồng Nhung"] in [row[1:3] for row in body]


def test_coverage_text_has_the_headline_numbers(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_sample_activity(config_file)

    code, out, err = run(capsys, config_file, "coverage", "--quarter", "2021Q4")

    assert code == 0, err
    assert "Coverage 2021Q4 (01/10/2021 - 31/12/2021)" in out
    assert re.search(r"required 41\s+covered 10\s+pending 5\s+missed 26", out), out


def test_an_impossible_quarter_exits_2(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, imported, "coverage", "--quarter", "2021Q5")

    assert code == 2
    assert out == ""
    assert err.splitlines() == ['--quarter: "2021Q5" is not a quarter (use e.g. 2021Q4)']


@pytest.mark.parametrize(
    ("now", "quarter"),
    [
        (datetime(2021, 11, 20, 1, 0, tzinfo=UTC), "2021Q4"),
        # 2021-10-01 00:30 in Hà Nội is still September in UTC: the local quarter counts
        (datetime(2021, 9, 30, 17, 30, tzinfo=UTC), "2021Q4"),
        (datetime(2021, 9, 30, 16, 59, tzinfo=UTC), "2021Q3"),
    ],
)
def test_coverage_defaults_to_the_clocks_quarter(
    imported: Path, capsys: pytest.CaptureFixture[str], now: datetime, quarter: str
) -> None:
    code, out, err = run(capsys, imported, "coverage", "--format", "json", now=now)

    assert code == 0, err
    assert json.loads(out)["quarter"] == quarter


# -- export --------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["out", "out/roster.xlsx"])
def test_export_then_reimport(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    path = tmp_path / target

    code, out, err = run(capsys, imported, "export", path)

    assert code == 0, err
    assert out == f"Roster written to {path}\n"
    code, out, err = run(capsys, imported, "import", path)
    assert code == 0, err
    assert "nothing changed" in out

    fresh_dir = tmp_path / "fresh"
    fresh_dir.mkdir()
    fresh = write_config(fresh_dir)
    code, out, err = run(capsys, fresh, "import", path)
    assert code == 0, err
    assert "  meetings: 390 added, 0 updated" in out.splitlines()
    query = (
        "SELECT m.code, m.full_name, p.phone, m.position, m.language FROM members m"
        " JOIN people p ON p.id = m.person_id ORDER BY m.code"
    )
    assert rows(db_file(fresh), query) == rows(db_file(imported), query)


def test_export_onto_a_file_exits_2(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("x", encoding="utf-8")

    code, _, err = run(capsys, imported, "export", path)

    assert code == 2
    assert len(err.splitlines()) == 1 and str(path) in err
    assert path.read_text(encoding="utf-8") == "x"


# -- backup --------------------------------------------------------------------------------


async def test_backup_while_another_connection_holds_a_write_transaction(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = db_file(imported)
    target = tmp_path / "copy.sqlite3"
    writer = await Database.open(database)
    try:
        await writer.execute("INSERT INTO people (phone) VALUES ('0900000001')")  # committed
        await writer.execute("BEGIN IMMEDIATE")
        await writer.execute("INSERT INTO people (phone) VALUES ('0900000002')")  # not yet
        capsys.readouterr()
        code = await asyncio.to_thread(
            main, ["backup", str(target), "--config", str(imported)], FakeClock(NOW)
        )
        out, err = capsys.readouterr()
    finally:
        await writer.execute("ROLLBACK")
        await writer.close()

    assert code == 0, err
    assert out == f"Backup written to {target}\n"
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    phones = {row[0] for row in rows(target, "SELECT phone FROM people")}
    assert "0900000001" in phones
    assert "0900000002" not in phones
    assert rows(target, "SELECT count(*) FROM meetings") == [(390,)]
    assert table_dump(target) == table_dump(database)


def test_backup_is_a_consistent_copy(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.sqlite3"

    code, out, err = run(capsys, imported, "backup", target)

    assert code == 0, err
    assert out == f"Backup written to {target}\n"
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    assert table_dump(target) == table_dump(db_file(imported))


def test_backup_into_a_folder_that_does_not_exist_yet(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Like export, create the folder; or else refuse with one line (exit 2), not a crash."""
    target = tmp_path / "backups" / "2021-11-20" / "copy.sqlite3"

    code, _, err = run(capsys, imported, "backup", target)

    assert code in (0, 2), err
    if code == 0:
        assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    else:
        assert len(err.splitlines()) == 1 and str(target.parent) in err


def test_backup_to_an_existing_path_exits_2(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "exists.sqlite3"
    target.write_bytes(b"keep me")

    code, out, err = run(capsys, imported, "backup", target)

    assert code == 2
    assert out == ""
    assert err.splitlines() == [f"{target}: already exists (choose a new file name)"]
    assert target.read_bytes() == b"keep me"


def test_backup_without_a_database_exits_2(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.sqlite3"

    code, _, err = run(capsys, config_file, "backup", target)

    assert code == 2
    assert len(err.splitlines()) == 1 and "storage.path" in err
    assert not target.exists()
    assert not db_file(config_file).exists()


# -- invite --------------------------------------------------------------------------------


def invites(config_file: Path) -> list[tuple]:
    return rows(
        db_file(config_file),
        "SELECT token_hash, person_id, created_at, expires_at, used_at FROM invites",
    )


def person_of_member(config_file: Path, code: str) -> int:
    [(person_id,)] = rows(
        db_file(config_file), f"SELECT person_id FROM members WHERE code = '{code}'"
    )
    return person_id


def test_invite_a_member_prints_a_token_and_stores_only_its_hash(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, imported, "invite", "M01")

    assert code == 0, err
    assert "Nguyễn Văn Thành (0963106218)" in out
    assert "valid once until 04/12/2021 08:00" in out
    assert "t.me" not in out
    match = TOKEN_LINE.search(out)
    assert match, out
    token = match.group(1)
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token)
    assert invites(imported) == [
        (
            token_hash(token),
            person_of_member(imported, "M01"),
            to_db(NOW),
            to_db(NOW + timedelta(days=14)),
            None,
        )
    ]
    assert token not in repr(table_dump(db_file(imported)))


def test_invite_by_cell_code_is_for_its_secretary(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, imported, "invite", "C0603")

    assert code == 0, err
    token = TOKEN_LINE.search(out).group(1)
    [(stored_hash, person_id, *_)] = invites(imported)
    assert stored_hash == token_hash(token)
    assert person_id == person_of_member(imported, "M14")  # M14 is C0603's secretary


def test_invite_of_a_secretary_who_is_not_a_member(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, imported, "invite", "C0101")

    assert code == 0, err
    assert "Đinh Minh Bình (0919515962)" in out
    [(_, person_id, *_)] = invites(imported)
    assert rows(db_file(imported), f"SELECT phone FROM people WHERE id = {person_id}") == [
        ("0919515962",)
    ]


def test_invite_of_an_unknown_code_exits_2_and_adds_nothing(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, imported, "invite", "NOPE")

    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("NOPE: ")
    assert invites(imported) == []


def test_invite_with_a_bot_username_prints_the_telegram_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, '[telegram]\nbot_username = "lb_checkin_bot"\n')
    assert run(capsys, config, "import", SAMPLE_DIR)[0] == 0

    code, out, err = run(capsys, config, "invite", "M02")

    assert code == 0, err
    token = TOKEN_LINE.search(out).group(1)
    assert f"https://t.me/lb_checkin_bot?start={token}" in out
    assert invites(config)[0][0] == token_hash(token)


def test_two_invites_are_two_tokens(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = TOKEN_LINE.search(run(capsys, imported, "invite", "M01")[1]).group(1)
    second = TOKEN_LINE.search(run(capsys, imported, "invite", "M01")[1]).group(1)

    assert first != second
    assert {row[0] for row in invites(imported)} == {token_hash(first), token_hash(second)}


# -- demo and the entry point --------------------------------------------------------------


def test_demo_prints_the_sample_coverage(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, config_file, "demo")

    assert code == 0, err
    assert "20/11/2021 08:00" in out
    # The quarter's standing, in both languages before anyone is chosen.
    assert "Tiến độ quý IV/2021 đến nay: phải dự 41 · đã dự 10 · chờ xác nhận 5 · chưa dự 26" in out
    assert "Q4 2021 so far: required 41 · covered 10 · pending 5 · missed 26" in out
    assert not db_file(config_file).exists()  # the demo has its own database


def test_python_dash_m_bot_help_runs(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in (ENV_CONFIG, ENV_TELEGRAM_TOKEN, ENV_ZALO_TOKEN)
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "checkin-bot" in result.stdout
    for command in ("demo", "import", "export", "coverage", "backup", "invite"):
        assert command in result.stdout
