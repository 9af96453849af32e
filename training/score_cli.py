"""`escalation score-batch`: every ticket open at an instant, scored with reasons, into a Parquet, CSV or
JSONL file (the suffix of --out says which)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import click
import pandas as pd

from core.errors import ConfigError
from core.settings import get_settings
from core.tickets import in_range
from features.history.cli import INVALID_REPORT_OPTION, ON_INVALID_OPTION, load_checked
from features.model import load_model
from rules import load_policies
from training.batch_scores import LocalRows, batch_scores, open_at, summaries_of, ticket_messages
from training.cli import DASK_OPTION, engines, writable
from training.cluster import ClusterSpec, parse_cluster
from training.text_analyses import message_analyses, refuse_no_text
from training.ticket_features import check_ticket_columns


def _parquet(scores: pd.DataFrame, out: Path) -> None:
    scores.to_parquet(out, index=False)


def _csv(scores: pd.DataFrame, out: Path) -> None:
    scores.to_csv(out, index=False, date_format="%Y-%m-%dT%H:%M:%SZ")  # `at` is UTC


def _jsonl(scores: pd.DataFrame, out: Path) -> None:
    scores.to_json(out, orient="records", lines=True, date_format="iso", date_unit="s", force_ascii=False)


# The formats of --out, by its suffix (a name that says text and holds Parquet misleads whoever opens it)
SCORE_WRITERS: dict[str, Callable[[pd.DataFrame, Path], None]] = {
    ".parquet": _parquet, ".csv": _csv, ".jsonl": _jsonl}


def score_writer(out: Path) -> Callable[[pd.DataFrame, Path], None]:
    """What writes the scores to `out`, chosen by its suffix; a ConfigError naming the accepted ones."""
    writer = SCORE_WRITERS.get(out.suffix.lower())
    if writer is None:
        *first, last = SCORE_WRITERS
        raise ConfigError(f"--out {out}: unsupported file type {out.suffix or '(none)'}; use "
                          f"{', '.join(first)} or {last} (the format follows the suffix)")
    return writer


@dataclass
class BatchRun:
    scores: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)  # seconds a step: load … features and scores
    ran_on: str = "this process"


def run_batch_scoring(
    data: Path,
    at: datetime,
    model_file: Path,
    *,
    mapping: Path | None = None,
    policies_file: Path | None = None,
    text: bool = True,
    text_cache: Path | None = None,
    cluster: ClusterSpec | None = None,
    on_invalid: str = "fail",
    invalid_report: Path | None = None,
    progress: bool = False,
) -> BatchRun:
    """Load the history and the model, find the tickets open at `at`, analyse their messages up to `at`,
    build their features at `at` and score them (here, or on Dask with `cluster`)."""
    settings = get_settings()
    laps: dict[str, float] = {}
    last = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        laps[name], last = round(now - last, 3), now

    history = load_checked(data, mapping, on_invalid, invalid_report, progress=progress)
    policies = load_policies(policies_file or settings.paths.policy_file)
    model = load_model(model_file)
    if not text:
        refuse_no_text([f"the model {model_file}"] if model.metadata.text_analyses else [])
    check_ticket_columns(f"the model {model_file}", model.metadata, history.tickets, data)
    # trained --no-text: it never split on the text columns
    text = text and model.metadata.text_analyses is not None
    lap("load")
    with engines(cluster, settings, text=text) as run_on:
        builder = run_on.builder or LocalRows()
        summaries = summaries_of(history, builder, progress=progress)
        tickets = open_at(summaries, at)
        lap("open")
        analyses = (
            message_analyses(ticket_messages(history, tickets, at), settings, text_cache, progress=progress,
                             remote=run_on.analyser)[0]
            if text and tickets
            else {}
        )
        lap("analyses")
        scores = batch_scores(model, history, tickets, at, analyses, policies, builder=builder,
                              progress=progress)
        lap("features and scores")
    return BatchRun(scores, laps, run_on.ran_on)


def parse_instant(value: str) -> datetime:
    """An ISO 8601 instant with its offset (2026-10-30T12:00:00Z)."""
    try:
        stamp = pd.Timestamp(value)
    except ValueError:
        raise ConfigError(f"--at {value!r} is not an ISO 8601 instant; e.g. 2026-10-30T12:00:00Z") from None
    if stamp.tzinfo is None:
        raise ConfigError(f"--at {value!r} has no UTC offset; add one, e.g. {value}Z or {value}+01:00")
    try:
        return in_range(stamp.tz_convert("UTC").to_pydatetime())  # as the API and `sla explain`
    except ValueError as exc:
        raise ConfigError(f"--at {value!r}: {exc}") from None



@click.command("score-batch")
@click.argument("data", type=click.Path(exists=True, path_type=Path))
@click.option("--at", "at", required=True, help="The instant to score at, ISO 8601 with offset.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file: .parquet, .csv or .jsonl (the suffix chooses the format).")
@click.option(
    "--model",
    "model_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Model file (default: models/escalation-risk.json).",
)
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--policies", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--text/--no-text", default=True, show_default=True, help="Analyse message texts.")
@click.option("--text-cache", type=click.Path(dir_okay=False, path_type=Path))
@DASK_OPTION
@click.option("--progress/--no-progress", default=True, show_default=True)
@ON_INVALID_OPTION
@INVALID_REPORT_OPTION
def score_batch(
    data: Path,
    at: str,
    out: Path,
    model_file: Path | None,
    mapping: Path | None,
    policies: Path | None,
    text: bool,
    text_cache: Path | None,
    cluster: str | None,
    progress: bool,
    on_invalid: str,
    invalid_report: Path | None,
) -> None:
    """Score every ticket open at --at (created by then, not solved or closed) with the model's risk,
    alert and top reasons, as serving would have scored it at that instant; write them to --out.

    Columns: ticket_id, at, risk, alert, reasons (JSON: feature, value, contribution, text)."""
    writer = score_writer(out)  # both before the scoring, not after it
    writable("--out", out)
    found = run_batch_scoring(
        data,
        parse_instant(at),
        model_file or get_settings().paths.models_dir / "escalation-risk.json",
        mapping=mapping,
        policies_file=policies,
        text=text,
        text_cache=text_cache,
        cluster=parse_cluster(cluster) if cluster else None,
        on_invalid=on_invalid,
        invalid_report=invalid_report,
        progress=progress,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    writer(found.scores, out)
    alerts = int(found.scores["alert"].sum())
    seconds = " · ".join(f"{k} {v:.1f} s" for k, v in found.timings.items())
    click.echo(f"{len(found.scores):,} open tickets scored ({alerts:,} alerts) on {found.ran_on} -> {out}")
    click.echo(seconds)
