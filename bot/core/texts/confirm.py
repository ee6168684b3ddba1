"""Texts of /confirm and of deciding check-ins: the cell's secretary or the office decides."""

from bot.core.plural import Plural

TEXTS = {
    # -- the lists -----------------------------------------------------------------------------
    "confirm.none": (
        "Không có lượt điểm danh nào chờ đồng chí xác nhận.",
        "No check-ins are waiting for your confirmation.",
    ),
    "confirm.none_district": (
        "Trong toàn quận không có lượt điểm danh nào chờ xác nhận.",
        "No check-in in the district is waiting for a decision.",
    ),
    "confirm.none_more": (
        "Không còn lượt điểm danh nào chờ xác nhận sau các lượt đã hiện. Gõ /confirm để xem lại"
        " từ đầu.",
        "No more check-ins are waiting after those shown. Send /confirm to start from the top.",
    ),
    "confirm.header": (
        Plural("Có {count} lượt điểm danh chờ đồng chí xác nhận:"),
        Plural(
            one="{count} check-in is waiting for your confirmation:",
            other="{count} check-ins are waiting for your confirmation:",
        ),
    ),
    "confirm.header_district": (
        Plural(
            "Có {count} lượt điểm danh trong toàn quận chờ xác nhận (chi bộ có khó khăn, vướng"
            " mắc trước, rồi đến lượt chờ lâu nhất):"
        ),
        Plural(
            one="{count} check-in in the district is waiting for a decision:",
            other="{count} check-ins in the district are waiting for a decision (cells with"
            " difficulties first, then the longest waiting):",
        ),
    ),
    "confirm.more": (
        "Còn {count} lượt nữa: bấm Xem thêm.",
        "{count} more: tap More.",
    ),
    "confirm.button_more": ("Xem thêm", "More"),
    "confirm.item": (
        "{member}\n{cell}{flag}\nBuổi sinh hoạt: {meeting}\nĐiểm danh lúc: {checked_in}",
        "{member}\n{cell}{flag}\nMeeting: {meeting}\nChecked in: {checked_in}",
    ),
    "confirm.state_pending": ("Chờ xác nhận", "Waiting for a decision"),
    "confirm.state_confirmed": (
        "Đã xác nhận lúc {decided}{by}",
        "Confirmed on {decided}{by}",
    ),
    "confirm.state_denied": ("Ghi vắng lúc {decided}{by}", "Recorded absent on {decided}{by}"),
    "confirm.button_confirm": ("Xác nhận", "Confirm"),
    "confirm.button_absent": ("Vắng", "Absent"),
    "confirm.button_change_confirmed": ("Đổi thành: Xác nhận", "Change to: Confirmed"),
    "confirm.button_change_denied": ("Đổi thành: Vắng", "Change to: Absent"),
    # -- an admin's look at one member: /confirm CODE -------------------------------------------
    "confirm.member_header": (
        "Các lượt điểm danh {quarter} của đồng chí {member} ({code}):",
        "Check-ins of {member} ({code}) in {quarter}:",
    ),
    "confirm.member_none": (
        "Trong {quarter}, đồng chí {member} ({code}) chưa điểm danh lần nào.",
        "{member} ({code}) has no check-in in {quarter}.",
    ),
    "confirm.bad_quarter": (
        '"{text}" không phải là một quý. Gõ /confirm MÃ QUÝ, ví dụ /confirm M07 {example}.',
        '"{text}" is not a quarter. Send /confirm CODE QUARTER, e.g. /confirm M07 {example}.',
    ),
    "confirm.member_unknown": (
        'Không có Quận ủy viên nào mã "{code}". Gõ /confirm để xem các lượt chờ xác nhận, hoặc'
        " /confirm MÃ (ví dụ /confirm M07) để xem các lượt điểm danh của một Quận ủy viên.",
        'There is no committee member with the code "{code}". Send /confirm for the check-ins'
        " waiting for a decision, or /confirm CODE (e.g. /confirm M07) for one member's.",
    ),
    # -- who decided ---------------------------------------------------------------------------
    "confirm.by_secretary": (" (bí thư chi bộ {name})", " (by the cell's secretary, {name})"),
    "confirm.by_admin": (" (Văn phòng Quận ủy, {name})", " (by the committee office, {name})"),
    "confirm.role_secretary": ("bí thư chi bộ", "the cell's secretary"),
    "confirm.role_admin": ("Văn phòng Quận ủy", "the committee office"),
    # -- answers to the one who decides --------------------------------------------------------
    "confirm.done_confirmed": (
        "Đã xác nhận đồng chí {member} dự sinh hoạt {cell} ({meeting}).",
        "Confirmed: {member} attended {cell} ({meeting}).",
    ),
    "confirm.done_denied": (
        "Đã ghi đồng chí {member} vắng ở buổi sinh hoạt {cell} ({meeting});"
        " lượt điểm danh này không được tính.",
        "Recorded {member} as absent from {cell} ({meeting}); the check-in does not count.",
    ),
    "confirm.done_changed_confirmed": (
        "Đã đổi quyết định: đồng chí {member} được xác nhận dự sinh hoạt {cell} ({meeting})"
        " (trước đó ghi vắng). Việc đổi đã được ghi lại.",
        "Decision changed: {member} is now confirmed at {cell} ({meeting}) (was recorded"
        " absent). The change is on record.",
    ),
    "confirm.done_changed_denied": (
        "Đã đổi quyết định: đồng chí {member} được ghi vắng ở buổi sinh hoạt {cell} ({meeting})"
        " (trước đó đã xác nhận). Việc đổi đã được ghi lại.",
        "Decision changed: {member} is now recorded absent from {cell} ({meeting}) (was"
        " confirmed). The change is on record.",
    ),
    "confirm.member_told": (
        "Đồng chí {member} đã được báo.",
        "{member} has been told.",
    ),
    "confirm.member_not_told": (
        "Bot không liên lạc được với đồng chí {member} (chưa liên kết hoặc đã chặn bot), nên"
        " chưa báo được; nếu cần, hãy báo trực tiếp.",
        "The bot cannot reach {member} (not linked, or blocked it), so they could not be told;"
        " tell them yourself if need be.",
    ),
    "confirm.already_confirmed": (
        "Lượt điểm danh của đồng chí {member} ({cell}, {meeting}) đã được xác nhận lúc"
        " {decided}{by}. Không có gì thay đổi.",
        "The check-in of {member} ({cell}, {meeting}) was already confirmed on {decided}{by}."
        " Nothing was changed.",
    ),
    "confirm.already_denied": (
        "Lượt điểm danh của đồng chí {member} ({cell}, {meeting}) đã được ghi vắng lúc"
        " {decided}{by}. Không có gì thay đổi.",
        "The check-in of {member} ({cell}, {meeting}) was already recorded as absent on"
        " {decided}{by}. Nothing was changed.",
    ),
    "confirm.ask_office": (
        "Bí thư chi bộ không sửa được quyết định đã đưa ra; nếu cần sửa, hãy đề nghị Văn phòng"
        " Quận ủy.",
        "A secretary cannot change a decision once made; to have it changed, ask the committee"
        " office.",
    ),
    "confirm.offer_change_confirmed": (
        "Lượt điểm danh của đồng chí {member} ({cell}, {meeting}) đã được xác nhận lúc"
        " {decided}{by}. Đổi thành vắng? Chưa có gì thay đổi; việc đổi sẽ được ghi lại.",
        "The check-in of {member} ({cell}, {meeting}) was confirmed on {decided}{by}. Change it"
        " to absent? Nothing has changed yet; a change is kept on record.",
    ),
    "confirm.offer_change_denied": (
        "Lượt điểm danh của đồng chí {member} ({cell}, {meeting}) đã được ghi vắng lúc"
        " {decided}{by}. Đổi thành xác nhận có dự? Chưa có gì thay đổi; việc đổi sẽ được ghi"
        " lại.",
        "The check-in of {member} ({cell}, {meeting}) was recorded absent on {decided}{by}."
        " Change it to confirmed? Nothing has changed yet; a change is kept on record.",
    ),
    "confirm.own": (
        "Đây là lượt điểm danh của chính đồng chí: không ai tự xác nhận lượt điểm danh của mình."
        " Văn phòng Quận ủy sẽ quyết định. Không có gì thay đổi.",
        "This is your own check-in: nobody decides their own. The committee office will decide"
        " it. Nothing was changed.",
    ),
    "confirm.not_found": (
        "Không tìm thấy lượt điểm danh này trong các lượt đồng chí có quyền xác nhận."
        " Không có gì thay đổi; gõ /confirm để xem danh sách mới.",
        "This check-in is not one you may decide. Nothing was changed;"
        " send /confirm for a fresh list.",
    ),
    # -- to the member -------------------------------------------------------------------------
    "confirm.told_confirmed": (
        "Lượt điểm danh của đồng chí tại buổi sinh hoạt {cell} ({meeting}) đã được {by} xác nhận"
        " và được tính cho quý.",
        "Your check-in at {cell} ({meeting}) was confirmed by {by} and counts for the quarter.",
    ),
    "confirm.told_denied": (
        "Lượt điểm danh của đồng chí tại buổi sinh hoạt {cell} ({meeting}) đã được {by} ghi"
        " vắng, nên không được tính. Nếu có nhầm lẫn, hãy liên hệ Văn phòng Quận ủy.",
        "Your check-in at {cell} ({meeting}) was recorded as absent by {by} and does not count."
        " If this is a mistake, please contact the committee office.",
    ),
    "confirm.changed_confirmed": (
        "Văn phòng Quận ủy đã sửa quyết định về lượt điểm danh của đồng chí tại buổi sinh hoạt"
        " {cell} ({meeting}): nay đã được xác nhận và được tính cho quý.",
        "The committee office changed the decision on your check-in at {cell} ({meeting}): it"
        " is now confirmed and counts for the quarter.",
    ),
    "confirm.changed_denied": (
        "Văn phòng Quận ủy đã sửa quyết định về lượt điểm danh của đồng chí tại buổi sinh hoạt"
        " {cell} ({meeting}): nay ghi vắng, không được tính. Nếu có nhầm lẫn, hãy liên hệ Văn"
        " phòng Quận ủy.",
        "The committee office changed the decision on your check-in at {cell} ({meeting}): it"
        " is now recorded as absent and does not count. If this is a mistake, please contact"
        " the committee office.",
    ),
    # -- to the office, when no secretary can decide -------------------------------------------
    "confirm.office_request": (
        "📋 Đồng chí {member} (Quận ủy viên) điểm danh lúc {time} tại buổi sinh hoạt của {cell}"
        " ({when}). {why} Đề nghị Văn phòng Quận ủy xác nhận.",
        "📋 {member} (committee member) checked in at {time} at the meeting of {cell} ({when})."
        " {why} The committee office is asked to decide.",
    ),
    "confirm.why_own": (
        "Đồng chí {member} là bí thư chi bộ này, nên không tự xác nhận lượt điểm danh của mình.",
        "{member} is this cell's secretary and does not decide their own check-in.",
    ),
    "confirm.why_no_secretary": (
        "Chi bộ chưa có bí thư trong danh sách.",
        "The cell has no secretary on the roster.",
    ),
    "confirm.why_not_linked": (
        "Bí thư chi bộ chưa liên kết với bot.",
        "The cell's secretary is not linked to the bot.",
    ),
    "confirm.why_blocked": (
        "Bí thư chi bộ đã chặn bot.",
        "The cell's secretary has blocked the bot.",
    ),
}
