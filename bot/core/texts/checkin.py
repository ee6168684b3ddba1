"""Texts of /checkin and of the check-in itself."""

from bot.core.plural import Plural

TEXTS = {
    "checkin.open_header": (
        "Các buổi sinh hoạt đang mở điểm danh:",
        "Meetings open for check-in now:",
    ),
    "checkin.open_line": (
        "• {cell} ({cell_code}): {when}, {venue}",
        "• {cell} ({cell_code}): {when}, {venue}",
    ),
    "checkin.button": ("Điểm danh: {cell_code}", "Check in: {cell_code}"),
    "checkin.checked_in_mark": (" ✓ đã điểm danh", " ✓ checked in"),
    "checkin.all_checked_in": (
        "Đồng chí đã điểm danh ở các buổi sinh hoạt đang mở điểm danh. Sau buổi sinh hoạt, gõ"
        " /note (/nhanxet) để nhận xét.",
        "You have checked in at the meetings open for check-in. After the meeting, send /note"
        " to write a note on it.",
    ),
    "checkin.none_open": (
        "Hiện không có buổi sinh hoạt nào đang mở điểm danh. Buổi gần nhất: {cell} {when};"
        " điểm danh mở từ {opens}.",
        "No meeting is open for check-in now. Next meeting: {cell} {when}; check-in opens at"
        " {opens}.",
    ),
    "checkin.none_coming": (
        Plural(
            "Hiện không có buổi sinh hoạt nào đang mở điểm danh, và chưa có lịch sinh hoạt nào"
            " trong {count} ngày tới."
        ),
        Plural(
            one="No meeting is open for check-in now, and none is scheduled in the next {count}"
            " day.",
            other="No meeting is open for check-in now, and none is scheduled in the next"
            " {count} days.",
        ),
    ),
    "checkin.done": (
        "Đã điểm danh tại buổi sinh hoạt {cell} lúc {time}. {decides}"
        " Sau buổi sinh hoạt, đồng chí gõ /note (/nhanxet) để nhận xét chất lượng buổi sinh hoạt.",
        "Checked in at the meeting of {cell} at {time}. {decides}"
        " After the meeting, send /note to write a note on its quality.",
    ),
    # Who will decide the check-in: said only as it is (a secretary asked means a message to
    # them was queued), else why the committee office decides.
    "checkin.secretary_asked": (
        "Bí thư {cell} đã được đề nghị xác nhận.",
        "The secretary of {cell} has been asked to confirm it.",
    ),
    "checkin.office_decides_own": (
        "Đồng chí là bí thư chi bộ này, nên Văn phòng Quận ủy sẽ xác nhận.",
        "You are this cell's secretary, so the committee office will decide.",
    ),
    "checkin.office_decides_no_secretary": (
        "Chi bộ chưa có bí thư trong danh sách, nên Văn phòng Quận ủy sẽ xác nhận.",
        "The cell has no secretary on the roster, so the committee office will decide.",
    ),
    "checkin.office_decides_not_linked": (
        "Bí thư chi bộ chưa liên kết với bot, nên Văn phòng Quận ủy sẽ xác nhận.",
        "The cell's secretary is not linked to the bot, so the committee office will decide.",
    ),
    "checkin.office_decides_blocked": (
        "Bot không liên lạc được với bí thư chi bộ, nên Văn phòng Quận ủy sẽ xác nhận.",
        "The bot cannot reach the cell's secretary, so the committee office will decide.",
    ),
    "checkin.already": (
        "Đồng chí đã điểm danh lúc {time} tại buổi sinh hoạt {cell}; không cần điểm danh lại.",
        "You already checked in at {time} at the meeting of {cell}.",
    ),
    "checkin.not_yet": (
        "Chưa đến giờ điểm danh buổi sinh hoạt {cell} ({when}): điểm danh mở từ {opens} đến"
        " {closes}.",
        "Check-in for the meeting of {cell} ({when}) is not open yet: it opens at {opens} and"
        " closes at {closes}.",
    ),
    "checkin.closed": (
        "Đã hết giờ điểm danh buổi sinh hoạt {cell} ({when}): điểm danh chỉ mở từ {opens} đến"
        " {closes}. Nếu đồng chí đã dự, hãy báo bí thư chi bộ.",
        "Check-in for the meeting of {cell} ({when}) has closed: it was open from {opens} to"
        " {closes}. If you attended, tell the cell's secretary.",
    ),
    "checkin.cancelled": (
        "Buổi sinh hoạt {cell} lúc {when} đã bị hủy, nên không điểm danh được. Gõ /checkin để"
        " xem các buổi đang mở điểm danh.",
        "The meeting of {cell} on {when} was cancelled, so there is no checking in. Send"
        " /checkin to see the meetings open for check-in.",
    ),
    "checkin.not_found": (
        "Không tìm thấy buổi sinh hoạt này. Gõ /checkin để xem các buổi đang mở điểm danh.",
        "That meeting does not exist. Send /checkin to see the meetings open for check-in.",
    ),
    "checkin.not_yours": (
        "Buổi sinh hoạt này không thuộc cơ sở đảng được phân công cho đồng chí, nên không điểm"
        " danh được. Gõ /checkin để xem các buổi của đồng chí.",
        "That meeting is not one of your organizations', so you cannot check in there. Send"
        " /checkin to see yours.",
    ),
    "checkin.secretary_request": (
        "Đồng chí {member} (Quận ủy viên) vừa điểm danh lúc {time} tại buổi sinh hoạt của {cell}"
        " ({when}). Đề nghị đồng chí xác nhận.",
        "{member} (committee member) checked in at {time} at the meeting of {cell} ({when})."
        " Please confirm.",
    ),
}
