import numpy as np
import pandas as pd

from training import metrics


def _examples() -> pd.DataFrame:
    # day 1: four active tickets, one positive; day 2: two tickets, one positive
    return pd.DataFrame({
        "ticket_id": ["a", "b", "c", "d", "a", "b"],
        "at": pd.to_datetime(["2024-01-01T09:00Z"] * 4 + ["2024-01-02T09:00Z"] * 2),
        "label": [True, False, False, False, False, True],
        "escalation_at": pd.to_datetime(pd.Series(["2024-01-01T12:00Z", None, None, None, None,
                                                    "2024-01-02T15:00Z"])),
        "first": [True, True, True, True, False, False],
    })


def test_budget_takes_top_share_per_day() -> None:
    scores = np.array([0.9, 0.8, 0.1, 0.2, 0.7, 0.3])
    found = metrics.budget_metrics(_examples(), scores, budget=0.25)
    # day 1: ceil(0.25 * 4) = 1 alert -> a (hit); day 2: ceil(0.5) = 1 alert -> a (miss)
    assert found["precision_at_budget"] == 0.5 and found["recall_at_budget"] == 0.5
    assert found["alerts_per_day"] == 1.0


def test_threshold_and_lead_time() -> None:
    examples, scores = _examples(), np.array([0.9, 0.8, 0.1, 0.2, 0.7, 0.3])
    assert metrics.choose_threshold(examples, scores, budget=0.5) == 0.7
    lead = metrics.lead_times(examples, scores, threshold=0.5)
    assert (lead.escalations, lead.caught, lead.median, lead.caught_share) == (2, 1, 3.0, 0.5)
    assert lead.histogram["1-4h"] == 1


def test_lead_time_when_no_example_crosses_the_threshold() -> None:
    # a small history's test period can hold escalations that no score crossed for: all missed, no error
    lead = metrics.lead_times(_examples(), np.zeros(6), threshold=0.5)
    assert (lead.escalations, lead.caught, lead.median) == (2, 0, None)
    assert sum(lead.histogram.values()) == 0 and lead.to_dict()["caught_share"] == 0.0


def test_first_event_and_single_class() -> None:
    examples = _examples()
    assert metrics.first_event_metrics(examples, np.array([0.9, 0.1, 0.2, 0.3, 0, 0]))["roc_auc"] == 1.0
    assert metrics.score_metrics(np.zeros(3), np.ones(3))["roc_auc"] is None


def test_lead_times_keep_the_reports_three_shapes() -> None:
    """The report's `lead_time_hours` as the dict it was: no escalation in the test period, an outcome target
    (no instant), and escalations (all keys, in their order)."""
    examples = _examples()
    assert metrics.lead_times(examples.assign(label=False), np.zeros(6), 0.5).to_dict() == {
        "median": None, "escalations": 0}
    assert metrics.LeadTimes(note="outcome targets have no escalation instant").to_dict() == {
        "median": None, "note": "outcome targets have no escalation instant"}
    found = metrics.lead_times(examples, np.array([0.9, 0.8, 0.1, 0.2, 0.7, 0.3]), 0.5).to_dict()
    assert list(found) == ["median", "p10", "p25", "p75", "p90", "mean", "escalations", "caught",
                           "caught_share", "histogram"]
    assert list(found["histogram"]) == ["0-1h", "1-4h", "4-12h", "12-24h", "24-48h", "48-72h", ">72h"]
