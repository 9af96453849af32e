"""The training report: what one run found, typed in parts, built by train.py and cli.py and read by the
summary (training/summary.py), MLflow (training/tracking.py) and the model file's evaluation. `to_dict` is
the one JSON of `escalation train --report` and MLflow's report.json (tests/training/report_shape.txt)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from features.model.metadata import TuningRecord
from training.examples import LeftOut
from training.feedback import FeedbackSummary
from training.figures import HeadlineFigures, ScoreFigures
from training.metrics import LeadTimes
from training.text_analyses import TextStats
from training.ticket_features import TicketFeatureChoice


@dataclass(frozen=True, slots=True)
class PartCounts:
    rows: int
    positives: int


@dataclass(frozen=True, slots=True)
class SplitDates:
    """The days of the split by creation (YYYY-MM-DD), as training/split.py gives them."""

    train_from: str
    valid_from: str
    test_from: str
    test_to: str


@dataclass(frozen=True, slots=True)
class ThresholdFigures:
    """What the saved threshold does on the test period's ticket-days."""

    value: float
    alert_rate: float | None
    precision: float | None
    recall: float | None


@dataclass(frozen=True, slots=True)
class ModelTest:
    """The trained model on the test period."""

    figures: ScoreFigures
    brier_uncalibrated: float | None
    threshold: ThresholdFigures
    lead_time_hours: LeadTimes

    def to_dict(self) -> dict[str, Any]:
        return {**self.figures.to_dict(), "brier_uncalibrated": self.brier_uncalibrated,
                "threshold": _plain(self.threshold), "lead_time_hours": self.lead_time_hours.to_dict()}


@dataclass(frozen=True, slots=True)
class RulesBaseline:
    figures: ScoreFigures  # no Brier score: the rules' levels are a decision, not a probability
    note: str | None  # scored on a sample of the test tickets, when it was large


@dataclass(frozen=True, slots=True)
class ModelSummary:
    best_iteration: int
    threshold: float
    calibration: str
    features: int
    examples: str  # events | messages


@dataclass(frozen=True, slots=True)
class RefitSummary:
    """The refit on train + validation (training/refit.py): the test figures before and after it."""

    mode: str
    rounds: int
    rows: int
    before: HeadlineFigures
    after: HeadlineFigures


@dataclass(frozen=True, slots=True)
class TextUse:
    """The text features' input: messages analysed, and by `escalation train` what the analysis cost, or why
    there was none."""

    analysed_messages: int
    stats: TextStats | None = None
    note: str | None = None  # --no-text

    def to_dict(self) -> dict[str, Any]:
        if self.stats is not None:
            return self.stats.to_dict()
        return {"analysed_messages": self.analysed_messages, **({"note": self.note} if self.note else {})}


@dataclass(frozen=True, slots=True)
class Artefacts:
    """Where `escalation train` put what it made: the model file, the plots beside `--report`, and the MLflow
    run and registered version (None: not made, as without registering)."""

    model_file: str
    plots: tuple[str, ...] | None = None
    run_id: str | None = None
    run_name: str | None = None
    model_version: str | None = None
    tracking_uri: str | None = None

    def to_dict(self) -> dict[str, str | list[str]]:
        out: dict[str, str | list[str]] = {"model_file": self.model_file}
        if self.plots is not None:
            out["plots"] = list(self.plots)
        for name in ("run_id", "run_name", "model_version", "tracking_uri"):
            if (value := getattr(self, name)) is not None:
                out[name] = value
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class TrainReport:
    """train.py fills the run's findings; cli.py the parts known only around it (None: not recorded)."""

    target: str
    horizon_hours: float
    rows: int
    positives: int
    parts: dict[str, PartCounts]  # train | valid | test
    tickets: int
    split: SplitDates
    budget: float
    test: ModelTest
    rules: RulesBaseline
    logreg: ScoreFigures
    model: ModelSummary
    text: TextUse
    tickets_in_history: int
    tuning: TuningRecord | None
    refit: RefitSummary
    left_out: LeftOut
    ticket_features: TicketFeatureChoice | None = None
    timings_s: dict[str, float] | None = None  # seconds per phase
    feedback: FeedbackSummary | None = None
    ran_on: str | None = None
    artefacts: Artefacts | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "target": self.target,
            "horizon_hours": self.horizon_hours,
            "rows": self.rows,
            "positives": self.positives,
            "parts": {name: _plain(counts) for name, counts in self.parts.items()},
            "tickets": self.tickets,
            "split": _plain(self.split),
            "budget": self.budget,
            "test": self.test.to_dict(),
            "baselines": {
                "rules": {**self.rules.figures.to_dict(), "note": self.rules.note},
                "logreg": self.logreg.to_dict(),
            },
            "model": _plain(self.model),
            "text": self.text.to_dict(),
            "tickets_in_history": self.tickets_in_history,
            "tuning": self.tuning.to_dict() if self.tuning else None,
            "refit": {"mode": self.refit.mode, "rounds": self.refit.rounds, "rows": self.refit.rows,
                      "before": self.refit.before.to_dict(), "after": self.refit.after.to_dict()},
            "left_out": self.left_out.to_dict(),
        }
        if self.ticket_features is not None:
            out["ticket_features"] = self.ticket_features.to_report()
        if self.timings_s is not None:
            out["timings_s"] = self.timings_s
        if self.feedback is not None:
            out["feedback"] = self.feedback.to_dict()
        if self.ran_on is not None:
            out["ran_on"] = self.ran_on
        if self.artefacts is not None:
            out["artefacts"] = self.artefacts.to_dict()
        return out


def _plain(value: PartCounts | SplitDates | ThresholdFigures | ModelSummary) -> dict[str, Any]:
    """A flat part's fields, in their order."""
    return {f.name: getattr(value, f.name) for f in fields(value)}
