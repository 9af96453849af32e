"""`escalation train`, `escalation promote` (also `promote-model`) and `escalation compare-models`."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import click

from core.bounds import FEATURE_WORKERS_MAX, RESAMPLES_MAX
from core.options import SEED, FiniteFloatRange
from core.settings import Settings, get_settings
from features.history import load_mapping
from features.history.cli import INVALID_REPORT_OPTION, ON_INVALID_OPTION, load_checked
from features.history.feedback import load_feedback
from rules import load_policies
from training.batch_scores import ClusterRows
from training.cluster import ClusterSpec, parse_cluster
from training.feature_frame import FrameBuilder
from training.feedback import feedback_report
from training.fit import BoostParams, Fitter
from training.plots import write_plots
from training.report import Artefacts, TextUse
from training.run_name import data_name, run_name
from training.summary import evaluation, summary_table, write_report
from training.targets import parse_target
from training.text_analyses import RemoteAnalyser, default_text_cache, message_analyses
from training.ticket_features import choose_ticket_features, ticket_feature_lines
from training.train import TrainConfig, TrainResult, train_model
from training.tune import Trial, trial_line

_FILE = click.Path(dir_okay=False, path_type=Path)
DASK_OPTION = click.option(
    "--dask",
    "cluster",
    metavar="ADDRESS|local[:N]",
    help="Run on Dask: a scheduler address (tcp://host:8786) or a local cluster of N worker processes "
    "(default N: one a core). Needs the `dask` extra (docs/scale-out.md).",
)


class ClusterBuilder(ClusterRows, FrameBuilder, Protocol):
    """Training frames and batch-scoring rows built where it runs (training/dask_frame.py `DaskFrames`)."""


@dataclass(frozen=True)
class Engines:
    """Where the slow stages run: message analyses, feature rows, boosting (None: this process)."""

    analyser: RemoteAnalyser | None = None
    builder: ClusterBuilder | None = None
    fitter: Fitter | None = None
    ran_on: str = "this process"


@contextmanager
def engines(cluster: ClusterSpec | None, settings: Settings, *, text: bool = True) -> Iterator[Engines]:
    """Engines on a Dask cluster (connected here and closed on exit), or the single-process ones."""
    if cluster is None:
        yield Engines()
        return
    from training.cluster import connect
    from training.dask_fit import DaskFitter
    from training.dask_frame import DaskFrames
    from training.dask_text import DaskAnalyser
    from training.text_recipe import AnalyserRecipe

    with connect(cluster) as client:
        analyser = DaskAnalyser(client, AnalyserRecipe(settings)) if text else None
        yield Engines(analyser, DaskFrames(client), DaskFitter(client), f"dask {cluster.describe()}")


def run_training(
    data: Path,
    config: TrainConfig,
    *,
    mapping: Path | None = None,
    policies_file: Path | None = None,
    model_out: Path | None = None,
    progress: bool = False,
    register: bool = True,
    model_name: str | None = None,
    text: bool = True,
    text_cache: Path | None = None,
    on_invalid: str = "fail",
    invalid_report: Path | None = None,
    cluster: ClusterSpec | None = None,
    on_trial: Callable[[Trial, Trial], None] | None = None,
    plots_dir: Path | None = None,
    started_at: datetime | None = None,
) -> tuple[TrainResult, Artefacts]:
    """Load, analyse message texts (unless `text` is False), train, save the model file, log and
    register it in MLflow; managers' feedback beside the history (feedback.jsonl) goes into the report.
    Returns the result and where things went: model file, run id, version.
    `config.ticket_features` may hold `all`; without any, the mapping file's `ticket_features` apply;
    `all` leaves out the mapping file's `outcomes`.
    `cluster`: analyse, build features and boost on Dask; the model file and the run are the same shape.
    `plots_dir`: keep the evaluation plots there too (they are logged with the run either way);
    `started_at`: when the command started, for the run's name (default: now)."""
    from training import tracking  # mlflow is heavy: imported only when a run is recorded

    settings = get_settings()
    started = time.perf_counter()
    started_at = started_at or datetime.now(UTC)
    if register:  # a store that does not answer is said now, not after the whole training
        with tracking.tracking(settings.mlflow_tracking_uri):
            pass
    history = load_checked(data, mapping, on_invalid, invalid_report, progress=progress)
    feedback = load_feedback(data)  # export-history's feedback.jsonl, when the history has one
    policies = load_policies(policies_file or settings.paths.policy_file)
    mapped = load_mapping(mapping).tickets if mapping else None
    chosen = choose_ticket_features(
        history.tickets, config.target, config.ticket_features,
        mapped.ticket_features if mapped else (), mapped.outcomes if mapped else (),
    )
    config = replace(config, ticket_features=chosen.used)
    loaded = time.perf_counter() - started
    with engines(cluster, settings, text=text) as run_on:
        analyses, text_stats = (
            message_analyses(history, settings, text_cache, progress=progress, remote=run_on.analyser)
            if text
            else ({}, None)
        )
        result = train_model(
            history, config, policies, analyses, progress=progress, on_trial=on_trial,
            builder=run_on.builder, fitter=run_on.fitter,
        )
    result.timings = {"load": round(loaded, 3), "analyses": text_stats.seconds if text_stats else 0.0,
                      **result.timings}
    result.report = replace(
        result.report,
        ticket_features=chosen,
        text=TextUse(text_stats.messages, text_stats) if text_stats else TextUse(0, note="--no-text"),
        timings_s=result.timings,
        feedback=feedback_report(feedback) if feedback else None,
        ran_on=run_on.ran_on,
    )
    out = model_out or settings.paths.models_dir / "escalation-risk.json"
    data_print = tracking.fingerprint(history)
    result.model.metadata = replace(
        result.model.metadata, data=data_print, evaluation=evaluation(result.report)
    )
    result.model.save(out)
    where = Artefacts(model_file=str(out))
    with tempfile.TemporaryDirectory() as tmp:
        plots = (write_plots(result.test, result.importance, plots_dir or Path(tmp) / "plots")
                 if register or plots_dir else [])
        if plots_dir:
            where = replace(where, plots=tuple(str(plot) for plot in plots))
        if register:
            name = run_name(config, data_name(data), started_at, text=text)
            with tracking.tracking(settings.mlflow_tracking_uri):
                bundled = result.model.save(Path(tmp) / tracking.MODEL_FILE)
                run_id, version = tracking.log_run(
                    result, config, data_print, bundled, model_name or tracking.MODEL_NAME,
                    run_name=name, plots=plots,
                )
            where = replace(where, run_id=run_id, run_name=name, model_version=version,
                            tracking_uri=settings.mlflow_tracking_uri)
    result.report = replace(result.report, artefacts=where)
    return result, where


