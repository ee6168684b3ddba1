"""Texts of closed quarters (chốt số liệu): deciding a check-in of one, and its amendments."""

TEXTS = {
    # A (member, organization) pair's status, as an amendment names it.
    "closing.status_covered": ("đã dự", "covered"),
    "closing.status_pending": ("chờ xác nhận", "pending"),
    "closing.status_missed": ("chưa dự", "missed"),
    # A secretary taps Confirm / Absent on a check-in of a closed quarter.
    "closing.refused": (
        "Số liệu {quarter} đã được chốt lúc {closed}: lượt điểm danh của đồng chí {member}"
        " ({cell}, {meeting}) nay chỉ Văn phòng Quận ủy quyết định, như một sửa đổi sau khi"
        " chốt. Không có gì thay đổi; nếu cần xác nhận hoặc sửa, đề nghị đồng chí báo Văn phòng"
        " Quận ủy.",
        "The figures of {quarter} were closed on {closed}: the check-in of {member} ({cell},"
        " {meeting}) can now be decided only by the committee office, as an amendment of the"
        " closed figures. Nothing was changed; to have it confirmed or changed, ask the"
        " committee office.",
    ),
    # Under an admin's decision on a check-in of a closed quarter.
    "closing.amended": (
        "Số liệu {quarter} đã chốt, nên quyết định này được ghi là sửa đổi sau khi chốt:"
        " {member} ở {organization}: {before} → {after}.",
        "The figures of {quarter} are closed, so this decision is recorded as an amendment:"
        " {member} at {organization}: {before} → {after}.",
    ),
}
