"""The one-screen summary of a run (model beside both baselines) and the JSON report file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from features.model.evaluation import Headline, ModelEvaluation
from training.feedback import feedback_lines
from training.figures import ScoreFigures
from training.report import TrainReport


def summary_table(report: TrainReport) -> str:
    test, rules, logreg = report.test.figures, report.rules.figures, report.logreg
    split, tested = report.split, report.parts["test"]

    def row(label: str, figure: Callable[[ScoreFigures], float | None]) -> str:
        return f"{label:<22}{_f(figure(test)):>10}{_f(figure(logreg)):>10}{_f(figure(rules)):>10}"

    lines = [
        f"{report.target}: {report.rows:,} examples, {report.positives:,} positive, "
        f"{report.tickets:,} tickets",
        f"split by creation: train {split.train_from} · valid {split.valid_from} · "
        f"test {split.test_from} to {split.test_to} "
        f"({tested.rows:,} test examples, {tested.positives:,} positive)",
        *_left_out_lines(report),
        "",
        f"{'test period':<22}{'LightGBM':>10}{'logreg':>10}{'rules':>10}",
        row("ROC-AUC", lambda f: f.roc_auc),
        row("PR-AUC", lambda f: f.pr_auc),
        row("Brier", lambda f: f.brier),
        row("precision @ budget", lambda f: f.precision_at_budget),
        row("recall @ budget", lambda f: f.recall_at_budget),
        row("first-event ROC-AUC", lambda f: f.first_event.roc_auc),
        "",
    ]
    threshold = report.test.threshold
    lines.append(
        f"budget {report.budget:.0%} of active tickets a day · threshold {threshold.value:.3f} "
        f"(test: alert rate {_f(threshold.alert_rate)}, precision "
        f"{_f(threshold.precision)}, recall {_f(threshold.recall)})"
    )
    lines.append(
        f"calibration {report.model.calibration}: Brier {_f(report.test.brier_uncalibrated)} -> "
        f"{_f(test.brier)} · best iteration {report.model.best_iteration}"
    )
    lines += _refit_lines(report)
    lines += _tuning_lines(report)
    lead = report.test.lead_time_hours
    if lead.median is not None and lead.p25 is not None and lead.p75 is not None:
        lines.append(
            f"lead time: median {lead.median:.1f} h (p25 {lead.p25:.1f}, p75 {lead.p75:.1f}); "
            f"{lead.caught} of {lead.escalations} escalations alerted before they happened"
        )
    if report.rules.note:
        lines.append(f"rules baseline: {report.rules.note}")
    lines += feedback_lines(report.feedback)
    return "\n".join(lines)


def evaluation(report: TrainReport) -> ModelEvaluation:
    """The test-period figures saved in the model file's metadata (features/model/evaluation.py), read from
    the training report."""
    test, tested = report.test.figures, report.parts["test"]
    return ModelEvaluation(
        target=report.target,
        horizon_hours=report.horizon_hours,
        test_from=report.split.test_from,
        test_to=report.split.test_to,
        test_examples=tested.rows,
        test_positives=tested.positives,
        budget=report.budget,
        roc_auc=test.roc_auc,
        pr_auc=test.pr_auc,
        brier=test.brier,
        first_event_roc_auc=test.first_event.roc_auc,
        precision_at_budget=test.precision_at_budget,
        recall_at_budget=test.recall_at_budget,
        lead_time_hours_median=report.test.lead_time_hours.median,
        baselines={name: Headline(roc_auc=figures.roc_auc, pr_auc=figures.pr_auc)
                   for name, figures in (("rules", report.rules.figures), ("logreg", report.logreg))},
    )


def write_report(report: TrainReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")


def _refit_lines(report: TrainReport) -> list[str]:
    done = report.refit
    if done.mode == "none":
        return []
    before, after = done.before, done.after
    return [
        f"refit on train + validation ({done.rows:,} examples, {done.rounds} rounds, calibration "
        f"{done.mode}): test ROC-AUC {_f(before.roc_auc)} -> {_f(after.roc_auc)}, PR-AUC "
        f"{_f(before.pr_auc)} -> {_f(after.pr_auc)}, first-event ROC-AUC "
        f"{_f(before.first_event_roc_auc)} -> {_f(after.first_event_roc_auc)}"
    ]


def _tuning_lines(report: TrainReport) -> list[str]:
    done = report.tuning
    if done is None:
        return []
    best = " ".join(
        f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in done.best_params.items()
    )
    return [
        f"tuned: {done.trials_run} of {done.trials_requested} trials (TPE, seed {done.seed}), best "
        f"validation PR-AUC {_f(done.best_valid_pr_auc)} (trial {done.best_trial + 1}): {best}"
    ]


def _left_out_lines(report: TrainReport) -> list[str]:
    gone = report.left_out
    if not gone.tickets:
        return []
    lines = [
        f"left out: {gone.tickets:,} of {report.tickets_in_history:,} tickets have no example "
        f"({gone.positives:,} of them positive, of {gone.positive_tickets:,} positive tickets)"
    ]
    for n in gone.reasons.values():
        lines.append(f"  {n.tickets:,} ({n.positives:,} positive): {n.why}")
    return lines


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
