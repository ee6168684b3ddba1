"""The terminal demo: whole scripted sessions, the terminal port, and `checkin-bot demo` itself."""

from __future__ import annotations

import asyncio
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dialogue import make_world

from bot.channels.demo import run_demo
from bot.channels.numbered import NumberedChoices
from bot.channels.terminal import CHANNEL, Screen, TerminalPort
from bot.core.config import ENV_CONFIG, ENV_TELEGRAM_TOKEN, ENV_ZALO_TOKEN, Config
from bot.core.i18n import Translator
from bot.core.messages import Inbound

REPO_ROOT = Path(__file__).resolve().parent.parent
M01_PROMPT = "[20/11/2021 08:00 | M01 Nguyễn Văn Thành]"
WHO_PROMPT = "Gõ số thứ tự hoặc mã (M01, C0102...) / Type a number or a code"


def script(*lines: str):
    """A line source that types LINES, then reaches the end of input."""
    waiting = list(lines)

    async def read_line() -> str | None:
        return waiting.pop(0) if waiting else None

    return read_line


async def session(*lines: str) -> str:
    out = io.StringIO()
    await run_demo(Config(), script(*lines), out, echo=True)
    return out.getvalue()


PROMPT_LINE = re.compile(
    r"^(\[\d\d/\d\d/\d{4} \d\d:\d\d \| [^\]\n]*\]"
    r"|Gõ số thứ tự hoặc mã \(M01, C0102\.\.\.\) / Type a number or a code) > (.*)\n",
    re.M,
)


def exchanges(transcript: str) -> list[tuple[str, str, str]]:
    """(prompt, line typed, what the demo answered) for each line of the session."""
    parts = PROMPT_LINE.split(transcript)
    return [tuple(parts[i : i + 3]) for i in range(1, len(parts), 3)]


def answer(transcript: str, typed: str, nth: int = 0) -> str:
    """What the demo answered the NTH time TYPED was typed."""
    answers = [said for _, line, said in exchanges(transcript) if line == typed]
    assert len(answers) > nth, f"{typed!r} typed {len(answers)} times"
    return answers[nth]


def prompts(transcript: str) -> list[str]:
    return [prompt for prompt, _, _ in exchanges(transcript)]


async def test_a_whole_session_as_a_member_then_a_secretary():
    transcript = await session(
        "1",
        "/help",
        "/meetings",
        "1",
        "ok, cảm ơn",
        ":time +2d",
        ":who",
        "C0103",
        ":quit",
        "/help",  # never read: :quit ended the session
    )

    assert "no token, no network" in transcript
    assert "Đồng hồ thử: Thứ Bảy 20/11/2021 08:00" in transcript
    assert "   1. M01 Nguyễn Văn Thành – Ủy viên Ban Thường vụ\n" in transcript
    assert "  21. C0102 Lý Thị Minh Tâm – Bí thư Chi bộ Tổ dân phố số 3\n" in transcript
    assert "  24. Văn phòng (admin) – nhóm chat của Văn phòng Quận ủy" in transcript
    assert answer(transcript, "1").startswith("Bây giờ đồng chí là M01 Nguyễn Văn Thành.")
    assert "/meetings - Lịch sinh hoạt sắp tới (/lich)" in answer(transcript, "/help")

    meetings = answer(transcript, "/meetings")
    assert "Chi bộ Tổ dân phố số 5 (C0103), Đảng bộ phường Bồ Đề" in meetings
    assert "\n  1. Sẽ dự: C0103 17/12\n  2. Sẽ dự: " in meetings

    # Depends on handlers/meetings.py: flagged C0103 comes first, and its secretary is told.
    attend = answer(transcript, "1", nth=1)
    assert attend.startswith("Đã ghi nhận: đồng chí sẽ dự sinh hoạt Chi bộ Tổ dân phố số 5")
    assert "\n[20/11 08:00 tin nhắn tới C0103 Bùi Quang Tùng] Đồng chí Nguyễn Văn Thành" in attend
    assert "/help" in answer(transcript, "ok, cảm ơn")  # not understood, and said so

    # What fell due in those two days arrives as the clock passes it: in full for the person
    # played, a line each for the others.
    moved = answer(transcript, ":time +2d")
    assert moved.endswith("\nĐồng hồ thử tua tới Thứ Hai 22/11/2021 08:00.\n")
    assert "[20/11 08:30 tin nhắn tới M01 Nguyễn Văn Thành] 📅 Gợi ý tuần này" in moved
    assert "\n  1. Sẽ dự: " in moved  # M01's suggestion, whole, with its choices
    assert "[20/11 08:30 tin nhắn tới M02 Trần Thị Minh Nguyệt] 📅 Gợi ý tuần này" in moved
    assert moved.count("tin nhắn tới M01 Nguyễn Văn Thành] 📅") == 2  # weeks 46 and 47
    assert answer(transcript, ":who").startswith("Đồng chí là ai? / Who are you?\n")
    assert answer(transcript, "C0103").startswith("Bây giờ đồng chí là C0103 Bùi Quang Tùng.")
    assert prompts(transcript)[1:] == [M01_PROMPT] * 5 + [
        "[22/11/2021 08:00 | M01 Nguyễn Văn Thành]",
        WHO_PROMPT,
        "[22/11/2021 08:00 | C0103 Bùi Quang Tùng]",
    ]
    assert transcript.endswith(
        "[22/11/2021 08:00 | C0103 Bùi Quang Tùng] > :quit\n"
        "Tạm biệt! Cơ sở dữ liệu thử đã được xóa.\n"
    )


