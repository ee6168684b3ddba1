"""Texts of /schedule: a cell secretary sets the cell's next meeting."""

from bot.core.plural import Plural

TEXTS = {
    "schedule.usage": (
        "Hãy gõ ngày và giờ sinh hoạt, có thể thêm địa điểm, ví dụ:\n"
        "/schedule {dm} 19h30\n/schedule {dmy} 08:00 Hội trường tầng 2\n"
        "(ngày viết NGÀY/THÁNG, NGÀY/THÁNG/NĂM hoặc NĂM-THÁNG-NGÀY; giờ viết 19:30, 19h30"
        " hoặc 19g30)",
        "Type the date and time of the meeting, and the place if it is not the usual one, e.g.:\n"
        "/schedule {dm} 19:30\n/schedule {dmy} 08:00 Meeting room, 2nd floor\n"
        "(date as DAY/MONTH, DAY/MONTH/YEAR or YEAR-MONTH-DAY; time as 19:30 or 19h30)",
    ),
    # Why a typed date and time is none, followed by schedule.retry or schedule.retry_move.
    "schedule.bad_time": (
        '"{given}" không phải ngày giờ hợp lệ.',
        '"{given}" is not a valid date and time.',
    ),
    "schedule.no_such_day": (
        Plural("Không có ngày {date}: {month} năm {year} chỉ có {count} ngày."),
        Plural(
            one="There is no {date}: {month} has {count} day in {year}.",
            other="There is no {date}: {month} has {count} days in {year}.",
        ),
    ),
    "schedule.no_such_month": (
        "Không có tháng {month}: tháng viết từ 1 đến 12.",
        "There is no month {month}: months go from 1 to 12.",
    ),
    "schedule.no_such_time": (
        "Không có giờ {given}: giờ viết từ 00:00 đến 23:59.",
        "There is no time {given}: times go from 00:00 to 23:59.",
    ),
    "schedule.retry": (
        "Hãy gõ, ví dụ:\n/schedule {dm} 19h30\n/schedule {dmy} 08:00 Hội trường tầng 2\n"
        "(ngày viết NGÀY/THÁNG, NGÀY/THÁNG/NĂM hoặc NĂM-THÁNG-NGÀY; giờ viết 19:30, 19h30"
        " hoặc 19g30)",
        "Type, for example:\n/schedule {dm} 19:30\n/schedule {dmy} 08:00 Meeting room, 2nd floor\n"
        "(date as DAY/MONTH, DAY/MONTH/YEAR or YEAR-MONTH-DAY; time as 19:30 or 19h30)",
    ),
    "schedule.retry_move": (
        "Hãy gõ lại ngày và giờ mới, ví dụ: {dm} 19h30 (hoặc gõ /schedule để xem lại danh sách).",
        "Type the new date and time again, e.g. {dm} 19:30 (or send /schedule for the list).",
    ),
    # /schedule alone: the coming meetings, to move or cancel.
    "schedule.coming_header": (
        "Các buổi sinh hoạt sắp tới (bấm Dời hoặc Hủy để thay đổi):",
        "Coming meetings (tap Move or Cancel to change one):",
    ),
    "schedule.coming_line": (
        "• {cell} ({cell_code})\n    {when}, {venue}",
        "• {cell} ({cell_code})\n    {when}, {venue}",
    ),
    "schedule.none_coming": (
        "Chi bộ chưa có buổi sinh hoạt nào sắp tới.",
        "Your cell has no meeting coming.",
    ),
    "schedule.button_move": ("Dời: {cell_code} {day}", "Move: {cell_code} {day}"),
    "schedule.button_cancel": ("Hủy: {cell_code} {day}", "Cancel: {cell_code} {day}"),
    "schedule.ask_new_time": (
        "Dời buổi sinh hoạt {cell} ({when}) sang lúc nào? Gõ ngày và giờ mới, có thể thêm địa"
        " điểm, ví dụ: {dm} 19h30",
        "Move the meeting of {cell} ({when}) to when? Type the new date and time, and the"
        " place if it changes, e.g. {dm} 19:30",
    ),
    "schedule.ask_cancel": (
        "Hủy buổi sinh hoạt {cell} ({when})? Các Quận ủy viên đã báo sẽ dự, và những đồng chí"
        " chưa dự sinh hoạt ở cơ sở đảng này trong quý, sẽ được báo.",
        "Cancel the meeting of {cell} ({when})? The committee members who said they would"
        " attend, or have not visited this quarter, will be told.",
    ),
    "schedule.yes_cancel": ("Có, hủy buổi này", "Yes, cancel it"),
    "schedule.kept": (
        "Không hủy; buổi sinh hoạt vẫn giữ nguyên.",
        "Not cancelled; the meeting stays as it was.",
    ),
    "schedule.change_not_found": (
        "Không tìm thấy buổi sinh hoạt này trong các buổi sắp tới của chi bộ đồng chí. Không có"
        " gì thay đổi; gõ /schedule để xem danh sách.",
        "That meeting is not one of your cell's coming meetings. Nothing was changed; send"
        " /schedule for the list.",
    ),
    "schedule.change_cancelled": (
        "Buổi sinh hoạt {cell} ({when}) đã bị hủy hoặc đã dời rồi. Gõ /schedule để xem danh"
        " sách mới.",
        "The meeting of {cell} ({when}) was already cancelled or moved. Send /schedule for the"
        " current list.",
    ),
    "schedule.change_started": (
        "Buổi sinh hoạt {cell} ({when}) đã bắt đầu hoặc đã qua, nên không dời hay hủy được.",
        "The meeting of {cell} ({when}) has started or passed, so it can no longer be moved or"
        " cancelled.",
    ),
    "schedule.change_checked_in": (
        "Đã có Quận ủy viên điểm danh ở buổi sinh hoạt {cell} ({when}), nên không dời hay hủy"
        " được. Nếu cần, hãy liên hệ Văn phòng Quận ủy.",
        "A committee member has checked in at the meeting of {cell} ({when}), so it can no"
        " longer be moved or cancelled. If need be, contact the committee office.",
    ),
    "schedule.moved": (
        "Đã dời buổi sinh hoạt {cell} từ {when} sang {new}.\nĐịa điểm: {venue}\n{told}",
        "The meeting of {cell} moved from {when} to {new}.\nPlace: {venue}\n{told}",
    ),
    "schedule.cancelled": (
        "Đã hủy buổi sinh hoạt {cell} ({when}).\n{told}",
        "The meeting of {cell} ({when}) is cancelled.\n{told}",
    ),
    "schedule.change_told": (
        Plural("Đã báo cho {count} Quận ủy viên."),
        Plural(
            one="{count} committee member was told.", other="{count} committee members were told."
        ),
    ),
    "schedule.change_not_told": (
        Plural(
            "{count} Quận ủy viên chưa được báo vì bot không liên lạc được (chưa liên kết hoặc"
            " đã chặn bot)."
        ),
        Plural(
            one="{count} committee member could not be told: the bot cannot reach them (not"
            " linked, or blocked it).",
            other="{count} committee members could not be told: the bot cannot reach them (not"
            " linked, or blocked it).",
        ),
    ),
    "schedule.change_told_none": (
        "Không có Quận ủy viên nào cần báo.",
        "There was no committee member to tell.",
    ),
    "schedule.member_moved_planned": (
        "📆 {cell} ({organization}) dời buổi sinh hoạt {when} sang {new}, tại {venue}.\n"
        "Đồng chí vẫn được ghi là sẽ dự; bot sẽ nhắc theo giờ mới.",
        "📆 {cell} ({organization}) moved its meeting of {when} to {new}, at {venue}.\n"
        "You are still down as attending; reminders follow the new time.",
    ),
    "schedule.member_moved": (
        "📆 {cell} ({organization}) dời buổi sinh hoạt {when} sang {new}, tại {venue}.",
        "📆 {cell} ({organization}) moved its meeting of {when} to {new}, at {venue}.",
    ),
    "schedule.member_cancelled": (
        "❌ {cell} ({organization}) hủy buổi sinh hoạt {when}. Gõ /meetings để chọn buổi khác.",
        "❌ {cell} ({organization}) cancelled its meeting of {when}. Send /meetings to pick"
        " another.",
    ),
    "schedule.confirm_soon": (
        "{when} chỉ còn chưa đầy một giờ nữa: các Quận ủy viên có thể không kịp đến."
        " Vẫn đặt lịch vào giờ này?",
        "{when} is less than an hour from now: committee members may not make it in time."
        " Set the meeting at this time anyway?",
    ),
    "schedule.confirm_night": (
        "{when} là ban đêm (sau 22:00 hoặc trước 05:00). Vẫn đặt lịch vào giờ này?",
        "{when} is at night (after 22:00 or before 05:00). Set the meeting at this time anyway?",
    ),
    "schedule.yes": ("Có, giữ giờ này", "Yes, keep this time"),
    "schedule.no": ("Không", "No"),
    "schedule.declined": (
        "Chưa đặt lịch; không có gì thay đổi. Gõ lại /schedule với ngày giờ khác.",
        "Nothing was set. Send /schedule again with another date and time.",
    ),
    "schedule.declined_move": (
        "Chưa dời buổi sinh hoạt; không có gì thay đổi. Hãy gõ ngày giờ khác (hoặc /schedule"
        " để xem lại danh sách).",
        "The meeting was not moved; nothing was changed. Type another date and time (or send"
        " /schedule for the list).",
    ),
    "schedule.past": (
        "{when} đã qua. Hãy chọn một thời điểm sau {now}.",
        "{when} is already past. Choose a time after {now}.",
    ),
    "schedule.too_far": (
        Plural(
            "{when} còn quá xa: chỉ đặt lịch trước tối đa {count} ngày (đến {last})."
            " Hãy kiểm tra lại năm và tháng."
        ),
        Plural(
            one="{when} is too far ahead: meetings can be set at most {count} day ahead"
            " (until {last}). Check the year and the month.",
            other="{when} is too far ahead: meetings can be set at most {count} days ahead"
            " (until {last}). Check the year and the month.",
        ),
    ),
    "schedule.taken": (
        "{cell} đã có buổi sinh hoạt lúc {when}. Không có gì thay đổi; hãy chọn giờ khác.",
        "{cell} already meets at {when}. Nothing was changed; choose another time.",
    ),
    "schedule.venue_too_long": (
        Plural("Địa điểm dài quá {count} ký tự. Hãy viết ngắn gọn hơn."),
        Plural(
            one="The place is longer than {count} character. Please write it shorter.",
            other="The place is longer than {count} characters. Please write it shorter.",
        ),
    ),
    "schedule.pick_cell": (
        "Đồng chí là bí thư của nhiều chi bộ. Đặt lịch {when} cho chi bộ nào?",
        "You are the secretary of several cells. Which one meets at {when}?",
    ),
    "schedule.not_your_cell": (
        "Đồng chí không phải bí thư của chi bộ này, nên không đặt lịch cho chi bộ này được.",
        "You are not the secretary of that cell, so you cannot set its meetings.",
    ),
    "schedule.stale_choice": (
        "Lựa chọn này không còn hiệu lực. Hãy gõ lại lệnh /schedule với ngày giờ sinh hoạt.",
        "That choice is no longer valid. Send /schedule again with the date and time.",
    ),
    "schedule.done": (
        "Đã đặt lịch sinh hoạt {cell}:\n{when}\nĐịa điểm: {venue}\n{told}",
        "Meeting set for {cell}:\n{when}\nPlace: {venue}\n{told}",
    ),
    "schedule.told_some": (
        Plural(
            "Đã báo cho {count} Quận ủy viên chưa có lượt dự được xác nhận ở {organization}"
            " trong quý."
        ),
        Plural(
            one="{count} committee member with no confirmed visit to {organization} this"
            " quarter was told.",
            other="{count} committee members with no confirmed visit to {organization} this"
            " quarter were told.",
        ),
    ),
    "schedule.not_told": (
        Plural(
            "{count} Quận ủy viên chưa có lượt dự được xác nhận ở {organization} chưa được báo vì"
            " bot không liên lạc được (chưa liên kết hoặc đã chặn bot)."
        ),
        Plural(
            one="{count} committee member with no confirmed visit to {organization} could not"
            " be told: the bot cannot reach them (not linked, or blocked it).",
            other="{count} committee members with no confirmed visit to {organization} could"
            " not be told: the bot cannot reach them (not linked, or blocked it).",
        ),
    ),
    "schedule.told_none": (
        "Các Quận ủy viên được phân công ở {organization} đều đã dự sinh hoạt trong quý,"
        " nên không báo thêm ai.",
        "The committee members assigned to {organization} have all visited it this quarter,"
        " so no one else was told.",
    ),
    "schedule.usual_venue": ("địa điểm thường lệ của chi bộ", "the cell's usual place"),
    "schedule.member_told": (
        "{cell} ({organization}) sẽ sinh hoạt vào {when}, tại {venue}.\n"
        "Quý này đồng chí chưa có lượt dự sinh hoạt nào được xác nhận ở {organization}.",
        "{cell} ({organization}) meets on {when}, at {venue}.\n"
        "You have no confirmed visit to {organization} yet this quarter.",
    ),
    "schedule.member_told_no_venue": (
        "{cell} ({organization}) sẽ sinh hoạt vào {when}.\n"
        "Quý này đồng chí chưa có lượt dự sinh hoạt nào được xác nhận ở {organization}.",
        "{cell} ({organization}) meets on {when}.\n"
        "You have no confirmed visit to {organization} yet this quarter.",
    ),
    "schedule.button_attend": ("Sẽ dự", "Will attend"),
}
