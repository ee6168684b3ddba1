"""Texts of the office's board (bot/web): its pages, in the signed-in admin's language."""

from bot.core.plural import Plural

TEXTS = {
    # -- the frame --------------------------------------------------------------------------
    "board.title": ("Bảng theo dõi dự sinh hoạt chi bộ", "Cell meeting visits board"),
    "board.skip": ("Bỏ qua, đến nội dung chính", "Skip to the content"),
    "board.nav": ("Các trang", "Pages"),
    "board.nav_quarter": ("Tiến độ quý", "Quarter"),
    "board.nav_pending": ("Chờ xác nhận", "Pending"),
    "board.nav_meetings": ("Lịch sinh hoạt", "Meetings"),
    "board.nav_roster": ("Danh sách", "Roster"),
    "board.signed_in_as": ("Đồng chí {name}", "{name}"),
    "board.sign_out": ("Đăng xuất", "Sign out"),
    "board.back_to_board": ("Về trang tiến độ quý", "Back to the quarter"),
    "board.no_such_page": ("Không có trang này.", "There is no such page."),
    "board.stale_form": (
        "Biểu mẫu này đã cũ hoặc không hợp lệ, nên không có gì thay đổi. Hãy tải lại trang"
        " rồi thử lại.",
        "This form is out of date or not valid, so nothing was changed. Reload the page and"
        " try again.",
    ),
    "board.pages": ("Trang", "Pages"),
    "board.page": ("Trang {number}/{pages}", "Page {number} of {pages}"),
    "board.previous": ("‹ Trang trước", "‹ Previous"),
    "board.next": ("Trang sau ›", "Next ›"),
    # -- statuses ---------------------------------------------------------------------------
    "board.status_covered": ("Đã dự", "Covered"),
    "board.status_pending": ("Chờ xác nhận", "Pending"),
    "board.status_missed": ("Chưa dự", "Missed"),
    "board.checkin_confirmed": ("Đã xác nhận", "Confirmed"),
    "board.checkin_pending": ("Chờ xác nhận", "Pending"),
    "board.checkin_denied": ("Vắng", "Absent"),
    "board.flagged": ("Có khó khăn", "Difficulties"),
    "board.flagged_visited": ("đã dự", "visited"),
    "board.flagged_not_visited": ("chưa dự", "not visited"),
    "board.flagged_all_visited": ("đã dự hết", "all visited"),
    # -- the quarter ------------------------------------------------------------------------
    "board.to_date": ("tính đến {day}", "to {day}"),
    # "amendments since: 2" names no noun to agree with the count.
    "board.closed_mark": ("đã chốt", "closed"),
    "board.amendments_caption": (
        "Sửa đổi sau khi chốt số liệu",
        "Amendments made after the figures were closed",
    ),
    "board.amendment_change": ("Thay đổi", "Change"),
    "board.amendment_by": ("Người quyết định, lúc", "Decided by, at"),
    "board.closed": (
        "Số liệu đã chốt lúc {closed}: không thay đổi theo danh sách; sửa đổi sau khi chốt:"
        " {amendments}.",
        "Figures closed on {closed}: roster changes no longer alter them; amendments since:"
        " {amendments}.",
    ),
    "board.pick_quarter": ("Quý", "Quarter"),
    "board.show": ("Xem", "Show"),
    "board.totals": ("Tổng số", "Totals"),
    "board.total_required": ("Lượt phải dự", "Required"),
    "board.downloads": ("Tải về", "Download"),
    "board.download_csv": ("Bảng CSV", "Coverage CSV"),
    "board.download_json": ("JSON", "JSON"),
    "board.download_workbook": ("Báo cáo Excel (.xlsx)", "Digest workbook (.xlsx)"),
    "board.download_chart": ("Biểu đồ (.png)", "Chart (.png)"),
    "board.lists": ("Danh sách", "Lists"),
    "board.tab_members": ("Quận ủy viên ({count})", "Members ({count})"),
    "board.tab_organizations": ("Cơ sở đảng ({count})", "Organizations ({count})"),
    "board.search": ("Tìm theo tên hoặc mã", "Search by name or code"),
    "board.filter_flagged": ("Chỉ nơi có khó khăn", "Flagged only"),
    "board.filter_missed": ("Chỉ nơi chưa dự", "Missed only"),
    "board.filter_planned": ("Chỉ buổi có người sẽ dự", "Only with someone attending"),
    "board.filter_duty": ("Nhiệm vụ", "Duty"),
    "board.duty_any": ("Tất cả", "Any"),
    "board.duty_in_charge": ("Phụ trách", "In charge"),
    "board.duty_follow": ("Theo dõi", "Follow"),
    "board.sort": ("Sắp xếp", "Sort"),
    "board.sort_code": ("Theo mã", "By code"),
    "board.sort_name": ("Theo tên", "By name"),
    "board.sort_missed": ("Chưa dự nhiều trước", "Most missed first"),
    "board.sort_visited": ("Ít chi bộ được dự trước", "Least visited first"),
    "board.apply_filters": ("Lọc", "Filter"),
    "board.clear_filters": ("Bỏ lọc", "Clear"),
    "board.nothing_matches": ("Không có mục nào phù hợp.", "Nothing matches."),
    "board.members_caption": (
        Plural("{count} Quận ủy viên"),
        Plural(one="{count} member", other="{count} members"),
    ),
    "board.organizations_caption": (
        Plural("{count} cơ sở đảng"),
        Plural(one="{count} organization", other="{count} organizations"),
    ),
    "board.col_member": ("Quận ủy viên", "Member"),
    "board.col_required": ("Phải dự", "Required"),
    "board.col_not_visited": (
        "Cơ sở đảng chưa dự",
        "Not visited",
    ),
    "board.col_organization": ("Cơ sở đảng", "Organization"),
    "board.col_cells_visited": ("Chi bộ đã được dự", "Cells visited"),
    "board.col_flagged_not_visited": ("Chi bộ khó khăn chưa được dự", "Flagged cells not visited"),
    "board.col_members_missed": ("Chưa dự", "Missed"),
    # -- a member, an organization ------------------------------------------------------------
    "board.member_not_found": (
        "Không có Quận ủy viên nào có mã này.",
        "There is no member with this code.",
    ),
    "board.organization_not_found": (
        "Không có cơ sở đảng nào có mã này.",
        "There is no organization with this code.",
    ),
    "board.position_standing": (
        "Ủy viên Ban Thường vụ",
        "Standing member",
    ),
    "board.position_member": ("Quận ủy viên", "Committee member"),
    "board.kind_committee": ("Đảng ủy cơ sở", "Base committee"),
    "board.kind_cell": ("Chi bộ cơ sở", "Base cell"),
    "board.retired": ("Không còn trong danh sách", "No longer on the roster"),
    "board.phone": ("Điện thoại", "Phone"),
    "board.nothing_required": (
        "Quý này đồng chí này không có cơ sở đảng nào phải dự sinh hoạt.",
        "Nothing is required of this member this quarter.",
    ),
    "board.nobody_required": (
        "Quý này không có Quận ủy viên nào phải dự sinh hoạt ở đây.",
        "No member is required to visit here this quarter.",
    ),
    "board.cells_visited_of": (
        "Đã có Quận ủy viên dự sinh hoạt ở {visited}/{cells} chi bộ.",
        "Cells visited: {visited} of {cells}.",
    ),
    "board.assignments": ("Phân công", "Assignments"),
    "board.no_assignments": ("Không có phân công nào.", "No assignments."),
    "board.col_duty": ("Nhiệm vụ", "Duty"),
    "board.col_from": ("Từ ngày", "From"),
    "board.col_until": ("Đến ngày", "Until"),
    "board.open_end": ("nay", "open"),
    "board.cells": ("Chi bộ", "Cells"),
    "board.no_cells": ("Không có chi bộ nào.", "No cells."),
    "board.col_cell": ("Chi bộ", "Cell"),
    "board.col_secretary": ("Bí thư", "Secretary"),
    "board.col_venue": ("Địa điểm", "Venue"),
    "board.col_difficulties": ("Khó khăn", "Difficulties"),
    "board.visits": ("Các lần dự sinh hoạt", "Visits"),
    "board.no_visits": ("Chưa có lượt điểm danh nào.", "No check-ins yet."),
    "board.col_meeting": ("Buổi sinh hoạt", "Meeting"),
    "board.col_status": ("Trạng thái", "Status"),
    "board.col_note": ("Nhận xét", "Note"),
    "board.photo": (
        "Ảnh buổi sinh hoạt {number}/{count}",
        "Photo of the meeting, {number} of {count}",
    ),
    "board.photo_not_found": (
        "Không có ảnh này.",
        "There is no such photo.",
    ),
    "board.no_note": ("Chưa có nhận xét", "No note"),
    "board.steps_kept": ("Đúng các bước", "Steps kept"),
    "board.steps_not_kept": ("Chưa đúng các bước", "Steps not kept"),
    "board.difficulties_raised": ("Có nêu khó khăn", "Difficulties raised"),
    "board.coming": ("Lịch sắp tới", "Coming meetings"),
    "board.no_coming": (
        "Không có buổi sinh hoạt nào trong thời gian tới.",
        "No meetings in the coming weeks.",
    ),
    "board.will_attend": ("Sẽ dự", "Will attend"),
    "board.thematic": ("chuyên đề", "thematic"),
    # -- pending ----------------------------------------------------------------------------
    "board.pending_title": ("Điểm danh chờ xác nhận", "Check-ins awaiting a decision"),
    "board.pending_none": (
        "Không có lượt điểm danh nào chờ xác nhận.",
        "No check-ins are awaiting a decision.",
    ),
    "board.pending_count": (
        "{count} lượt; nơi có khó khăn trước, rồi đến buổi sinh hoạt cũ nhất.",
        "{count} in all; flagged cells first, then the oldest meeting.",
    ),
    "board.col_checked_in": ("Điểm danh lúc", "Checked in"),
    "board.col_decision": ("Quyết định", "Decision"),
    "board.own_checkin": (
        "Không ai tự xác nhận lượt điểm danh của chính mình; một cán bộ khác của Văn phòng sẽ"
        " xác nhận. Không có gì thay đổi.",
        "Nobody decides their own check-in; another member of the office will. Nothing was"
        " changed.",
    ),
    "board.checkin_not_found": (
        "Không tìm thấy lượt điểm danh này. Không có gì thay đổi.",
        "This check-in was not found. Nothing was changed.",
    ),
    # -- meetings ---------------------------------------------------------------------------
    "board.meetings_title": (
        Plural("Lịch sinh hoạt {count} tuần tới"),
        Plural(one="Meetings of the next {count} week", other="Meetings of the next {count} weeks"),
    ),
    "board.meetings_count": (
        Plural("{count} buổi sinh hoạt."),
        Plural(one="{count} meeting.", other="{count} meetings."),
    ),
    "board.col_time": ("Giờ", "Time"),
    # -- the roster -------------------------------------------------------------------------
    "board.roster_title": ("Danh sách của Quận ủy", "The roster"),
    "board.upload_heading": ("Tải lên danh sách mới", "Upload a new roster"),
    "board.roster_intro": (
        "Tệp Excel (.xlsx) có các trang members, organizations, cells, assignments (và"
        " meetings nếu có), hoặc tệp nén (.zip) các tệp CSV cùng tên. Tệp được kiểm tra trước;"
        " danh sách chỉ thay đổi khi đồng chí bấm Áp dụng.",
        "An Excel workbook (.xlsx) with the sheets members, organizations, cells, assignments"
        " (and meetings, if any), or a .zip of the CSV files of those names. The file is checked"
        " first; the roster changes only when you press Apply.",
    ),
    "board.roster_file": ("Tệp danh sách", "Roster file"),
    "board.upload": ("Kiểm tra tệp", "Check the file"),
    "board.roster_download": (
        "Tải danh sách hiện tại (.xlsx)",
        "Download the current roster (.xlsx)",
    ),
    "board.roster_no_file": ("Hãy chọn một tệp để tải lên.", "Choose a file to upload."),
    "board.roster_problems": (
        Plural(
            "{file}: {count} lỗi, nên danh sách không thay đổi. Sửa các dòng dưới đây rồi tải lên"
            " lại:"
        ),
        Plural(
            one="{file}: {count} problem, so the roster was not changed. Fix this line and upload"
            " it again:",
            other="{file}: {count} problems, so the roster was not changed. Fix these lines and"
            " upload it again:",
        ),
    ),
    "board.preview_title": ("{file}: những gì sẽ thay đổi", "{file}: what would change"),
    "board.preview_nothing": (
        "Tệp giống hệt danh sách hiện tại; không có gì để thay đổi.",
        "The file is the roster as it stands; there is nothing to change.",
    ),
    "board.preview_stale": (
        "Danh sách đã được sửa (ở nơi khác) sau khi đồng chí kiểm tra tệp, nên chưa áp dụng."
        " Đây là những gì tệp sẽ thay đổi bây giờ; hãy xem lại rồi bấm Áp dụng.",
        "The roster was changed (elsewhere) after you checked the file, so it was not applied."
        " This is what the file would change now; look again, then press Apply.",
    ),
    "board.upload_gone": (
        "Tệp này đã được áp dụng hoặc đã được thay bằng tệp khác. Hãy tải lên lại nếu cần.",
        "That file was applied already, or replaced by another. Upload it again if needed.",
    ),
    "board.roster_applied": ("Đã áp dụng {file}:", "{file} applied:"),
    "board.apply": ("Áp dụng", "Apply"),
    # -- signing in -------------------------------------------------------------------------
    "board.sign_in_title": ("Đăng nhập bảng theo dõi", "Sign in to the board"),
    "board.sign_in_how": (
        "Cán bộ Văn phòng nhắn /web (hoặc /trangweb) cho bot trong tin nhắn riêng để nhận"
        " đường link đăng nhập. Mỗi link dùng được một lần, trong 10 phút.",
        "Office staff: send /web to the bot in a private chat for a sign-in link. Each link"
        " works once, for 10 minutes.",
    ),
    "board.sign_in_ready": (
        "Bấm nút dưới đây để đăng nhập. Đường link sẽ không dùng lại được.",
        "Press the button below to sign in. The link cannot be used again.",
    ),
    "board.sign_in_button": ("Đăng nhập", "Sign in"),
    "board.link_unknown": (
        "Đường link đăng nhập này không đúng. Hãy nhắn /web cho bot để nhận link mới.",
        "This sign-in link is not valid. Send /web to the bot for a new one.",
    ),
    "board.link_used": (
        "Đường link đăng nhập này đã được dùng. Hãy nhắn /web cho bot để nhận link mới.",
        "This sign-in link has been used already. Send /web to the bot for a new one.",
    ),
    "board.link_expired": (
        "Đường link đăng nhập này đã hết hạn. Hãy nhắn /web cho bot để nhận link mới.",
        "This sign-in link has expired. Send /web to the bot for a new one.",
    ),
    "board.link_not_admin": (
        "Người được cấp đường link này không còn là cán bộ Văn phòng, nên không đăng nhập được.",
        "Whoever this link was made for is no longer office staff, so it does not sign in.",
    ),
    "board.session_ended": (
        "Phiên làm việc đã kết thúc. Hãy đăng nhập lại.",
        "Your session has ended. Please sign in again.",
    ),
    "board.signed_out": ("Đã đăng xuất.", "You are signed out."),
    "board.too_many": (
        "Có quá nhiều lần đăng nhập. Hãy chờ một phút rồi thử lại.",
        "Too many sign-in attempts. Wait a minute, then try again.",
    ),
    "board.stale_sign_in": (
        "Trang đăng nhập này đã cũ. Hãy mở lại đường link rồi bấm Đăng nhập.",
        "This sign-in page is out of date. Open the link again, then press Sign in.",
    ),
}
