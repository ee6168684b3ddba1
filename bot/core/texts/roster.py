"""Texts of what a roster import does (bot.roster.summary): what `checkin-bot import` says (in
English), and the board's preview of an upload and what its Apply did."""

TEXTS = {
    "roster.kind_members": ("Quận ủy viên", "members"),
    "roster.kind_organizations": ("cơ sở đảng", "organizations"),
    "roster.kind_cells": ("chi bộ", "cells"),
    "roster.rows": (
        "{kind}: thêm {added}, cập nhật {updated}, rút khỏi danh sách {retired}",
        "{kind}: {added} added, {updated} updated, {retired} retired",
    ),
    "roster.assignments": (
        "phân công: thêm {added}, cập nhật {updated}, kết thúc {ended}, xóa {deleted}",
        "assignments: {added} added, {updated} updated, {ended} ended, {deleted} deleted",
    ),
    "roster.meetings": (
        "buổi sinh hoạt: thêm {added}, cập nhật {updated}",
        "meetings: {added} added, {updated} updated",
    ),
    "roster.flags": (
        "cờ khó khăn: gắn {raised}, gỡ {cleared}",
        "difficulty flags: {raised} raised, {cleared} cleared",
    ),
    "roster.retired": (
        "rút khỏi danh sách từ {day}, vẫn được tính cho những ngày trước đó: {lists}",
        "retired from {day}, still counted for the days before: {lists}",
    ),
    "roster.ended": (
        "phân công kết thúc, vẫn được tính cho những ngày đã phân công: {items}",
        "ended, still counted for the days they held: {items}",
    ),
    "roster.ended_item": (
        "{member} ở {organization} đến {day}",
        "{member} at {organization} until {day}",
    ),
    "roster.deleted": (
        "phân công bị xóa vì chưa bắt đầu: {items}",
        "deleted, as they had not begun: {items}",
    ),
    "roster.deleted_item": (
        "{member} ở {organization} từ {day}",
        "{member} at {organization} from {day}",
    ),
    "roster.raised": ("gắn cờ khó khăn: {items}", "flags raised: {items}"),
    "roster.cleared": ("gỡ cờ khó khăn: {items}", "flags cleared: {items}"),
    "roster.cleared_from_start": (
        "{cell} (có cờ trong danh sách từ đầu)",
        "{cell} (flagged on the roster from the start)",
    ),
    "roster.cleared_note": (
        "{cell} (do nhận xét của {member} ngày {day})",
        "{cell} (raised by the note of {member} on {day})",
    ),
    "roster.cleared_import": (
        "{cell} (do lần nhập danh sách ngày {day})",
        "{cell} (raised by an import on {day})",
    ),
    "roster.and_more": ("{shown} và {count} mục khác", "{shown} and {count} more"),
}
