"""The `checkin-bot` command line (also `python -m bot`).

Exit codes: 0 success, 2 bad input (config, file, arguments) with one line per problem on
stderr, 1 anything else.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, datetime
from pathlib import Path

from bot.audit import audit_csv, audit_json, audit_text
from bot.core.clock import Clock, SystemClock
from bot.core.config import Config, ConfigError, config_path, load_config
from bot.core.i18n import Translator
from bot.core.quarters import Quarter
from bot.logs import FORMATS, configure
from bot.reports import coverage_csv, coverage_json, coverage_text
from bot.roster import export_roster_to, import_roster
from bot.roster.files import RosterFileError
from bot.roster.summary import summary_lines
from bot.services.audit import quarter_audit
from bot.services.closing import AlreadyClosed, NotYet, close_quarter
from bot.services.coverage import quarter_coverage
from bot.services.invites import UnknownCode, create_invite, invite_link
from storage.faults import StoreUnavailable, StoreUnusable
from storage.store import Store

log = logging.getLogger("checkin_bot")

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """A problem the user can fix; each line of ``problems`` is printed."""

    def __init__(self, *problems: str):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


Command = Callable[[argparse.Namespace, Config, Clock], Awaitable[int]]


async def cmd_import(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    path = Path(args.path)
    now = clock.now()
    async with await Store.open(config.storage.path) as store:
        try:
            changes = await import_roster(store, config, path, now)
        except RosterFileError as exc:
            raise BadInput(*map(str, exc.problems), "Nothing was imported.") from None
    if changes.total == 0:
        print(f"{path}: the roster is already up to date; nothing changed.")
    else:
        tz = config.committee.tz
        # English, and dates as the roster files write them, as every command's output.
        lines = summary_lines(
            changes, now.astimezone(tz).date(), Translator("en", tz), date.isoformat
        )
        print(f"{path}: imported.", *lines, sep="\n  ")
    return EXIT_OK


async def cmd_export(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    path = Path(args.path)
    if path.suffix.lower() != ".xlsx" and path.exists() and not path.is_dir():
        raise BadInput(f"{path}: exists and is not a folder (give a folder or a .xlsx path)")
    async with await Store.open(config.storage.path) as store:
        await export_roster_to(store, config, path)
    print(f"Roster written to {path}")
    return EXIT_OK


async def cmd_coverage(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    quarter = _quarter(args.quarter, config, clock)
    async with await Store.open(config.storage.path) as store:
        coverage = await quarter_coverage(store, config, quarter)
    render = {"json": coverage_json, "csv": coverage_csv, "text": coverage_text}[args.format]
    text = render(coverage)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


async def cmd_close(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    now, tz = clock.now(), config.committee.tz
    quarter = _quarter(args.quarter, config, clock, default=Quarter.at(now, tz).previous())
    async with await Store.open(config.storage.path) as store:
        outcome = await close_quarter(store, config, quarter, now, "cli")
    if isinstance(outcome, NotYet):
        raise BadInput(_not_yet(outcome.quarter, outcome.closable_from, now, config))
    if isinstance(outcome, AlreadyClosed):
        closed = outcome.closed
        by = "by the bot" if closed.closed_by == "bot" else "with checkin-bot close"
        print(
            f"{quarter} was already closed on {closed.closed_at.astimezone(tz):%d/%m/%Y %H:%M}"
            f" ({by}); nothing changed."
        )
        return EXIT_OK
    t = outcome.coverage.totals
    print(
        f"{quarter} closed on {now.astimezone(tz):%d/%m/%Y %H:%M}: required {t['required']},"
        f" covered {t['covered']}, pending {t['pending']}, missed {t['missed']}.",
        "Its figures are frozen: coverage, digest and audit read them, and no roster change"
        " alters them.",
        "A later decision on one of its check-ins is an admin's amendment, listed with them.",
        sep="\n",
    )
    return EXIT_OK


def _not_yet(quarter: Quarter, closable_from: datetime, now: datetime, config: Config) -> str:
    tz = config.committee.tz
    when = f"{closable_from.astimezone(tz):%d/%m/%Y %H:%M}"
    if now < quarter.utc_bounds(tz)[1]:
        return (
            f"--quarter {quarter}: has not ended (its last day is {quarter.end:%d/%m/%Y});"
            f" it can be closed from {when}"
        )
    return (
        f"--quarter {quarter}: check-ins at its last meetings are taken until {when}"
        " (reminders.checkin_closes_after); close it from then on"
    )


async def cmd_audit(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    quarter = _quarter(args.quarter, config, clock)
    async with await Store.open(config.storage.path) as store:
        checkins = await quarter_audit(store, config, quarter)
        closed = await store.closing.closed(quarter)
    render = {"json": audit_json, "csv": audit_csv, "text": audit_text}[args.format]
    text = render(quarter, checkins, config.committee.tz, closed and closed.closed_at)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


async def cmd_digest(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    from bot.digest.outbox import DIGEST_LANGUAGE, queue_digest
    from bot.digest.render import render_digest  # loads openpyxl and matplotlib: only when asked

    quarter = _quarter(args.quarter, config, clock)
    out = Path(args.out or f"digest-{quarter}")
    if out.exists() and not out.is_dir():
        raise BadInput(f"--out {out}: exists and is not a folder")
    if args.send and not config.access.digest_chats:
        raise BadInput("--send: access.digest_chats is empty: no chat to send the digest to")
    with _held_signals() as stopped_by:
        async with await Store.open(config.storage.path) as store:
            now = clock.now()
            rendered = await render_digest(store, config, quarter, now, out, DIGEST_LANGUAGE)
            text = out / f"digest-{quarter}.txt"
            text.write_text(rendered.text + "\n", encoding="utf-8")
            print(
                f"Digest {quarter} written to {out}:",
                text.name,
                rendered.xlsx.name,
                rendered.png.name,
            )
            if args.send and stopped_by:
                print(
                    f"Stopped by {stopped_by[0]} before queuing: the digest was NOT queued;"
                    " run `digest --send` again to queue it.",
                    file=sys.stderr,
                )
                return EXIT_FAILED
            if args.send:
                # A stop signal meanwhile waits: the queuing is one transaction, done or not.
                chats = await queue_digest(store, config, quarter, now)
                already = sorted(set(config.access.digest_targets) - set(chats))
                if chats:
                    print(f"Queued for {', '.join(chats)}: `run` sends it.")
                if already:
                    print(f"Not queued again for {', '.join(already)}: it was queued before.")
    return EXIT_OK


@contextlib.contextmanager
def _held_signals() -> Iterator[list[str]]:
    """Stop signals (SIGINT, SIGTERM, SIGHUP) noted in the list given, instead of ending the
    process: so that what is said is what was done."""
    loop = asyncio.get_running_loop()
    stopped_by: list[str] = []
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    for sig in signals:
        loop.add_signal_handler(sig, stopped_by.append, sig.name)
    try:
        yield stopped_by
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


async def cmd_backup(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    from bot.backup import BackupFailed, dated_name, prune, write_backup

    path = Path(args.path)
    into_folder = args.keep is not None or path.is_dir() or args.path.endswith(("/", os.sep))
    if into_folder and path.exists() and not path.is_dir():
        raise BadInput(f"{path}: exists and is not a folder (--keep needs a folder of backups)")
    if not Path(config.storage.path).exists():
        raise BadInput(f"{config.storage.path}: no database there yet (storage.path)")
    target = path / dated_name(clock.now(), config.committee.tz) if into_folder else path
    if target.exists():
        raise BadInput(f"{target}: already exists (choose a new file name)")
    target.parent.mkdir(parents=True, exist_ok=True)
    async with await Store.open(config.storage.path) as store:
        try:
            await write_backup(store, target)
        except BackupFailed as exc:
            print(f"{target}: the backup failed ({exc}); no backup was written", file=sys.stderr)
            return EXIT_FAILED
    print(f"Backup written to {target}")
    if args.keep is not None:
        try:
            removed = prune(path, args.keep)
        except OSError as exc:
            print(f"{path}: older backups could not be removed ({exc})", file=sys.stderr)
            return EXIT_FAILED
        if removed:
            names = ", ".join(old.name for old in removed)
            print(f"Removed {len(removed)} older than the newest {args.keep}: {names}")
    return EXIT_OK


async def cmd_invite(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    async with await Store.open(config.storage.path) as store:
        try:
            invite = await create_invite(store, config, args.code, clock.now())
        except UnknownCode:
            raise BadInput(
                f"{args.code}: no member with this code, and no cell with this code that has a"
                " secretary's phone (check members.csv / cells.csv)"
            ) from None
    tz = config.committee.tz
    print(
        f"Invite for {invite.person.name} ({invite.person.phone}),"
        f" valid once until {invite.expires_at.astimezone(tz):%d/%m/%Y %H:%M}:"
    )
    username = config.telegram.bot_username
    if username:
        print(f"  Telegram: {invite_link(username, invite.token)}")
    print(f"  Token (Zalo: send it to the bot): {invite.token}")
    if not username:
        print("  (set telegram.bot_username in the config to get a Telegram link)")
    return EXIT_OK


async def cmd_web_login(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    from bot.services.web_sessions import NotAdmin, UnknownCode, sign_in_for_code

    async with await Store.open(config.storage.path) as store:
        try:
            sign_in = await sign_in_for_code(store, config, args.code, clock.now())
        except UnknownCode:
            raise BadInput(f"{args.code}: no member with this code (check members.csv)") from None
        except NotAdmin as exc:
            raise BadInput(
                f"{args.code}: {exc.person.name} is not an admin (add the code to access.admins)"
            ) from None
    expires = sign_in.expires_at.astimezone(config.committee.tz)
    print(
        f"Sign-in link to the board for {sign_in.person.name}, once, until {expires:%d/%m/%Y %H:%M}:"
    )
    print(f"  {sign_in.link(config)}")
    if not config.web.enabled:
        print("  (the board is not enabled: set web.enabled = true, then restart `run`)")
    return EXIT_OK


async def cmd_demo(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    from bot.channels.demo import run_demo
    from bot.channels.terminal import StdinLines, interactive, utf8_output

    utf8_output(sys.stdout)
    utf8_output(sys.stderr)
    await run_demo(config, StdinLines(sys.stdin), sys.stdout, echo=not interactive(sys.stdin))
    return EXIT_OK


async def cmd_status(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    from bot.runlock import holder
    from bot.services.health import elapsed, health

    if not Path(config.storage.path).exists():
        raise BadInput(f"{config.storage.path}: no database there yet (storage.path)")
    tz = config.committee.tz
    async with await Store.open(config.storage.path) as store:
        report = await health(store, config, clock.now())
    now = report.now

    def when(at: datetime | None) -> str:
        if at is None:
            return "never"
        ago = "ahead of this clock" if at > now else f"{elapsed(now - at)} ago"
        return f"{at.astimezone(tz):%Y-%m-%d %H:%M:%S} ({ago})"

    running = holder(config.storage.path)
    if running is None:
        print("run: not running on this database")
    else:
        since = f", since {running.since.astimezone(tz):%Y-%m-%d %H:%M:%S}" if running.since else ""
        print(f"run: pid {running.pid}{since}")
    print(f"last tick: {when(report.last_tick)}")
    backlog = report.backlog
    states = ("queued", "sending", "sent", "failed", "dropped")
    print("outbox: " + ", ".join(f"{state} {backlog.get(state, 0)}" for state in states))
    if report.oldest_due is None:
        print("oldest queued message: none due")
    else:
        key, due = report.oldest_due
        print(f"oldest queued message: {key}, due {when(due)}")
    sent = ", ".join(f"{channel} {when(at)}" for channel, at in report.last_sent.items())
    print(f"last successful send: {sent or 'none yet'}")
    print(f"unreachable (blocked the bot): {len(report.unreachable)}")
    for person in report.unreachable:
        since = f", since {person.since.astimezone(tz):%Y-%m-%d %H:%M}" if person.since else ""
        who = person.code or f"secretary of {', '.join(person.cells)}"
        print(f"  {person.name} ({who}){since}")
    if report.healthy:
        print("healthy")
        return EXIT_OK
    print("NOT healthy: " + "; ".join(report.problems))
    return EXIT_FAILED


async def cmd_run(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    from bot.runlock import RunLockError
    from bot.runner import run  # loads python-telegram-bot, which the other commands do not need

    try:
        await run(config, clock)
    except RunLockError as exc:
        raise BadInput(*exc.problems) from None
    return EXIT_OK


def secrets(config: Config) -> list[str]:
    """What must never reach the log: the bots' tokens and the webhooks' secrets."""
    return [
        value
        for channel in (config.telegram, config.zalo)
        for value in (channel.token, channel.webhook_secret)
    ]


def _quarter(
    text: str | None, config: Config, clock: Clock, default: Quarter | None = None
) -> Quarter:
    if text is None:
        return default or Quarter.at(clock.now(), config.committee.tz)
    try:
        return Quarter.parse(text)
    except ValueError as exc:
        raise BadInput(f"--quarter: {exc}") from None


def _at_least_one(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's copy of --config must not reset one given before the subcommand.
    common.add_argument(
        "--config",
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="config file (default: $CHECKIN_BOT_CONFIG, else ./config.toml)",
    )
    common.add_argument(
        "--log-format",
        choices=FORMATS,
        default=argparse.SUPPRESS,
        help="the log on stderr: text lines (default) or JSON objects, one a line",
    )
    parser = argparse.ArgumentParser(
        prog="checkin-bot",
        parents=[common],
        description="Quarterly cell-meeting visits of district committee members: chat bot and records.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Command, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    add(
        "run",
        cmd_run,
        "run the bot: the enabled channels, the scheduler and the outbox, until SIGINT/SIGTERM",
    )
    add("demo", cmd_demo, "the sample district in a fresh database: no token, no network")
    add(
        "import", cmd_import, "load a roster: a folder of CSV files or one .xlsx workbook"
    ).add_argument("path", metavar="PATH")
    add(
        "export", cmd_export, "write the roster as CSV files (a folder) or a .xlsx workbook"
    ).add_argument("path", metavar="PATH")
    coverage = add("coverage", cmd_coverage, "who has covered what in a quarter")
    coverage.add_argument(
        "--quarter", metavar="YYYYQN", help="e.g. 2021Q4 (default: the current one)"
    )
    coverage.add_argument("--format", choices=("text", "csv", "json"), default="text")
    close = add(
        "close",
        cmd_close,
        "close (chốt) an ended quarter: freeze its figures; later decisions are amendments",
    )
    close.add_argument(
        "--quarter", metavar="YYYYQN", help="e.g. 2021Q4 (default: the last one that ended)"
    )
    audit = add(
        "audit",
        cmd_audit,
        "every check-in of a quarter with its decisions: who, in which role, when, where",
    )
    audit.add_argument("--quarter", metavar="YYYYQN", help="e.g. 2021Q4 (default: the current one)")
    audit.add_argument("--format", choices=("text", "csv", "json"), default="text")
    digest = add("digest", cmd_digest, "the quarterly digest: text, .xlsx and .png chart")
    digest.add_argument(
        "--quarter", metavar="YYYYQN", help="e.g. 2021Q4 (default: the current one, to date)"
    )
    digest.add_argument("--out", metavar="DIR", help="where to write it (default: ./digest-YYYYQN)")
    digest.add_argument(
        "--send",
        action="store_true",
        help="also queue it for the digest chats, as the scheduler does (never twice)",
    )
    backup = add(
        "backup",
        cmd_backup,
        "a consistent copy of the database, also while the bot runs: to the new file PATH, or"
        " to a dated file (checkin-bot-YYYYMMDD-HHMMSS.sqlite3) in the folder PATH",
    )
    backup.add_argument("path", metavar="PATH")
    backup.add_argument(
        "--keep",
        type=_at_least_one,
        metavar="N",
        help="back up into the folder PATH and keep only its newest N dated backups",
    )
    add(
        "invite",
        cmd_invite,
        "a one-time link for the member or the secretary of the cell with CODE",
    ).add_argument("code", metavar="CODE")
    add(
        "web-login", cmd_web_login, "a one-time sign-in link to the board for the admin with CODE"
    ).add_argument("code", metavar="CODE")
    add(
        "status",
        cmd_status,
        "the running bot's health; exit 1 when the scheduler stalls or messages wait too long",
    )
    return parser


def main(argv: list[str] | None = None, clock: Clock | None = None) -> int:
    args = build_parser().parse_args(argv)
    log_format = getattr(args, "log_format", "text")
    configure(log_format)
    try:
        explicit = getattr(args, "config", None)
        config = load_config(config_path(explicit), must_exist=explicit is not None)
        configure(log_format, secrets(config))
        return asyncio.run(args.handler(args, config, clock or SystemClock()))
    except (ConfigError, BadInput) as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreUnusable as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreUnavailable as exc:
        print(
            f"{config.storage.path}: the database could not be used just now ({exc}): try again",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_FAILED
    except Exception:
        log.exception("checkin-bot %s failed", args.command)
        return EXIT_FAILED
