"""Data checks on the committed sample (data/sample): it is what `make sample` makes today, and its
statistics are those data/sample/README.md states."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from core.tickets import Event
from synthetic.generate import GenerationConfig, generate
from synthetic.output import write_history
from synthetic.phrases import BANKS

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
FILES = ("tickets.csv", "events.jsonl.gz")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return pd.read_json(SAMPLE / "events.jsonl.gz", lines=True, dtype=False, compression="gzip")


@pytest.fixture(scope="module")
def tickets() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "tickets.csv", keep_default_na=False)


def test_the_sample_is_up_to_date_with_the_generator(tmp_path: Path) -> None:
    write_history(generate(GenerationConfig(), BANKS), tmp_path, gzip_events=True)
    stale = [name for name in FILES if sha(tmp_path / name) != sha(SAMPLE / name)]
    assert not stale, f"{stale} differ from a fresh run: re-make the sample with `make sample` and commit it"


def test_sample_size_and_vocabularies(tickets: pd.DataFrame, events: pd.DataFrame) -> None:
    assert len(tickets) == 3000 and tickets["ticket_id"].is_unique
    assert set(tickets["language"]) == {"en", "de", "no"}
    assert set(tickets["channel"]) == {"email", "web", "phone", "chat", "twitter", "facebook"}
    assert set(events["ticket_id"]) <= set(tickets["ticket_id"])
    assert sum(p.stat().st_size for p in SAMPLE.iterdir()) < 3_000_000  # a few MB: small enough to commit


def test_sample_escalations(events: pd.DataFrame) -> None:
    escalations = events[events["type"] == "escalation"]
    rate = escalations["ticket_id"].nunique() / events["ticket_id"].nunique()
    assert 0.12 <= rate <= 0.20
    assert set(escalations["escalation_type"]) == {"functional", "hierarchical", "automatic"}
    assert (escalations["level"] <= 2).mean() > 0.9


def test_every_sample_event_is_valid(events: pd.DataFrame) -> None:
    for record in events.to_dict("records"):
        Event.model_validate({k: v for k, v in record.items() if not pd.isna(v)})