@click.command("train")
@click.option(
    "--data",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Ticket history: a directory, a tickets file, or a JSONL with nested events.",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML column mapping for an export named differently (docs/mapping-example.yaml).",
)
@click.option(
    "--target",
    default="escalation",
    show_default=True,
    help="escalation, escalation:TYPE[,TYPE] (functional, hierarchical, automatic) or outcome:COLUMN.",
)
@click.option("--horizon", default="72h", show_default=True, help="Escalated within this long after t.")
@click.option(
    "--test-fraction",
    type=FiniteFloatRange(0, 1, min_open=True, max_open=True),
    default=0.2,
    show_default=True,
    help="Newest share of tickets (by creation) held out for test.",
)
@click.option(
    "--valid-fraction",
    type=FiniteFloatRange(0, 1, min_open=True, max_open=True),
    default=0.2,
    show_default=True,
    help="Share before the test period for early stopping, calibration and the threshold.",
)
@click.option(
    "--budget",
    type=FiniteFloatRange(0, 1, min_open=True, max_open=True),
    default=0.1,
    show_default=True,
    help="Share of active tickets a manager can review per day: sets the alert threshold.",
)
@click.option("--seed", type=SEED, default=42, show_default=True)
@click.option(
    "--examples",
    type=click.Choice(["messages", "events"]),
    default="events",
    show_default=True,
    help="Example instants: each customer message, or each ticket event (docs/training.md compares them).",
)
@click.option(
    "--creation-examples/--no-creation-examples",
    default=True,
    show_default=True,
    help="Also an example at each ticket's creation when its first event comes later (at-open prediction).",
)
@click.option(
    "--calibration", type=click.Choice(["isotonic", "platt", "none"]), default="isotonic", show_default=True
)
@click.option(
    "--refit",
    type=click.Choice(["none", "keep", "crossfit"]),
    default="keep",
    show_default=True,
    help="Refit the final model on train + validation with the chosen rounds; its calibration: the "
    "validation-fitted one (keep) or refitted on cross-fitted scores (crossfit). none: train period only.",
)
@click.option("--num-boost-round", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option(
    "--tune",
    "tune_trials",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="N",
    help="Search LightGBM's main parameters first with N Optuna trials (TPE, seeded by --seed), each fitted "
    "on the training period and scored by validation PR-AUC; the final model uses the best. 0: no search.",
)
@click.option(
    "--tune-timeout",
    type=FiniteFloatRange(min=0, min_open=True),  # inf or nan would be written into the model card
    metavar="SECONDS",
    help="Stop the search after this long (the trial running finishes); the best so far is used.",
)
@click.option(
    "--ticket-feature",
    "ticket_features",
    multiple=True,
    help="An extra ticket column known at creation to use as a feature (repeatable).",
)
@click.option(
    "--ticket-features",
    "ticket_feature_list",
    metavar="all|COLUMN,COLUMN",
    help="Extra ticket columns as features: `all` (outcomes, timestamps and ids skipped) or a comma list; "
    "without this or --ticket-feature, the mapping file's `ticket_features`.",
)
@click.option(
    "--policies",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="SLA policy file: SLA features and the rules-only baseline "
    "(default: ESCALATION_PATHS__POLICY_FILE, else the shipped one).",
)
@click.option(
    "--text/--no-text",
    default=True,
    show_default=True,
    help="Sentiment and conflict signals of customer messages as features (cached by content hash).",
)
@click.option("--text-cache", type=_FILE,
              help="Analysis cache (default: text-analyses.sqlite in ESCALATION_PATHS__STATE_DIR, var/).")
@click.option(
    "--feature-cache",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep built feature frames in this folder, keyed by data, features, policies and text.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, FEATURE_WORKERS_MAX),
    help="Processes that build features (default: one per core); the result is the same for any number.",
)
@DASK_OPTION
@click.option(
    "--report",
    type=_FILE,
    help="Write the metrics as JSON here, and the run's plots (reliability, PR, ROC, importance) as PNG "
    "files in REPORT-plots/ beside it (report.json: report-plots/).",
)
@click.option("--model-out", type=_FILE, help="Model file (default: models/escalation-risk.json).")
@click.option("--progress/--no-progress", default=True, show_default=True)
@ON_INVALID_OPTION
@INVALID_REPORT_OPTION
def train(
    data: Path,
    mapping: Path | None,
    target: str,
    horizon: str,
    test_fraction: float,
    valid_fraction: float,
    budget: float,
    seed: int,
    examples: str,
    creation_examples: bool,
    calibration: str,
    refit: str,
    num_boost_round: int,
    tune_trials: int,
    tune_timeout: float | None,
    ticket_features: tuple[str, ...],
    ticket_feature_list: str | None,
    policies: Path | None,
    text: bool,
    text_cache: Path | None,
    feature_cache: Path | None,
    workers: int | None,
    cluster: str | None,
    report: Path | None,
    model_out: Path | None,
    progress: bool,
    on_invalid: str,
    invalid_report: Path | None,
) -> None:
    """Train the escalation-risk model on a ticket history, evaluate it beside the rules-only and
    logistic-regression baselines on the newest tickets, and register it in MLflow."""
    config = TrainConfig(
        parse_target(target, horizon),
        test_fraction,
        valid_fraction,
        budget,
        seed,
        examples == "events",
        calibration,
        BoostParams(num_boost_round=num_boost_round),
        ticket_features=(*ticket_features, *[n.strip() for n in (ticket_feature_list or "").split(",")
                                             if n.strip()]),
        at_creation=creation_examples,
        refit=refit,
        feature_cache=feature_cache,
        tune_trials=tune_trials,
        tune_timeout_s=tune_timeout,
        **({"workers": workers} if workers else {}),
    )

    # before the training, not after it: a path under a file or in a folder that cannot be written; one no
    # option gives is the settings' (named as such: the operator gave no option)
    settings = get_settings()
    writable("--model-out" if model_out else "ESCALATION_PATHS__MODELS_DIR",
             model_out or settings.paths.models_dir / "escalation-risk.json")
    if report:
        writable("--report", report)
        writable("--report", plots_folder(report) / "reliability.png", shown=report)
    if feature_cache:
        writable("--feature-cache", feature_cache / "frame.parquet", shown=feature_cache)
    if text:
        writable("--text-cache" if text_cache else "ESCALATION_PATHS__STATE_DIR",
                 text_cache or default_text_cache(settings))

    def trial_done(trial: Trial, best: Trial) -> None:
        click.echo(trial_line(trial, best, tune_trials))

    result, where = run_training(
        data,
        config,
        plots_dir=plots_folder(report) if report else None,
        mapping=mapping,
        policies_file=policies,
        model_out=model_out,
        progress=progress,
        text=text,
        text_cache=text_cache,
        on_invalid=on_invalid,
        invalid_report=invalid_report,
        cluster=parse_cluster(cluster) if cluster else None,
        on_trial=trial_done if progress else None,
    )
    click.echo(summary_table(result.report))
    for line in ticket_feature_lines(result.report.ticket_features):
        click.echo(line)
    click.echo(
        f"\nmodel file {where.model_file} · MLflow run {where.run_id} ({where.run_name}) · "
        f"registered version {where.model_version} (promote: escalation promote "
        f"{where.model_version})"
    )
    if report:
        write_report(result.report, report)
        click.echo(f"report written to {report}, its plots to {plots_folder(report)}/")


