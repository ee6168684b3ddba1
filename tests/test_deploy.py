"""What deploy/ and the README's "Deploying" promise a district's IT clerk, tried here.

The systemd units pass `systemd-analyze verify` (where systemd is installed), the Caddy example
puts the board and both webhooks of a running bot behind one address (where caddy is
installed), and `pip install` of the project
into a fresh venv outside the checkout runs `checkin-bot demo`.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import aiohttp
import pytest
from dialogue import make_world
from fakes.telegram_api import FakeTelegram
from fakes.zalo_api import FakeZalo
from test_telegram_adapter import help_update
from test_web_browser import free_port
from test_web_webhooks import SECRET, ZALO_SECRET, webhook_config

from bot.backup import DATED
from bot.cli import build_parser
from bot.core.config import ENV_CONFIG, ENV_TELEGRAM_TOKEN, ENV_ZALO_TOKEN
from bot.runner import run

REPO_ROOT = Path(__file__).resolve().parent.parent
DEPLOY = REPO_ROOT / "deploy"
UNITS = ("checkin-bot.service", "checkin-bot-backup.service", "checkin-bot-backup.timer")
INSTALLED_PROGRAM = "/opt/checkin-bot/bin/checkin-bot"  # where README's steps install it


def unit_settings(name: str) -> dict[str, list[str]]:
    """KEY -> every value it is given in the unit file NAME (comments and sections left out)."""
    settings: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def program(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed here (Debian: apt-get install -y {package})")
    return found


# -- systemd ------------------------------------------------------------------------------------


def test_the_bot_runs_hardened_as_its_own_user_with_secrets_from_a_file() -> None:
    bot = unit_settings("checkin-bot.service")

    assert bot["ExecStart"] == [f"{INSTALLED_PROGRAM} run"]
    assert bot["User"] == ["checkin-bot"] and bot["StateDirectory"] == ["checkin-bot"]
    assert bot["WorkingDirectory"] == ["/var/lib/checkin-bot"]
    assert bot["ProtectSystem"] == ["strict"] and bot["NoNewPrivileges"] == ["yes"]
    assert bot["Restart"] == ["on-failure"] and bot["TimeoutStopSec"] == ["30s"]
    assert bot["EnvironmentFile"] == ["/etc/checkin-bot/secrets.env"]
    assert "CHECKIN_BOT_CONFIG=/etc/checkin-bot/config.toml" in bot["Environment"]


def test_the_nightly_backup_is_a_command_the_cli_takes() -> None:
    backup = unit_settings("checkin-bot-backup.service")
    timer = unit_settings("checkin-bot-backup.timer")

    (command,) = backup["ExecStart"]
    executable, *argv = command.split()
    args = build_parser().parse_args(argv)

    assert executable == INSTALLED_PROGRAM
    assert (args.command, args.path, args.keep) == ("backup", "/var/lib/checkin-bot/backups", 14)
    assert backup["User"] == ["checkin-bot"] and backup["StateDirectory"] == ["checkin-bot"]
    assert "EnvironmentFile" not in backup  # a backup needs no token
    assert timer["OnCalendar"] == ["*-*-* 02:30:00 Asia/Ho_Chi_Minh"]
    assert timer["Persistent"] == ["true"]


def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    analyze = program("systemd-analyze", "systemd")
    # verify checks that ExecStart's program exists: this venv's stands in for /opt's.
    here = Path(sys.executable).parent / "checkin-bot"
    assert here.is_file()
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(INSTALLED_PROGRAM, str(here)), encoding="utf-8")

    verified = subprocess.run(
        [analyze, "verify", "--man=no", *(f"./{name}" for name in UNITS)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert verified.returncode == 0, verified.stderr
    assert verified.stderr == ""  # not even a warning (an unknown key is only a warning)
    # Exposure 0 (locked down) to 10 (wide open); systemd calls up to 4.9 "OK".
    for name in ("checkin-bot.service", "checkin-bot-backup.service"):
        rated = subprocess.run(
            [analyze, "security", "--offline=true", "--threshold=30", f"./{name}"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert rated.returncode == 0, rated.stdout[-300:] + rated.stderr
    # 02:30 in Việt Nam is 19:30 UTC, on a server kept in UTC too.
    (when,) = unit_settings("checkin-bot-backup.timer")["OnCalendar"]
    calendar = subprocess.run(
        [analyze, "calendar", when],
        env={**os.environ, "TZ": "UTC"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert re.search(r"Next elapse: \w+ \d{4}-\d\d-\d\d 19:30:00 UTC", calendar.stdout)


def test_the_readme_deploying_section_is_in_step_with_the_units() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deploying", 1)[1].split("\n## ", 1)[0]
    bot = unit_settings("checkin-bot.service")
    (secrets,) = bot["EnvironmentFile"]
    config = next(v for v in bot["Environment"] if v.startswith(f"{ENV_CONFIG}=")).split("=")[1]

    for name in sorted(p.name for p in DEPLOY.iterdir()):
        assert f"deploy/{name}" in section or name in section, name
    for path in (INSTALLED_PROGRAM, config, secrets, *bot["WorkingDirectory"]):
        assert path in section, path
    assert ENV_TELEGRAM_TOKEN in section and ENV_ZALO_TOKEN in section
    assert "02:30" in section and "newest 14" in section
    restored = re.search(r"backups/(checkin-bot-\S+\.sqlite3) checkin-bot\.sqlite3", section)
    assert restored and DATED.match(restored[1])


# -- Caddy in front of the board and the webhooks -----------------------------------------------


async def test_the_caddy_example_puts_the_board_and_both_webhooks_behind_one_address(
    tmp_path: Path,
) -> None:
    caddy = program("caddy", "caddy")
    telegram, zalo = await FakeTelegram.start(), await FakeZalo.start(poll_cap=0.05)
    board, port = free_port(), free_port()
    public = f"http://127.0.0.1:{port}"
    # The example as it is, served over plain HTTP on loopback instead of the public name, and
    # the bot as its comments configure it (the platforms POST to Caddy's address).
    example = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    (tmp_path / "Caddyfile").write_text(
        "{\n\tadmin off\n\tauto_https off\n}\n"
        + example.replace("bot.example.vn {", f"{public} {{").replace(
            "127.0.0.1:8080", f"127.0.0.1:{board}"
        ),
        encoding="utf-8",
    )
    config = webhook_config(tmp_path, telegram, zalo, board, public=public)
    world = await make_world(tmp_path, config)
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    server = await asyncio.create_subprocess_exec(
        caddy, "run", "--adapter", "caddyfile", "--config", str(tmp_path / "Caddyfile"),
        env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stop = asyncio.Event()
    bot = asyncio.create_task(run(config, world.clock, stop=stop))
    try:
        async with aiohttp.ClientSession() as http:
            await until_serving(http, public, server)
            await telegram.wait_for_calls("setWebhook")
            await zalo.wait_for_calls("setWebhook")
            assert telegram.webhook["url"] == f"{public}/telegram"
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            update = help_update(telegram, 1101)
            async with http.post(f"{public}/telegram", json=update, headers=headers) as answer:
                assert answer.status == 200
            [helped] = await telegram.wait_for_messages(1101, 1)
            assert "Bot giúp Quận ủy viên" in helped["text"]
            zalo_update = zalo.update("message.text.received", "z-1", {"text": "/help"})
            assert await zalo.post_to_webhook(zalo_update, secret=ZALO_SECRET) == 200
            await zalo.wait_for_messages("z-1", 1)
            async with http.get(f"{public}/pending") as page:  # the board, asking to sign in
                assert page.status == 401 and "Đăng nhập bảng theo dõi" in await page.text()
    finally:
        stop.set()
        await asyncio.wait_for(bot, 10)
        server.terminate()
        await server.wait()
        await world.store.close()
        await telegram.close()
        await zalo.close()


async def until_serving(http: aiohttp.ClientSession, base: str, server) -> None:
    for _ in range(200):
        if server.returncode is not None:
            pytest.fail(f"caddy exited: {(await server.stderr.read()).decode()[-500:]}")
        try:
            async with http.get(f"{base}/nothing-here"):
                return
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.05)  # caddy starting: a real process, not a timer of ours
    pytest.fail("caddy did not start serving within 10 s")


# -- pip install into a fresh venv ----------------------------------------------------------------


def tracked_files() -> list[str]:
    git = shutil.which("git")
    listed = git and subprocess.run(
        [git, "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, timeout=60
    )
    if not listed or listed.returncode != 0:
        pytest.skip("no git, or not a git checkout: the install test copies the tracked files")
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_pip_install_into_a_fresh_venv_runs_the_demo(tmp_path: Path) -> None:
    # The source as a fresh clone has it: only tracked files, away from this checkout.
    source = tmp_path / "src"
    tracked = tracked_files()
    for name in tracked:
        if (REPO_ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, source / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    # Tests have no network: the dependencies, pip and setuptools come from this checkout's
    # venv, on the path after the fresh venv's own site-packages, where our package goes.
    (Path(site) / "dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )

    installed = subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in (ENV_CONFIG, ENV_TELEGRAM_TOKEN, ENV_ZALO_TOKEN, "PYTHONPATH")
    }
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    where = subprocess.run(
        [python, "-c", "import bot, handlers, storage; print(bot.__file__)"],
        cwd=workdir, env=env, check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    assert where.startswith(site), where  # the installed copy, not this checkout
    package_data = [n for n in tracked if n.startswith("bot/") and not n.endswith(".py")]
    assert "bot/sample/long_bien/members.csv" in package_data
    missing = [n for n in package_data if not (Path(site) / n).is_file()]
    assert missing == []

    demo = subprocess.run(
        [venv / "bin" / "checkin-bot", "demo"],
        cwd=workdir, env=env, input="1\n/help\n:quit\n", capture_output=True, text=True,
        encoding="utf-8", timeout=120,
    )  # fmt: skip

    assert demo.returncode == 0, demo.stderr
    assert "Bây giờ đồng chí là M01 Nguyễn Văn Thành." in demo.stdout
    assert "/meetings - Lịch sinh hoạt sắp tới (/lich)" in demo.stdout  # /help, from the texts
    assert demo.stdout.endswith("Tạm biệt! Cơ sở dữ liệu thử đã được xóa.\n")
    assert list(workdir.iterdir()) == []
