"""Texts of /flags: the committee office sees the cells flagged with difficulties, and clears."""

from bot.core.plural import Plural

TEXTS = {
    "flags.none": (
        "Hiện không có chi bộ nào được đánh dấu có khó khăn, vướng mắc.",
        "No cell is flagged with difficulties now.",
    ),
    "flags.header": (
        Plural(
            "{count} chi bộ đang được đánh dấu có khó khăn, vướng mắc. Khi đã tháo gỡ xong, bấm"
            " Gỡ cờ của chi bộ đó:"
        ),
        Plural(
            one="{count} cell is flagged with difficulties. Once they are resolved, tap its Clear:",
            other="{count} cells are flagged with difficulties. Once a cell's are resolved, tap"
            " its Clear:",
        ),
    ),
    "flags.page": (
        "Chi bộ thứ {first} đến {last} trong {count} chi bộ có khó khăn, vướng mắc:",
        "Cells {first} to {last} of the {count} flagged with difficulties:",
    ),
    "flags.item": (
        "{number}. {cell} ({code}), {organization}\n    {raised}",
        "{number}. {cell} ({code}), {organization}\n    {raised}",
    ),
    "flags.raised_import": (
        "Đánh dấu theo danh sách của Văn phòng ngày {day}",
        "Flagged by the office's roster on {day}",
    ),
    "flags.raised_note": (
        "Đồng chí {member} báo có khó khăn trong nhận xét ngày {day}",
        "{member} reported difficulties in a note on {day}",
    ),
    "flags.raised_before": (
        "Đã đánh dấu trong danh sách từ ban đầu",
        "Flagged on the roster from the start",
    ),
    "flags.button_clear": ("Gỡ cờ {code}", "Clear {code}"),
    "flags.more": (
        "Còn {count} chi bộ nữa.",
        "{count} more.",
    ),
    "flags.button_more": ("Xem thêm", "More"),
    "flags.end": (
        "Đã hết danh sách. Gõ /flags để xem lại từ đầu.",
        "That was the whole list. Send /flags to see it again.",
    ),
    "flags.cleared": (
        "Đã gỡ cờ khó khăn của {cell} ({code}). Số liệu quý này vẫn tính chi bộ là có khó khăn"
        " trong thời gian được đánh dấu.",
        "Cleared the difficulty flag of {cell} ({code}). This quarter's figures still count the"
        " cell as flagged for the time it was.",
    ),
    "flags.already_cleared_admin": (
        "Cờ khó khăn của {cell} ({code}) đã được đồng chí {person} gỡ lúc {at}."
        " Không có gì thay đổi; gõ /flags để xem danh sách mới.",
        "The difficulty flag of {cell} ({code}) was already cleared by {person} on {at}."
        " Nothing was changed; send /flags for a fresh list.",
    ),
    "flags.already_cleared_import": (
        "Cờ khó khăn của {cell} ({code}) đã được gỡ lúc {at} khi nhập danh sách."
        " Không có gì thay đổi; gõ /flags để xem danh sách mới.",
        "The difficulty flag of {cell} ({code}) was already cleared by a roster import on {at}."
        " Nothing was changed; send /flags for a fresh list.",
    ),
    "flags.not_found": (
        "Không tìm thấy cờ khó khăn này. Không có gì thay đổi; gõ /flags để xem danh sách mới.",
        "This flag was not found. Nothing was changed; send /flags for a fresh list.",
    ),
}
