"""KPI fixtures (as the sweeper's): a store on SQLite or PostgreSQL, a rules-only service with a small
24/7 policy (first response 1 h: reminder at 50 min, level 1 at 60, level 2 at 90)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from rules import parse_policies
from serving.service import Service
from serving.store import Database, Store, migrate

POLICY = """
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
def make_service(url: str, tmp_path: Path) -> Iterator[Callable[[], Service]]:
    """A new service instance on the same database each call: a restart, or a second instance."""
    migrate(url)
    made: list[Database] = []
    settings = Settings.model_validate({"database_url": url, "paths": {"models_dir": tmp_path / "no-models"},
                                        "serving": {"sentiment": False}})

    def make() -> Service:
        database = Database(url)
        made.append(database)
        return Service(settings, Store(database), parse_policies(POLICY), None)

    yield make
    for database in made:
        database.dispose()
