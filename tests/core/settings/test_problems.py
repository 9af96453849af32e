"""How start-up names what is wrong with the settings (core/settings/problems.py)."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.settings import get_settings


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


def refusal(monkeypatch: pytest.MonkeyPatch, **variables: str) -> str:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError) as refused:
            get_settings()
    finally:
        get_settings.cache_clear()
    return str(refused.value)


@pytest.mark.parametrize(("variables", "said"), [
    # each started with the default in force, as a misspelt variable would have
    ({"ESCALATION_SERVER": '{"host": "0.0.0.0", "prot": 9000}'},
     "ESCALATION_SERVER (prot): 'prot' is not a setting here; did you mean port?"),
    ({"ESCALATION_OUTBOX__EMAIL": '{"host": "mail.acme.example", "recipients": ["a@acme.example"], '
                                  '"passwd": "k-0p5-s3cret"}'},
     "ESCALATION_OUTBOX__EMAIL (passwd): 'passwd' is not a setting here; did you mean password?"),
    ({"ESCALATION_OUTBOX__WEBHOOKS": '[{"url": "https://hooks.example.com/h", "nmae": "ops"}]',
      "ESCALATION_OUTBOX__WEBHOOK_SECRET": "s"},
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
