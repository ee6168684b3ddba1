"""Texts of /meetings (the upcoming meetings) and "Will attend"."""

from bot.core.plural import Plural

TEXTS = {
    "meetings.none": (
        Plural(
            "Trong {count} ngày tới chưa có lịch sinh hoạt nào của các chi bộ thuộc cơ sở đảng"
            " được phân công cho đồng chí. Khi bí thư chi bộ đặt lịch ở cơ sở đảng đồng chí chưa"
            " dự sinh hoạt trong quý, bot sẽ báo đồng chí."
        ),
        Plural(
            one="No meetings of your organizations' cells are scheduled in the next {count}"
            " day. You will be told when a secretary sets one at an organization you have not"
            " visited this quarter.",
            other="No meetings of your organizations' cells are scheduled in the next {count}"
            " days. You will be told when a secretary sets one at an organization you have not"
            " visited this quarter.",
        ),
    ),
    "meetings.header": (
        Plural(
            "Lịch sinh hoạt {count} ngày tới. Chi bộ có khó khăn, vướng mắc và cơ sở đảng đồng"
            " chí chưa dự sinh hoạt trong quý được xếp trước:"
        ),
        Plural(
            one="Meetings in the next {count} day. Cells with difficulties and organizations"
            " you have not visited this quarter come first:",
            other="Meetings in the next {count} days. Cells with difficulties and organizations"
            " you have not visited this quarter come first:",
        ),
    ),
    "meetings.line": (
        "• {cell} ({cell_code}), {organization}\n    {when}, {venue}{marks}",
        "• {cell} ({cell_code}), {organization}\n    {when}, {venue}{marks}",
    ),
    "meetings.line_base_cell": (
        "• {cell} ({cell_code})\n    {when}, {venue}{marks}",
        "• {cell} ({cell_code})\n    {when}, {venue}{marks}",
    ),
    "meetings.no_venue": ("chưa có địa điểm", "venue not set"),
    "meetings.flagged_mark": (" ⚠️ khó khăn", " ⚠️ difficulties"),
    "meetings.planned_mark": (" ✓ sẽ dự", " ✓ will attend"),
    "meetings.header_next": (
        Plural("Lịch sinh hoạt {count} ngày tới (tiếp theo):"),
        Plural(
            one="Meetings in the next {count} day (continued):",
            other="Meetings in the next {count} days (continued):",
        ),
    ),
    "meetings.more": (
        "… và {count} buổi khác: bấm Xem thêm.",
        "… and {count} more: tap More.",
    ),
    "meetings.more_button": ("Xem thêm", "More"),
    "meetings.no_more": (
        "Danh sách đã thay đổi và không còn buổi nào để xem thêm. Gõ /meetings để xem lại từ đầu.",
        "The list has changed and there is nothing more to show. Send /meetings to see it from"
        " the top.",
    ),
    "meetings.pick": (
        'Bấm "Sẽ dự" để báo trước cho bí thư chi bộ.',
        'Tap "Will attend" to let the cell\'s secretary know you are coming.',
    ),
    "meetings.attend_button": ("Sẽ dự: {cell_code} {day}", "Will attend: {cell_code} {day}"),
    "meetings.planned": (
        "Đã ghi nhận: đồng chí sẽ dự sinh hoạt {cell} lúc {when}. Bot đã báo bí thư chi bộ.",
        "Noted: you will attend the meeting of {cell} on {when}. The cell's secretary has been"
        " told.",
    ),
    "meetings.planned_no_secretary": (
        "Đã ghi nhận: đồng chí sẽ dự sinh hoạt {cell} lúc {when}. Chi bộ chưa có bí thư trong"
        " danh sách nên bot chưa báo được; hãy liên hệ Văn phòng Quận ủy.",
        "Noted: you will attend the meeting of {cell} on {when}. The cell has no secretary on the"
        " roster, so nobody could be told; please contact the committee office.",
    ),
    "meetings.planned_not_told": (
        "Đã ghi nhận: đồng chí sẽ dự sinh hoạt {cell} lúc {when}. Bot không liên lạc được với bí"
        " thư chi bộ nên chưa báo được; nếu cần, hãy báo trực tiếp.",
        "Noted: you will attend the meeting of {cell} on {when}. The bot cannot reach the cell's"
        " secretary, so nobody was told; tell them yourself if need be.",
    ),
    "meetings.planned_own_cell": (
        "Đã ghi nhận: đồng chí sẽ dự sinh hoạt {cell} lúc {when}.",
        "Noted: you will attend the meeting of {cell} on {when}.",
    ),
    "meetings.already_planned": (
        "Đồng chí đã báo sẽ dự buổi sinh hoạt {cell} lúc {when} rồi; không cần báo lại.",
        "Already noted: you will attend the meeting of {cell} on {when}.",
    ),
    "meetings.not_found": (
        "Không tìm thấy buổi sinh hoạt này. Gõ /meetings để xem lịch mới.",
        "That meeting does not exist. Send /meetings for the current list.",
    ),
    "meetings.not_yours": (
        "Buổi sinh hoạt này không thuộc cơ sở đảng được phân công cho đồng chí. Gõ /meetings để"
        " xem lịch của đồng chí.",
        "That meeting is not one of your organizations'. Send /meetings to see yours.",
    ),
    "meetings.past": (
        "Buổi sinh hoạt {cell} lúc {when} đã bắt đầu hoặc đã qua. Gõ /meetings để chọn buổi khác.",
        "The meeting of {cell} on {when} has already started or passed. Send /meetings to pick"
        " another.",
    ),
    "meetings.cancelled": (
        "Buổi sinh hoạt {cell} lúc {when} đã bị hủy. Gõ /meetings để xem lịch mới.",
        "The meeting of {cell} on {when} was cancelled. Send /meetings for the current list.",
    ),
    "meetings.secretary_told": (
        "Đồng chí {member} (Quận ủy viên) báo sẽ dự buổi sinh hoạt của {cell} lúc {when}.",
        "{member} (committee member) will attend the meeting of {cell} on {when}.",
    ),
}
