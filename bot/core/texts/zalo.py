"""Texts of the Zalo channel: what it says about what Zalo cannot carry."""

TEXTS = {
    "zalo.please_type": (
        "Bot chỉ đọc được tin nhắn chữ, và ảnh buổi sinh hoạt gửi kèm nhận xét. Hãy gõ lệnh"
        " (ví dụ /help) hoặc gõ số của lựa chọn trong danh sách vừa gửi.",
        "The bot only reads text, and photos of a meeting sent with its note. Type a command"
        " (for example /help) or the number of a choice from the last list.",
    ),
    "zalo.file_elsewhere": (
        "📎 Tệp {name} không gửi được qua Zalo. Đồng chí xem tệp này trên Telegram (nếu đã"
        " liên kết) hoặc xin Văn phòng Quận ủy (lệnh checkin-bot digest).",
        "📎 The file {name} cannot be sent on Zalo. See it on Telegram (if you are linked there)"
        " or ask the committee office for it (the checkin-bot digest command).",
    ),
}
