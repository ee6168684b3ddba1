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
    "schedule.bad_time": (
        '"{given}" không phải ngày giờ hợp lệ. Hãy gõ, ví dụ:\n'
        "/schedule {dm} 19h30\n/schedule {dmy} 08:00 Hội trường tầng 2\n"
        "(ngày viết NGÀY/THÁNG, NGÀY/THÁNG/NĂM hoặc NĂM-THÁNG-NGÀY; giờ viết 19:30, 19h30"
        " hoặc 19g30)",
        '"{given}" is not a valid date and time. Type, for example:\n'
        "/schedule {dm} 19:30\n/schedule {dmy} 08:00 Meeting room, 2nd floor\n"
        "(date as DAY/MONTH, DAY/MONTH/YEAR or YEAR-MONTH-DAY; time as 19:30 or 19h30)",
    ),
    "schedule.no_such_day": (
        Plural(
            "Không có ngày {date}: {month} năm {year} chỉ có {count} ngày. Hãy gõ lại /schedule"
            " với ngày đúng."
        ),
        Plural(
            one="There is no {date}: {month} has {count} day in {year}. Send /schedule again"
            " with a day that exists.",
            other="There is no {date}: {month} has {count} days in {year}. Send /schedule again"
            " with a day that exists.",
        ),
    ),
    "schedule.no_such_month": (
        "Không có tháng {month}: tháng viết từ 1 đến 12. Hãy gõ lại /schedule với ngày đúng.",
        "There is no month {month}: months go from 1 to 12. Send /schedule again with a day"
        " that exists.",
    ),
    "schedule.no_such_time": (
        "Không có giờ {given}: giờ viết từ 00:00 đến 23:59. Hãy gõ lại /schedule với giờ đúng.",
        "There is no time {given}: times go from 00:00 to 23:59. Send /schedule again with a"
        " time that exists.",
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
