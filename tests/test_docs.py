"""README, CLI help and settings stay in step."""

from __future__ import annotations

import re
import subprocess
from dataclasses import fields

import click
import pytest
from tests.conftest import ROOT

from legalgraph.cli import main
from legalgraph.settings import Settings

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = main.commands[name]
    assert command.help and len(command.help.strip()) > 20
    assert f"legalgraph {name}" in README


@pytest.mark.parametrize("name", _commands())
def test_every_subcommand_has_help(name: str) -> None:
    command = main.commands[name]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            assert sub.help, f"{name} {sub.name}"


def test_every_setting_is_in_the_readme_table() -> None:
    table = README[README.index("### Settings"):]
    for field in fields(Settings):
        assert f"| {field.name} |" in table, field.name
        assert f"LEGALGRAPH_{field.name.upper()}" in table, field.name


def test_readme_opens_with_the_server_and_the_test_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    assert blocks[0].strip() == "pip install -e . && legalgraph serve"
    assert blocks[1].strip().splitlines()[-1] == "bash tools/test.sh"
    assert README.index("legalgraph serve") < README.index("## ")


def test_ci_runs_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    marker = re.search(r"grep -A1 -m1 '(.*?)' README.md", script)
    assert marker
    lines = README.splitlines()
    line = next(i for i, text in enumerate(lines) if re.match(marker.group(1), text))
    assert lines[line + 1] == "bash tools/test.sh"


def test_readme_states_both_licences() -> None:
    assert "MIT" in README and "CC BY 4.0" in README
    assert "CC BY 4.0" in (ROOT / "data" / "dataset.ttl").read_text(encoding="utf-8")


def test_readme_coverage_example_is_real() -> None:
    result = subprocess.run(
        ["legalgraph", "coverage", "mdma", "--as-of", "2026-11-26", "--format", "csv"],
        capture_output=True, text=True, check=True,
    )
    shown = README[README.index("$ legalgraph coverage mdma --as-of 2026-11-26"):]
    for line in result.stdout.splitlines()[:4]:
        assert line in shown