def writable(option: str, path: Path, shown: Path | None = None) -> None:
    """Whether `path` can be written (its folder made if need be); a ConfigError naming `option` if not."""
    from core.errors import ConfigError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise PermissionError(f"no permission to write in {path.parent}")
    except OSError as exc:
        blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        reason = (f"{blocking} is a file, not a folder" if blocking is not None
                  else f"{exc.strerror or exc}: {exc.filename or path.parent}")
        raise ConfigError(
            f"{option} {shown or path}: cannot be written ({reason}); give a path in a folder you can "
            "write to"
        ) from None


def plots_folder(report: Path) -> Path:
    """Where the plots of `--report` go: `report.json` -> `report-plots/` beside it."""
    return report.with_name(f"{report.stem}-plots")


@click.command("promote")
@click.argument("ref", required=False, metavar="[RUN_ID|VERSION]")
@click.option("--version", "version_option", help="Model version to promote (same as giving VERSION).")
@click.option("--alias", default="champion", show_default=True)
def promote(ref: str | None, version_option: str | None, alias: str) -> None:
    """Move an alias (champion) to the registered model version a run logged, or to a version number;
    the newest version when neither is given.

    A server with ESCALATION_SERVING__MODEL_SOURCE=registry serves models:/escalation-risk@champion and
    swaps to the new champion on POST /v1/admin/reload or its periodic check (docs/training.md)."""
    from core.errors import ConfigError
    from training import tracking

    if ref and version_option and ref != version_option:
        raise ConfigError(f"give the version once: {ref} as the argument and --version {version_option}")
    with tracking.tracking(get_settings().mlflow_tracking_uri) as client:
        chosen = tracking.promote(client, ref or version_option, alias)
    click.echo(f"{tracking.MODEL_NAME} version {chosen} is now @{alias}")


