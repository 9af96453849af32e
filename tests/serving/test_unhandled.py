"""A failure no handler takes: 500 with the one body shape, and a log line (through the handler the commands
configure) naming the exception's type, the request and the traceback's frames — with no trace of the
message body that the failing SQL statement carried."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from core.settings import Settings
from tests.serving.conftest import Server, quiet_settings, start_server

BODY = "Zebrafish invoice 7731: please call me on 0047 555 0199"


@pytest.fixture
def failing_server(tmp_path: Path) -> Iterator[Server]:
    """Rules-only API whose store refuses every event insert (a real SQLite error, from a trigger)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    for started in start_server(quiet_settings(tmp_path)):  # migrated by its start-up
        engine = create_engine(url)
        with engine.begin() as c:
            c.exec_driver_sql("CREATE TRIGGER refuse_events BEFORE INSERT ON events "
                              "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
        engine.dispose()
        yield started


@pytest.mark.parametrize("format", ["text", "json"])
def test_a_database_failure_is_500_and_its_parameters_stay_out_of_the_log(
    failing_server: Server, log_output: Callable[..., io.StringIO], format: str
) -> None:
    out = log_output(format=format)
    event = {"event_id": "U-1-1", "at": "2026-05-04T09:00:00Z", "type": "customer_message",
             "author_role": "customer", "body": BODY}
    ticket = {"created_at": "2026-05-04T09:00:00Z", "channel": "email", "priority": "normal",
              "customer_id": "C-U", "customer_tier": "gold", "product": "invoicing",
              "category": "billing_payment", "team": "billing", "language": "en", "subject": BODY}
    with failing_server.client() as c:
        r = c.post("/v1/tickets/U-1/events", headers={"X-API-Key": "dev-integration-key"},
                   json={"ticket": ticket, "events": [event]})
    assert r.status_code == 500 and r.json()["error"] == "internal_error"
    assert BODY not in r.text and "refused" not in r.text
    written = out.getvalue()
    assert "Zebrafish" not in written and "0199" not in written
    assert "sqlalchemy.exc.IntegrityError (message withheld" in written
    ref = r.json()["detail"].split("(ref ")[1][:8]
    failed = [line for line in written.splitlines() if f"(ref {ref})" in line]
    assert len(failed) == 1 and "POST /v1/tickets/U-1/events failed" in failed[0]
    if format == "json":
        assert all(json.loads(line)["logger"] for line in written.splitlines())


def test_a_family_error_at_500_is_logged_by_type_and_a_config_error_by_message(
    tmp_path: Path, log_output: Callable[..., io.StringIO]
) -> None:
    from fastapi.testclient import TestClient

    from core.errors import ConfigError, EscalationError
    from serving.app import create_app

    out = log_output()
    app = create_app(Settings.model_validate({"database_url": f"sqlite:///{tmp_path / 'store.db'}"}))

    @app.get("/test/quoting")
    async def quoting() -> None:
        raise EscalationError(f"history.csv:3 [body]: too long (got {BODY!r})")

    @app.get("/test/config")
    async def config() -> None:
        raise ConfigError("serving.model_uri: models:/nope@champion is not registered")

    client = TestClient(app, base_url="http://localhost")  # no lifespan: these routes need no service
    assert client.get("/test/quoting").json()["error"] == "internal_error"
    assert client.get("/test/config").json()["error"] == "configuration_error"
    written = out.getvalue().splitlines()
    lines = [line.split(" ERROR serving: ")[1] for line in written if " serving: " in line]
    assert lines == [
        "GET /test/quoting failed: core.errors.EscalationError",
        "GET /test/config failed: serving.model_uri: models:/nope@champion is not registered",
    ]
