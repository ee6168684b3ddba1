"""Texts of linking, help, language and the command menus."""

TEXTS = {
    "start.share_phone": (
        "Chào đồng chí! Để bot nhận ra đồng chí trong danh sách của Quận ủy, hãy bấm nút"
        ' "Chia sẻ số điện thoại" bên dưới, hoặc mở đường link mời do Văn phòng Quận ủy gửi.',
        "Welcome! So that the bot can find you on the committee's roster, tap \"Share my phone"
        ' number" below, or open the invite link the committee office sent you.',
    ),
    "start.need_invite": (
        "Chào đồng chí! Hãy gửi cho bot mã mời do Văn phòng Quận ủy cấp (gõ /start MÃ hoặc chỉ gõ"
        " mã). Chưa có mã? Hãy liên hệ Văn phòng Quận ủy.",
        "Welcome! Send the bot the invite code the committee office gave you (type /start CODE,"
        " or just the code). No code yet? Contact the committee office.",
    ),
    "start.share_button": ("Chia sẻ số điện thoại", "Share my phone number"),
    "start.invite_unknown": (
        "Mã mời không đúng. Hãy kiểm tra lại đường link, hoặc xin Văn phòng Quận ủy mã mới.",
        "This invite code is not valid. Check the link, or ask the committee office for a new one.",
    ),
    "start.invite_used": (
        "Mã mời này đã được dùng. Mỗi mã chỉ dùng một lần; hãy xin Văn phòng Quận ủy mã mới.",
        "This invite has already been used. Each works once; ask the committee office for a new one.",
    ),
    "start.invite_expired": (
        "Mã mời này đã hết hạn. Hãy xin Văn phòng Quận ủy mã mới.",
        "This invite has expired. Ask the committee office for a new one.",
    ),
    "start.contact_not_own": (
        'Chỉ nhận số điện thoại của chính đồng chí. Hãy bấm nút "Chia sẻ số điện thoại".',
        'Only your own phone number is accepted. Tap "Share my phone number".',
    ),
    "start.phone_unknown": (
        "Số điện thoại này không có trong danh sách của Quận ủy. Hãy liên hệ Văn phòng Quận ủy.",
        "This phone number is not on the committee's roster. Please contact the committee office.",
    ),
    "start.not_on_roster": (
        "Đồng chí không còn trong danh sách của Quận ủy. Hãy liên hệ Văn phòng Quận ủy.",
        "You are no longer on the committee's roster. Please contact the committee office.",
    ),
    "start.welcome": (
        "Xin chào đồng chí {name}! Đồng chí có thể dùng các lệnh:\n{commands}",
        "Hello {name}! You can use these commands:\n{commands}",
    ),
    "help.stranger": (
        "Bot giúp Quận ủy viên theo dõi việc dự sinh hoạt chi bộ hằng quý. Để dùng bot, đồng chí"
        " hãy mở đường link mời do Văn phòng Quận ủy gửi, hoặc gõ /start để chia sẻ số điện"
        " thoại.",
        "This bot helps committee members keep their quarterly visits to cell meetings. To use"
        " it, open the invite link the committee office sent you, or type /start to share your"
        " phone number.",
    ),
    "help.stranger_token": (
        "Bot giúp Quận ủy viên theo dõi việc dự sinh hoạt chi bộ hằng quý. Để dùng bot, đồng chí"
        " hãy gửi cho bot mã mời do Văn phòng Quận ủy cấp (gõ /start MÃ hoặc chỉ gõ mã).",
        "This bot helps committee members keep their quarterly visits to cell meetings. To use"
        " it, send the bot the invite code the committee office gave you (type /start CODE, or"
        " just the code).",
    ),
    "help.linked": (
        "Đồng chí {name}, các lệnh của đồng chí:\n{commands}",
        "{name}, your commands:\n{commands}",
    ),
    "help.hint": (
        "Bot chưa hiểu tin nhắn này. Gõ /help để xem các lệnh.",
        "The bot did not understand that. Type /help to see the commands.",
    ),
    "lang.usage": (
        "Chọn ngôn ngữ: /lang vi (Tiếng Việt) hoặc /lang en (English).",
        "Choose a language: /lang vi (Tiếng Việt) or /lang en (English).",
    ),
    "lang.set": ("Đã chuyển sang Tiếng Việt.", "The bot now speaks English."),
    "menu.start": ("Bắt đầu, liên kết tài khoản", "Start: link your account"),
    "menu.help": ("Các lệnh dùng được", "What you can do"),
    "menu.lang": ("Ngôn ngữ: /lang vi hoặc /lang en", "Language: /lang vi or /lang en"),
    "menu.channel": ("Nhận tin qua Telegram hay Zalo", "Get messages on Telegram or Zalo"),
    "menu.meetings": ("Lịch sinh hoạt sắp tới (/lich)", "Upcoming meetings"),
    "menu.checkin": ("Điểm danh tại buổi sinh hoạt (/diemdanh)", "Check in at a meeting"),
    "menu.note": ("Nhận xét buổi sinh hoạt (/nhanxet)", "Note on the meeting's quality"),
    "menu.status": ("Tiến độ quý này (/tiendo)", "Your progress this quarter"),
    "menu.schedule": (
        "Đặt, dời hoặc hủy lịch sinh hoạt chi bộ (/datlich)",
        "Set, move or cancel your cell's meetings",
    ),
    "menu.confirm": ("Xác nhận người dự (/xacnhan)", "Confirm who attended"),
    "menu.report": ("Báo cáo tiến độ quý (/baocao)", "Coverage report of the quarter"),
    "menu.flags": ("Chi bộ có khó khăn, vướng mắc (/khokhan)", "Cells flagged with difficulties"),
}
