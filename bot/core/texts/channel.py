"""Texts of /channel: which chat app the bot's own messages go to."""

TEXTS = {
    "channel.current": (
        "Nhắc việc và thông báo của bot đang gửi qua {channel} ({why}).\n"
        "Đồng chí đã liên kết: {linked}. Đổi: /channel telegram hoặc /channel zalo.",
        "Reminders and notices go to {channel} ({why}).\n"
        "You are linked on: {linked}. To change: /channel telegram or /channel zalo.",
    ),
    "channel.why_chosen": ("đồng chí đã chọn", "your choice"),
    "channel.why_last": ("kênh đồng chí dùng gần nhất", "the one you used last"),
    "channel.only_one": (
        "Nhắc việc và thông báo của bot gửi qua {channel}, kênh duy nhất đồng chí đã liên kết. "
        "Để nhận qua kênh khác, gửi mã mời cho bot trên kênh đó.",
        "Reminders and notices go to {channel}, the only app you are linked on. To get them "
        "elsewhere, send your invite token to the bot there.",
    ),
    "channel.usage": (
        '"{text}" không phải là kênh. Gõ /channel telegram hoặc /channel zalo.',
        '"{text}" is not a channel. Type /channel telegram or /channel zalo.',
    ),
    "channel.not_linked": (
        "Đồng chí chưa liên kết {channel} với bot, nên chưa chọn được. Gửi mã mời cho bot trên "
        "{channel} trước, rồi gõ lại lệnh này.",
        "You are not linked on {channel} yet, so it cannot be chosen. Send your invite token to "
        "the bot on {channel} first, then try again.",
    ),
    "channel.chosen": (
        "Từ nay nhắc việc và thông báo của bot gửi qua {channel}.",
        "From now on, reminders and notices go to {channel}.",
    ),
}
