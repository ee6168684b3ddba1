"""Texts of /schedule: a cell secretary sets the cell's next meeting."""

TEXTS = {
    "schedule.usage": (
        "Hãy gõ ngày và giờ sinh hoạt, có thể thêm địa điểm, ví dụ:\n"
        "/schedule {iso} 08:00\n/schedule {dmy} 08:00 Hội trường tầng 2\n"
        "(ngày viết NĂM-THÁNG-NGÀY hoặc NGÀY/THÁNG/NĂM, giờ viết GIỜ:PHÚT)",
        "Type the date and time of the meeting, and the place if it is not the usual one, e.g.:\n"
        "/schedule {iso} 08:00\n/schedule {dmy} 08:00 Meeting room, 2nd floor\n"
        "(date as YEAR-MONTH-DAY or DAY/MONTH/YEAR, time as HOURS:MINUTES)",
    ),
    "schedule.bad_time": (
        '"{given}" không phải ngày giờ hợp lệ. Hãy gõ, ví dụ:\n'
        "/schedule {iso} 08:00\n/schedule {dmy} 08:00 Hội trường tầng 2\n"
        "(ngày viết NĂM-THÁNG-NGÀY hoặc NGÀY/THÁNG/NĂM, giờ viết GIỜ:PHÚT)",
        '"{given}" is not a valid date and time. Type, for example:\n'
        "/schedule {iso} 08:00\n/schedule {dmy} 08:00 Meeting room, 2nd floor\n"
        "(date as YEAR-MONTH-DAY or DAY/MONTH/YEAR, time as HOURS:MINUTES)",
    ),
    "schedule.past": (
        "{when} đã qua. Hãy chọn một thời điểm sau {now}.",
        "{when} is already past. Choose a time after {now}.",
    ),
    "schedule.too_far": (
        "{when} còn quá xa: chỉ đặt lịch trước tối đa {days} ngày (đến {last})."
        " Hãy kiểm tra lại năm và tháng.",
        "{when} is too far ahead: meetings can be set at most {days} days ahead (until {last})."
        " Check the year and the month.",
    ),
    "schedule.taken": (
        "{cell} đã có buổi sinh hoạt lúc {when}. Không có gì thay đổi; hãy chọn giờ khác.",
        "{cell} already meets at {when}. Nothing was changed; choose another time.",
    ),
    "schedule.venue_too_long": (
        "Địa điểm dài quá {limit} ký tự. Hãy viết ngắn gọn hơn.",
        "The place is longer than {limit} characters. Please write it shorter.",
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
        "Đã báo cho {count} Quận ủy viên chưa có lượt dự được xác nhận ở {organization} trong quý.",
        "{count} committee member(s) with no confirmed visit to {organization} this quarter"
        " were told.",
    ),
    "schedule.not_told": (
        "{count} Quận ủy viên chưa có lượt dự được xác nhận ở {organization} chưa được báo vì bot"
        " không liên lạc được (chưa liên kết hoặc đã chặn bot).",
        "{count} committee member(s) with no confirmed visit to {organization} could not be"
        " told: the bot cannot reach them (not linked, or blocked it).",
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
