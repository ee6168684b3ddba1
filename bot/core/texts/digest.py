"""Texts of the quarterly digest: its message (also /report's), workbook, chart."""

from bot.core.plural import Plural

TEXTS = {
    # -- the message ---------------------------------------------------------------------------
    "digest.title": (
        "{committee}\nBáo cáo tổng hợp dự sinh hoạt chi bộ {quarter} (số liệu đến {day})",
        "{committee}\nDigest of cell meeting visits, {quarter} (figures to {day})",
    ),
    # Under the title: a closed quarter's digest is final; before, it is preliminary.
    "digest.final": (
        "SỐ LIỆU CHÍNH THỨC: đã chốt lúc {closed}; mọi thay đổi sau đó là sửa đổi, có ghi lại.",
        "FINAL figures: closed on {closed}; any later change is a recorded amendment.",
    ),
    "digest.preliminary": (
        Plural(
            "SỐ LIỆU SƠ BỘ: còn {count} lượt điểm danh chờ xác nhận; số liệu được chốt ngày"
            " {closes}."
        ),
        Plural(
            one="PRELIMINARY figures: {count} check-in is still pending; the figures are closed"
            " on {closes}.",
            other="PRELIMINARY figures: {count} check-ins are still pending; the figures are"
            " closed on {closes}.",
        ),
    ),
    "digest.totals": (
        "Phải dự: {required} · Đã dự: {covered} ({percent}%) · Chờ xác nhận: {pending}"
        " · Chưa dự: {missed}",
        "Required: {required} · Covered: {covered} ({percent}%) · Pending: {pending}"
        " · Missed: {missed}",
    ),
    "digest.organizations_visited": (
        "Cơ sở đảng đã có Quận ủy viên đến dự sinh hoạt: {visited}/{total}",
        "Organizations visited: {visited} of {total}",
    ),
    "digest.flagged_visited": (
        "Chi bộ có khó khăn, vướng mắc đã được dự: {visited}/{total}",
        "Cells with difficulties visited: {visited} of {total}",
    ),
    "digest.behind": (
        Plural(
            "Cơ sở đảng chậm nhất ({shown} trong {count} cơ sở đảng còn Quận ủy viên chưa dự"
            " sinh hoạt):\n{lines}"
        ),
        Plural(
            one="Furthest behind ({shown} of the {count} organization where a member has yet to"
            " visit):\n{lines}",
            other="Furthest behind ({shown} of the {count} organizations where a member has yet"
            " to visit):\n{lines}",
        ),
    ),
    "digest.behind_line": (
        "{code} {name}: Quận ủy viên chưa dự {missed}/{required} · chi bộ được dự {visited}/{cells}",
        "{code} {name}: members yet to visit {missed}/{required} · cells visited {visited}/{cells}",
    ),
    "digest.none_behind": (
        "Ở mọi cơ sở đảng, các Quận ủy viên được phân công đều đã dự sinh hoạt.",
        "At every organization, every member assigned to it has visited.",
    ),
    "digest.unvisited_flagged": (
        "Chi bộ có khó khăn, vướng mắc chưa được dự ({count}):\n{lines}",
        "Cells with difficulties not visited ({count}):\n{lines}",
    ),
    "digest.flagged_all_visited": (
        "Mọi chi bộ có khó khăn, vướng mắc đều đã được dự.",
        "Every cell with difficulties has been visited.",
    ),
    "digest.and_more": ("… và {count} nữa", "… and {count} more"),
    "digest.pending": (
        Plural("Còn {count} lượt điểm danh chờ bí thư chi bộ xác nhận."),
        Plural(
            one="{count} check-in is still waiting for its secretary's confirmation.",
            other="{count} check-ins are still waiting for their secretaries' confirmation.",
        ),
    ),
    "digest.pending_closed": (
        Plural(
            "Còn {count} lượt điểm danh chưa được quyết định trước khi chốt số liệu; nay chỉ Văn"
            " phòng Quận ủy quyết định (là sửa đổi sau khi chốt)."
        ),
        Plural(
            one="{count} check-in is still pending: it was not decided before the figures were"
            " closed; only the committee office decides it now (an amendment).",
            other="{count} check-ins are still pending: they were not decided before the"
            " figures were closed; only the committee office decides them now (amendments).",
        ),
    ),
    "digest.amendments": (
        Plural("Sửa đổi sau khi chốt số liệu ({count}):\n{lines}"),
        Plural(
            one="Amendment after closing ({count}):\n{lines}",
            other="Amendments after closing ({count}):\n{lines}",
        ),
    ),
    "digest.amendment_line": (
        "{quarter}{member} ở {organization}: {before} → {after} ({by}, {at})",
        "{quarter}{member} at {organization}: {before} → {after} ({by}, {at})",
    ),
    "digest.amendment_of": ("{quarter}: ", "{quarter}: "),
    "digest.and_earlier": ("… và {count} sửa đổi trước đó", "… and {count} earlier"),
    "digest.none_pending": (
        "Không còn lượt điểm danh nào chờ xác nhận.",
        "No check-in is waiting for confirmation.",
    ),
    "digest.members_behind": (
        "Quận ủy viên còn cơ sở đảng chưa dự sinh hoạt: {count}/{total}.",
        "Committee members with an organization yet to visit: {count} of {total}.",
    ),
    "digest.unreachable_count": (
        Plural("Bot chưa liên lạc được {count} người (xem bảng tính, trang {sheet})."),
        Plural(
            one="The bot cannot reach {count} person (see the workbook, sheet {sheet}).",
            other="The bot cannot reach {count} people (see the workbook, sheet {sheet}).",
        ),
    ),
    "digest.ratings": (
        Plural(
            "Đánh giá chất lượng buổi sinh hoạt ({count} nhận xét):\n{counts}\n"
            "Thực hiện đúng các bước: {steps}/{count} · Chi bộ nêu khó khăn, vướng mắc:"
            " {difficulties}/{count}"
        ),
        Plural(
            one="Quality of the meetings ({count} note):\n{counts}\n"
            "Steps kept: {steps} of {count} · Difficulties raised: {difficulties} of {count}",
            other="Quality of the meetings ({count} notes):\n{counts}\n"
            "Steps kept: {steps} of {count} · Difficulties raised: {difficulties} of {count}",
        ),
    ),
    "digest.photos": (
        "Ảnh buổi sinh hoạt gửi kèm nhận xét: {photos} (tên tệp ở trang {sheet}).",
        "Photos of the meetings sent with notes: {photos} (file names in sheet {sheet}).",
    ),
    "digest.no_notes": (
        "Chưa có nhận xét nào về chất lượng buổi sinh hoạt trong quý.",
        "No note on the quality of a meeting this quarter.",
    ),
    "digest.all_reachable": (
        "Bot liên lạc được với mọi Quận ủy viên và bí thư chi bộ.",
        "The bot can reach every committee member and cell secretary.",
    ),
    "digest.reason_not_linked": (
        "chưa liên kết tài khoản với bot",
        "has not linked an account to the bot",
    ),
    "digest.reason_blocked": ("đã chặn bot (từ {day})", "blocked the bot (since {day})"),
    # -- the files -----------------------------------------------------------------------------
    "digest.workbook_caption": (
        "Bảng tổng hợp {quarter}: Quận ủy viên, cơ sở đảng, lượt dự, nhận xét",
        "Tables for {quarter}: members, organizations, visits, notes",
    ),
    "digest.chart_caption": ("Biểu đồ {quarter}", "Chart of {quarter}"),
    # Where the full lists are, as the message's last line: the workbook follows it, or not.
    "digest.where_attached": (
        "Danh sách đầy đủ (Quận ủy viên, cơ sở đảng, lượt dự, nhận xét, người bot chưa liên lạc"
        " được) ở bảng tính đính kèm.",
        "The full lists (members, organizations, visits, notes, people the bot cannot reach) are"
        " in the attached workbook.",
    ),
    # Where no Telegram chat gets the digest: the files only from the command line.
    "digest.files_by_command": (
        "Danh sách đầy đủ ở bảng tính .xlsx. Zalo không nhận tệp từ bot: bảng tính và biểu đồ"
        " lấy bằng lệnh checkin-bot digest.",
        "The full lists are in the .xlsx workbook. Zalo takes no files from bots: the workbook"
        " and the chart come from the command checkin-bot digest.",
    ),
    "digest.files_elsewhere": (
        "Danh sách đầy đủ ở bảng tính .xlsx. Zalo không nhận tệp từ bot: bảng tính và biểu đồ"
        " gửi tới nhóm Telegram của Văn phòng, hoặc lấy bằng lệnh checkin-bot digest.",
        "The full lists are in the .xlsx workbook. Zalo takes no files from bots: the workbook"
        " and the chart go to the office's Telegram group, or come from the command"
        " checkin-bot digest.",
    ),
    "digest.on_the_board": (
        "Danh sách đầy đủ cũng có trên bảng theo dõi: {address}",
        "The full lists are on the board too: {address}",
    ),
    # Column headers of the workbook's sheets.
    "digest.sheet_members": ("Quận ủy viên", "Members"),
    "digest.sheet_organizations": ("Cơ sở đảng", "Organizations"),
    "digest.sheet_visits": ("Lượt dự", "Visits"),
    "digest.sheet_notes": ("Nhận xét", "Notes"),
    "digest.sheet_unreachable": ("Chưa liên lạc được", "Unreachable"),
    "digest.col_code": ("Mã", "Code"),
    "digest.col_name": ("Họ và tên", "Name"),
    "digest.col_position": ("Chức vụ", "Position"),
    "digest.col_required": ("Phải dự", "Required"),
    "digest.col_covered": ("Đã dự", "Covered"),
    "digest.col_pending": ("Chờ xác nhận", "Pending"),
    "digest.col_missed": ("Chưa dự", "Missed"),
    "digest.col_missed_organizations": (
        "Cơ sở đảng chưa dự",
        "Organizations missed",
    ),
    "digest.col_reachable": ("Bot liên lạc được", "Reachable by the bot"),
    "digest.col_organization_name": (
        "Tên cơ sở đảng",
        "Organization",
    ),
    "digest.col_kind": ("Loại", "Kind"),
    "digest.col_cells": ("Số chi bộ", "Cells"),
    "digest.col_cells_visited": ("Chi bộ đã được dự", "Cells visited"),
    "digest.col_flagged": ("Chi bộ có khó khăn", "Cells with difficulties"),
    "digest.col_flagged_visited": (
        "Chi bộ có khó khăn đã được dự",
        "Cells with difficulties visited",
    ),
    "digest.col_flagged_not_visited": (
        "Chi bộ có khó khăn chưa được dự",
        "Cells with difficulties not visited",
    ),
    "digest.col_meeting": ("Buổi sinh hoạt", "Meeting"),
    "digest.col_member": ("Mã Quận ủy viên", "Member"),
    "digest.col_member_name": ("Quận ủy viên", "Member's name"),
    "digest.col_organization": (
        "Mã cơ sở đảng",
        "Organization code",
    ),
    "digest.col_cell": ("Mã chi bộ", "Cell"),
    "digest.col_cell_name": ("Chi bộ", "Cell's name"),
    "digest.col_status": ("Điểm danh", "Check-in"),
    "digest.col_decided_by": (
        "Người quyết định",
        "Decided by",
    ),
    "digest.col_decided_role": ("Với tư cách", "As"),
    "digest.col_decided_at": (
        "Quyết định lúc",
        "Decided at",
    ),
    "digest.col_has_note": ("Có nhận xét", "Note written"),
    "digest.col_rating": ("Đánh giá", "Rating"),
    "digest.col_steps_kept": ("Đúng các bước", "Steps kept"),
    "digest.col_difficulties_raised": ("Nêu khó khăn, vướng mắc", "Difficulties raised"),
    "digest.col_note": ("Nhận xét", "Note"),
    "digest.col_photos": ("Số ảnh", "Photos"),
    "digest.col_photo_files": ("Tệp ảnh", "Photo files"),
    "digest.col_secretary_of": ("Bí thư chi bộ", "Secretary of"),
    "digest.col_reason": ("Lý do", "Why"),
    # Values in the sheets, by what is stored.
    "digest.position_standing": ("Ủy viên Ban Thường vụ", "Standing member"),
    "digest.position_member": ("Quận ủy viên", "Committee member"),
    "digest.kind_committee": ("Đảng ủy cơ sở", "Base committee"),
    "digest.kind_cell": ("Chi bộ cơ sở", "Base cell"),
    "digest.status_confirmed": ("Đã xác nhận", "Confirmed"),
    "digest.status_pending": ("Chờ xác nhận", "Pending"),
    "digest.status_denied": (
        "Vắng",
        "Absent",
    ),
    "digest.role_secretary": ("Bí thư chi bộ", "Cell secretary"),
    "digest.role_admin": ("Văn phòng Quận ủy", "Committee office"),
    "digest.reachable_yes": ("Có", "Yes"),
    "digest.reachable_not_linked": ("Chưa liên kết", "Not linked"),
    "digest.reachable_blocked": ("Đã chặn bot", "Blocked the bot"),
    # -- the chart -----------------------------------------------------------------------------
    "digest.chart_title": (
        "{committee} · Dự sinh hoạt chi bộ {quarter}",
        "{committee} · Cell meeting visits, {quarter}",
    ),
    "digest.chart_subtitle": ("Số liệu đến {day}", "Figures to {day}"),
    "digest.chart_coverage": (
        "Lượt phải dự: {covered}/{required} đã dự ({percent}%)",
        "Required visits: {covered} of {required} covered ({percent}%)",
    ),
    "digest.chart_covered": ("Đã dự", "Covered"),
    "digest.chart_pending": ("Chờ xác nhận", "Pending"),
    "digest.chart_missed": ("Chưa dự", "Missed"),
    "digest.chart_visits": (
        "Cơ sở đảng và chi bộ được dự",
        "Organizations and cells visited",
    ),
    "digest.chart_organizations": (
        "Cơ sở đảng",
        "Organizations",
    ),
    "digest.chart_flagged": ("Chi bộ có khó khăn", "Cells with difficulties"),
    "digest.chart_visited": ("Đã được dự", "Visited"),
    "digest.chart_not_visited": ("Chưa được dự", "Not visited"),
    "digest.chart_no_notes": ("Chưa có nhận xét nào", "No notes yet"),
    "digest.chart_ratings": (
        Plural("Đánh giá chất lượng ({count} nhận xét)"),
        Plural(
            one="Quality of the meetings ({count} note)",
            other="Quality of the meetings ({count} notes)",
        ),
    ),
}
