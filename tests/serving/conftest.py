"""Serving fixtures: a small escalation model written to a temp models dir, the real sentiment model (loaded
once per session; its ONNX encoder exported once into that dir), settings, and a real uvicorn server on a
free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import lightgbm as lgb
import numpy as np
import pytest
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.settings import Settings
from features.model import Calibrator, EscalationModel
from features.model.evaluation import ModelEvaluation
from features.ticket import DEFAULT_SPEC
from rules import parse_policies
from serving.app import create_app
from serving.service import Service
from serving.store import Database, Store, migrate
from serving.sweeper.sweeper import Clock, utc_now
from tests.model_metadata import model_metadata

ROOT = Path(__file__).resolve().parents[2]  # the checkout


def make_model(seed: int = 7) -> EscalationModel:
    """A small LightGBM model over the real feature spec: risk grows with waiting and negative sentiment."""
    rng = np.random.default_rng(seed)
    n = 600
    rows = []
    for _ in range(n):
        row: dict[str, float | str | None] = {}
        for f in DEFAULT_SPEC.features:
            if f.kind == "numeric":
                row[f.name] = float(rng.gamma(1.0, 2.0))
            else:
                choices = list(f.categories) if f.categories else ["a", "b"]
                row[f.name] = str(rng.choice(choices))
        rows.append(row)
    spec = DEFAULT_SPEC.with_categories_from(rows)
    frame = spec.encode(rows)
    y = ((frame["wait_business_hours"] + frame["unanswered_messages"] + rng.normal(0, 1, n)) > 4.5).astype(
        int
    )
    booster = lgb.train(
        {"objective": "binary", "num_leaves": 7, "verbose": -1, "seed": seed},
        lgb.Dataset(frame, y),
        num_boost_round=20,
    )
    # the test-period figures training saves with a model (training.summary.evaluation), for the KPI page
    evaluation = {
        "target": "escalation",
        "horizon_hours": 72.0,
        "test_from": "2026-04-01T00:00:00+00:00",
        "test_to": "2026-04-30T00:00:00+00:00",
        "test_examples": 1200,
        "test_positives": 150,
        "budget": 0.1,
        "roc_auc": 0.812,
        "pr_auc": 0.301,
        "brier": 0.091,
        "first_event_roc_auc": 0.702,
        "precision_at_budget": 0.31,
        "recall_at_budget": 0.42,
        "lead_time_hours_median": 18.5,
        "baselines": {
            "rules": {"roc_auc": 0.561, "pr_auc": 0.12},
            "logreg": {"roc_auc": 0.774, "pr_auc": 0.27},
        },
    }
    metadata = model_metadata(evaluation=ModelEvaluation.of({"evaluation": evaluation}))
    return EscalationModel(spec, booster, Calibrator("none"), threshold=0.4, metadata=metadata)


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The escalation model file + the sentiment encoder's ONNX export (made once, on first load)."""
    path = tmp_path_factory.mktemp("models")
    make_model().save(path / "escalation-risk.json")
    return path


SENTIMENT_EXAMPLES = [
    ("Thank you so much, that solved it perfectly!", "positive"),
    ("Great service, very happy.", "positive"),
    ("Brilliant, works now. Cheers!", "positive"),
    ("Danke, super schnell gelöst!", "positive"),
    ("I was charged twice and nobody answers. Unacceptable!", "negative"),
    ("This is the worst support ever, I am furious.", "negative"),
    ("Third time I write, still broken. I want a manager.", "negative"),
    ("Das ist eine Frechheit, ich kündige!", "negative"),
    ("Please send me the invoice for May.", "neutral"),
    ("What are your opening hours?", "neutral"),
    ("My customer number is 1234.", "neutral"),
    ("Can you update my address?", "neutral"),
]


@pytest.fixture(scope="session")
def sentiment_head(models_dir: Path) -> Path | None:
    """The packaged head when the checkout has it; else a small head fitted here on the real encoder."""
    from features.sentiment import SentimentHead, embed, make_encoder, packaged_head_path, save_head

    encoder = make_encoder("onnx", models_dir)  # exports the int8 encoder into models_dir once
    if packaged_head_path(encoder.name).is_file():
        return None
    texts, labels = zip(*SENTIMENT_EXAMPLES, strict=True)
    head = SentimentHead(encoder.name, "test").fit(embed(encoder, list(texts)), list(labels))
    return save_head(head, models_dir / "head-test.json")


@pytest.fixture(scope="session")
def sentiment_settings(models_dir: Path, sentiment_head: Path | None) -> dict[str, object]:
    return {"head_path": sentiment_head} if sentiment_head else {}


@pytest.fixture(scope="session")
def sentiment_model(models_dir: Path, sentiment_settings: dict[str, object]):  # type: ignore[no-untyped-def]
    from features.sentiment import load_sentiment_model

    return load_sentiment_model(Settings(paths={"models_dir": models_dir}, sentiment=sentiment_settings))


def quiet_settings(tmp_path: Path, **sections: dict[str, object]) -> Settings:
    """An app on an embedded store in `tmp_path`, rules only (no model file), no sentiment, no sweeper or
    outbox; `sections` adds to a section, e.g. `serving={"max_text_chars": 5_000}`."""
    base: dict[str, dict[str, object]] = {
        "paths": {"models_dir": tmp_path / "no-models"}, "serving": {"sentiment": False},
        "sweeper": {"enabled": False}, "outbox": {"enabled": False},
    }
    for name, values in sections.items():
        base[name] = {**base.get(name, {}), **values}
    return Settings.model_validate({"database_url": f"sqlite:///{tmp_path / 'store.db'}", **base})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    settings: Settings

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)


