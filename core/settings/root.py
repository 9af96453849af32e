"""The one typed settings object, made of the sections of this package, and `get_settings`, which reads it
from the environment once and says every problem on one line."""

from __future__ import annotations

import math
import os
from functools import lru_cache

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from core.errors import ConfigError
from core.settings.dashboard import DashboardSettings
from core.settings.helpdesks import HelpdeskSettings
from core.settings.logs import LoggingSettings
from core.settings.metrics import MetricsSettings
from core.settings.outbox import LEASE_MARGIN, OutboxSettings
from core.settings.paths import PathSettings
from core.settings.problems import settings_problem
from core.settings.section import PROJECT_ROOT
from core.settings.sentiment import SentimentSettings
from core.settings.server import ServerSettings
from core.settings.serving import ServingSettings
from core.settings.store import StoreSettings, checked_store_url
from core.settings.sweeper import SweeperSettings
from core.settings.text import TextSettings
from core.settings.variables import empty_variables, unknown_variables
from core.settings.writeback import WritebackSettings


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ESCALATION_", env_nested_delimiter="__", extra="forbid", validate_default=True,
        allow_inf_nan=False, env_parse_none_str="null",  # `null`: none (no budget, no limit), as the docs say
        hide_input_in_errors=True,  # as Section: a refused secret is not repeated in pydantic's error text
    )

    server: ServerSettings = ServerSettings()
    store: StoreSettings = StoreSettings()
    paths: PathSettings = PathSettings()
    text: TextSettings = TextSettings()
    sentiment: SentimentSettings = SentimentSettings()
    serving: ServingSettings = ServingSettings()
    sweeper: SweeperSettings = SweeperSettings()
    outbox: OutboxSettings = OutboxSettings()
    helpdesks: HelpdeskSettings = HelpdeskSettings()
    writeback: WritebackSettings = WritebackSettings()
    metrics: MetricsSettings = MetricsSettings()
    dashboard: DashboardSettings = DashboardSettings()
    logging: LoggingSettings = LoggingSettings()
    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'escalation.db'}",
        description="SQLAlchemy URL of the ticket store; SQLite embedded by default, PostgreSQL by URL.",
    )
    # MLflow's own variable is honoured too, as data scientists expect.
    mlflow_tracking_uri: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'mlflow.db'}",
        validation_alias=AliasChoices("ESCALATION_MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_URI"),
    )
    # Tests that need PostgreSQL read this; in CI an unreachable server is a failure.
    test_postgres_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ci: bool = Field(default=False, validation_alias=AliasChoices("ESCALATION_CI", "CI"))

    @field_validator("ci", mode="before")
    @classmethod
    def _any_ci(cls, value: object) -> object:
        # CI is the CI service's variable, not ours: any value but a false one means CI (Woodpecker sets
        # CI=woodpecker, which as a boolean stopped every command)
        if isinstance(value, str):
            return value.strip().lower() not in ("", "0", "false", "no", "off")
        return value

    @field_validator("database_url")
    @classmethod
    def _store_url(cls, value: str) -> str:
        return checked_store_url(value)

    @model_validator(mode="after")
    def _writeback_calls_fit_the_lease(self) -> Settings:
        # a write-back attempt's calls stop at its budget (docs/helpdesks/writeback.md): a budget shorter
        # than one call's timeout would cut a slow helpdesk's every call short, and it would never get through
        budget = self.outbox.attempt_budget_s
        for name, config in self.writeback.configured().items():
            if config.timeout_s > budget:
                lease = math.ceil(config.timeout_s / (1 - LEASE_MARGIN) * 10) / 10
                raise ValueError(
                    f"outbox.lease_s ({self.outbox.lease_s:g} s) leaves one write-back attempt {budget:g} s "
                    f"(the lease less a tenth, kept for recording the outcome), less than one call to {name} "
                    f"may take (writeback.{name}.timeout_s, {config.timeout_s:g} s); give "
                    f"ESCALATION_OUTBOX__LEASE_S at least {lease:g} or lower "
                    f"ESCALATION_WRITEBACK__{name.upper()}__TIMEOUT_S to at most {budget:g}")
        return self


ALIASES = {"ESCALATION_MLFLOW_TRACKING_URI", "ESCALATION_CI"}  # variable names of the aliased settings above


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once; tests call `get_settings.cache_clear()` after changing env.
    Settings that do not validate are a ConfigError naming each variable, its problem and what is allowed."""
    empty = empty_variables(Settings, os.environ)
    problems = unknown_variables(Settings, os.environ, ALIASES) + empty
    try:
        settings = Settings()
    except (ValidationError, SettingsError) as exc:
        said = frozenset(problem.split(" ", 1)[0].upper() for problem in problems)
        problems += [found for found in [settings_problem(exc, Settings, os.environ, said)] if found]
    if problems:
        raise ConfigError(f"settings: {'; '.join(problems)}")
    return settings
