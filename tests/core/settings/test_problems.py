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
