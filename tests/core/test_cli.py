from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from core import cli as cli_module
from core.cli import COMMANDS, cli, main
from core.errors import ConfigError


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_registered_command_resolves_and_explains_itself(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    assert command.help and len(command.help.split()) >= 5, f"`escalation {name} --help` says too little"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_top_level_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.output


def test_our_errors_become_one_line_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], log_output: object
) -> None:  # log_output: main() configures logging; the fixture takes its handler away afterwards
    @click.command()
    def boom() -> None:
        """Fail the way a bad policy file does."""
        raise ConfigError("policies.yaml:3 [calendar]: unknown calendar 'oslo'; known: nordic")

    commands = types.ModuleType("fake_commands")
    commands.boom = boom  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_commands", commands)
    monkeypatch.setitem(COMMANDS, "boom", "fake_commands:boom")
    monkeypatch.setattr(sys, "argv", ["escalation", "boom"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "error: policies.yaml:3 [calendar]: unknown calendar 'oslo'" in err
    assert "Traceback" not in err
    assert cli_module.COMMANDS is COMMANDS


def test_console_script_is_installed_next_to_the_interpreter() -> None:
    script = Path(sys.executable).parent / "escalation"
    assert script.exists(), "the set-up command should install .venv/bin/escalation"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "validate-data" in done.stdout


def test_logging_is_configured_from_settings_before_any_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], log_output: object
) -> None:
    import json
    import logging

    monkeypatch.setenv("ESCALATION_LOGGING__FORMAT", "json")
    cli_module.start_logging()
    logging.getLogger("serving.outbox").info("delivery 1: action a-1 for ticket T-1")
    line = json.loads(capsys.readouterr().err)
    assert (line["logger"], line["message"]) == ("serving.outbox", "delivery 1: action a-1 for ticket T-1")


def test_settings_that_do_not_validate_leave_logging_at_its_defaults(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], log_output: object
) -> None:
    import logging

    monkeypatch.setenv("ESCALATION_SERVER__PORT", "0")  # invalid: the command that reads settings says so
    cli_module.start_logging()
    logging.getLogger("serving").info("still logged")
    assert capsys.readouterr().err.rstrip().endswith("INFO serving: still logged")


def test_a_bad_setting_stops_serve_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "escalation"
    env = {"PATH": str(script.parent), "HOME": str(tmp_path), "ESCALATION_SERVER__PORT": "eighty",
           "ESCALATION_DATABASE_URL": f"sqlite:///{tmp_path / 'never-made.db'}"}
    done = subprocess.run([str(script), "serve"], capture_output=True, text=True, timeout=120, check=False,
                          env=env)
    assert done.returncode == 1
    allowed = "give a whole number, at least 1 and at most 65,535"
    assert done.stderr.splitlines() == [f"error: settings: ESCALATION_SERVER__PORT: 'eighty': {allowed}"]
    assert not (tmp_path / "never-made.db").exists()
