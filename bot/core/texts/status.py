"""Texts of /status, a member's progress in the quarter."""

from bot.core.plural import Plural

TEXTS = {
    # {days_left}: common.days_left; the count is of the organizations to visit.
    "status.header": (
        Plural(
            "Tiến độ {quarter} (đến hết {end}, {days_left}): đã dự {covered}/{count} cơ sở đảng"
            " được phân công."
        ),
        Plural(
            one="Progress in {quarter} (until {end}, {days_left}): {covered} of {count}"
            " organization visited.",
            other="Progress in {quarter} (until {end}, {days_left}): {covered} of {count}"
            " organizations visited.",
        ),
    ),
    "status.none": (
        "Trong {quarter}, đồng chí không có cơ sở đảng nào phải dự sinh hoạt.",
        "You have no organization to visit in {quarter}.",
    ),
    "status.covered": ("✅ {organization}: đã dự", "✅ {organization}: visited"),
    "status.pending": (
        "⏳ {organization}: đã điểm danh, chờ xác nhận",
        "⏳ {organization}: checked in, awaiting confirmation",
    ),
    "status.missed": ("❌ {organization}: chưa dự", "❌ {organization}: not visited yet"),
    "status.next": (
        "    Nên dự: {cell} ({cell_code}), {when}{flag}",
        "    Attend next: {cell} ({cell_code}), {when}{flag}",
    ),
    "status.no_next": (
        "    Chưa có lịch sinh hoạt nào còn lại trong quý; đồng chí hãy liên hệ bí thư chi bộ.",
        "    No meeting is scheduled for the rest of the quarter; contact the cells' secretaries.",
    ),
    "status.flagged_mark": (" ⚠️ khó khăn", " ⚠️ difficulties"),
    "status.hint": (
        "Gõ /meetings để xem lịch và báo sẽ dự.",
        "Send /meetings to see the meetings and say which you will attend.",
    ),
}
