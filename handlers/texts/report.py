"""Texts of /report: the office's short look at the quarter's coverage."""

TEXTS = {
    "report.headline": (
        "Tiến độ dự sinh hoạt chi bộ quý {roman}/{year} (đến {day})\n"
        "Phải dự: {required} · Đã dự: {covered} ({percent}%) · Chờ xác nhận: {pending}"
        " · Chưa dự: {missed}",
        "Cell meeting visits, quarter {roman}/{year} (to {day})\n"
        "Required: {required} · Covered: {covered} ({percent}%) · Pending: {pending}"
        " · Not yet: {missed}",
    ),
    "report.unvisited_organizations": (
        "Cơ sở chưa có Quận ủy viên nào đến dự ({count}):\n{lines}",
        "Organizations no committee member has visited yet ({count}):\n{lines}",
    ),
    "report.all_organizations_visited": (
        "Mọi cơ sở đều đã có Quận ủy viên đến dự.",
        "Every organization has had a visit.",
    ),
    "report.unvisited_flagged": (
        "Chi bộ có khó khăn, vướng mắc chưa được dự ({count}):\n{lines}",
        "Cells with difficulties not visited yet ({count}):\n{lines}",
    ),
    "report.flagged_all_visited": (
        "Mọi chi bộ có khó khăn, vướng mắc đều đã được dự.",
        "Every cell with difficulties has been visited.",
    ),
    "report.missed_members": (
        "Quận ủy viên còn cơ sở chưa dự ({count}):\n{lines}",
        "Committee members with organizations not yet visited ({count}):\n{lines}",
    ),
    "report.no_missed_members": (
        "Không Quận ủy viên nào còn cơ sở chưa dự.",
        "No committee member has an organization left to visit.",
    ),
    "report.and_more": ("… và {count} nữa", "… and {count} more"),
    "report.files_later": (
        "Bảng tổng hợp đầy đủ (.xlsx) và biểu đồ (.png) được gửi kèm báo cáo tự động cuối quý.",
        "The full tables (.xlsx) and the chart (.png) come with the automatic end-of-quarter"
        " digest.",
    ),
}
