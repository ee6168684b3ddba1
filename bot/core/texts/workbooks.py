"""Texts of the workbooks as printed: the roster's sheets' titles, the page numbers."""

TEXTS = {
    "workbook.page_of": ("Trang {page}/{pages}", "Page {page} of {pages}"),
    # The roster's sheets keep the names of its files (import reads them by those names):
    # printed, each page says what the sheet is.
    "workbook.roster_members": (
        "Danh sách Quận ủy viên",
        "Committee members",
    ),
    "workbook.roster_organizations": (
        "Danh sách cơ sở đảng",
        "Organizations",
    ),
    "workbook.roster_cells": (
        "Danh sách chi bộ",
        "Cells",
    ),
    "workbook.roster_assignments": (
        "Phân công phụ trách, theo dõi cơ sở đảng",
        "Assignments to organizations",
    ),
    "workbook.roster_meetings": ("Lịch sinh hoạt chi bộ", "Cell meetings"),
}