def wait_ready(url: str, died: Callable[[], str | None], seconds: float = 60) -> None:
    """Poll GET /readyz until 200 (bounded); `died` returns why the server is gone, or None while it runs."""
    with httpx.Client(base_url=url, timeout=2) as client:
        for _ in range(int(seconds * 10)):
            if (why := died()) is not None:
                raise RuntimeError(why)
            try:
                if client.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            threading.Event().wait(0.1)  # poll interval between readiness probes, not a synchronisation
    raise RuntimeError(f"server on {url} was not ready in {seconds:.0f} s")


@contextmanager
def two_worker_server(tmp_path: Path, **variables: str) -> Iterator[str]:
    """`escalation serve --workers 2` as a user starts it (real processes, rules-only, a SQLite store in
    `tmp_path`, `variables` added to its environment): its URL while it runs; stopped on leaving."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ESCALATION_", "PROMETHEUS_"))}
    env |= {
        "ESCALATION_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "ESCALATION_PATHS__MODELS_DIR": str(tmp_path / "models"),  # empty: rules-only, quick to start
        "ESCALATION_SERVING__SENTIMENT": "false",
        # this checkout's packages, also where the installed command's editable install points at another
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
        **variables,
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "escalation"), "serve", "--port", str(port), "--workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, lambda: None if server.poll() is None else f"serve exited: {server.stdout.read()}")
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def start_server(settings: Settings, clock: Clock = utc_now) -> Iterator[Server]:
    """The app on a free loopback port until the generator is closed; `clock`: the app's (create_app)."""
    app = create_app(settings, clock=clock)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    wait_ready(url, lambda: None if thread.is_alive() else "the server thread died during start-up")
    try:
        yield Server(url, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory,
    models_dir: Path,
    sentiment_model: object,
    sentiment_settings: dict[str, object],
) -> Iterator[Server]:
    """The real API (SQLite store, model + sentiment loaded) on a free loopback port, for the session."""
    db = tmp_path_factory.mktemp("store") / "escalation.db"
    settings = Settings(
        database_url=f"sqlite:///{db}",
        paths={"models_dir": models_dir},
        sentiment=sentiment_settings,
        serving={"max_body_bytes": 200_000, "max_events": 20, "max_text_chars": 5_000},
        # the test tickets lie in the past: a wall-clock sweeper would re-assess them mid-test (its own tests
        # drive it with an injected clock, tests/serving/sweeper/)
        sweeper={"enabled": False},
        # the store's counts in /metrics read fresh at every scrape: with the default 10 s cache, a test that
        # scraped just before (on this shared server) left another test counting stale escalations
        metrics={"cache_s": 0},
    )
    yield from start_server(settings)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, dropped afterwards. Unreachable: skip, but FAIL in CI."""
    settings = Settings()
    base = make_url(settings.test_postgres_url)
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error: the server is not there
        if settings.ci:
            pytest.fail(
                f"PostgreSQL at {base.render_as_string(hide_password=True)} is unreachable in CI: {exc}"
            )
        pytest.skip(f"PostgreSQL at {base.render_as_string(hide_password=True)} is unreachable")
    admin.dispose()
    with new_postgres_database(base.render_as_string(hide_password=False)) as url:
        yield url


@contextmanager
def new_postgres_database(server_url: str, prefix: str = "escalation_test") -> Iterator[str]:
    """A new, empty database on the server of `server_url`, dropped afterwards."""
    base = make_url(server_url)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- A store on SQLite or PostgreSQL and a rules-only service over it (sweeper and KPI tests) ---------
# A small 24/7 policy whose timeline is easy to reason about: first response 1 h (reminder at 50 min,
# level 1 at 60, level 2 at 90), resolution 1 d.
RULES_ONLY_POLICY = """
calendars:
  always:
    timezone: UTC
    hours: 24/7
policies:
  - name: test
    calendar: always
    targets:
      first_response: {urgent: 1h, high: 1h, normal: 1h, low: 1h}
      resolution: {urgent: 1d, high: 1d, normal: 1d, low: 1d}
    reminders:
      - {before: 10m, targets: [first_response]}
    escalation:
      first_response:
        - {after: 0m, to: team_lead}
        - {after: 30m, to: manager}
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base: str = request.getfixturevalue("postgres_url")
    yield base
    database = Database(base)  # the PostgreSQL database is shared by this run's tests: leave it empty
    from serving.store.tables import Base

    Base.metadata.drop_all(database.engine)
    with database.engine.begin() as c:
        c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    database.dispose()


@pytest.fixture
def make_service(url: str, tmp_path: Path) -> Iterator[Callable[..., Service]]:
    """A new service instance on the same database each call: a restart, or a second instance; `policy`: the
    policy file's text it starts with (an edited file)."""
    migrate(url)
    made: list[Database] = []
    settings = Settings.model_validate({"database_url": url, "paths": {"models_dir": tmp_path / "no-models"},
                                        "serving": {"sentiment": False}})

    def make(policy: str = RULES_ONLY_POLICY) -> Service:
        database = Database(url)
        made.append(database)
        return Service(settings, Store(database), parse_policies(policy), None)

    yield make
    for database in made:
        database.dispose()