async def test_a_chosen_meeting_is_marked_and_leaves_the_list():
    transcript = await session("1", "/meetings", "1", "/meetings")

    again = answer(transcript, "/meetings", nth=1)
    assert "(C0103), Đảng bộ phường Bồ Đề\n" in again
    assert "Nhà văn hóa tổ dân phố số 5, phường Bồ Đề ⚠️ khó khăn ✓ sẽ dự" in again
    assert "Sẽ dự: C0103" not in again


async def test_an_english_member_sees_english_and_so_does_the_demo():
    transcript = await session("M04", "/help", ":help", ":time +3h")

    assert answer(transcript, "M04").startswith("You are now M04 Phạm Hồng Sơn.")
    assert "/meetings - Upcoming meetings" in answer(transcript, "/help")
    assert "  :time +2d   move the demo clock forward" in answer(transcript, ":help")
    moved = answer(transcript, ":time +3h")
    assert moved.endswith("\nThe demo clock moves to Sat 20/11/2021 11:00.\n")
    assert "[20/11 08:30 message to M04 Phạm Hồng Sơn] 📅 This week: you have not" in moved
    assert transcript.endswith(  # the end of input ends the demo
        "[20/11/2021 11:00 | M04 Phạm Hồng Sơn] > \nGoodbye! The demo database is gone.\n"
    )


async def test_the_clock_only_moves_forward_by_a_duration():
    transcript = await session("1", ":time -1d", ":time 2d", ":time +2x", ":time", ":time +30m")

    assert "Đồng hồ thử chỉ đi tới, không lùi lại." in answer(transcript, ":time -1d")
    usage = (
        "Cách dùng: :time +2d (hoặc +30m, +3h, +1w). Đồng hồ thử đang ở Thứ Bảy 20/11/2021 08:00."
    )
    for typed in (":time 2d", ":time +2x", ":time"):
        assert answer(transcript, typed) == usage + "\n"
    assert answer(transcript, ":time +30m").endswith(
        "\nĐồng hồ thử tua tới Thứ Bảy 20/11/2021 08:30.\n"
    )
    assert prompts(transcript)[1:] == [M01_PROMPT] * 5 + [
        "[20/11/2021 08:30 | M01 Nguyễn Văn Thành]"
    ]


async def test_choosing_who_to_be_refuses_what_is_not_on_the_list():
    transcript = await session("", "M99", "25", "0", "c0102", ":who", "", "/help", ":nope")

    for typed in ("M99", "25", "0"):
        assert answer(transcript, typed).startswith(
            f'"{typed}" không có trong danh sách. Gõ số thứ tự (1-24)'
        )
    assert prompts(transcript)[:5] == [WHO_PROMPT] * 5
    # An empty line while choosing again keeps the person one was.
    assert prompts(transcript)[-2:] == ["[20/11/2021 08:00 | C0102 Lý Thị Minh Tâm]"] * 2
    assert "/confirm - Xác nhận người dự" in answer(transcript, "/help")
    assert "Không có lệnh :nope trong bản chạy thử." in answer(transcript, ":nope")


async def test_the_office_group_gets_the_report_and_refuses_member_commands():
    transcript = await session("24", "/report", "/meetings")

    assert prompts(transcript)[1:] == ["[20/11/2021 08:00 | Văn phòng (admin)]"] * 3  # + the end
    report = answer(transcript, "/report")
    assert "Hãy nhắn riêng cho bot" not in report and "dành cho Văn phòng" not in report
    assert "41" in report  # pairs required in 2021Q4, as the sample's coverage says
    assert answer(transcript, "/meetings") == "Hãy nhắn riêng cho bot để dùng lệnh này.\n"


