"""How the office's workbooks print: landscape A4, one page wide, the header row on each page.

The digest's workbook is written as SpreadsheetML by hand (bot.digest.workbook) and the
roster's export through openpyxl (bot.roster.files): one layout, in the two forms.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

PAPER_A4 = 9  # SpreadsheetML's number for A4, the paper of Vietnamese offices
# Inches, as SpreadsheetML measures them: narrow sides, room above and below for the title
# and the page number.
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.6, "header": 0.3, "footer": 0.3}
# What a sheet's header and footer codes mean: &P the page, &N the pages; a literal & is &&.
PAGE, PAGES = "&P", "&N"

# A worksheet's <sheetPr>: its pages are fitted (to the width set in <pageSetup>).
SHEET_PROPERTIES = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'


def print_setup(heading: str, footer: str) -> str:
    """A worksheet's print elements, after its table's <autoFilter>: margins, landscape A4
    one page wide and as many pages tall as it takes, HEADING at the top of each page and
    FOOTER (with PAGE, PAGES) at the foot."""
    margins = " ".join(f'{side}="{inches}"' for side, inches in MARGINS.items())
    return (
        f"<pageMargins {margins}/>"
        f'<pageSetup paperSize="{PAPER_A4}" orientation="landscape" fitToWidth="1"'
        ' fitToHeight="0"/>'
        f"<headerFooter><oddHeader>{escape(bold_centre(heading))}</oddHeader>"
        f"<oddFooter>{escape('&C' + footer)}</oddFooter></headerFooter>"
    )


def defined_names(index: int, title: str, table: str) -> str:
    """The workbook's names for the sheet at INDEX (0-based) named TITLE whose table is at
    TABLE ("A1:J40"): its autofilter's range, and its header row as the rows printed on
    every page."""
    sheet = "'" + title.replace("'", "''") + "'"
    first, last = table.split(":")
    absolute = f"${first[0]}${first[1:]}:${_letters(last)}${_digits(last)}"
    return (
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
        f"{escape(sheet)}!{absolute}</definedName>"
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
        f"{escape(sheet)}!$1:$1</definedName>"
    )


def lay_out(sheet: Any, heading: str, footer: str) -> None:
    """The same layout on an openpyxl worksheet whose table starts at A1 with its header."""
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for side, inches in MARGINS.items():
        setattr(sheet.page_margins, side, inches)
    sheet.print_title_rows = "1:1"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.oddHeader.center.text = heading.replace("&", "&&")
    sheet.oddHeader.center.font = ",Bold"
    sheet.oddFooter.center.text = footer


def bold_centre(text: str) -> str:
    """TEXT as a header's centre section, bold, its &s meant literally."""
    return '&C&"-,Bold"' + text.replace("&", "&&")


def _letters(reference: str) -> str:
    return reference.rstrip("0123456789")


def _digits(reference: str) -> str:
    return reference[len(_letters(reference)) :]
