"""End-to-end training on the committed sample, on the real point-in-time features (slow: the feature
frame is built once a session, then a few LightGBM fits)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from core.errors import ConfigError
from features.history import TicketHistory, history_from_records, load_history
from features.ticket import DEFAULT_SPEC
from rules import PolicySet
from training.fit import BoostParams
from training.targets import parse_target
from training.train import TrainConfig, TrainResult, train_model

from .conftest import event, first_tickets_of_sample, ticket

pytestmark = pytest.mark.slow


def test_report_has_the_promised_keys(sample_result: TrainResult) -> None:
    report = sample_result.report.to_dict()
    for path in ("test.roc_auc", "test.pr_auc", "test.brier", "test.first_event.roc_auc",
                 "test.recall_at_budget", "test.precision_at_budget", "test.lead_time_hours.median",
                 "baselines.rules.roc_auc", "baselines.rules.pr_auc", "baselines.logreg.roc_auc",
                 "baselines.logreg.pr_auc", "rows", "positives", "split.test_from"):
        node = report
        for key in path.split("."):
            node = node[key]
        assert node is not None, path


def test_model_reads_the_real_feature_spec(sample_result: TrainResult) -> None:
    model = sample_result.model
    assert model.spec.names == DEFAULT_SPEC.names
    assert model.metadata.feature_spec_version == DEFAULT_SPEC.version
    assert model.metadata.policies_version
    # open categoricals are fixed from the training period only, so later values are "unknown"
    assert model.spec.feature("team").categories


def test_model_beats_the_rules_only_baseline(sample_result: TrainResult) -> None:
    test, rules = sample_result.report.test.figures, sample_result.report.rules.figures
    assert test.pr_auc is not None and rules.pr_auc is not None and test.pr_auc > rules.pr_auc + 0.05
    # measured 0.756 on the sample's test period (real features, no text)
    assert test.roc_auc is not None and test.roc_auc > 0.70


def test_calibration_improves_brier(sample_result: TrainResult) -> None:
    test = sample_result.report.test
    assert test.figures.brier is not None and test.brier_uncalibrated is not None
    assert test.figures.brier < test.brier_uncalibrated


def test_threshold_travels_with_the_model(sample_result: TrainResult) -> None:
    assert 0 < sample_result.model.threshold < 1
    assert sample_result.model.metadata.budget == 0.1


def test_scores_are_the_models_own(sample_result: TrainResult) -> None:
    """The reported test scores are what the saved model gives for the same feature rows."""
    np.testing.assert_allclose(sample_result.model.predict_proba(sample_result.test_frame),
                               sample_result.test["score"])


def test_same_seed_same_metrics(
    sample_history: TicketHistory, fast_config: TrainConfig, policies: PolicySet, sample_result: TrainResult
) -> None:
    again = train_model(sample_history, fast_config, policies)
    assert again.report.test == sample_result.report.test
    assert again.report.rules == sample_result.report.rules
    assert again.report.logreg == sample_result.report.logreg


def test_too_few_positives(sample_history: TicketHistory, policies: PolicySet) -> None:
    config = TrainConfig(parse_target(), min_positives=100_000)
    with pytest.raises(ConfigError, match=r"too few positive examples to train: .* at least 100000 needed"):
        train_model(sample_history, config, policies)


def test_test_period_without_escalations(policies: PolicySet) -> None:
    tickets, events = [], []
    for i in range(40):
        day = f"2024-03-{i % 28 + 1:02d}" if i < 28 else f"2024-04-{i - 27:02d}"
        tid = f"T{i:02d}"
        tickets.append(ticket(tid, f"{day}T09:00:00Z"))
        events.append(event(f"M{i}", tid, f"{day}T09:00:00Z", "customer_message"))
        if i < 32:  # only the tickets before the test period escalate
            events.append(event(f"X{i}", tid, f"{day}T10:00:00Z", "escalation", level="1",
                                escalation_type="functional"))
    history = history_from_records(tickets, events)
    config = TrainConfig(parse_target("escalation", "4h"), min_positives=1)
    with pytest.raises(ConfigError, match=r"the test period \(.*\) has no escalations"):
        train_model(history, config, policies)


def test_unknown_ticket_feature(sample_history: TicketHistory, fast_config: TrainConfig,
                                policies: PolicySet) -> None:
    config = replace(fast_config, ticket_features=("no_such_column",))
    with pytest.raises(ConfigError, match=r"--ticket-feature 'no_such_column': the tickets have no such"):
        train_model(sample_history, config, policies)


def test_message_examples_on_a_log_without_customer_messages(policies: PolicySet) -> None:
    tickets = [ticket(f"T{i}", f"2024-03-{i + 1:02d}T09:00:00Z") for i in range(3)]
    events = [event(f"S{i}", f"T{i}", f"2024-03-{i + 1:02d}T10:00:00Z", "status_change", status="open")
              for i in range(3)]  # an ITSM update log: status changes, no messages
    config = TrainConfig(parse_target(), every_event=False, min_positives=1)
    with pytest.raises(ConfigError, match=r"--examples messages: the history has no customer messages"):
        train_model(history_from_records(tickets, events), config, policies)


def test_report_says_which_tickets_were_left_out(sample_result: TrainResult) -> None:
    from training.summary import summary_table

    report = sample_result.report
    gone = report.left_out
    assert report.tickets_in_history == report.tickets + gone.tickets
    assert gone.tickets == sum(n.tickets for n in gone.reasons.values()) > 0
    assert "left out:" in summary_table(report)


def test_final_model_is_refit_on_train_and_validation(sample_result: TrainResult) -> None:
    from training.summary import summary_table

    report, model = sample_result.report, sample_result.model
    parts, done = report.parts, report.refit
    assert done.mode == "keep" == model.metadata.refit
    fit_rows = parts["train"].rows + parts["valid"].rows
    assert model.metadata.fit_rows == done.rows == fit_rows
    assert model.booster.current_iteration() == done.rounds == model.metadata.best_iteration
    assert done.after.roc_auc == report.test.figures.roc_auc
    assert done.before.roc_auc != report.test.figures.roc_auc
    assert "refit on train + validation" in summary_table(report)


def test_a_history_where_every_example_is_positive(policies: PolicySet) -> None:
    """`outcome:sla_breached` true on every ticket: one class only. A ConfigError saying so, not LightGBM's
    `Check failed: (scale_pos_weight) > (0.0)` traceback."""
    tickets, events = [], []
    for i in range(40):
        day = f"2024-03-{i % 28 + 1:02d}" if i < 28 else f"2024-04-{i - 27:02d}"
        tickets.append(ticket(f"T{i:02d}", f"{day}T09:00:00Z", sla_breached=True))
        events.append(event(f"M{i}", f"T{i:02d}", f"{day}T09:00:00Z", "customer_message"))
    config = TrainConfig(parse_target("outcome:sla_breached", "4h"), min_positives=1)
    with pytest.raises(ConfigError, match=r"every example of the training period .* is positive "
                                          r"\(sla_breached = true\).*nothing to tell apart"):
        train_model(history_from_records(tickets, events), config, policies)


@pytest.mark.parametrize("value", [True, False])
def test_an_outcome_of_one_class_is_refused_with_advice_for_an_outcome(
    policies: PolicySet, value: bool
) -> None:
    """`outcome:sla_breached` the same on every ticket: the refusal advised a longer or shorter --horizon and
    more escalation types, which an outcome target has nothing to do with."""
    tickets, events = [], []
    for i in range(40):
        day = f"2024-03-{i % 28 + 1:02d}" if i < 28 else f"2024-04-{i - 27:02d}"
        tickets.append(ticket(f"T{i:02d}", f"{day}T09:00:00Z", sla_breached=value))
        events.append(event(f"M{i}", f"T{i:02d}", f"{day}T09:00:00Z", "customer_message"))
    config = TrainConfig(parse_target("outcome:sla_breached", "4h"), min_positives=1)
    with pytest.raises(ConfigError) as raised:
        train_model(history_from_records(tickets, events), config, policies)
    said = str(raised.value)
    assert "horizon" not in said and "escalation types" not in said
    assert f"sla_breached is {str(value).lower()} on every ticket of the history" in said


@pytest.mark.parametrize(("at_open", "said"), [
    (False, r"the history has no escalation event: does the export hold its escalations as events of type"),
    (True, r"none of the history's 40 escalation events follows an example instant within --horizon: an "
           r"escalation at a ticket's creation instant"),
])
def test_a_history_without_any_escalation_to_predict_says_why(
    policies: PolicySet, at_open: bool, said: str
) -> None:
    """An export whose escalations were not mapped to escalation events, or that stamps them at the ticket's
    creation: the refusal advised a longer --horizon and more escalation types, which change nothing there."""
    tickets, events = [], []
    for i in range(40):
        day = f"2024-03-{i % 28 + 1:02d}" if i < 28 else f"2024-04-{i - 27:02d}"
        tickets.append(ticket(f"T{i:02d}", f"{day}T09:00:00Z"))
        events.append(event(f"M{i}", f"T{i:02d}", f"{day}T09:00:00Z", "customer_message"))
        if at_open:
            events.append(event(f"X{i}", f"T{i:02d}", f"{day}T09:00:00Z", "escalation", level="1",
                                escalation_type="hierarchical"))
    with pytest.raises(ConfigError, match=said):
        train_model(history_from_records(tickets, events), TrainConfig(parse_target(), min_positives=1),
                    policies)


def test_training_twice_with_one_seed_gives_the_same_model_file(
    tmp_path: Path, policies: PolicySet
) -> None:
    """Not only the same test figures: the same booster, calibrator, threshold and card, byte for byte, with
    the features built by two processes (a part each) and LightGBM on two threads."""
    history = load_history(first_tickets_of_sample(tmp_path / "history", 400))
    config = TrainConfig(parse_target(), params=BoostParams(num_boost_round=300, num_threads=2), workers=2)
    first, second = (train_model(history, config, policies).model.save(tmp_path / f"{n}.json") for n in "ab")
    assert first.read_bytes() == second.read_bytes()
