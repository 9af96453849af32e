"""The scoring API: request limits, model source, alerts, root causes, caches."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator

from core.bounds import BODY_MAX, EVENTS_MAX, YEAR_HOURS, YEAR_MINUTES, YEAR_S
from core.settings.keys import DEV_API_KEYS, ApiKey
from core.settings.section import CACHE_MB_MAX, KEY_MIN_CHARS, Section, TimeZoneName, too_short

# The causes support managers are taught to record for every escalation (docs/dashboard.md).
DEFAULT_ROOT_CAUSES = (
    "agent_workload",
    "missing_knowledge",
    "waiting_on_other_team",
    "miscommunication",
    "target_too_tight",
    "product_defect",
    "process_gap",
    "customer_expectation",
    "other",
)
ROOT_CAUSE_SLUG = re.compile(r"[a-z][a-z0-9_]{0,59}")
REGISTRY_ALIAS = re.compile(r"[\w\-]{1,255}")  # what MLflow lets `escalation promote` set
# alerts a team and day: more is a typo, and past 2^63 the store's query overflowed
ALERT_BUDGET_MAX = 1_000_000


class ServingSettings(Section):
    """The scoring API (docs/api.md): keys with roles, request limits, model source, alert cool-down."""

    api_keys: list[ApiKey] = Field(default_factory=lambda: list(DEV_API_KEYS))
    max_body_bytes: int = Field(default=1_000_000, ge=1_024, le=1_000_000_000)
    max_events: int = Field(default=100, ge=1, le=EVENTS_MAX)  # events in one request
    max_text_chars: int = Field(default=20_000, ge=1, le=BODY_MAX)  # body of one event (others: core.bounds)
    # How far ahead of the server's clock a ticket's `created_at` or an event's `at` may lie (a sender's clock
    # running ahead); further is refused (422): the ticket would be assessed as of that instant for good.
    max_ahead_minutes: float = Field(default=60, ge=0, le=YEAR_MINUTES)
    max_page_size: int = Field(default=200, ge=1, le=10_000)
    # None: models_dir/escalation-risk.json when it exists, else rules-only; or a file path, or
    # `models:/escalation-risk@champion` (MLflow registry at mlflow_tracking_uri).
    model_uri: str | None = None
    # Where the model comes from when model_uri is None. file: models_dir/escalation-risk.json as above.
    # registry: the version `registry_alias` points to in the MLflow registry (`escalation promote` moves it);
    # the file while no version holds the alias, or when the promoted one cannot be loaded (logged, counted).
    # auto (default): as registry when the tracking store exists (a SQLite file or a folder that is there, or
    # a server), else the file without asking MLflow (which would create an empty store).
    model_source: Literal["auto", "file", "registry"] = "auto"
    registry_model: str = Field(default="escalation-risk", min_length=1)
    registry_alias: str = Field(default="champion", min_length=1)
    # Every this many seconds each server process (and `escalation sweep`) asks the registry where the alias
    # points and swaps the model in when it moved (one query; the model is downloaded only then) — or, where a
    # model file serves, reads the file and swaps it in when its content changed — and takes up an edited
    # policy file (serving/model_check.py). 0: only POST /v1/admin/reload, in the process that answers it.
    model_check_s: float = Field(default=60.0, ge=0, le=YEAR_S)
    sentiment: bool = True  # False: no sentiment model is loaded (signals and language still run)
    alert_cooldown_minutes: float = Field(default=240, ge=0, le=YEAR_MINUTES)
    # Daily alert budget (docs/api.md): at most this many model-driven alerts stand raised per team and day,
    # the highest-risk ones; None: no budget. Per-team overrides, e.g. {"billing": 50, "vip": null}. The
    # budget day runs midnight to midnight in `alert_budget_timezone` (an IANA name).
    alert_budget_per_team_per_day: int | None = Field(default=20, ge=0, le=ALERT_BUDGET_MAX)
    alert_budget_by_team: dict[str, Annotated[int, Field(ge=0, le=ALERT_BUDGET_MAX)] | None] = Field(
        default={})
    alert_budget_timezone: TimeZoneName = "UTC"
    # The order of work (docs/api.md): an SLA deadline this close counts as "about to breach".
    due_soon_minutes: float = Field(default=60, gt=0, le=YEAR_MINUTES)
    # What a manager may record as an escalation's root cause (POST /v1/tickets/{id}/root-cause, the ticket
    # page); the KPIs count escalations by it. Env: ESCALATION_SERVING__ROOT_CAUSES='["agent_workload", …]'.
    root_causes: list[str] = Field(default_factory=lambda: list(DEFAULT_ROOT_CAUSES), min_length=1)
    # Memory each process may keep for active tickets' parsed events and analyses (the store's ticket cache)
    # and for the summaries of customers' tickets (the features' customer context), estimated MB: bounded by
    # bytes, not by a count of entries, so that long tickets cannot make a long-running server grow.
    # The ticket cache's 32 MB hold ~1,800 tickets of twelve events (as many as its 64 MB did by the older,
    # twice too high estimate).
    ticket_cache_mb: float = Field(default=32.0, ge=0, le=CACHE_MB_MAX)
    # Customers' histories kept for the features (serving/store/context.py): 16 MB hold ~13,000 tickets of
    # six customer messages; a customer whose history is larger than the whole budget is read at every
    # message.
    context_cache_mb: float = Field(default=16.0, ge=0, le=CACHE_MB_MAX)
    # A page of GET /v1/early-warning is answered from memory for this long (seconds) after it was read:
    # managers' boards poll it, and the list moves slower than that. 0: read on every request.
    early_warning_cache_s: float = Field(default=2.0, ge=0, le=YEAR_S)
    # /v1/score keeps the analyses of the messages it read in the store this many hours (no text: a digest,
    # the sentiment scores and the signals' spans), so that scoring a ticket again encodes only its new
    # messages, whichever process or instance answers (serving/store/kept_analyses.py). 0: none kept.
    kept_analyses_hours: float = Field(default=24.0, ge=0, le=YEAR_HOURS)

    @field_validator("api_keys")
    @classmethod
    def _keys_once(cls, value: list[ApiKey]) -> list[ApiKey]:
        seen: dict[bytes, str] = {}
        for key in value:  # a key listed twice has whichever role came last: say which, not the key
            # a configured key (the default, DEV_API_KEYS, is not checked: `make run` on loopback uses it)
            problem = too_short(key.key, KEY_MIN_CHARS) if key.key is not None else None
            if problem:
                raise ValueError(f"the key {key.name!r} is {problem}")
            digest = key.digest()
            if digest in seen:
                raise ValueError(f"the keys {seen[digest]!r} and {key.name!r} are the same key; give each "
                                 "its own")
            seen[digest] = key.name
        return value

    @field_validator("alert_budget_by_team")
    @classmethod
    def _teams_once(cls, value: dict[str, int | None]) -> dict[str, int | None]:
        seen: dict[str, str] = {}
        for team in value:  # matched in any case (serving/store/budget.py): which of two would apply?
            if team.casefold() in seen:
                raise ValueError(f"the teams {seen[team.casefold()]!r} and {team!r} differ "
                                 "only in case (a team's budget matches its name in any case); give one")
            seen[team.casefold()] = team
        return value

    @field_validator("root_causes")
    @classmethod
    def _slugs(cls, value: list[str]) -> list[str]:
        for i, cause in enumerate(value):
            if not ROOT_CAUSE_SLUG.fullmatch(cause):
                raise ValueError(
                    f"root_causes[{i}]: {cause!r} is not a slug (lower-case letters, digits and _, "
                    "at most 60 characters), e.g. 'missing_knowledge'"
                )
        if len(set(value)) != len(value):
            raise ValueError(f"root_causes: {sorted({c for c in value if value.count(c) > 1})} listed twice")
        return value

    @field_validator("registry_model")
    @classmethod
    def _registry_name(cls, value: str) -> str:
        if not registry_name_fits(value):
            raise ValueError(f"{value!r} is not {REGISTRY_NAME_RULE}, e.g. 'escalation-risk'")
        return value

    @field_validator("registry_alias")
    @classmethod
    def _registry_alias(cls, value: str) -> str:
        if not registry_alias_fits(value):
            raise ValueError(f"{value!r} is not {REGISTRY_ALIAS_RULE}, e.g. 'champion'")
        return value

    @field_validator("model_uri")
    @classmethod
    def _model_uri(cls, value: str | None) -> str | None:
        # `models:/x` (no alias) or `runs:/…` passed here and stopped the start with an error that named no
        # variable. The value is not repeated: a URI may carry credentials.
        if value is None or not value.strip():
            return value  # empty: said by the check of empty variables
        takes = ("give a model file's path, or models:/<name>@<alias> of the MLflow registry, e.g. "
                 "models:/escalation-risk@champion")
        if value.startswith("models:/"):
            name, sep, alias = value.removeprefix("models:/").partition("@")
            if not sep or not name or not alias:
                raise ValueError(f"a models:/ URI names a registered model and its alias; {takes}")
            if not registry_name_fits(name):
                raise ValueError(f"the model's name is not {REGISTRY_NAME_RULE}; {takes}")
            if not registry_alias_fits(alias):
                raise ValueError(f"the alias is not {REGISTRY_ALIAS_RULE}; {takes}")
        elif OTHER_URI.match(value):
            raise ValueError(f"other URIs than models:/ (runs:/, s3://, http://, …) are not served; {takes}")
        return value


# MLflow's rule for registered model names (mlflow.utils.validation._validate_model_name), written here as
# core loads no MLflow: a name it refuses was answered "invalid", read as "nothing promoted", and the server
# served the file or rules only, saying nothing
REGISTRY_NAME_RULE = "a name the MLflow registry can hold (no '/' or ':', not '.' and not starting with '..')"
# MLflow's rule for aliases (its _validate_model_alias_name and _reserved): `escalation promote` can never set
# another, so the server found no version @alias and served the file or rules only
REGISTRY_ALIAS_RULE = ("an alias the MLflow registry can hold (letters, digits, _ and -, at most 255 "
                       "characters; not 'latest', not a version such as 'v7')")
OTHER_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]+:")  # a scheme; two letters at least (not a drive letter)


def registry_name_fits(name: str) -> bool:
    return not ("/" in name or ":" in name or name == "." or name.startswith(".."))


def registry_alias_fits(alias: str) -> bool:
    reserved = alias.lower() == "latest" or re.fullmatch(r"[vV]\d+", alias)
    return bool(REGISTRY_ALIAS.fullmatch(alias)) and not reserved
