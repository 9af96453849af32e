"""The training frame is made by the serving function: each row equals one `build_features` call with
a context that holds only what a serving store would hold at t."""

from __future__ import annotations

import pandas as pd
import pytest
from ticket_history import ANALYSES, history, pairs

from core.errors import NotFoundError
from features.ticket import DEFAULT_SPEC, FeatureSpec, HistoryContext, build_feature_frame, build_features
from features.ticket import example_times as list_examples
from rules import load_policies

POLICIES = load_policies()
HISTORY = history()


def test_example_times_are_customer_messages_or_every_event() -> None:
    messages = list_examples(HISTORY)
    assert sorted(messages["event_id"]) == ["a1", "a5", "a6", "b1", "b2", "c1"]
    assert list(messages.columns) == ["ticket_id", "at", "event_id", "event_type"]
    assert set(messages["event_type"]) == {"customer_message"}
    assert len(list_examples(HISTORY, every_event=True)) == len(HISTORY.events)


def test_frame_rows_equal_single_calls_made_the_serving_way() -> None:
    examples = list_examples(HISTORY, every_event=True)
    frame = build_feature_frame(HISTORY, examples, ANALYSES, POLICIES, progress=False)
    spec = DEFAULT_SPEC.with_categories_from(frame)
    everything = pairs()
    for i, (tid, at) in enumerate(zip(examples["ticket_id"], examples["at"], strict=True)):
        t = at.to_pydatetime()
        store = [(tk, [e for e in evs if e.at <= t]) for tk, evs in everything.values() if tk.created_at <= t]
        ticket, events = everything[tid]
        past = [e for e in events if e.at <= t]
        row = build_features(ticket, past, t, HistoryContext(store), ANALYSES, POLICIES)
        served = spec.encode([row], index=[examples.index[i]])
        pd.testing.assert_frame_equal(frame.iloc[[i]], served)


def test_encoding_is_stable_across_frames_built_with_the_same_spec() -> None:
    examples = list_examples(HISTORY)
    full = build_feature_frame(HISTORY, examples, ANALYSES, POLICIES, progress=False)
    spec = FeatureSpec.from_dict(DEFAULT_SPEC.with_categories_from(full).to_dict())  # as stored with a model
    part = build_feature_frame(HISTORY, examples.iloc[3:], ANALYSES, POLICIES, progress=False, spec=spec)
    pd.testing.assert_frame_equal(full.iloc[3:], part)
    for name in spec.categorical:
        assert (full[name].iloc[3:].cat.codes == part[name].cat.codes).all()


def test_missing_analyses_give_nan_columns() -> None:
    frame = build_feature_frame(HISTORY, list_examples(HISTORY), {}, POLICIES, progress=False)
    assert frame["sentiment_mean"].isna().all() and frame["signal_insult"].isna().all()
    assert frame["age_hours"].notna().all()


def test_progress_bar_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    build_feature_frame(HISTORY, list_examples(HISTORY), ANALYSES, POLICIES, progress=True)
    captured = capsys.readouterr()
    assert "features" in captured.err and captured.out == ""


def test_an_example_of_an_unknown_ticket_is_named() -> None:
    examples = pd.DataFrame({"ticket_id": ["T-404"], "at": [pd.Timestamp("2026-06-09T10:00Z")]})
    with pytest.raises(NotFoundError, match="T-404"):
        build_feature_frame(HISTORY, examples, ANALYSES, POLICIES, progress=False)


def test_forked_workers_build_the_same_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 2 examples shared among 2 processes give the frame of one process, row for row."""
    from features.ticket import frame as frame_module

    examples = list_examples(HISTORY, every_event=True)
    alone = build_feature_frame(HISTORY, examples, ANALYSES, POLICIES, progress=False)
    monkeypatch.setattr(frame_module, "MIN_PARALLEL", 1)
    monkeypatch.setattr(frame_module, "CHUNK", 2)
    shared = build_feature_frame(HISTORY, examples, ANALYSES, POLICIES, progress=False, workers=2)
    pd.testing.assert_frame_equal(alone, shared)
    assert len(examples) > 2 * frame_module.CHUNK  # several chunks really went to the workers
    assert frame_module._SHARED is None  # nothing left behind for the next pool
