"""Texts of the scheduler's messages: reminders, suggestions, nudges, chases."""

from bot.core.plural import Plural

TEXTS = {
    # The meeting's time, never the time left: quiet hours may hold a reminder back.
    "reminders.before_meeting": (
        "🔔 Nhắc lịch: đồng chí sẽ dự sinh hoạt {cell} ({organization})\n🕗 {when}\n📍 {venue}",
        "🔔 Reminder: you will attend the meeting of {cell} ({organization})\n"
        "🕗 {when}\n📍 {venue}",
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
    # {days_left}: common.days_left.
    "reminders.nudge": (
        Plural("⏳ Quý {quarter} chỉ {days_left}: bạn chưa dự họp ở {count} tổ chức.\n{options}"),
        Plural(
            one="⏳ Quarter {quarter} has {days_left}: you have not attended a meeting at"
            " {count} organization yet.\n{options}",
            other="⏳ Quarter {quarter} has {days_left}: you have not attended a meeting at"
            " {count} organizations yet.\n{options}",
        ),
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
        "📆 {cell} chưa có lịch họp tháng {month}.\n"
        "Gửi /datlich NGÀY GIỜ, ví dụ /datlich {example}",
        "📆 {cell} has no meeting set for {month} yet.\n"
        "Send /schedule DATE TIME, e.g. /schedule {example}",
    ),
}
