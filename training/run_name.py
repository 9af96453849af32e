"""The readable name of a training run in MLflow: what it predicts, from which data, when, and the options
that set it apart from the defaults, so that a list of runs reads without opening each one."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from training.train import TrainConfig

_SUFFIXES = (".gz", ".csv", ".jsonl", ".json", ".parquet")
_DEFAULT: dict[str, Any] = {f.name: f.default for f in fields(TrainConfig)}


def data_name(path: Path) -> str:
    """`data/sample` -> sample, `exports/incidents.csv` -> incidents, `history.jsonl.gz` -> history."""
    name = path.name or path.resolve().name
    while name.endswith(_SUFFIXES):
        name = name[: name.rindex(".")]
    return name or str(path)


def run_name(config: TrainConfig, data: str, at: datetime, *, text: bool = True) -> str:
    """`escalation@72h · sample · 2026-12-03 10:15 UTC · events, refit crossfit, tune 20`: the target, the
    data's name, when the command started (`at`, shown in UTC) and the options that differ from the
    defaults; the example instants are always named."""
    options = [config.examples]
    if not text:
        options.append("no text")
    if config.refit != _DEFAULT["refit"]:
        options.append(f"refit {config.refit}")
    if config.calibration != _DEFAULT["calibration"]:
        options.append(f"calibration {config.calibration}")
    if not config.at_creation:
        options.append("no creation examples")
    if config.tune_trials:
        options.append(f"tune {config.tune_trials}")
    if config.ticket_features:
        count = len(config.ticket_features)
        options.append(f"{count} ticket feature{'s' if count > 1 else ''}")
    if config.seed != _DEFAULT["seed"]:
        options.append(f"seed {config.seed}")
    when = at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{config.target.name} · {data} · {when} · {', '.join(options)}"
