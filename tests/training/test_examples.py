import pandas as pd
import pytest

from core.errors import ConfigError
from features.history import TicketHistory, history_from_records
from training.examples import LEFT_OUT_REASONS, build_examples, left_out
from training.targets import parse_target

from .conftest import event, ticket


def test_escalation_labels_and_exclusions(tiny_history: TicketHistory) -> None:
    examples = build_examples(tiny_history, parse_target("escalation", "4h"))
    by_event = examples.set_index("event_id")
    # E1 (3 h before) and E2 (2 h before) precede the escalation within 4 h; E4 comes after it
    assert by_event.loc["E1", "label"] and by_event.loc["E2", "label"]
    assert not by_event.loc["E4", "label"] and by_event["escalation_at"].isna()["E4"]
    assert by_event.loc["E1", "escalation_at"] == pd.Timestamp("2024-03-01T12:00:00Z")
    # E9's 4 h window runs past the end of the history: its label is unknown, so it is no example
    assert "E9" not in by_event.index
    assert examples.groupby("ticket_id")["first"].sum().eq(1).all()


def test_short_horizon_misses_far_escalation(tiny_history: TicketHistory) -> None:
    examples = build_examples(tiny_history, parse_target("escalation", "2h30m")).set_index("event_id")
    assert not examples.loc["E1", "label"] and examples.loc["E2", "label"]


def test_type_subset(tiny_history: TicketHistory) -> None:
    examples = build_examples(tiny_history, parse_target("escalation:functional", "4h"))
    assert not examples["label"].any()


def test_every_event_adds_examples(tiny_history: TicketHistory) -> None:
    some = build_examples(tiny_history, parse_target("escalation", "4h"))
    every = build_examples(tiny_history, parse_target("escalation", "4h"), every_event=True)
    assert len(every) > len(some)
    # the escalation event itself is an example only for a later escalation (there is none)
    assert not every.set_index("event_id").loc["E3", "label"]


def test_outcome_drops_examples_after_solve(tiny_history: TicketHistory) -> None:
    examples = build_examples(tiny_history, parse_target("outcome:sla_breached"))
    assert set(examples["event_id"]) == {"E1", "E2", "E4", "E7", "E9"}  # E6 is after T1's solve
    assert examples.set_index("event_id")["label"].to_dict()["E1"]


def test_outcome_drops_examples_after_a_withdrawal_and_escalation_labels_do_not_change() -> None:
    """T1 merged into another ticket where it was solved: its later message is no example, as after a solve;
    an escalation target labels the same examples with or without the withdrawal."""
    tickets = [ticket("T1", "2024-03-01T09:00:00Z", bad="yes"),
               ticket("T2", "2024-03-01T09:30:00Z", bad="no")]
    log = [event("E1", "T1", "2024-03-01T09:00:00Z", "customer_message"),
           event("E3", "T1", "2024-03-01T12:00:00Z", "escalation", level="1", escalation_type="hierarchical"),
           event("E6", "T1", "2024-03-03T09:00:00Z", "customer_message"),
           event("E7", "T2", "2024-03-01T09:30:00Z", "customer_message"),
           event("E8", "T2", "2024-03-20T09:30:00Z", "customer_message")]
    merged = history_from_records(tickets, [*log, event("E5", "T1", "2024-03-02T09:00:00Z", "status_change",
                                                        status="withdrawn")])
    outcome = build_examples(merged, parse_target("outcome:bad"))
    assert set(outcome["event_id"]) == {"E1", "E7", "E8"}  # not E6, after T1's withdrawal
    plain = history_from_records(tickets, log)
    escalation = parse_target("escalation", "4h")
    columns = ["ticket_id", "event_id", "label"]
    assert build_examples(merged, escalation)[columns].equals(build_examples(plain, escalation)[columns])


def test_tickets_without_events_get_an_example_at_creation() -> None:
    history = history_from_records([ticket("A", "2024-01-01T08:00:00Z", bad="yes"),
                                    ticket("B", "2024-01-02T08:00:00Z", bad="no")])
    examples = build_examples(history, parse_target("outcome:bad"))
    assert examples["label"].tolist() == [True, False] and examples["first"].all()


def test_horizon_longer_than_history(tiny_history: TicketHistory) -> None:
    with pytest.raises(ConfigError, match="is not shorter than the history") as raised:
        build_examples(tiny_history, parse_target("escalation", "40d"))
    # worded as the option is written, not as a timedelta ('40 days, 0:00:00')
    assert "--horizon 960h (40d) is not shorter" in str(raised.value)


def test_outcome_errors(tiny_history: TicketHistory) -> None:
    with pytest.raises(ConfigError, match="no column 'csat_bad'; extra ticket columns: sla_breached"):
        build_examples(tiny_history, parse_target("outcome:csat_bad"))
    with pytest.raises(ConfigError, match="not boolean"):
        build_examples(tiny_history, parse_target("outcome:customer_id"))


def _late_log() -> TicketHistory:
    """An update log: A's first event comes 10 minutes after creation and is an escalation; B is solved
    at its first update; C is opened near the end of the history (its horizon runs past it)."""
    tickets = [ticket("A", "2024-03-01T09:00:00Z", bad="yes"), ticket("B", "2024-03-02T09:00:00Z", bad="yes"),
               ticket("C", "2024-03-30T09:00:00Z", bad="no")]
    events = [
        event("A1", "A", "2024-03-01T09:10:00Z", "escalation", level="1", escalation_type="functional"),
        event("A2", "A", "2024-03-03T09:00:00Z", "status_change", status="solved"),
        event("B1", "B", "2024-03-02T09:05:00Z", "status_change", status="solved"),
        event("C1", "C", "2024-03-31T09:00:00Z", "status_change", status="solved"),
    ]
    return history_from_records(tickets, events)


def test_creation_is_an_example_instant_before_a_late_first_event() -> None:
    history = _late_log()
    examples = build_examples(history, parse_target("escalation", "4h"), every_event=True)
    first = examples[examples["first"]].set_index("ticket_id")
    # A's escalation is its first event: only the creation example (which sees no event) predicts it
    assert first.loc["A", "at"] == pd.Timestamp("2024-03-01T09:00:00Z") and first.loc["A", "label"]
    assert pd.isna(first.loc["A", "event_id"])
    without = build_examples(history, parse_target("escalation", "4h"), every_event=True, at_creation=False)
    assert not without["label"].any()  # the escalation is lost without the creation example
    outcome = build_examples(history, parse_target("outcome:bad"), every_event=True)
    assert set(outcome["ticket_id"]) == {"A", "B", "C"}  # B, solved at its first update, is kept


def test_left_out_tickets_are_counted_with_reasons() -> None:
    history = _late_log()
    target = parse_target("outcome:bad")
    examples = build_examples(history, target, every_event=True, at_creation=False)
    gone = left_out(history, target, examples, every_event=True, at_creation=False)
    why = LEFT_OUT_REASONS["solved_at_first_instant"]
    assert gone.tickets == 2 and gone.positives == 1 and gone.positive_tickets == 2  # B and C
    reasons = gone.to_dict()["reasons"]
    assert reasons == {"solved_at_first_instant": {"tickets": 2, "positives": 1, "why": why}}
    escalation = parse_target("escalation", "48h")
    examples = build_examples(history, escalation, every_event=True)
    gone = left_out(history, escalation, examples, every_event=True, at_creation=True)
    assert gone.tickets == 1 and gone.positives == 0  # C: its 48 h windows run past the end
    assert gone.reasons["horizon_past_end"].tickets == 1 and len(gone.reasons) == 1
