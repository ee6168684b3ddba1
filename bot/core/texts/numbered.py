"""Texts of numbered choices, in chats without buttons (the terminal, Zalo)."""

TEXTS = {
    "numbered.out_of_range": (
        "Không có lựa chọn số {number}. Hãy gõ một số từ 1 đến {count} trong danh sách vừa gửi.",
        "There is no choice {number}. Type a number from 1 to {count} from the last list.",
    ),
    "numbered.no_list": (
        "Không có danh sách lựa chọn nào đang chờ trả lời (danh sách trước đã được trả lời hoặc"
        " đã được thay). Hãy gõ lại lệnh để có danh sách mới, hoặc /help để xem các lệnh.",
        "There is no list waiting for an answer (the last one was answered or replaced). Send"
        " the command again for a fresh list, or /help to see the commands.",
    ),
}
