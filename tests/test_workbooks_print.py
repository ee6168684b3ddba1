"""Workbooks the office can print: the digest's and the roster's export, landscape on A4, one
page wide, the header row on every page, an autofilter on each table, titled in the reader's
language; and LibreOffice Calc's PDF of the members sheet one page wide."""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import soffice
from dialogue import World
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from bot.core.i18n import Translator
from bot.core.quarters import Quarter
from bot.digest.render import render_digest
from bot.digest.workbook import SHEETS, sheet_title
from bot.roster import export_roster_to
from bot.roster.export import export_roster
from bot.roster.files import SPECS
from bot.services.roster import current_roster

Q4 = Quarter(2021, 4)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# A4 in PDF points, as LibreOffice writes its MediaBox.
A4_LONG, A4_SHORT = 841.9, 595.3


async def digest_workbook(world: World, folder: Path, language: str = "vi") -> Path:
    rendered = await render_digest(world.store, world.config, Q4, world.now(), folder, language)
    return rendered.xlsx


def assert_prints_as_the_office_wants(sheet, heading: str) -> None:
    """Landscape A4 one page wide, the header row on each page, an autofilter over the whole
    table, HEADING at the top of each page and the page number at the foot."""
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9), sheet.title
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), sheet.title
    assert sheet.print_title_rows in ("1:1", "$1:$1"), sheet.title
    last = f"{get_column_letter(sheet.max_column)}{sheet.max_row}"
    assert sheet.auto_filter.ref == f"A1:{last}", sheet.title
    assert sheet.oddHeader.center.text == heading.replace("&", "&&"), sheet.title
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text


@pytest.mark.parametrize(
    ("language", "names", "page"),
    [
        (
            "vi",
            ["Quận ủy viên", "Cơ sở đảng", "Lượt dự", "Nhận xét", "Chưa liên lạc được"],
            "Trang",
        ),
        ("en", ["Members", "Organizations", "Visits", "Notes", "Unreachable"], "Page"),
    ],
)
async def test_the_digest_workbook_prints_each_sheet_as_the_office_wants(
    world, tmp_path, language, names, page
):
    book = load_workbook(await digest_workbook(world, tmp_path, language))

    assert book.sheetnames == names
    quarter = {"vi": "quý IV/2021", "en": "Q4 2021"}[language]
    for name in names:
        sheet = book[name]
        assert_prints_as_the_office_wants(sheet, f"Quận ủy · {quarter} · {name}")
        assert sheet.oddFooter.center.text.startswith(page)
        assert sheet.freeze_panes == "A2"
    assert book[names[0]].max_row > 10  # the filter covers the rows, not the header alone
    assert book[names[-1]].max_row > 1  # the people the bot cannot reach are listed


def test_every_sheet_title_is_a_name_a_spreadsheet_takes():
    for language in ("vi", "en"):
        t = Translator(language, TZ)
        for name in SHEETS:
            title = sheet_title(name, t)
            assert 0 < len(title) <= 31 and not set(title) & set("[]:*?/\\"), title
            assert not title.startswith("'") and not title.endswith("'"), title


async def test_the_roster_export_prints_the_same_and_keeps_the_names_import_reads(world, tmp_path):
    exported = tmp_path / "roster.xlsx"
    await export_roster_to(world.store, world.config, exported)

    book = load_workbook(exported)
    assert book.sheetnames == [spec.name for spec in SPECS]
    headings = {
        "members": "Danh sách Quận ủy viên",
        "organizations": "Danh sách cơ sở đảng",
        "cells": "Danh sách chi bộ",
        "assignments": "Phân công phụ trách, theo dõi cơ sở đảng",
        "meetings": "Lịch sinh hoạt chi bộ",
    }
    for spec in SPECS:
        assert_prints_as_the_office_wants(book[spec.name], headings[spec.name])
    assert book["members"].oddFooter.center.text == "Trang &P/&N"

    english = tmp_path / "roster-en.xlsx"
    export_roster(await current_roster(world.store), english, world.config.committee.tz, "en")
    assert load_workbook(english)["cells"].oddHeader.center.text == "Cells"


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of each page of PDF, as LibreOffice writes them."""
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    boxes = [
        tuple(float(n) for n in box.split()[2:4])
        for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)
    ]
    assert pages and boxes, pdf
    return [boxes[0]] * pages if len(set(boxes)) == 1 else boxes[:pages]


def as_pdf(program: str, xlsx: Path, folder: Path) -> Path:
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "pdf"),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / "pdf" / f"{xlsx.stem}.pdf"


async def test_libreoffice_prints_the_members_sheet_one_landscape_page_wide(world, tmp_path):
    program = soffice()
    book = load_workbook(await digest_workbook(world, tmp_path / "digest"))
    for name in book.sheetnames[1:]:  # the members sheet alone, as it was written
        book.remove(book[name])
    members = tmp_path / "members.xlsx"
    book.save(members)

    pages = pdf_pages(await asyncio.to_thread(as_pdf, program, members, tmp_path))

    # Its nine columns in landscape without fitting them take two pages side by side; its
    # twenty members and header fit on one page.
    assert len(pages) == 1
    width, height = pages[0]
    assert (round(width, 1), round(height, 1)) == (A4_LONG, A4_SHORT)