async def test_moving_to_the_quarters_end_brings_nudges_and_the_digest_to_the_office():
    transcript = await session("24", ":time +42d")

    moved = answer(transcript, ":time +42d")
    assert moved.endswith("\nĐồng hồ thử tua tới Thứ Bảy 01/01/2022 08:00.\n")
    # Nudges 14 and 3 days before the quarter ends, to members with missed organizations.
    assert re.search(
        r"\[18/12 08:00 tin nhắn tới M\d\d [^\]]+\] ⏳ Chỉ còn 14 ngày là hết quý IV/2021", moved
    )
    assert re.search(
        r"\[29/12 08:00 tin nhắn tới M\d\d [^\]]+\] ⏳ Chỉ còn 3 ngày là hết quý IV/2021", moved
    )
    # The digest, whole (the office is being played), then its two files.
    office = "[31/12 17:00 tin nhắn tới Văn phòng (admin)] "
    digest = moved[moved.index(office) :]
    assert "chi bộ quý IV/2021" in "\n".join(digest.splitlines()[:3])
    assert re.search(r"\[tệp đính kèm: [^\]]+digest-2021Q4\.xlsx\]", digest)
    assert re.search(r"\[tệp đính kèm: [^\]]+digest-2021Q4\.png\]", digest)
    assert digest.count(office) >= 3


async def test_past_the_quarters_end_the_preliminary_digest_the_closing_and_the_final_one():
    """Then, as the admin M01, /confirm decides the sample's pending check-ins: amendments."""
    transcript = await session("24", ":time +42d", ":time +10d", ":who", "1", "/confirm", "1")

    office = "tin nhắn tới Văn phòng (admin)] "
    preliminary = answer(transcript, ":time +42d")
    preliminary = preliminary[preliminary.index(f"[31/12 17:00 {office}") :]
    assert (
        "SỐ LIỆU SƠ BỘ: còn 8 lượt điểm danh chờ xác nhận; số liệu được chốt ngày 11/01/2022."
        in (preliminary)
    )
    closing = answer(transcript, ":time +10d")
    closed = closing.index("[Thứ Ba 11/01/2022 00:00] Bot chốt số liệu quý IV/2021: ")
    final = closing.index(f"[11/01/2022 07:00 {office}")  # after the quiet hours
    assert closed < final
    assert "SỐ LIỆU CHÍNH THỨC: đã chốt lúc Thứ Ba 11/01/2022 00:00" in closing[final:]
    assert "SƠ BỘ" not in closing

    pending = answer(transcript, "/confirm")
    # The sample's eight, but for M01's own: never decided by its author.
    assert pending.startswith("Có 7 lượt điểm danh trong toàn quận chờ xác nhận")
    for member in ("Đỗ Thị Thu Hà", "Ngô Thị Bích Ngọc", "Hoàng Thị Lan Anh", "Trịnh Quốc Bảo"):
        assert f"\n{member}\n" in pending
    # One reply, one list: each check-in's Confirm and Absent are numbered on (1-2, 3-4, ...).
    assert [f"  {n}. Xác nhận" in pending for n in (1, 3, 13)] == [True, True, True]
    decided = answer(transcript, "1", nth=1)  # the first one listed: M07's at C0103, flagged
    assert decided.startswith(
        "Đã xác nhận đồng chí Hoàng Thị Lan Anh dự sinh hoạt Chi bộ Tổ dân phố số 5"
    )
    assert (
        "Số liệu quý IV/2021 đã chốt, nên quyết định này được ghi là sửa đổi sau khi chốt:"
        " Hoàng Thị Lan Anh ở O01: chờ xác nhận → đã dự." in decided
    )


async def test_the_secretary_of_a_cell_with_no_january_date_is_chased_on_the_25th():
    # The demo ticks every half hour, through midnight on the 25th, before the chase is due.
    transcript = await session("C0102", ":time +34d", ":time +26h")

    assert "📆" not in answer(transcript, ":time +34d")
    chased = answer(transcript, ":time +26h")
    assert "[25/12 08:00 tin nhắn tới C0102 Lý Thị Minh Tâm] 📆" in chased
    assert "01/2022" in chased


def files_shown(transcript: str) -> list[tuple[str, bool]]:
    """(name, whether it is there) of each attached file the transcript shows."""
    paths = re.findall(r"\[tệp đính kèm: ([^\]]+)\]", transcript)
    return [(Path(path).name, Path(path).is_file()) for path in paths]


