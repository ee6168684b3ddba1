"""`checkin-bot digest`: the files, and `--send` queuing exactly as the scheduler does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_cli import (  # noqa: F401  (_isolated: the working directory is a tmp one)
    _isolated,
    db_file,
    rows,
    run,
    seed_sample_activity,
    table_dump,
    write_config,
)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A config with two digest chats, over the sample district with its activity."""
    config = write_config(
        tmp_path, '[access]\ndigest_chats = [-1001234567890, "zalo:office-group"]\n'
    )
    seed_sample_activity(config)
    return config


def test_digest_writes_text_workbook_and_chart(office: Path, tmp_path: Path, capsys):
    out = tmp_path / "q4"
    code, printed, err = run(capsys, office, "digest", "--quarter", "2021Q4", "--out", out)

    assert code == 0, err
    assert printed.startswith(f"Digest 2021Q4 written to {out}:")
    assert sorted(p.name for p in out.iterdir()) == [
        "digest-2021Q4.png",
        "digest-2021Q4.txt",
        "digest-2021Q4.xlsx",
    ]
    text = (out / "digest-2021Q4.txt").read_text(encoding="utf-8")
    assert "Phải dự: 41" in text and "• O11 Chi bộ Trạm Y tế phường Cự Khối" in text
    assert len(text) <= 4096  # the one message of the digest chats
    assert load_workbook(out / "digest-2021Q4.xlsx", read_only=True).sheetnames == [
        "Quận ủy viên",
        "Cơ sở đảng",
        "Lượt dự",
        "Nhận xét",
        "Chưa liên lạc được",
    ]
    assert (out / "digest-2021Q4.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Without --send nothing is queued.
    assert rows(db_file(office), "SELECT count(*) FROM outbox WHERE key LIKE 'digest:%'") == [(0,)]


def test_digest_defaults_to_the_current_quarter_in_the_working_directory(office: Path, capsys):
    code, printed, err = run(capsys, office, "digest")  # the clock says 20/11/2021

    assert code == 0, err
    assert printed.startswith("Digest 2021Q4 written to digest-2021Q4:")
    assert (Path.cwd() / "digest-2021Q4" / "digest-2021Q4.xlsx").exists()


def test_digest_send_queues_once_per_chat_as_the_scheduler_would(office: Path, tmp_path, capsys):
    code, printed, err = run(capsys, office, "digest", "--quarter", "2021Q4", "--send")

    assert code == 0, err
    assert "Queued for telegram:-1001234567890, zalo:office-group" in printed
    queued = rows(
        db_file(office), "SELECT key, chat, state FROM outbox WHERE key LIKE 'digest:%' ORDER BY id"
    )
    telegram = [key for key, chat, _ in queued if chat == "telegram:-1001234567890"]
    assert telegram[0] == "digest:quarter=2021Q4:chat=telegram:-1001234567890"
    assert telegram[-2:] == [f"{telegram[0]}:file=xlsx", f"{telegram[0]}:file=png"]
    assert {state for _, _, state in queued} == {"queued"}
    assert len(telegram) == 3  # one message, two files
    # Zalo takes no files from bots: its digest is one message saying where they are.
    zalo = [key for key, chat, _ in queued if chat == "zalo:office-group"]
    assert zalo == ["digest:quarter=2021Q4:chat=zalo:office-group"]
    (payload,) = rows(db_file(office), f"SELECT payload FROM outbox WHERE key = '{zalo[0]}'")
    text = json.loads(payload[0])["text"]
    assert len(text) <= 2000 and text.endswith("lấy bằng lệnh checkin-bot digest.")
    # The files of this rendering live beside the database, not in the working directory, in a
    # folder of this rendering's own.
    folders = list((db_file(office).parent / "digests" / "2021Q4").iterdir())
    assert [sorted(f.name for f in folder.iterdir()) for folder in folders] == [
        ["digest-2021Q4.png", "digest-2021Q4.xlsx"]
    ]

    before = table_dump(db_file(office))
    code, printed, err = run(capsys, office, "digest", "--quarter", "2021Q4", "--send")
    assert code == 0, err
    assert "Not queued again for telegram:-1001234567890, zalo:office-group" in printed
    assert table_dump(db_file(office))["outbox"] == before["outbox"]


def test_digest_send_without_digest_chats_exits_2_and_queues_nothing(tmp_path: Path, capsys):
    config = write_config(tmp_path)
    seed_sample_activity(config)

    code, _, err = run(capsys, config, "digest", "--send")

    assert code == 2
    assert err == "--send: access.digest_chats is empty: no chat to send the digest to\n"
    assert rows(db_file(config), "SELECT count(*) FROM outbox") == [(0,)]


def test_digest_of_an_impossible_quarter_or_onto_a_file_exits_2(office, tmp_path, capsys):
    code, _, err = run(capsys, office, "digest", "--quarter", "2021Q5")
    assert code == 2 and err.startswith("--quarter: ")
    taken = tmp_path / "taken"
    taken.write_text("x")
    code, _, err = run(capsys, office, "digest", "--out", taken)
    assert (code, err) == (2, f"--out {taken}: exists and is not a folder\n")
