"""Texts of numbered choices, in chats without buttons (the terminal, Zalo)."""

TEXTS = {
    "numbered.out_of_range": (
        "Không có lựa chọn số {number}. Hãy gõ một số từ 1 đến {count} trong danh sách vừa gửi.",
        "There is no choice {number}. Type a number from 1 to {count} from the last list.",
    ),
    "numbered.no_list": (
        "Không có danh sách lựa chọn nào để trả lời bằng số. Hãy gõ lại lệnh để có danh sách"
        " mới, hoặc /help để xem các lệnh.",
        "There is no list to answer with a number. Send the command again for a fresh list, or"
        " /help to see the commands.",
    ),
    "numbered.expired": (
        "Danh sách lựa chọn gần nhất đã gửi quá 24 giờ nên không còn trả lời bằng số được. Hãy"
        " gõ lại lệnh để có danh sách mới.",
        "The last list was sent more than 24 hours ago and can no longer be answered with a"
        " number. Send the command again for a fresh list.",
    ),
    "numbered.reply_one": (
        "(Trả lời 1 cho tin nhắn này.)",
        "(Reply 1 to this message.)",
    ),
    "numbered.reply_range": (
        "(Trả lời 1–{count} cho tin nhắn này.)",
        "(Reply 1–{count} to this message.)",
    ),
}
