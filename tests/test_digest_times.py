"""Times in the digest workbook are the meetings' times to the minute, in any spreadsheet.

A spreadsheet holds a time as a number of days and shows hh:mm by cutting off the seconds, so a
number a hair below 08:00 shows as 07:59. The sample district's 2021Q4 visits, read back as
stored (the raw number and openpyxl's reading) and as LibreOffice Calc shows them.
"""

from __future__ import annotations

import asyncio
import csv
import re
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import soffice
from openpyxl import load_workbook

from bot.core.quarters import Quarter
from bot.digest.gather import gather_digest
from bot.digest.render import render_digest
from bot.digest.workbook import SHEETS, excel_serial

Q4 = Quarter(2021, 4)
EXCEL_EPOCH = datetime(1899, 12, 30)
MICROSECONDS_PER_DAY = 86_400_000_000
# A float is within half a microsecond of a serial near today's (one step is 0.6 µs or so).
ONE_STEP = Fraction(1, MICROSECONDS_PER_DAY)


def exact_serial(moment: datetime) -> Fraction:
    return Fraction((moment - EXCEL_EPOCH) // timedelta(microseconds=1), MICROSECONDS_PER_DAY)


@pytest.mark.parametrize(
    "day", [datetime(2021, 12, 5), datetime(2024, 2, 29), datetime(2035, 1, 1)]
)
def test_every_minute_of_a_day_is_stored_at_or_just_above_its_time(day: datetime) -> None:
    for minute in range(24 * 60):
        moment = day + timedelta(minutes=minute)
        stored = excel_serial(moment.replace(tzinfo=UTC))
        assert exact_serial(moment) <= Fraction(stored) < exact_serial(moment) + ONE_STEP, moment
        assert float(repr(stored)) == stored  # written in full, read back the same


def test_a_time_with_seconds_is_stored_as_it_is() -> None:
    moment = datetime(2021, 12, 5, 19, 29, 59, 250_000)
    stored = Fraction(excel_serial(moment.replace(tzinfo=UTC)))
    assert exact_serial(moment) <= stored < exact_serial(moment) + ONE_STEP


async def visits_workbook(world, folder: Path) -> tuple[Path, list[datetime]]:
    """The 2021Q4 digest workbook and its visits' meeting times in local time, in sheet order."""
    digest = await gather_digest(world.store, world.config, Q4, world.now())
    rendered = await render_digest(world.store, world.config, Q4, world.now(), folder)
    tz = world.config.committee.tz
    return rendered.xlsx, [v.meeting_at.astimezone(tz).replace(tzinfo=None) for v in digest.visits]


def raw_values(xlsx: Path, sheet: str, column: str) -> list[str]:
    """The numbers stored in COLUMN of SHEET, below the header, exactly as written."""
    number = SHEETS.index(sheet) + 1
    with zipfile.ZipFile(xlsx) as package:
        xml = package.read(f"xl/worksheets/sheet{number}.xml").decode()
    return re.findall(rf'<c r="{column}(?!1")\d+"[^>]*><v>([^<]*)</v>', xml)


async def test_visit_times_read_back_exactly(world, tmp_path: Path) -> None:
    xlsx, expected = await visits_workbook(world, tmp_path)
    assert len(expected) > 10
    assert any(moment.minute == 0 for moment in expected)  # 08:00 and the like are there

    stored = raw_values(xlsx, "visits", "A")
    assert len(stored) == len(expected)
    for text, moment in zip(stored, expected, strict=True):
        assert exact_serial(moment) <= Fraction(float(text)) < exact_serial(moment) + ONE_STEP

    sheet = load_workbook(xlsx, read_only=True)["Lượt dự"]
    read = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert read == expected


def shown_by_libreoffice(program: str, xlsx: Path, sheet: str, folder: Path) -> list[str]:
    """Column A of SHEET below the header, as LibreOffice Calc shows it (its own CSV export)."""
    out = folder / "csv"
    # Comma-separated, UTF-8, formatted as shown, that sheet alone.
    options = f"44,34,76,1,,0,false,true,true,false,false,{SHEETS.index(sheet) + 1}"
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    (converted,) = out.iterdir()
    with converted.open(encoding="utf-8", newline="") as file:
        return [row[0] for row in csv.reader(file)][1:]


async def test_libreoffice_calc_shows_the_meeting_times(world, tmp_path: Path) -> None:
    program = soffice()
    xlsx, expected = await visits_workbook(world, tmp_path / "digest")

    shown = await asyncio.to_thread(shown_by_libreoffice, program, xlsx, "visits", tmp_path)

    assert shown == [f"{moment:%d/%m/%Y %H:%M}" for moment in expected]
    assert any(text.endswith(" 08:00") for text in shown)