# the command's name before `promote`; kept so that scripts calling it keep working
promote_model = click.Command(
    "promote-model", params=promote.params, callback=promote.callback,
    help="Same as `escalation promote`, its former name.",
)


@click.command("compare-models")
@click.option("--data", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--champion", default="champion", show_default=True, help="Alias, version or run id.")
@click.option("--challenger", required=True, help="Alias, version or run id, e.g. 7.")
@click.option(
    "--policies",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="SLA policy file the features are computed with "
    "(default: ESCALATION_PATHS__POLICY_FILE, else the shipped one).",
)
@click.option("--text/--no-text", default=True, show_default=True, help="Analyse message texts.")
@click.option("--text-cache", type=_FILE,
              help="Analysis cache (default: text-analyses.sqlite in ESCALATION_PATHS__STATE_DIR, var/).")
@click.option(
    "--resamples",
    type=click.IntRange(10, RESAMPLES_MAX),
    default=1000,
    show_default=True,
    help="Paired bootstrap resamples of the test tickets for the PR-AUC difference's 95 % interval.",
)
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of the bootstrap.")
@click.option("--progress/--no-progress", default=True, show_default=True)
def compare_models(
    data: Path,
    mapping: Path | None,
    champion: str,
    challenger: str,
    policies: Path | None,
    text: bool,
    text_cache: Path | None,
    resamples: int,
    seed: int,
    progress: bool,
) -> None:
    """Score the champion and a challenger on the same test period (the challenger's), print both, and end
    with a one-line verdict: which is better by PR-AUC, with a paired bootstrap interval over the test
    tickets, and whether the difference is within noise."""
    from training.compare import compare, comparison_table

    found = compare(data, mapping, champion, challenger, policies_file=policies, text=text,
                    text_cache=text_cache, progress=progress, resamples=resamples, seed=seed)
    click.echo(comparison_table(found))
