"""/v1/score's kept analyses on SQLite and PostgreSQL: what one process keeps another recalls, with the
evidence cut from the text again; no text is stored; another analyser version, language or text misses; old
rows are neither recalled nor kept; a failing store costs the saving, never an answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.text import MessageAnalysis, Sentiment, SentimentLabel, Signal, SignalName
from features.text.analysis import MessageIn
from serving.store import Database, Store
from serving.store.kept_analyses import KeptAnalyses, digest
from serving.store.tables import KeptAnalysisRow

V = "e5-small@1|signals@2|phrases:abc"
TEXT = "I was charged twice. I want a manager NOW!!!"
MESSAGE = MessageIn(TEXT, None, "en")
ANALYSIS = MessageAnalysis(
    "en",
    Sentiment(SentimentLabel.NEGATIVE, {SentimentLabel.NEGATIVE: 0.9123, SentimentLabel.NEUTRAL: 0.0677,
                                        SentimentLabel.POSITIVE: 0.02}),
    (Signal(SignalName.FINANCIAL_HARM, "charged twice", 6, 19), Signal(SignalName.MANAGER_REQUEST,
                                                                         "I want a manager", 21, 37)),
)
DAY = timedelta(hours=24)


def kept(store: Store, max_age: timedelta = DAY) -> KeptAnalyses:
    return KeptAnalyses(store.db, max_age, background=False)


def stored_rows(store: Store) -> list[dict[str, object]]:
    with store.db.engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(select(KeptAnalysisRow))]


def test_one_process_keeps_what_another_recalls_without_storing_text(store: Store) -> None:
    mine, other = kept(store), kept(store)
    mine.keep(V, [(MESSAGE, ANALYSIS)])
    assert other.recall(V, [MESSAGE]) == {}  # not written yet: the writer runs behind the requests
    assert mine.flush() == 1

    recalled = other.recall(V, [MessageIn("Hello", None, "en"), MESSAGE])
    assert recalled == {1: ANALYSIS}  # the evidence cut from the text by its span: the same analysis
    assert (other.counts.recalled, other.counts.missed) == (1, 2)
    (row,) = stored_rows(store)
    stored = json.dumps(row["analysis"])
    assert row["digest"] == digest(V, MESSAGE)
    for words in ("charged", "want a", "twice", TEXT):
        assert words not in stored
    assert '"start": 6' in stored and '"end": 19' in stored


@pytest.mark.parametrize(
    "asked",
    [
        (V + "x", MESSAGE),  # another analyser: other models or phrase files
        (V, MessageIn(TEXT, "de", "en")),  # the message's own language given
        (V, MessageIn(TEXT, None, "no")),  # another ticket language
        (V, MessageIn(TEXT + " ", None, "en")),  # another text
    ],
)
def test_only_the_same_message_under_the_same_analyser_is_recalled(
    store: Store, asked: tuple[str, MessageIn]
) -> None:
    mine = kept(store)
    mine.keep(V, [(MESSAGE, ANALYSIS)])
    mine.flush()
    version, message = asked
    assert kept(store).recall(version, [message]) == {}


def test_an_analysis_whose_evidence_is_not_its_span_is_not_kept(store: Store) -> None:
    moved = MessageAnalysis("en", None, (Signal(SignalName.SHOUTING, "NOW!!!", 0, 6),))
    mine = kept(store)
    mine.keep(V, [(MESSAGE, moved), (MessageIn("Any update?", None, "en"), MessageAnalysis("en", None))])
    assert mine.flush() == 1
    assert kept(store).recall(V, [MESSAGE]) == {}


def test_rows_past_their_age_are_not_recalled_and_are_deleted(store: Store) -> None:
    mine = kept(store, max_age=timedelta(hours=1))
    mine.keep(V, [(MESSAGE, ANALYSIS)])
    mine.flush(now=datetime.now(UTC) - timedelta(hours=2))
    assert mine.recall(V, [MESSAGE]) == {}
    fresh = MessageIn("Still nothing.", None, "en")
    later = kept(store, max_age=timedelta(hours=1))  # a new process prunes at its first write
    later.keep(V, [(fresh, MessageAnalysis("en", None))])
    later.flush()
    assert [r["digest"] for r in stored_rows(store)] == [digest(V, fresh)]


def test_two_processes_keeping_the_same_message_store_it_once(store: Store) -> None:
    first, second = kept(store), kept(store)
    first.keep(V, [(MESSAGE, ANALYSIS)])
    second.keep(V, [(MESSAGE, ANALYSIS)])
    assert first.flush() == 1
    assert second.flush() == 0
    with store.db.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(KeptAnalysisRow)).scalar_one() == 1
    assert second.counts.failures == 0


def test_a_failing_store_costs_the_saving_never_an_answer(url: str) -> None:
    database = Database(url)  # never migrated: the table is missing
    try:
        broken = KeptAnalyses(database, DAY, background=False)
        assert broken.recall(V, [MESSAGE]) == {}
        broken.keep(V, [(MESSAGE, ANALYSIS)])
        assert broken.flush() == 0
        assert (broken.counts.failures, broken.counts.dropped) == (2, 1)
    finally:
        database.dispose()


def test_the_writer_thread_writes_what_is_queued_and_close_writes_the_rest(store: Store) -> None:
    mine = KeptAnalyses(store.db, DAY)  # background: the first keep starts the writer
    mine.keep(V, [(MESSAGE, ANALYSIS)])
    mine.close()  # stops the thread and writes what it had not
    assert kept(store).recall(V, [MESSAGE]) == {0: ANALYSIS}


def test_the_counts_are_in_the_metrics(store: Store) -> None:
    from prometheus_client import generate_latest

    from serving.metrics import Metrics

    mine = kept(store)
    mine.keep(V, [(MESSAGE, ANALYSIS)])
    mine.flush()
    mine.recall(V, [MESSAGE, MessageIn("Hello", None, "en")])
    text = generate_latest(Metrics(lambda: None, 1.0, kept=lambda: mine).registry).decode()
    for outcome, count in (("recalled", 1), ("missed", 1), ("written", 1), ("dropped", 0)):
        assert f'escalation_kept_analyses_total{{outcome="{outcome}"}} {count}.0' in text
    assert "escalation_kept_analyses_failures_total 0.0" in text
