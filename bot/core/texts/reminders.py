"""Texts of the scheduler's messages: reminders, suggestions, nudges, chases."""

TEXTS = {
    "reminders.before_meeting": (
        "🔔 Nhắc lịch: bạn sẽ dự họp {cell} ({organization})\n"
        "🕗 {when}\n📍 {venue}\nCòn khoảng {left}.",
        "🔔 Reminder: you will attend the meeting of {cell} ({organization})\n"
        "🕗 {when}\n📍 {venue}\nAbout {left} to go.",
    ),
    "reminders.checkin_open": (
        "✅ Đã mở điểm danh buổi họp {cell} ({organization}) lúc {when}.\n"
        "Khi có mặt, bấm Điểm danh.",
        "✅ Check-in is open for the meeting of {cell} ({organization}) at {when}.\n"
        "Once you are there, tap Check in.",
    ),
    "reminders.suggestion": (
        "📅 Gợi ý tuần này: quý này bạn chưa dự họp ở {count} tổ chức được phân công.\n{options}",
        "📅 This week: you have not yet attended a meeting at {count} of your organizations "
        "this quarter.\n{options}",
    ),
    "reminders.nudge": (
        "⏳ Còn {days} ngày là hết quý {quarter}: bạn chưa dự họp ở {count} tổ chức.\n{options}",
        "⏳ {days} days left in quarter {quarter}: you have not attended a meeting at "
        "{count} organizations yet.\n{options}",
    ),
    "reminders.option_organization": ("• {organization} ({code}):", "• {organization} ({code}):"),
    "reminders.option_meeting": ("   – {when} {cell}{marks}", "   – {when} {cell}{marks}"),
    "reminders.option_no_meeting": (
        "   – chưa có lịch họp; hãy hỏi bí thư chi bộ",
        "   – no meeting set yet; ask the cell's secretary",
    ),
    "reminders.pick": (
        "Bấm Sẽ dự để báo bí thư chi bộ.",
        "Tap Will attend to tell the cell's secretary.",
    ),
    "reminders.confirm_chase": (
        "⌛ {member} đã điểm danh buổi họp {cell} lúc {when} và chờ xác nhận đã hơn 24 giờ.\n"
        "Xin xác nhận có mặt hay vắng.",
        "⌛ {member} checked in at the meeting of {cell} at {when} and has waited over "
        "24 hours for confirmation.\nPlease confirm or mark absent.",
    ),
    "reminders.office_escalation": (
        "⌛ Đồng chí {member} điểm danh buổi sinh hoạt {cell} ({when}) đã hơn {waited} mà chưa"
        " được xác nhận.\nĐề nghị Văn phòng Quận ủy xác nhận có mặt hay vắng.",
        "⌛ {member} checked in at the meeting of {cell} ({when}) over {waited} ago and is still"
        " waiting for a decision.\nPlease confirm or mark absent, for the committee office.",
    ),
    "reminders.schedule_chase": (
        "📆 Chi bộ {cell} chưa có lịch họp tháng {month}.\n"
        "Gửi /datlich NGÀY GIỜ, ví dụ /datlich {example}",
        "📆 Cell {cell} has no meeting set for {month} yet.\n"
        "Send /schedule DATE TIME, e.g. /schedule {example}",
    ),
    "reminders.left_days": ("{n} ngày", "{n} days"),
    "reminders.left_hours": ("{n} giờ", "{n} hours"),
    "reminders.left_minutes": ("{n} phút", "{n} minutes"),
}
