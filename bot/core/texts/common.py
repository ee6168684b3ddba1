"""Texts shared by every feature: errors and refusals."""

from bot.core.plural import Plural

TEXTS = {
    # A phrase of other texts (the quarter's days, in /status and the nudges).
    "common.days_left": (
        Plural("còn {count} ngày"),
        Plural(one="{count} day left", other="{count} days left"),
    ),
    "common.days": (
        Plural("{count} ngày"),
        Plural(one="{count} day", other="{count} days"),
    ),
    "common.hours": (
        Plural("{count} giờ"),
        Plural(one="{count} hour", other="{count} hours"),
    ),
    "common.minutes": (
        Plural("{count} phút"),
        Plural(one="{count} minute", other="{count} minutes"),
    ),
    "error.internal": (
        "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Không có gì bị thay đổi; đồng chí vui lòng thử"
        " lại sau.",
        "Sorry, something went wrong. Nothing was changed; please try again later.",
    ),
    "error.unknown_command": (
        "Không có lệnh /{command}. Gõ /help để xem các lệnh đồng chí dùng được.",
        "There is no /{command} command. Type /help to see the commands you can use.",
    ),
    "error.stale_choice": (
        "Lựa chọn này không còn hiệu lực. Hãy gõ lại lệnh để có danh sách mới.",
        "That choice is no longer valid. Send the command again for a fresh list.",
    ),
    "error.private_only": (
        "Hãy nhắn riêng cho bot để dùng lệnh này.",
        "Please message the bot privately to use this command.",
    ),
    "error.stranger": (
        "Đồng chí chưa được liên kết với danh sách của Quận ủy. Hãy mở đường link mời do Văn"
        " phòng Quận ủy gửi, hoặc gõ /start để chia sẻ số điện thoại.",
        "You are not linked to the committee's roster yet. Open the invite link the committee"
        " office sent you, or type /start to share your phone number.",
    ),
    # Where a chat cannot share a phone number (Zalo, the terminal): the invite code only.
    "error.stranger_token": (
        "Đồng chí chưa được liên kết với danh sách của Quận ủy. Hãy gửi cho bot mã mời do Văn"
        " phòng Quận ủy cấp (gõ /start MÃ hoặc chỉ gõ mã).",
        "You are not linked to the committee's roster yet. Send the bot the invite code the"
        " committee office gave you (type /start CODE, or just the code).",
    ),
    "error.not_linked": (
        "Đồng chí chưa được liên kết. Gõ /start để bắt đầu.",
        "You are not linked yet. Type /start to begin.",
    ),
    "error.not_member": (
        "Lệnh này dành cho Quận ủy viên được phân công phụ trách, theo dõi cơ sở đảng.",
        "This command is for committee members assigned to organizations.",
    ),
    "error.not_secretary": (
        "Lệnh này dành cho bí thư chi bộ.",
        "This command is for cell secretaries.",
    ),
    "error.not_admin": (
        "Lệnh này dành cho Văn phòng Quận ủy.",
        "This command is for the committee office.",
    ),
    "error.not_decider": (
        "Lệnh này dành cho bí thư chi bộ và Văn phòng Quận ủy.",
        "This command is for cell secretaries and the committee office.",
    ),
    "error.unsupported_message": (
        "Bot chỉ đọc được tin nhắn chữ, và ảnh buổi sinh hoạt gửi kèm nhận xét. Gõ /help để"
        " xem các lệnh.",
        "The bot only reads text, and photos of a meeting sent with its note. Type /help to see"
        " the commands.",
    ),
}
