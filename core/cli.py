"""The `escalation` command. Subcommands live with the package that owns them and are imported
only when used, so `escalation --help` is fast and core imports nothing of ours at import time."""

from __future__ import annotations

import importlib
import sys

import click

from core.errors import ConfigError, EscalationError
from core.logs import configure_logging
from core.settings import LoggingSettings, get_settings

# name -> "module:attribute" of a click command. The composition root of the CLI.
COMMANDS: dict[str, str] = {
    "validate-data": "features.history.cli:validate_data",
    "describe-data": "features.history.cli:describe_data",
    "import": "helpdesks.cli:import_history",
    "generate-sample": "synthetic.cli:generate_sample",
    "sla": "features.sla_cli:sla",
    "analyze-text": "features.text.cli:analyze_text",
    "train-sentiment": "training.sentiment.cli:train_sentiment",
    "train-signals": "training.signals.cli:train_signals",
    "tune-encoder": "training.encoder.cli:tune_encoder",
    "split-labelled": "training.signals.cli:split_labelled",
    "evaluate-text": "training.signals.cli:evaluate_text",
    "attach-texts": "training.signals.cli:attach_texts_command",
    "train": "training.cli:train",
    "promote": "training.cli:promote",
    "promote-model": "training.cli:promote_model",
    "compare-models": "training.cli:compare_models",
    "score-batch": "training.score_cli:score_batch",
    "serve": "serving.cli:serve",
    "sweep": "serving.sweeper.cli:sweep",
    "seed-demo": "serving.demo:seed_demo",
    "export-history": "serving.export:export_history_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="escalation-risk")
def cli() -> None:
    """Escalation risk predictor for customer-service helpdesks.

    Validate and describe ticket histories, generate the sample data, train and serve the
    escalation-risk model. Run `escalation COMMAND --help` for each command.
    """


def main() -> None:
    start_logging()
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except EscalationError as exc:
        # Our errors carry a message made for people: no stack trace.
        click.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(1)


def start_logging() -> None:
    """Logging, once for the process, before any command runs. Settings that do not validate are reported by
    the command that reads them; logging meanwhile takes its defaults."""
    try:
        configured = get_settings().logging
    except ConfigError:
        configured = LoggingSettings()
    configure_logging(configured)


if __name__ == "__main__":  # `python -m core.cli …`, the same as the `escalation` script
    main()
