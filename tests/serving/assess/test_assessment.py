"""Assessing with a model trained on the ticket's own columns (`escalation train --ticket-feature region`):
the API reads them from the ticket's extra fields, as training read them from the tickets file."""

from __future__ import annotations

from pathlib import Path

import lightgbm as lgb
import numpy as np
from fastapi.testclient import TestClient

from features.model import Calibrator, EscalationModel
from features.ticket import DEFAULT_SPEC, Feature
from serving.app import create_app
from tests.model_metadata import model_metadata
from tests.serving.conftest import quiet_settings

INTEGRATION = {"X-API-Key": "dev-integration-key"}


def region_model() -> EscalationModel:
    """DEFAULT_SPEC + ticket_region (categorical) + ticket_seats (numeric): escalations in one region."""
    rng = np.random.default_rng(3)
    extras = (Feature("ticket_region", "categorical", "category", "region {value}"),
              Feature("ticket_seats", "numeric", "", "seats {value}"))
    spec = DEFAULT_SPEC.__class__(features=DEFAULT_SPEC.features + extras)
    rows = []
    for _ in range(400):
        row: dict[str, float | str | None] = {
            f.name: float(rng.gamma(1.0, 2.0)) if f.kind == "numeric"
            else str(rng.choice(list(f.categories) if f.categories else ["a", "b"]))
            for f in spec.features
        }
        row["ticket_region"] = str(rng.choice(["dach", "nordics"]))
        rows.append(row)
    spec = spec.with_categories_from(rows)
    frame = spec.encode(rows)
    y = (frame["ticket_region"] == "dach").astype(int)
    booster = lgb.train({"objective": "binary", "num_leaves": 4, "verbose": -1, "seed": 1,
                         "min_data_per_group": 5, "cat_smooth": 1}, lgb.Dataset(frame, y), num_boost_round=10)
    return EscalationModel(spec, booster, Calibrator("none"), 0.5,
                           model_metadata(ticket_features=("region", "seats")))


def body(ticket_id: str, **extra: object) -> dict[str, object]:
    ticket = {"ticket_id": ticket_id, "created_at": "2026-05-01T00:00:00Z", "channel": "email",
              "priority": "normal", "customer_id": "c1", "customer_tier": "basic", "product": "p",
              "category": "c", "team": "billing", "language": "en", "subject": "x", **extra}
    event = {"event_id": f"{ticket_id}-e1", "ticket_id": ticket_id, "at": "2026-05-01T00:00:00Z",
             "type": "customer_message", "author_role": "customer", "author_id": "c1", "body": "hello"}
    return {"ticket": ticket, "events": [event]}


def test_a_model_trained_on_ticket_columns_scores_them_from_the_ticket(tmp_path: Path) -> None:
    path = region_model().save(tmp_path / "region.json")
    settings = quiet_settings(tmp_path, serving={"model_uri": str(path), "model_source": "file"})
    with TestClient(create_app(settings), base_url="http://localhost") as client:
        risks = {}
        for region in ("dach", "nordics", None):
            extra = {"region": region, "seats": 12} if region else {}
            answer = client.post("/v1/score", json=body(f"t-{region}", **extra), headers=INTEGRATION)
            assert answer.status_code == 200, answer.text
            risks[region] = answer.json()["risk"]
    assert risks["dach"] > 0.5 > risks["nordics"]  # the region the model learnt from is read
    assert risks[None] is not None  # a ticket without the column scores, with the value missing
