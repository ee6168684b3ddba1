"""A stop signal in the middle of `checkin-bot digest --send`: the digest is queued and says so,
or says it is not; never a success printed over nothing queued."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
from test_cli import (  # noqa: F401  (_isolated: the working directory is a tmp one)
    _isolated,
    db_file,
    rows,
    run,
    seed_sample_activity,
    write_config,
)

import bot.digest.outbox
import bot.digest.render


@pytest.fixture
def office(tmp_path: Path) -> Path:
    config = write_config(tmp_path, "[access]\ndigest_chats = [-1001234567890]\n")
    seed_sample_activity(config)
    return config


async def signalled(signum: int) -> None:
    """This process gets SIGNUM, and the event loop hears of it."""
    os.kill(os.getpid(), signum)
    for _ in range(20):
        await asyncio.sleep(0)


def queued(config: Path) -> int:
    return rows(db_file(config), "SELECT count(*) FROM outbox WHERE key LIKE 'digest:%'")[0][0]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_stop_after_the_files_are_written_queues_nothing_and_says_so(
    office, tmp_path, capsys, monkeypatch, signum
):
    render = bot.digest.render.render_digest

    async def render_then_stop(*args, **kwargs):
        rendered = await render(*args, **kwargs)
        await signalled(signum)
        return rendered

    monkeypatch.setattr(bot.digest.render, "render_digest", render_then_stop)
    code, printed, err = run(capsys, office, "digest", "--send", "--out", tmp_path / "q4")
    assert code == 1
    assert printed.startswith("Digest 2021Q4 written to")  # the files are there
    assert "Queued" not in printed
    assert err.strip() == (
        f"Stopped by {signum.name} before queuing: the digest was NOT queued;"
        " run `digest --send` again to queue it."
    )
    assert queued(office) == 0


def test_a_stop_while_queuing_lets_the_queuing_finish_and_says_so(
    office, tmp_path, capsys, monkeypatch
):
    queue = bot.digest.outbox.queue_digest

    async def stop_then_queue(*args, **kwargs):
        await signalled(signal.SIGTERM)
        return await queue(*args, **kwargs)

    monkeypatch.setattr(bot.digest.outbox, "queue_digest", stop_then_queue)
    code, printed, _ = run(capsys, office, "digest", "--send", "--out", tmp_path / "q4")
    assert code == 0
    assert "Queued for telegram:-1001234567890: `run` sends it." in printed
    assert queued(office) > 0
