"""One message, one analysis: training, the API's ingest and `escalation analyze-text` all run the one
analysis path (features.text.analysis), so the same message gives the same language, sentiment and signals
through each — with the real packaged encoder, heads and phrase files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from core.settings import Settings
from core.text import MessageAnalysis
from core.tickets import Event, Ticket
from features.text.cli import analyze_text
from features.text.loading import load_analyser
from rules import DEFAULT_POLICY_FILE, load_policies
from serving.service import Service
from serving.store import Database, Store, migrate
from training.text_analyses import text_analyser

MESSAGES = [
    "I was charged twice and nobody answers!!! Cancel my subscription.",
    "Ich möchte mein Geld zurück, das ist eine Katastrophe.",
    "Dette er tredje gang jeg skriver. Jeg vil snakke med lederen din.",
    "Thanks, that fixed it.",
]


def _ticket(i: int) -> Ticket:
    return Ticket.model_validate(
        {
            "ticket_id": f"P-{i}",
            "created_at": "2026-05-04T09:00:00Z",
            "channel": "email",
            "priority": "normal",
            "customer_id": f"C-{i}",
            "customer_tier": "silver",
            "product": "p",
            "category": "billing",
            "team": "billing",
            "language": "en",
            "assignee": "a-1",
        }
    )


def _event(i: int, body: str) -> Event:
    return Event.model_validate(
        {
            "event_id": f"P-{i}-e1",
            "ticket_id": f"P-{i}",
            "at": "2026-05-04T10:00:00Z",
            "type": "customer_message",
            "author_role": "customer",
            "body": body,
        }
    )


def test_training_api_and_cli_give_the_same_analysis(
    tmp_path: Path, models_dir: Path, sentiment_settings: dict[str, object]
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    settings = Settings(database_url=url, paths={"models_dir": models_dir}, sentiment=sentiment_settings)

    analyse, _ = text_analyser(settings)
    trained = analyse(MESSAGES, ["en"] * len(MESSAGES))  # the tickets' language, as training passes it

    migrate(url)
    service = Service(
        settings, Store(Database(url)), load_policies(DEFAULT_POLICY_FILE), load_analyser(settings)
    )
    served = []
    for i, body in enumerate(MESSAGES):
        service.ingest(f"P-{i}", _ticket(i), [_event(i, body)])
        served.append(service.store.load(f"P-{i}").texts[f"P-{i}-e1"])

    source = tmp_path / "messages.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text"])
        writer.writerows([m] for m in MESSAGES)
    env = {"ESCALATION_PATHS__MODELS_DIR": str(models_dir)}
    env |= {f"ESCALATION_SENTIMENT__{k.upper()}": str(v) for k, v in sentiment_settings.items()}
    result = CliRunner().invoke(analyze_text, [str(source), "--no-progress"], env=env)
    assert result.exit_code == 0, result.output
    listed = [MessageAnalysis.from_dict(json.loads(line)) for line in result.stdout.splitlines()]

    # Stored and printed analyses round their probabilities to 4 places; compare what they keep.
    expected = [MessageAnalysis.from_dict(a.to_dict()) for a in trained]
    assert served == expected
    assert listed == expected
    assert [a.lang for a in expected] == ["en", "de", "no", "en"]
    assert all(a.sentiment is not None for a in expected)
    assert {"financial_harm", "churn_threat", "shouting"} <= {s.name.value for s in expected[0].signals}
