"""The one-screen summary of a run (model beside both baselines) and the JSON report file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from features.model.evaluation import Headline, ModelEvaluation
from training.feedback import feedback_lines


def summary_table(report: dict[str, Any]) -> str:
    test, rules, logreg = report["test"], report["baselines"]["rules"], report["baselines"]["logreg"]
    rows = [
        ("ROC-AUC", "roc_auc"),
        ("PR-AUC", "pr_auc"),
        ("Brier", "brier"),
        ("precision @ budget", "precision_at_budget"),
        ("recall @ budget", "recall_at_budget"),
    ]
    lines = [
        f"{report['target']}: {report['rows']:,} examples, {report['positives']:,} positive, "
        f"{report['tickets']:,} tickets",
        f"split by creation: train {report['split']['train_from']} · valid {report['split']['valid_from']} · "
        f"test {report['split']['test_from']} to {report['split']['test_to']} "
        f"({report['parts']['test']['rows']:,} test examples, "
        f"{report['parts']['test']['positives']:,} positive)",
        *_left_out_lines(report),
        "",
        f"{'test period':<22}{'LightGBM':>10}{'logreg':>10}{'rules':>10}",
    ]
    for label, key in rows:
        lines.append(f"{label:<22}{_f(test.get(key)):>10}{_f(logreg.get(key)):>10}{_f(rules.get(key)):>10}")
    first = "first-event ROC-AUC"
    lines.append(
        f"{first:<22}{_f(test['first_event']['roc_auc']):>10}{_f(logreg['first_event']['roc_auc']):>10}"
        f"{_f(rules['first_event']['roc_auc']):>10}"
    )
    lines.append("")
    lines.append(
        f"budget {report['budget']:.0%} of active tickets a day · threshold {test['threshold']['value']:.3f} "
        f"(test: alert rate {_f(test['threshold']['alert_rate'])}, precision "
        f"{_f(test['threshold']['precision'])}, recall {_f(test['threshold']['recall'])})"
    )
    lines.append(
        f"calibration {report['model']['calibration']}: Brier {_f(test['brier_uncalibrated'])} -> "
        f"{_f(test['brier'])} · best iteration {report['model']['best_iteration']}"
    )
    lines += _refit_lines(report)
    lines += _tuning_lines(report)
    lead = test["lead_time_hours"]
    if lead.get("median") is not None:
        lines.append(
            f"lead time: median {lead['median']:.1f} h (p25 {lead['p25']:.1f}, p75 {lead['p75']:.1f}); "
            f"{lead['caught']} of {lead['escalations']} escalations alerted before they happened"
        )
    if rules.get("note"):
        lines.append(f"rules baseline: {rules['note']}")
    lines += feedback_lines(report)
    return "\n".join(lines)


def evaluation(report: dict[str, Any]) -> ModelEvaluation:
    """The test-period figures saved in the model file's metadata (features/model/evaluation.py), read from
    the training report."""
    test, baselines = report["test"], report["baselines"]

    def headline(figures: dict[str, Any]) -> Headline:
        return Headline(roc_auc=figures.get("roc_auc"), pr_auc=figures.get("pr_auc"))

    return ModelEvaluation(
        target=report["target"],
        horizon_hours=report["horizon_hours"],
        test_from=report["split"]["test_from"],
        test_to=report["split"]["test_to"],
        test_examples=report["parts"]["test"]["rows"],
        test_positives=report["parts"]["test"]["positives"],
        budget=report["budget"],
        roc_auc=test.get("roc_auc"),
        pr_auc=test.get("pr_auc"),
        brier=test.get("brier"),
        first_event_roc_auc=test["first_event"].get("roc_auc"),
        precision_at_budget=test.get("precision_at_budget"),
        recall_at_budget=test.get("recall_at_budget"),
        lead_time_hours_median=test["lead_time_hours"].get("median"),
        baselines={name: headline(baselines[name]) for name in ("rules", "logreg")},
    )


def write_report(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def _refit_lines(report: dict[str, Any]) -> list[str]:
    done = report.get("refit")
    if not done or done["mode"] == "none":
        return []
    before, after = done["before"], done["after"]
    return [
        f"refit on train + validation ({done['rows']:,} examples, {done['rounds']} rounds, calibration "
        f"{done['mode']}): test ROC-AUC {_f(before['roc_auc'])} -> {_f(after['roc_auc'])}, PR-AUC "
        f"{_f(before['pr_auc'])} -> {_f(after['pr_auc'])}, first-event ROC-AUC "
        f"{_f(before['first_event_roc_auc'])} -> {_f(after['first_event_roc_auc'])}"
    ]


def _tuning_lines(report: dict[str, Any]) -> list[str]:
    done = report.get("tuning")
    if not done:
        return []
    best = " ".join(
        f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in done["best_params"].items()
    )
    return [
        f"tuned: {done['trials_run']} of {done['trials_requested']} trials (TPE, seed {done['seed']}), best "
        f"validation PR-AUC {_f(done['best_valid_pr_auc'])} (trial {done['best_trial'] + 1}): {best}"
    ]


def _left_out_lines(report: dict[str, Any]) -> list[str]:
    gone = report.get("left_out")
    if not gone or not gone["tickets"]:
        return []
    lines = [
        f"left out: {gone['tickets']:,} of {report['tickets_in_history']:,} tickets have no example "
        f"({gone['positives']:,} of them positive, of {gone['positive_tickets']:,} positive tickets)"
    ]
    for n in gone["reasons"].values():
        lines.append(f"  {n['tickets']:,} ({n['positives']:,} positive): {n['why']}")
    return lines


def _f(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}"
