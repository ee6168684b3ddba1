"""Texts of /note, the quality note on a meeting."""

from bot.core.plural import Plural

TEXTS = {
    "note.none": (
        "Đồng chí chưa có lượt điểm danh nào để nhận xét. Hãy điểm danh tại buổi sinh hoạt"
        " (/checkin), sau đó gõ /note.",
        "You have no check-in to write a note on. Check in at a meeting (/checkin), then send"
        " /note.",
    ),
    "note.start": (
        "Nhận xét buổi sinh hoạt {cell} ({when}). Trong lúc nhận xét, đồng chí có thể gửi kèm"
        " ảnh buổi sinh hoạt (tối đa {most} ảnh).",
        "Note on the meeting of {cell} ({when}). While writing it, you may send photos of the"
        " meeting (up to {most}).",
    ),
    "note.replaces": (
        "Đồng chí đã nhận xét buổi này; nhận xét mới sẽ thay thế nhận xét cũ (ảnh đã gửi vẫn"
        " được giữ).",
        "You already wrote a note on this meeting; the new one will replace it (the photos"
        " already sent are kept).",
    ),
    "note.ask_rating": (
        "Bước 1/4: Đồng chí đánh giá chất lượng buổi sinh hoạt thế nào?",
        "Step 1/4: How good was the meeting?",
    ),
    "note.ask_steps": (
        "Bước 2/4: Buổi sinh hoạt có thực hiện đúng, đủ các bước theo hướng dẫn không?",
        "Step 2/4: Did the meeting keep the prescribed steps?",
    ),
    "note.ask_difficulties": (
        "Bước 3/4: Chi bộ có nêu khó khăn, vướng mắc không?",
        "Step 3/4: Did the cell raise difficulties or unresolved problems?",
    ),
    "note.ask_text": (
        Plural("Bước 4/4: Gửi một nhận xét ngắn (tối đa {count} ký tự), hoặc bấm Bỏ qua."),
        Plural(
            one="Step 4/4: Send a short comment (at most {count} character), or tap Skip.",
            other="Step 4/4: Send a short comment (at most {count} characters), or tap Skip.",
        ),
    ),
    "note.rating_good": ("Tốt", "Good"),
    "note.rating_fair": ("Khá", "Fair"),
    "note.rating_average": ("Trung bình", "Average"),
    "note.rating_poor": ("Kém", "Poor"),
    "note.yes": ("Có", "Yes"),
    "note.no": ("Không", "No"),
    "note.skip": ("Bỏ qua", "Skip"),
    "note.too_long": (
        Plural("Nhận xét dài {count} ký tự, tối đa {limit}. Hãy rút gọn và gửi lại."),
        Plural(
            one="The comment is {count} character long, at most {limit}. Please shorten it and"
            " send it again.",
            other="The comment is {count} characters long, at most {limit}. Please shorten it"
            " and send it again.",
        ),
    ),
    "note.use_buttons": (
        "Hãy chọn một trong các lựa chọn bên dưới (hoặc gõ /note để bắt đầu lại).",
        "Please pick one of the choices below (or send /note to start again).",
    ),
    "note.stale": (
        "Lựa chọn này không thuộc bước hiện tại của nhận xét; không có gì thay đổi.",
        "That choice is not for the current step of the note; nothing was changed.",
    ),
    "note.no_dialogue": (
        "Không có nhận xét nào đang viết dở. Gõ /note để bắt đầu.",
        "There is no note in progress. Send /note to start one.",
    ),
    "note.written": (
        "Đã lưu nhận xét buổi sinh hoạt {cell}: {rating}. Cảm ơn đồng chí!",
        "Your note on the meeting of {cell} is saved: {rating}. Thank you!",
    ),
    "note.replaced": (
        "Đã cập nhật nhận xét buổi sinh hoạt {cell} (thay cho nhận xét trước): {rating}.",
        "Your note on the meeting of {cell} is updated (it replaces the earlier one): {rating}.",
    ),
    "note.flagged": (
        "{cell} được đánh dấu có khó khăn, vướng mắc để Văn phòng Quận ủy theo dõi.",
        "{cell} is now marked as having difficulties, for the committee office to follow up.",
    ),
    "note.with_photos": (
        Plural("Kèm {count} ảnh buổi sinh hoạt."),
        Plural(
            one="With {count} photo of the meeting.", other="With {count} photos of the meeting."
        ),
    ),
    "note.photo_saved": (
        "Đã lưu ảnh {count}/{most} của buổi sinh hoạt. Đồng chí có thể gửi thêm ảnh, hoặc"
        " tiếp tục nhận xét.",
        "Photo {count} of {most} of the meeting saved. You may send more, or go on with the note.",
    ),
    "note.photo_full": (
        Plural("Buổi sinh hoạt này đã có đủ {count} ảnh nên ảnh vừa gửi không được lưu."),
        Plural(
            one="This meeting has its {count} photo already: the one just sent was not saved.",
            other="This meeting has its {count} photos already: the one just sent was not saved.",
        ),
    ),
    "note.photo_too_large": (
        "Ảnh lớn quá {megabytes} MB nên không được lưu. Hãy gửi ảnh nhỏ hơn.",
        "The photo is larger than {megabytes} MB and was not saved. Please send a smaller one.",
    ),
    "note.photo_not_image": (
        "Tệp vừa gửi không phải là ảnh (JPEG, PNG, WebP, HEIC) nên không được lưu. Hãy gửi ảnh"
        " chụp buổi sinh hoạt.",
        "What was just sent is not a picture (JPEG, PNG, WebP, HEIC) and was not saved. Please"
        " send a photo of the meeting.",
    ),
    "note.photo_not_received": (
        "Bot chưa nhận được ảnh này nên chưa lưu. Đồng chí hãy gửi lại.",
        "The photo could not be received, so it was not saved. Please send it again.",
    ),
    "note.photo_gone": (
        "Lượt điểm danh này đã bị ghi vắng nên không còn hiệu lực, và ảnh không được lưu.",
        "That check-in was marked absent, so it no longer counts and the photo was not saved.",
    ),
    "note.photo_outside": (
        "Ảnh buổi sinh hoạt được gửi kèm nhận xét: sau khi điểm danh, gõ /note rồi gửi ảnh"
        " (tối đa {most} ảnh) trong lúc nhận xét.",
        "Photos of a meeting go with its note: after checking in, send /note, then send the"
        " photos (up to {most}) while writing the note.",
    ),
    "note.gone": (
        "Lượt điểm danh này đã bị ghi vắng nên không còn hiệu lực, và nhận xét không được lưu.",
        "That check-in was marked absent, so it no longer counts and the note was not saved.",
    ),
}