async def test_the_files_of_report_can_be_opened_while_the_demo_runs():
    out = io.StringIO()
    typed = ["24", "/report"]
    shown: list[tuple[str, bool]] = []

    async def read_line() -> str | None:
        if typed:
            return typed.pop(0)
        shown.extend(files_shown(out.getvalue()))  # while the demo still runs
        return None

    await run_demo(Config(), read_line, out, echo=True)

    assert shown == [("digest-2021Q4.xlsx", True), ("digest-2021Q4.png", True)]


async def test_ctrl_c_ends_the_session_like_quit():
    out = io.StringIO()
    typed = ["1"]

    async def read_line() -> str | None:
        if typed:
            return typed.pop()
        raise asyncio.CancelledError  # what asyncio.run does to the main task on Ctrl-C

    await run_demo(Config(), read_line, out, echo=True)

    assert out.getvalue().endswith(M01_PROMPT + " > \nTạm biệt! Cơ sở dữ liệu thử đã được xóa.\n")


async def test_the_terminal_cannot_share_a_phone_number(tmp_path):
    world = await make_world(tmp_path)
    out = io.StringIO()
    screen = Screen(out, Translator("vi", world.config.committee.tz))
    chats = NumberedChoices(world.store, world.config, world.clock, CHANNEL)
    try:
        await world.app.handle(
            Inbound.typed(CHANNEL, "newcomer", "newcomer", "/start"),
            TerminalPort(screen, chats, "newcomer"),
        )
    finally:
        await world.store.close()

    assert "Hãy gửi cho bot mã mời" in out.getvalue()
    assert "Chia sẻ số điện thoại" not in out.getvalue()


@pytest.mark.parametrize("utf8_locale", [False, True])
def test_checkin_bot_demo_runs_as_a_program(tmp_path: Path, utf8_locale: bool):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in (ENV_CONFIG, ENV_TELEGRAM_TOKEN, ENV_ZALO_TOKEN, "PYTHONIOENCODING")
        and not k.startswith("LC_")
    }
    # The C locale without Python's UTF-8 rescue: stdout would be ASCII unless the demo fixes it.
    locale = "C.UTF-8" if utf8_locale else "C"
    env.update(LANG=locale, LC_ALL=locale, PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    env["PYTHONPATH"] = str(REPO_ROOT)

    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        cwd=tmp_path,
        env=env,
        input="1\nChào đồng chí\n:quit\n".encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )

    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert "checkin-bot demo: a terminal chat with the sample Long Biên district" in out
    assert "Bây giờ đồng chí là M01 Nguyễn Văn Thành." in out
    assert "] > Chào đồng chí\nBot chưa hiểu tin nhắn này." in out  # read as UTF-8 too
    assert out.endswith("Tạm biệt! Cơ sở dữ liệu thử đã được xóa.\n")
    assert list(tmp_path.iterdir()) == []  # no database left behind
    # The log (the board's start, a check-in nobody can decide, ...) went to the demo's file.
    assert result.stderr.decode("utf-8", "replace") == ""
    assert not re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ", out, flags=re.M)


async def test_the_demo_serves_the_board_and_the_office_gets_a_sign_in_link():
    import aiohttp

    out = io.StringIO()
    typed = ["1", ":web", ":who", "24", ":web"]
    opened: list[tuple[int, str]] = []

    async def read_line() -> str | None:
        if typed:
            return typed.pop(0)
        # While the demo still runs: the board it announced, and the link it printed.
        board = re.search(r"http://127\.0\.0\.1:\d+", out.getvalue()).group(0)
        link = re.search(r"http://127\.0\.0\.1:\d+/login/\S+", out.getvalue()).group(0)
        async with aiohttp.ClientSession() as client:
            for url in (board + "/", link):
                async with client.get(url) as response:
                    opened.append((response.status, await response.text()))
        return None

    await run_demo(Config(), read_line, out, echo=True)

    transcript = out.getvalue()
    assert "Bảng theo dõi của Văn phòng: http://127.0.0.1:" in transcript
    assert "Chỉ Văn phòng đăng nhập được" in answer(transcript, ":web")
    assert "Đường link đăng nhập bảng theo dõi" in answer(transcript, ":web", 1)
    [(anonymous, page), (link, button)] = opened
    assert anonymous == 401 and "Nguyễn Văn Thành" not in page
    assert link == 200 and "Đăng nhập / Sign in" in button


# -- #13.16: who can be played, the office, the clock, the log, the demo's files ---------------


