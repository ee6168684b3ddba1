"""Texts of the terminal demo's own lines (checkin-bot demo); the bot's replies are elsewhere."""

TEXTS = {
    "demo.banner": (
        "Bản chạy thử checkin-bot: một cuộc trò chuyện trong cửa sổ dòng lệnh với quận mẫu Long"
        " Biên,\ntrên một cơ sở dữ liệu tạm mới tạo; không cần token, không dùng mạng, không gửi gì"
        " ra ngoài.",
        "checkin-bot demo: a terminal chat with the sample Long Biên district, on a fresh"
        " throwaway\ndatabase; no token, no network, nothing leaves this window.",
    ),
    "demo.files": (
        "Tệp của bản chạy thử (cơ sở dữ liệu, nhật ký demo.log, tệp gửi kèm) ở {folder}; :quit"
        " xóa hết.",
        "The demo's files (its database, the log demo.log, the files sent) are in {folder};"
        " :quit removes them.",
    ),
    "demo.clock": ("Đồng hồ thử: {now}", "Demo clock: {now}"),
    "demo.standing": (
        "Tiến độ {quarter} đến nay: phải dự {required} · đã dự {covered} · chờ xác nhận"
        " {pending} · chưa dự {missed}",
        "{quarter} so far: required {required} · covered {covered} · pending {pending}"
        " · missed {missed}",
    ),
    "demo.who_title": ("Đồng chí là ai?", "Who are you?"),
    "demo.who_prompt": ("Gõ số thứ tự hoặc mã (M01, C0102...)", "Type a number or a code"),
    "demo.who_unknown": (
        '"{text}" không có trong danh sách. Gõ số thứ tự (1-{count}) hoặc mã, ví dụ M01.',
        '"{text}" is not on the list. Type a number (1-{count}) or a code, e.g. M01.',
    ),
    "demo.position_standing": (
        "Ủy viên Ban Thường vụ",
        "standing member",
    ),
    "demo.position_member": ("Quận ủy viên", "committee member"),
    "demo.secretary": ("Bí thư {cell}", "secretary of {cell}"),
    "demo.office_label": ("Văn phòng (admin)", "Office (admin)"),
    "demo.office": (
        "nhóm chat của Văn phòng Quận ủy: nhận báo cáo tổng hợp quý; {name} ({code}) gõ"
        " /report, /confirm, /flags",
        "the committee office's group chat: gets the quarterly digest; {name} ({code}) types"
        " /report, /confirm, /flags",
    ),
    "demo.you_are": (
        "Bây giờ đồng chí là {who}. Gõ /help để xem lệnh của bot, :help để xem lệnh của bản"
        " chạy thử.",
        "You are now {who}. Type /help for the bot's commands, :help for the demo's.",
    ),
    "demo.help": (
        "Lệnh của bản chạy thử:\n"
        "  :who        đổi người (chọn người khác trong danh sách)\n"
        "  :time +2d   tua đồng hồ thử tới trước (+30m, +3h, +2d, +1w; tối đa 400 ngày mỗi lần)\n"
        "              để thấy nhắc việc đến\n"
        "  :web        (khi là Văn phòng) đường link đăng nhập bảng theo dõi trên trình duyệt\n"
        "  :help       trợ giúp này\n"
        "  :quit       thoát (hoặc Ctrl-D, Ctrl-C)\n"
        "  1, 2, ...   chọn mục đánh số trong danh sách vừa hiện (thay cho nút bấm)\n"
        "Mọi dòng khác được gửi tới bot như tin nhắn; /help: các lệnh của bot.",
        "Demo commands:\n"
        "  :who        be someone else (pick from the list)\n"
        "  :time +2d   move the demo clock forward (+30m, +3h, +2d, +1w; 400 days at most at\n"
        "              once) to see reminders arrive\n"
        "  :web        (as the office) a sign-in link to the board, for a browser\n"
        "  :help       this help\n"
        "  :quit       leave (or Ctrl-D, Ctrl-C)\n"
        "  1, 2, ...   pick a numbered choice from the last list (instead of a button)\n"
        "Any other line goes to the bot as a message; /help: the bot's commands.",
    ),
    "demo.unknown_command": (
        "Không có lệnh {command} trong bản chạy thử. Gõ :help để xem các lệnh.",
        "The demo has no {command} command. Type :help to see its commands.",
    ),
    "demo.time_usage": (
        "Cách dùng: :time +2d (hoặc +30m, +3h, +1w). Đồng hồ thử đang ở {now}.",
        "Usage: :time +2d (or +30m, +3h, +1w). The demo clock reads {now}.",
    ),
    "demo.time_backwards": (
        "Đồng hồ thử chỉ đi tới, không lùi lại. Dùng dấu +, ví dụ :time +2d.",
        "The demo clock only moves forward. Use +, e.g. :time +2d.",
    ),
    "demo.time_too_far": (
        "Mỗi lần chỉ tua được tối đa {most}. Hãy tua từng đoạn, ví dụ :time +90d.",
        "The demo clock moves {most} at most at once. Move it a stretch at a time, e.g."
        " :time +90d.",
    ),
    "demo.progress": ("⏩ Đồng hồ thử: {now} ({left})", "⏩ Demo clock: {now} ({left})"),
    "demo.closed": (
        "[{at}] Bot chốt số liệu {quarter}: từ nay số liệu của quý không thay đổi theo danh"
        " sách; quyết định muộn của Văn phòng là sửa đổi, có ghi lại. Báo cáo chính thức gửi"
        " tới Văn phòng.",
        "[{at}] The bot closes the figures of {quarter}: roster changes no longer alter them;"
        " the office's late decisions are recorded amendments. The final digest goes to the"
        " office.",
    ),
    "demo.time_moved": ("Đồng hồ thử tua tới {now}.", "The demo clock moves to {now}."),
    "demo.to": ("[{at} tin nhắn tới {name}]", "[{at} message to {name}]"),
    "demo.file": ("[tệp đính kèm: {path}]", "[file attached: {path}]"),
    "demo.board": (
        "Bảng theo dõi của Văn phòng: {url} (chọn Văn phòng rồi gõ :web để lấy link đăng nhập).",
        "The office's board: {url} (be the office, then type :web for a sign-in link).",
    ),
    "demo.web_link": (
        "Đường link đăng nhập bảng theo dõi, dùng được một lần, đến {expires} (giờ thử):\n{link}",
        "A sign-in link to the board, once, until {expires} (demo time):\n{link}",
    ),
    "demo.web_office_only": (
        "Chỉ Văn phòng đăng nhập được bảng theo dõi: gõ :who rồi chọn Văn phòng, sau đó gõ :web.",
        "Only the office signs in to the board: type :who, pick the office, then :web.",
    ),
    "demo.bye": ("Tạm biệt! Cơ sở dữ liệu thử đã được xóa.", "Goodbye! The demo database is gone."),
}
