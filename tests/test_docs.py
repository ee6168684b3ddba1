"""The documentation keeps step with the code: a command or key left undocumented fails here."""

from __future__ import annotations

import re
from pathlib import Path

from bot.cli import build_parser
from bot.core.config import Config, load_config

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands() -> list[str]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return sorted(sub.choices)


def test_every_subcommand_is_in_the_readme():
    missing = [name for name in subcommands() if f"checkin-bot {name}" not in README]
    assert missing == []


def test_the_readme_shows_the_two_commands():
    assert "make demo" in README and "make test" in README


def test_the_example_config_is_exactly_the_defaults():
    example = load_config(ROOT / "config.example.toml", must_exist=True)
    defaults = Config()
    # storage.path is resolved next to the file it was read from; compare the rest.
    assert example.model_dump(exclude={"storage"}) == defaults.model_dump(exclude={"storage"})
    assert Path(example.storage.path).name == defaults.storage.path


def test_every_config_key_is_in_the_example():
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for section, model in Config.model_fields.items():
        assert f"[{section}]" in text, section
        for key in model.annotation.model_fields:
            assert re.search(rf"^{key} = ", text, re.MULTILINE), f"{section}.{key}"


def chat_commands() -> dict[str, str]:
    from bot.app import build_router

    return {name: route.role for name, route in build_router().commands.items()}


def test_every_chat_command_is_in_the_readme():
    missing = [name for name in chat_commands() if f"/{name}" not in README]
    assert missing == []


def test_every_command_of_the_contract_is_served():
    contract = ROOT.parent / "shared" / "docs" / "contract.md"
    if not contract.exists():
        import pytest

        pytest.skip("../shared/docs/contract.md is not beside this checkout")
    table = contract.read_text(encoding="utf-8").split("## Chat commands", 1)[1].split("##", 1)[0]
    promised = set(re.findall(r"`/([a-z]+)", table))
    assert len(promised) >= 17  # the table still parses
    assert sorted(promised - set(chat_commands())) == []
