"""A roster uploaded on the board: a workbook or a zip of CSV files, whatever its name says."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ROSTER_FILES

from bot.roster.export import export_roster
from bot.roster.files import RosterFileError, read_tables
from bot.roster.parse import parse_roster
from bot.roster.upload import read_upload
from bot.sample import SAMPLE_DIR

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def sample_zip(folder: str = "", skip: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ROSTER_FILES:
            if name != skip:
                archive.write(SAMPLE_DIR / f"{name}.csv", f"{folder}{name}.csv")
        archive.writestr("README.txt", "not a roster file")
    return buffer.getvalue()


def sample_roster():
    return parse_roster(read_tables(SAMPLE_DIR), TZ)


def test_a_zip_of_the_csv_files_reads_as_the_folder_does():
    assert read_upload("roster.zip", sample_zip(), TZ) == sample_roster()
    assert read_upload("roster.zip", sample_zip("Danh sach/"), TZ) == sample_roster()


def test_a_workbook_reads_whatever_its_name(tmp_path: Path):
    workbook = tmp_path / "roster.xlsx"
    export_roster(sample_roster(), workbook, TZ)
    content = workbook.read_bytes()
    assert read_upload("roster.xlsx", content, TZ).sorted() == sample_roster().sorted()
    assert read_upload("roster.zip", content, TZ).sorted() == sample_roster().sorted()


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("roster.xlsx", b"members,code\n", "roster.xlsx:0: -: not an .xlsx workbook nor a .zip"),
        ("../../etc/passwd.zip", b"\x00" * 10, "passwd.zip:0: -: not an .xlsx workbook"),
        ("empty.zip", None, "empty.zip:0: -: no roster files in the zip"),
        ("part.zip", sample_zip(skip="cells"), "cells.csv:0: -: missing"),
    ],
)
def test_a_file_that_is_not_a_roster_says_what_is_wrong(name, content, problem):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("notes.txt", "hello")
        content = buffer.getvalue()
    with pytest.raises(RosterFileError) as raised:
        read_upload(name, content, TZ)
    assert problem in "\n".join(map(str, raised.value.problems))


def test_a_zip_with_a_file_twice_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ROSTER_FILES:
            archive.write(SAMPLE_DIR / f"{name}.csv", f"{name}.csv")
        archive.write(SAMPLE_DIR / "members.csv", "old/members.csv")
    with pytest.raises(RosterFileError, match=r"members\.csv: in the zip twice"):
        read_upload("roster.zip", buffer.getvalue(), TZ)
