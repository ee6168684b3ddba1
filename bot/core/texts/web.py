"""Texts of /web: an admin's one-time sign-in link to the office's board."""

TEXTS = {
    "web.link": (
        "Đường link đăng nhập bảng theo dõi, dùng được một lần, đến {expires}:\n{link}\n"
        "Đừng chuyển tiếp tin nhắn này: ai mở link trước sẽ đăng nhập với tư cách đồng chí.",
        "Your sign-in link to the board; it works once, until {expires}:\n{link}\n"
        "Do not forward this message: whoever opens the link first is signed in as you.",
    ),
    "web.disabled": (
        "Bảng theo dõi chưa được bật trên máy chủ này. Hãy đề nghị người quản trị đặt"
        " [web] enabled = true trong tệp cấu hình.",
        "The board is not switched on on this server. Ask whoever runs the bot to set"
        " [web] enabled = true in its configuration.",
    ),
    "menu.web": ("Đường link vào bảng theo dõi (/trangweb)", "Sign-in link to the board"),
}
