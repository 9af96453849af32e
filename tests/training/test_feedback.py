"""Managers' feedback in the training report: alert precision per team, from a history's feedback file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.errors import DataValidationError
from core.feedback import Feedback, Verdict
from features.history import TicketHistory, iter_tickets
from features.history.feedback import FEEDBACK_FILE, load_feedback
from features.history.writer import HistoryWriter
from rules import PolicySet
from training.cli import run_training
from training.feedback import alert_precision, feedback_lines, feedback_report
from training.fit import BoostParams
from training.summary import summary_table
from training.targets import parse_target
from training.train import TrainConfig

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def verdict(n: int, team: str, useful: bool, alert: int | None, minutes: int = 0) -> Feedback:
    return Feedback(feedback_id=n, ticket_id=f"T-{n}", team=team, alert_id=alert,
                    at=T0 + timedelta(minutes=minutes),
                    verdict=Verdict.USEFUL if useful else Verdict.FALSE_ALARM)


def test_precision_per_team_counts_the_latest_verdict_of_each_alert() -> None:
    feedback = [
        verdict(1, "billing", True, 1),
        verdict(2, "billing", False, 2, minutes=1),
        verdict(3, "billing", True, 2, minutes=5),  # a correction of the verdict on alert 2
        verdict(4, "billing", False, 3),
        verdict(5, "shipping", False, 4),
        verdict(6, "shipping", False, 4),  # the same verdict clicked twice: counted once
        verdict(7, "shipping", True, None),  # on a ticket's warning without an alert
    ]
    assert [(t.team, t.useful, t.false_alarm, t.precision) for t in alert_precision(feedback)] == [
        ("billing", 2, 1, pytest.approx(2 / 3)),
        ("shipping", 1, 1, 0.5),
    ]
    report = feedback_report(feedback)
    assert report.verdicts == 7 and report.total.judged == 5 and report.total.precision == pytest.approx(0.6)
    assert report.to_dict()["counted"] == 5 and report.to_dict()["precision"] == pytest.approx(0.6)
    assert feedback_lines(report) == [
        "feedback on served alerts (5 judged, 2026-06-01 to 2026-06-01): precision 0.600 = useful / "
        "(useful + false alarm)",
        "  billing   0.667  (2 useful, 1 false alarm)",
        "  shipping  0.500  (1 useful, 1 false alarm)",
    ]
    assert feedback_lines(None) == []


def test_a_bad_feedback_file_names_the_line(tmp_path: Path) -> None:
    (tmp_path / FEEDBACK_FILE).write_text(
        '{"feedback_id": 1, "ticket_id": "T-1", "team": "a", "verdict": "maybe", '
        '"at": "2026-06-01T09:00:00Z"}\n',
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError, match=r"feedback.jsonl:1 \[verdict\]: bad feedback; Input"):
        load_feedback(tmp_path)
    (tmp_path / "empty").mkdir()
    assert load_feedback(tmp_path / "empty") == []


def test_training_on_a_tiny_exported_history_reports_alert_precision(
    sample_history: TicketHistory, policies: PolicySet, feature_cache: Path, tmp_path: Path
) -> None:
    keep = sample_history.tickets.sort_values("created_at").index[:200]
    events = sample_history.events[sample_history.events["ticket_id"].isin(keep)].reset_index(drop=True)
    tiny = TicketHistory(sample_history.tickets.loc[keep], events)
    data = tmp_path / "history"
    tickets = [t for t, _ in iter_tickets(tiny)]
    with HistoryWriter(data) as out:  # as export-history writes it
        out.tickets(tickets)
        out.events(e for _, evs in iter_tickets(tiny) for e in evs)
        out.feedback(Feedback(feedback_id=i, ticket_id=t.ticket_id, team=t.team, alert_id=i,
                              verdict=Verdict.USEFUL if i % 3 else Verdict.FALSE_ALARM, at=t.created_at)
                     for i, t in enumerate(tickets[:30], start=1))
    expected = {team.team: team for team in alert_precision(load_feedback(data))}
    params = BoostParams(num_boost_round=40, early_stopping_rounds=10, num_threads=1)
    config = TrainConfig(parse_target(), params=params, min_positives=5, workers=1, rules_max_examples=100,
                         feature_cache=feature_cache)
    result, _ = run_training(data, config, model_out=tmp_path / "model.json", register=False, text=False)
    found = result.report.feedback
    assert found is not None and found.verdicts == found.total.judged == 30
    assert found.to_dict()["teams"] == {
        team: {"useful": t.useful, "false_alarm": t.false_alarm, "precision": t.precision}
        for team, t in expected.items()
    }
    summary = summary_table(result.report)
    assert "feedback on served alerts (30 judged," in summary
    assert all(f"  {team}" in summary for team in expected)
