"""Texts for when the bot's database cannot take a write (a full or read-only disk)."""

TEXTS = {
    "error.not_saved": (
        "Xin lỗi, bot chưa lưu được thao tác này nên thao tác chưa có hiệu lực (máy chủ đang gặp"
        " trục trặc khi ghi dữ liệu). Đồng chí vui lòng thử lại sau ít phút.",
        "Sorry, the bot could not save this just now, so it did not go through (the server is"
        " having trouble writing its data). Please try again in a few minutes.",
    ),
}
