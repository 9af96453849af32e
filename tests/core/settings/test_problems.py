"""How start-up names what is wrong with the settings (core/settings/problems.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import get_args

import pytest
from pydantic import BaseModel

from core.errors import ConfigError
from core.settings import Settings, get_settings
from tests.core.refusals import refusal


@pytest.mark.parametrize(("variable", "meant"), [
    ("ESCALATION_OUTBOX__WEBHOOKS__URL", "ESCALATION_OUTBOX__WEBHOOKS"),
    ("ESCALATION_SERVING__API_KEYS__KEY", "ESCALATION_SERVING__API_KEYS"),
])
def test_a_field_of_a_list_entry_is_no_variable_and_is_named_as_such(
    monkeypatch: pytest.MonkeyPatch, variable: str, meant: str
) -> None:
    """An entry's field set as its own variable was taken for a setting, and start-up said only that the
    list 'should be a valid list'; the entries are one JSON list."""
    monkeypatch.setenv(variable, "https://hooks.example.com/h")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError) as refused:
            get_settings()
    finally:
        get_settings.cache_clear()
    assert str(refused.value).startswith(f"settings: {variable} is not a setting; did you mean {meant}?; ")


@pytest.mark.parametrize(("variables", "said"), [
    # each started with the default in force, as a misspelt variable would have
    ({"ESCALATION_SERVER": '{"host": "0.0.0.0", "prot": 9000}'},
     "ESCALATION_SERVER (prot): 'prot' is not a setting here; did you mean port?"),
    ({"ESCALATION_OUTBOX__EMAIL": '{"host": "mail.acme.example", "recipients": ["a@acme.example"], '
                                  '"passwd": "k-0p5-s3cret"}'},
     "ESCALATION_OUTBOX__EMAIL (passwd): 'passwd' is not a setting here; did you mean password?"),
    ({"ESCALATION_OUTBOX__WEBHOOKS": '[{"url": "https://hooks.example.com/h", "nmae": "ops"}]',
      "ESCALATION_OUTBOX__WEBHOOK_SECRET": "s" * 16},
     "ESCALATION_OUTBOX__WEBHOOKS ([0].nmae): 'nmae' is not a setting here; did you mean name?"),
    ({"ESCALATION_SERVING__API_KEYS": '[{"name": "ops", "role": "admin", "key": "k-0p5-s3cret", '
                                      '"team": "x"}]'},
     "ESCALATION_SERVING__API_KEYS ([0].team): 'team' is not a setting here; known: name, role, key, "
     "key_sha256"),
])
def test_a_misspelt_key_inside_a_json_value_stops_start_up_naming_it(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], said: str
) -> None:
    message = refusal(monkeypatch, **variables)
    assert message == f"settings: {said}" and "s3cret" not in message


def test_a_misspelt_nested_variable_is_named_once(monkeypatch: pytest.MonkeyPatch) -> None:
    said = refusal(monkeypatch, ESCALATION_SERVER__PROT="9000")
    assert said == "settings: ESCALATION_SERVER__PROT is not a setting; did you mean ESCALATION_SERVER__PORT?"


def test_a_flag_that_is_no_boolean_says_what_is(monkeypatch: pytest.MonkeyPatch) -> None:
    said = refusal(monkeypatch, ESCALATION_METRICS__ENABLED="maybe")
    assert said == "settings: ESCALATION_METRICS__ENABLED: 'maybe': give true or false"


def test_mlflows_own_variable_set_to_nothing_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """MLFLOW_TRACKING_URI= (a variable meant to be unset) was taken as '', and MLflow then kept runs and
    models in an mlflow.db of whatever folder the command ran in, not the project's store;
    ESCALATION_MLFLOW_TRACKING_URI= was refused, and so is it now."""
    monkeypatch.delenv("ESCALATION_MLFLOW_TRACKING_URI", raising=False)
    said = refusal(monkeypatch, MLFLOW_TRACKING_URI=" ")
    assert said == "settings: MLFLOW_TRACKING_URI is empty; give a value, or unset it to use the default"


@pytest.mark.parametrize(("variables", "said"), [
    ({"ESCALATION_HELPDESKS__ZENDESK__LANGUAGE": "english"},
     "ESCALATION_HELPDESKS__ZENDESK__LANGUAGE: 'english': should be a language code of 2 or 3 lower-case "
     "letters, e.g. en"),
    ({"ESCALATION_SERVING__API_KEYS": '[{"name": "ops", "role": "admin", "key_sha256": "XYZ"}]'},
     "ESCALATION_SERVING__API_KEYS ([0].key_sha256): the value (not shown): should be the hex SHA-256 of the "
     "key, 64 characters of 0-9 and a-f"),
    ({"ESCALATION_WRITEBACK__FRESHDESK__BASE_URL": "https://acme.freshdesk.com",
      "ESCALATION_WRITEBACK__FRESHDESK__API_KEY": "k", "ESCALATION_WRITEBACK__FRESHDESK__RISK_FIELD": "risk"},
     "ESCALATION_WRITEBACK__FRESHDESK__RISK_FIELD: 'risk': should be a custom field's name: cf_ and "
     "lower-case letters, digits or _, e.g. cf_escalation_risk"),
])
def test_a_value_out_of_its_pattern_says_what_is_expected_in_words(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], said: str
) -> None:
    """They said "String should match pattern '^cf_[a-z0-9_]+$'"."""
    assert refusal(monkeypatch, **variables) == f"settings: {said}"


def patterned(model: type[BaseModel] = Settings, prefix: str = "ESCALATION_") -> Iterator[tuple[str, bool]]:
    """Every setting with a pattern, and whether its description says the pattern in words."""
    for name, field in model.model_fields.items():
        for kind in (field.annotation, *get_args(field.annotation)):
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                yield from patterned(kind, f"{prefix}{name.upper()}__")
        if any(getattr(rule, "pattern", None) for rule in field.metadata):
            yield f"{prefix}{name.upper()}", bool(field.description)


def test_every_pattern_a_setting_has_is_said_in_words() -> None:
    found = dict(patterned())
    assert len(found) >= 5 and all(found.values()), found
