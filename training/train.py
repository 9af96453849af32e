"""One training run: history -> examples -> split -> features -> LightGBM + calibration + threshold,
with both baselines and every test-period metric. Pure of MLflow and files: cli.py records the result."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.enums import EventType
from core.errors import ConfigError
from core.text import MessageAnalysis
from features.history import TicketHistory
from features.model import EscalationModel, ModelMetadata, model_input
from features.model.metadata import TuningRecord
from rules import PolicySet
from training import metrics
from training.baselines import as_logistic_input, logistic_baseline, rules_scores
from training.calibration import fit_calibrator
from training.examples import LeftOut, build_examples, escalation_events, left_out
from training.feature_frame import FrameBuilder, build_frame, fit_categories
from training.figures import headline_of, score_figures
from training.fingerprint import analyses_hash
from training.fit import BoostParams, Fitter, LocalFitter
from training.refit import refit
from training.report import (
    ModelSummary,
    ModelTest,
    PartCounts,
    RefitSummary,
    RulesBaseline,
    SplitDates,
    TextUse,
    ThresholdFigures,
    TrainReport,
)
from training.split import split_by_creation
from training.targets import Target
from training.tune import Trial, Tuning, tune, tuned_fields


@dataclass(frozen=True)
class TrainConfig:
    target: Target
    test_fraction: float = 0.2
    valid_fraction: float = 0.2
    budget: float = 0.1  # share of active tickets a manager reviews per day
    seed: int = 42
    every_event: bool = True  # examples at every event (measured better than messages only: docs/training.md)
    calibration: str = "isotonic"
    params: BoostParams = field(default_factory=BoostParams)
    min_positives: int = 20  # in the training period
    ticket_features: tuple[str, ...] = ()
    at_creation: bool = True  # an example at each ticket's creation, even when its first event comes later
    refit: str = "keep"  # none | keep | crossfit: refit on train + validation (training/refit.py)
    rules_max_examples: int = 20_000  # the engine is slow per example: score a ticket sample beyond this
    feature_cache: Path | None = None  # keep built feature frames here (keyed by content), reuse them
    tune_trials: int = 0  # > 0: search `params` with this many Optuna trials first (training/tune.py)
    tune_timeout_s: float | None = None  # stop the search after this long (the trial running ends first)
    # processes that build features (forked; the frame is the same for any number): one per core
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)

    @property
    def examples(self) -> str:
        return "events" if self.every_event else "messages"

    def to_params(self) -> dict[str, Any]:
        skip = ("params", "target", "feature_cache", "workers")  # how it ran, not what it learnt
        flat = {k: v for k, v in asdict(self).items() if k not in skip}
        return {
            **flat,
            "examples": self.examples,
            "target": self.target.name,
            "horizon_hours": self.target.horizon.total_seconds() / 3600,
            **{f"lgbm_{k}": v for k, v in asdict(self.params).items()},
        }


@dataclass
class TrainResult:
    model: EscalationModel
    report: TrainReport
    test: pd.DataFrame  # test examples with `score` (calibrated), `raw`, `logreg` and `rules` columns
    valid: pd.DataFrame  # validation examples with `raw` and `score`
    importance: pd.Series  # gain per feature
    test_frame: pd.DataFrame  # the test examples' features (rows aligned with `test`)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase: features, fit, evaluate
    tuning: Tuning | None = None  # the search, when config.tune_trials asked for one

    def config_used(self, config: TrainConfig) -> TrainConfig:
        """`config` as the final model was fitted: with the tuned parameters when tuning ran."""
        return replace(config, params=self.tuning.params) if self.tuning else config


def train_model(
    history: TicketHistory,
    config: TrainConfig,
    policies: PolicySet,
    analyses: Mapping[str, MessageAnalysis] | None = None,
    *,
    progress: bool = False,
    on_trial: Callable[[Trial, Trial], None] | None = None,
    builder: FrameBuilder | None = None,
    fitter: Fitter | None = None,
) -> TrainResult:
    """`analyses`: text analysis of customer messages by event id (empty: the text features are missing).
    `on_trial(trial, best so far)` after each tuning trial. `builder` and `fitter`: build the features and
    boost elsewhere (Dask: training/dask_frame.py, training/dask_fit.py); by default both run here (the
    tuning trials always do)."""
    clock = _Clock()
    fitter = fitter or LocalFitter()
    analyses = analyses or {}
    _check_messages(history, config)
    examples = build_examples(
        history, config.target, every_event=config.every_event, at_creation=config.at_creation
    )
    split = split_by_creation(history.tickets["created_at"], config.test_fraction, config.valid_fraction)
    examples["part"] = split.part_of(examples["created_at"])
    _check_positives(examples, config, split.dates(), len(escalation_events(history.events, config.target)))
    frame, base = build_frame(
        history,
        examples,
        analyses,
        policies,
        progress=progress,
        extra_columns=config.ticket_features,
        cache_dir=config.feature_cache,
        workers=config.workers,
        builder=builder,
    )
    clock.lap("features")
    parts = {p: examples.index[examples["part"] == p] for p in ("train", "valid", "test")}
    y = examples["label"].to_numpy(dtype="int64")
    spec = fit_categories(base, frame.loc[parts["train"]])
    # the model's own encoding for every part: evaluation sees what serving will see
    x = {p: model_input(spec, frame.loc[idx]) for p, idx in parts.items()}
    tuning = _tune(x, y, parts, config, on_trial)
    if tuning is not None:  # the final fit, the refit and the model card use the best trial's parameters
        config = replace(config, params=tuning.params)
        clock.lap("tune")
    booster = fitter.early_stopped(
        x["train"],
        y[parts["train"]],
        x["valid"],
        y[parts["valid"]],
        config.params,
        config.seed,
        progress=progress,
    )
    raw = {p: np.asarray(booster.predict(x[p]), dtype="float64") for p in ("valid", "test")}
    calibrator = fit_calibrator(config.calibration, raw["valid"], y[parts["valid"]])
    valid = (
        examples.loc[parts["valid"]]
        .reset_index(drop=True)
        .assign(raw=raw["valid"], score=calibrator.apply(raw["valid"]))
    )
    threshold = metrics.choose_threshold(valid, valid["score"].to_numpy(), config.budget)
    rounds = booster.best_iteration or booster.current_iteration()
    test = examples.loc[parts["test"]].reset_index(drop=True)
    chosen_on_train = headline_of(test, calibrator.apply(raw["test"]))
    fit_rows = parts["train"]
    if config.refit != "none":  # everything before the test period, with the rounds chosen above
        fit_rows = parts["train"].append(parts["valid"])
        spec = fit_categories(base, frame.loc[fit_rows])
        done = refit(
            model_input(spec, frame.loc[fit_rows]),
            y[fit_rows],
            examples.loc[fit_rows].reset_index(drop=True),
            mode=config.refit,
            rounds=rounds,
            params=config.params,
            seed=config.seed,
            calibration=config.calibration,
            calibrator=calibrator,
            threshold=threshold,
            budget=config.budget,
            fitter=fitter,
        )
        booster, calibrator, threshold = done.booster, done.calibrator, done.threshold
        test_x = model_input(spec, frame.loc[parts["test"]])
        raw["test"] = np.asarray(booster.predict(test_x), dtype="float64")
    days = split.dates()
    model = EscalationModel(
        spec,
        booster,
        calibrator,
        threshold,
        ModelMetadata(
            target=config.target.name,
            target_kind=config.target.kind,
            target_column=config.target.column,
            escalation_types=tuple(t.value for t in config.target.types),
            horizon_hours=config.target.horizon.total_seconds() / 3600,
            budget=config.budget,
            calibration=config.calibration,
            best_iteration=rounds,
            refit=config.refit,
            fit_rows=len(fit_rows),
            seed=config.seed,
            lgbm_params=tuned_fields(config.params),
            tuning=tuning.record() if tuning else None,
            every_event=config.every_event,
            at_creation=config.at_creation,
            examples=config.examples,
            ticket_features=tuple(config.ticket_features),
            feature_spec_version=spec.version,
            policies_version=policies.version,
            text_analyses=analyses_hash(analyses) if analyses else None,
            train_from=days["train_from"],
            valid_from=days["valid_from"],
            test_from=days["test_from"],
            test_to=days["test_to"],
            # the boundary itself: the day above holds validation tickets too (compare-models reads this)
            test_from_at=split.test_from.isoformat(),
        ),
    )
    clock.lap("fit")
    test["raw"], test["score"] = raw["test"], calibrator.apply(raw["test"])
    logreg = logistic_baseline(spec, config.seed).fit(
        as_logistic_input(frame.loc[fit_rows], spec), y[fit_rows]
    )
    test["logreg"] = logreg.predict_proba(as_logistic_input(frame.loc[parts["test"]], spec))[:, 1]
    test["rules"], rules_note = _rules(history, test, policies, analyses, config, progress)
    importance = pd.Series(booster.feature_importance("gain"), index=spec.names).sort_values()
    gone = left_out(
        history, config.target, examples, every_event=config.every_event, at_creation=config.at_creation
    )
    report = build_report(
        examples,
        test,
        model,
        config,
        split.dates(),
        rules_note,
        tuning=tuning.record() if tuning else None,
        refit=RefitSummary(
            mode=config.refit,
            rounds=rounds,
            rows=len(fit_rows),
            before=chosen_on_train,  # the booster fitted on the training period, validation calibrator
            after=headline_of(test, test["score"].to_numpy()),
        ),
        tickets_in_history=len(history.tickets),
        analysed_messages=len(analyses),
        gone=gone,
    )
    clock.lap("evaluate")
    return TrainResult(
        model, report, test, valid, importance, frame.loc[parts["test"]].reset_index(drop=True), clock.laps,
        tuning,
    )


def _tune(
    x: dict[str, pd.DataFrame],
    y: np.ndarray,
    parts: dict[str, pd.Index],
    config: TrainConfig,
    on_trial: Callable[[Trial, Trial], None] | None,
) -> Tuning | None:
    """The search sees the training and validation periods only: the test part is not passed in."""
    if not config.tune_trials:
        return None
    return tune(
        x["train"],
        y[parts["train"]],
        x["valid"],
        y[parts["valid"]],
        config.params,
        config.seed,
        config.tune_trials,
        timeout_s=config.tune_timeout_s,
        on_trial=on_trial,
    )


def build_report(
    examples: pd.DataFrame,
    test: pd.DataFrame,
    model: EscalationModel,
    config: TrainConfig,
    dates: dict[str, str],
    rules_note: str | None,
    *,
    tuning: TuningRecord | None,
    refit: RefitSummary,
    tickets_in_history: int,
    analysed_messages: int,
    gone: LeftOut,
) -> TrainReport:
    scores = test["score"].to_numpy()
    uncalibrated = metrics.score_metrics(test["label"].to_numpy(), test["raw"].to_numpy())["brier"]
    at_threshold = metrics.threshold_metrics(test, scores, model.threshold)
    lead = (
        metrics.lead_times(test, scores, model.threshold)
        if config.target.has_instants
        else metrics.LeadTimes(note="outcome targets have no escalation instant")
    )
    counts = examples.groupby("part")["label"].agg(["size", "sum"])
    return TrainReport(
        target=config.target.name,
        horizon_hours=config.target.horizon.total_seconds() / 3600,
        rows=len(examples),
        positives=int(examples["label"].sum()),
        parts={p: PartCounts(int(counts.loc[p, "size"]), int(counts.loc[p, "sum"])) for p in counts.index},
        tickets=int(examples["ticket_id"].nunique()),
        split=SplitDates(**dates),
        budget=config.budget,
        test=ModelTest(
            figures=score_figures(test, "score", config.budget),
            brier_uncalibrated=uncalibrated,
            threshold=ThresholdFigures(model.threshold, at_threshold["alert_rate"], at_threshold["precision"],
                                       at_threshold["recall"]),
            lead_time_hours=lead,
        ),
        # levels 0-4 are a decision, not a probability: no Brier score
        rules=RulesBaseline(
            score_figures(test.dropna(subset=["rules"]), "rules", config.budget, probability=False),
            rules_note,
        ),
        logreg=score_figures(test, "logreg", config.budget),
        model=ModelSummary(
            best_iteration=model.metadata.best_iteration,
            threshold=model.threshold,
            calibration=config.calibration,
            features=len(model.spec.names),
            examples=config.examples,
        ),
        text=TextUse(analysed_messages),
        tickets_in_history=tickets_in_history,
        tuning=tuning,
        refit=refit,
        left_out=gone,
    )


def _check_messages(history: TicketHistory, config: TrainConfig) -> None:
    """--examples messages on a log without customer messages (an ITSM update log) has no examples at all:
    say so, rather than that positives are too few."""
    types = history.events["type"].astype("str")
    if config.every_event or types.empty or types.eq(EventType.CUSTOMER_MESSAGE.value).any():
        return  # a tickets-only export still has one example a ticket, at creation
    raise ConfigError(
        f"--examples messages: the history has no customer messages (no event of type "
        f"{EventType.CUSTOMER_MESSAGE.value}), so there is no instant to predict at; use --examples events"
    )


def _more_positives(examples: pd.DataFrame, config: TrainConfig, escalations: int) -> str:
    column = config.target.column
    if config.target.kind == "escalation" and not escalations:  # no --horizon or type changes that
        return ("the history has no escalation event: does the export hold its escalations as events of type "
                "escalation (data/README.md, Events)? Otherwise train on an outcome, --target outcome:COLUMN")
    if config.target.kind == "escalation" and not examples["label"].any():
        return (f"none of the history's {escalations:,} escalation events follows an example instant within "
                "--horizon: an escalation at a ticket's creation instant (an export stamping the ticket as "
                "opened escalated) has no earlier instant to be predicted from")
    if config.target.kind == "escalation":
        return "use a longer --horizon, more escalation types, or a longer history"
    if not examples["label"].any():  # no --horizon or escalation type changes a ticket column
        return f"{column} is false on every ticket of the history: use another --target"
    return f"{column} is true on too few tickets of the history: give a longer history, or another --target"


def _fewer_positives(examples: pd.DataFrame, config: TrainConfig) -> str:
    column = config.target.column
    if config.target.kind == "escalation":
        return "use a shorter --horizon, another --target, or a history with tickets that did not"
    if examples["label"].all():
        return f"{column} is true on every ticket of the history: use another --target"
    return f"give a history with tickets where {column} is false in that period, or another --target"


def _check_positives(
    examples: pd.DataFrame, config: TrainConfig, dates: dict[str, str], escalations: int
) -> None:
    """`escalations`: the history's escalation events of the target's types (for the advice)."""
    what = "escalations" if config.target.kind == "escalation" else f"{config.target.column} = true"
    got = examples.groupby("part")["label"].sum().reindex(["train", "valid", "test"], fill_value=0)
    if got["train"] < config.min_positives:
        raise ConfigError(
            f"too few positive examples to train: {int(got['train'])} in the training period "
            f"(before {dates['valid_from']}), at least {config.min_positives} needed; "
            + _more_positives(examples, config, escalations)
        )
    negatives = examples.groupby("part")["label"].agg(lambda y: int((y == 0).sum()))
    for part, when in (("train", f"before {dates['valid_from']}"),
                       ("valid", f"{dates['valid_from']} to {dates['test_from']}")):
        if negatives.get(part, 0) == 0:
            period = "training period" if part == "train" else "validation period"
            raise ConfigError(
                f"every example of the {period} ({when}) is positive ({what}): the model has nothing "
                "to tell apart; " + _fewer_positives(examples, config)
            )
    if got["valid"] < 5:
        raise ConfigError(
            f"the validation period ({dates['valid_from']} to {dates['test_from']}) has only "
            f"{int(got['valid'])} positive example(s); early stopping and calibration need at least 5 "
            "— give more history or a longer --horizon"
        )
    if got["test"] == 0:
        raise ConfigError(
            f"the test period ({dates['test_from']} to {dates['test_to']}) has no {what} within "
            "the horizon: its metrics would mean nothing; raise --test-fraction or give more history"
        )


def _rules(
    history: TicketHistory,
    test: pd.DataFrame,
    policies: PolicySet,
    analyses: Mapping[str, MessageAnalysis] | None,
    config: TrainConfig,
    progress: bool,
) -> tuple[np.ndarray, str | None]:
    chosen, note = test, None
    if len(test) > config.rules_max_examples:
        tickets = test["ticket_id"].drop_duplicates().sample(frac=1.0, random_state=config.seed)
        sizes = test.groupby("ticket_id").size().reindex(tickets).cumsum()
        chosen = test[test["ticket_id"].isin(sizes.index[sizes <= config.rules_max_examples])]
        note = f"scored on {len(chosen):,} of {len(test):,} test examples (whole tickets, seeded sample)"
    out = np.full(len(test), np.nan)
    out[chosen.index.to_numpy()] = rules_scores(
        history, chosen.reset_index(drop=True), policies, analyses, progress=progress
    )
    return out, note


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now
