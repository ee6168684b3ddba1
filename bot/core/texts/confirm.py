"""Texts of /confirm: the cell's secretary confirms who attended."""

from bot.core.plural import Plural

TEXTS = {
    "confirm.none": (
        "Không có lượt điểm danh nào chờ xác nhận.",
        "No check-ins are waiting for your confirmation.",
    ),
    "confirm.header": (
        Plural("Có {count} lượt điểm danh chờ đồng chí xác nhận:"),
        Plural(
            one="{count} check-in is waiting for your confirmation:",
            other="{count} check-ins are waiting for your confirmation:",
        ),
    ),
    "confirm.more": (
        "Còn {count} lượt nữa. Xác nhận các lượt trên rồi gõ /confirm để xem tiếp.",
        "{count} more. Decide on the ones above, then send /confirm for the rest.",
    ),
    "confirm.item": (
        "{member}\n{cell}\nBuổi sinh hoạt: {meeting}\nĐiểm danh lúc: {checked_in}",
        "{member}\n{cell}\nMeeting: {meeting}\nChecked in: {checked_in}",
    ),
    "confirm.button_confirm": ("Xác nhận", "Confirm"),
    "confirm.button_absent": ("Vắng", "Absent"),
    "confirm.done_confirmed": (
        "Đã xác nhận đồng chí {member} dự sinh hoạt {cell} ({meeting}).",
        "Confirmed: {member} attended {cell} ({meeting}).",
    ),
    "confirm.done_denied": (
        "Đã ghi đồng chí {member} vắng ở buổi sinh hoạt {cell} ({meeting});"
        " lượt điểm danh này không được tính.",
        "Recorded {member} as absent from {cell} ({meeting}); the check-in does not count.",
    ),
    "confirm.already_confirmed": (
        "Lượt điểm danh của đồng chí {member} ({cell}, {meeting}) đã được xác nhận lúc {decided}."
        " Không có gì thay đổi.",
        "The check-in of {member} ({cell}, {meeting}) was already confirmed on {decided}."
        " Nothing was changed.",
    ),
    "confirm.already_denied": (
        "Lượt điểm danh của đồng chí {member} ({cell}, {meeting}) đã được ghi vắng lúc {decided}."
        " Không có gì thay đổi.",
        "The check-in of {member} ({cell}, {meeting}) was already recorded as absent on"
        " {decided}. Nothing was changed.",
    ),
    "confirm.not_found": (
        "Không tìm thấy lượt điểm danh này trong các buổi sinh hoạt của chi bộ đồng chí."
        " Không có gì thay đổi; gõ /confirm để xem danh sách mới.",
        "This check-in is not one at your cell's meetings. Nothing was changed;"
        " send /confirm for a fresh list.",
    ),
    "confirm.told_confirmed": (
        "Lượt điểm danh của đồng chí tại buổi sinh hoạt {cell} ({meeting}) đã được xác nhận"
        " và được tính cho quý.",
        "Your check-in at {cell} ({meeting}) was confirmed and counts for the quarter.",
    ),
    "confirm.told_denied": (
        "Bí thư chi bộ ghi nhận đồng chí vắng ở buổi sinh hoạt {cell} ({meeting}), nên lượt"
        " điểm danh này không được tính. Nếu có nhầm lẫn, hãy liên hệ bí thư chi bộ.",
        "Your check-in at {cell} ({meeting}) was recorded as absent and does not count."
        " If this is a mistake, please contact the cell's secretary.",
    ),
}
