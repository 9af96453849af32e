"""Training fixtures: a tiny hand-made history for the label rules, the committed sample for the rest,
one feature-frame cache for the whole session (the real point-in-time builder takes tens of seconds on
the sample: each distinct frame is built once), one end-to-end run on the sample shared by the slow
tests, and a temporary MLflow store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from features.history import TicketHistory, history_from_records, load_history
from rules import DEFAULT_POLICY_FILE, PolicySet, load_policies
from training.fit import BoostParams
from training.targets import parse_target
from training.train import TrainConfig, TrainResult, train_model

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def first_tickets_of_sample(folder: Path, count: int = 250) -> Path:
    """The sample's first `count` tickets and their events, written into `folder` as an export would be."""
    import gzip
    import json

    import pandas as pd

    tickets = pd.read_csv(SAMPLE / "tickets.csv", dtype=str).sort_values("created_at").head(count)
    folder.mkdir(parents=True)
    tickets.to_csv(folder / "tickets.csv", index=False)
    keep = set(tickets["ticket_id"])
    with gzip.open(SAMPLE / "events.jsonl.gz", "rt", encoding="utf-8") as src, \
            (folder / "events.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(line for line in src if json.loads(line)["ticket_id"] in keep)
    return folder
FAST_ROUNDS = 300  # enough for early stopping on the sample; keeps the suite quick


def ticket(ticket_id: str, created_at: str, **extra: Any) -> dict[str, Any]:
    return {"ticket_id": ticket_id, "created_at": created_at, "channel": "email", "priority": "normal",
            "customer_id": f"C-{ticket_id}", "customer_tier": "basic", "product": "P", "category": "billing",
            "team": "t1", "language": "en", **extra}


def event(event_id: str, ticket_id: str, at: str, kind: str, **fields: Any) -> dict[str, Any]:
    role = {"customer_message": "customer", "escalation": "manager"}.get(kind, "agent")
    body = "text" if kind in ("customer_message", "agent_reply", "internal_note") else None
    return {"event_id": event_id, "ticket_id": ticket_id, "at": at, "type": kind, "author_role": role,
            "body": body, **fields}


@pytest.fixture
def tiny_history() -> TicketHistory:
    """T1: messages at day 1 09:00 and 10:00, escalation at 12:00, message at 13:00, solved day 2.
    T2: one message at day 1, never escalated, solved on day 20. The history spans 30 days."""
    tickets = [ticket("T1", "2024-03-01T09:00:00Z", sla_breached="true"),
               ticket("T2", "2024-03-01T09:30:00Z", sla_breached="false"),
               ticket("T3", "2024-03-31T09:00:00Z", sla_breached="false")]
    events = [
        event("E1", "T1", "2024-03-01T09:00:00Z", "customer_message"),
        event("E2", "T1", "2024-03-01T10:00:00Z", "customer_message"),
        event("E3", "T1", "2024-03-01T12:00:00Z", "escalation", level="1", escalation_type="hierarchical"),
        event("E4", "T1", "2024-03-01T13:00:00Z", "customer_message"),
        event("E5", "T1", "2024-03-02T09:00:00Z", "status_change", status="solved"),
        event("E6", "T1", "2024-03-03T09:00:00Z", "customer_message"),
        event("E7", "T2", "2024-03-01T09:30:00Z", "customer_message"),
        event("E8", "T2", "2024-03-20T09:30:00Z", "status_change", status="solved"),
        event("E9", "T3", "2024-03-31T09:00:00Z", "customer_message"),
    ]
    return history_from_records(tickets, events)


@pytest.fixture(scope="session")
def sample_history() -> TicketHistory:
    return load_history(SAMPLE)


@pytest.fixture(scope="session")
def policies() -> PolicySet:
    return load_policies(DEFAULT_POLICY_FILE)


@pytest.fixture(scope="session")
def feature_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feature-frames")


@pytest.fixture(scope="session")
def fast_config(feature_cache: Path) -> TrainConfig:
    params = BoostParams(num_boost_round=FAST_ROUNDS, num_threads=2)
    return TrainConfig(parse_target(), params=params, feature_cache=feature_cache)


@pytest.fixture(scope="session")
def sample_result(
    sample_history: TicketHistory, fast_config: TrainConfig, policies: PolicySet
) -> TrainResult:
    """One training run on the sample (real features, no text analyses), shared by the slow tests."""
    return train_model(sample_history, fast_config, policies)


@pytest.fixture(scope="session")
def mlflow_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """A temporary SQLite MLflow store and models folder for the whole session."""
    root = tmp_path_factory.mktemp("mlflow")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{root / 'mlflow.db'}")
        patch.setenv("ESCALATION_PATHS__MODELS_DIR", str(root / "models"))
        yield {"root": root, "models": root / "models"}


@pytest.fixture
def silent_tracking_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """MLFLOW_TRACKING_URI set to a loopback port nothing listens on (MLflow's own retries, minutes, off),
    settings read afresh before and after; yields the URI."""
    import socket

    from core.settings import get_settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uri = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    get_settings.cache_clear()
    yield uri
    get_settings.cache_clear()