async def test_who_lists_everyone_who_can_be_played_in_both_languages_until_one_is_chosen():
    transcript = await session("C0103", ":who", ":quit")

    first, again = (answer_block for answer_block in transcript.split("Đồng chí là ai?")[1:3])
    listed = re.findall(r"^ +(\d+)\. (\S+)", first, flags=re.M)
    assert [code for _, code in listed] == [
        *(f"M{n:02}" for n in range(1, 21)),
        "C0102",
        "C0103",
        "O10",
        "Văn",  # the office
    ]
    assert "   1. M01 Nguyễn Văn Thành – Ủy viên Ban Thường vụ / standing member" in first
    assert "Bí thư Chi bộ Tổ dân phố số 5 / secretary of Chi bộ Tổ dân phố số 5" in first
    assert "gõ /report, /confirm, /flags / the committee office's group chat" in first
    # Once someone is played, in their language alone.
    assert "   1. M01 Nguyễn Văn Thành – Ủy viên Ban Thường vụ\n" in again


async def test_every_secretary_one_can_be_has_a_check_in_to_confirm():
    for code, member in (
        ("C0102", "Hoàng Thị Lan Anh"),
        ("C0103", "Hoàng Thị Lan Anh"),
        ("O10", "Nguyễn Văn Thành"),
    ):
        transcript = await session(code, "/confirm", "1")
        listed = answer(transcript, "/confirm")
        assert member in listed and "\n  1. Xác nhận\n  2. Vắng" in listed, (code, listed)
        assert "Đã xác nhận" in answer(transcript, "1"), code


async def test_the_office_uses_its_commands_in_its_group():
    transcript = await session("24", "/help", "/confirm", "1", "/flags", "/meetings", "/web")

    assert "/confirm" in answer(transcript, "/help") and "/flags" in answer(transcript, "/help")
    confirm = answer(transcript, "/confirm")
    assert "Có 7 lượt điểm danh trong toàn quận chờ xác nhận" in confirm  # M01's own aside
    assert "Đã xác nhận" in answer(transcript, "1")
    assert "C0103" in answer(transcript, "/flags")
    # What is not the office's, or not for a group, is still refused there.
    assert answer(transcript, "/meetings") == "Hãy nhắn riêng cho bot để dùng lệnh này.\n"
    assert answer(transcript, "/web") == "Hãy nhắn riêng cho bot để dùng lệnh này.\n"


async def test_the_clock_refuses_more_than_400_days_and_says_where_it_is_on_a_long_jump():
    transcript = await session("M04", ":time +401d", ":time +58w", ":time +15d")

    for typed in (":time +401d", ":time +58w"):
        assert answer(transcript, typed) == (
            "The demo clock moves 400 days at most at once. Move it a stretch at a time, e.g."
            " :time +90d.\n"
        )
    moved = answer(transcript, ":time +15d")
    progress = re.findall(r"^⏩ .*$", moved, flags=re.M)
    assert progress == [
        "⏩ Demo clock: Sat 27/11/2021 08:00 (8 days left)",
        "⏩ Demo clock: Sat 04/12/2021 08:00 (1 day left)",
    ]
    assert moved.endswith("The demo clock moves to Sun 05/12/2021 08:00.\n")


async def test_stamps_carry_the_year_once_it_is_no_longer_the_starting_one():
    transcript = await session("24", ":time +45d")

    moved = answer(transcript, ":time +45d")
    assert "\n[31/12 17:00 tin nhắn tới Văn phòng (admin)] " in moved
    assert "\n[03/01/2022 08:00 tin nhắn tới M01 Nguyễn Văn Thành] 📅" in moved
    assert not re.search(r"^\[0\d/01 ", moved, flags=re.M)


def demo_folder(transcript: str) -> Path:
    return Path(re.search(r"ở (\S+); :quit xóa hết\.", transcript).group(1))


def names_in(folder: Path) -> list[str] | None:
    """The names in FOLDER, or None when it is gone."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else None


async def test_the_demos_files_are_where_it_says_until_quit_removes_them():
    out = io.StringIO()
    typed = ["1", "/help"]
    seen: list[list[str] | None] = []

    async def read_line() -> str | None:
        if typed:
            return typed.pop(0)
        seen.append(names_in(demo_folder(out.getvalue())))  # while the demo still runs
        return None

    await run_demo(Config(), read_line, out, echo=True)

    transcript = out.getvalue()
    folder = demo_folder(transcript)
    assert f"are in {folder}; :quit removes them." in transcript
    [names] = seen
    assert names is not None and "demo.sqlite3" in names and "demo.log" in names
    assert names_in(folder) is None
