"""Texts of the scheduler's messages: reminders, suggestions, nudges, chases."""

TEXTS = {
    # The meeting's time, never the time left: quiet hours may hold a reminder back.
    "reminders.before_meeting": (
        "🔔 Nhắc lịch: đồng chí sẽ dự sinh hoạt {cell} ({organization})\n🕗 {when}\n📍 {venue}",
        "🔔 Reminder: you will attend the meeting of {cell} ({organization})\n"
        "🕗 {when}\n📍 {venue}",
    ),
    "reminders.checkin_open": (
        "✅ Đã mở điểm danh buổi sinh hoạt {cell} ({organization}) lúc {when}.\n"
        "Khi có mặt, đồng chí bấm Điểm danh.",
        "✅ Check-in is open for the meeting of {cell} ({organization}) at {when}.\n"
        "Once you are there, tap Check in.",
    ),
    "reminders.suggestion": (
        "📅 Gợi ý tuần này: quý này đồng chí chưa dự sinh hoạt ở {count} cơ sở đảng được phân"
        " công.\n{options}",
        "📅 This week: you have not yet attended a meeting at {count} of your organizations"
        " this quarter.\n{options}",
    ),
    # {days_left}: common.days_left.
    "reminders.nudge": (
        "⏳ Chỉ {days_left} là hết {quarter}: đồng chí chưa dự sinh hoạt ở {count} cơ sở đảng"
        " được phân công.\n{options}",
        "⏳ {quarter} has {days_left}: you have not yet attended a meeting at {count} of your"
        " organizations.\n{options}",
    ),
    "reminders.option_organization": ("• {organization} ({code}):", "• {organization} ({code}):"),
    "reminders.option_meeting": ("   – {when} {cell}{marks}", "   – {when} {cell}{marks}"),
    "reminders.option_no_meeting": (
        "   – chưa có lịch sinh hoạt; đồng chí hãy hỏi bí thư chi bộ",
        "   – no meeting set yet; ask the cell's secretary",
    ),
    "reminders.confirm_chase": (
        "⌛ Đồng chí {member} điểm danh buổi sinh hoạt {cell} ({when}) đã hơn 24 giờ mà chưa"
        " được xác nhận.\nĐề nghị đồng chí xác nhận có mặt hay vắng.",
        "⌛ {member} checked in at the meeting of {cell} ({when}) over 24 hours ago and is still"
        " waiting for a decision.\nPlease confirm or mark absent.",
    ),
    "reminders.office_escalation": (
        "⌛ Đồng chí {member} điểm danh buổi sinh hoạt {cell} ({when}) đã hơn {waited} mà chưa"
        " được xác nhận.\nĐề nghị Văn phòng Quận ủy xác nhận có mặt hay vắng.",
        "⌛ {member} checked in at the meeting of {cell} ({when}) over {waited} ago and is still"
        " waiting for a decision.\nThe committee office is asked to confirm or mark absent.",
    ),
    "reminders.schedule_chase": (
        "📆 {cell} chưa có lịch sinh hoạt tháng {month}.\n"
        "Đề nghị đồng chí đặt lịch: gõ /datlich NGÀY GIỜ, ví dụ /datlich {example}",
        "📆 {cell} has no meeting set for {month} yet.\n"
        "Please set one: send /schedule DATE TIME, e.g. /schedule {example}",
    ),
}
