"""Reading the settings from the environment (core/settings/root.py), as an operator sets them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest
from annotated_types import Le, Lt
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from core.settings import Settings, get_settings
from tests.core.refusals import refusal


def read(monkeypatch: pytest.MonkeyPatch, **variables: str) -> Settings:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        return get_settings()
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(("variable", "read_back"), [
    ("ESCALATION_SERVING__ALERT_BUDGET_PER_TEAM_PER_DAY", lambda s: s.serving.alert_budget_per_team_per_day),
    ("ESCALATION_SENTIMENT__MAX_CHARS", lambda s: s.sentiment.max_chars),
    ("ESCALATION_SERVER__MAX_WAITING", lambda s: s.server.max_waiting),
    ("ESCALATION_SERVER__GC_THRESHOLD", lambda s: s.server.gc_threshold),
])
def test_null_sets_a_setting_that_may_be_none_to_none(
    monkeypatch: pytest.MonkeyPatch, variable: str, read_back: object
) -> None:
    """The docs give `null` for "no budget", "read every message whole", "no limit": it was refused
    ("'null': give a whole number, at least 0"), and no value meant none."""
    assert callable(read_back)
    assert read_back(read(monkeypatch, **{variable: "null"})) is None


def test_null_for_a_setting_that_may_not_be_none_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    said = refusal(monkeypatch, ESCALATION_SWEEPER__BATCH_SIZE="null")
    assert said == ("settings: ESCALATION_SWEEPER__BATCH_SIZE: null: give a whole number, at least 1 and at "
                    "most 10,000")


def test_a_number_that_may_be_none_says_null_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    said = refusal(monkeypatch, ESCALATION_SERVER__MAX_WAITING="0")
    assert said == ("settings: ESCALATION_SERVER__MAX_WAITING: '0': give a whole number, at least 1 and at "
                    "most 10,000, or null for none")


def number_settings(
    model: type[BaseModel] = Settings, prefix: str = "ESCALATION_"
) -> Iterator[tuple[str, FieldInfo]]:
    """Every whole-number or number setting, as its variable and its field."""
    for name, field in model.model_fields.items():
        kinds = [field.annotation, *get_args(field.annotation)]
        sections = [kind for kind in kinds if isinstance(kind, type) and issubclass(kind, BaseModel)]
        for section in sections:
            yield from number_settings(section, f"{prefix}{name.upper()}__")
        if not sections and (int in kinds or float in kinds):
            yield f"{prefix}{name.upper()}", field


def test_every_number_setting_has_an_upper_bound() -> None:
    """Ten counts and sizes had none: ESCALATION_SWEEPER__BATCH_SIZE=10**20 started, and every sweeper pass
    failed at the store's query (the limit overflows a 64-bit integer); a cache of 1e303 MB overflowed where
    the service made it; a GC threshold of 2**40 stopped the server at start with a traceback."""
    unbounded = [name for name, field in number_settings()
                 if not any(isinstance(rule, Le | Lt) for rule in field.metadata)]
    assert len(list(number_settings())) > 50 and not unbounded, unbounded


@pytest.mark.parametrize(("variable", "value", "allowed"), [
    ("ESCALATION_SWEEPER__BATCH_SIZE", str(10**20), "a whole number, at least 1 and at most 10,000"),
    ("ESCALATION_SERVING__TICKET_CACHE_MB", "1e303", "a number, at least 0 and at most 1,000,000"),
    ("ESCALATION_SERVER__GC_THRESHOLD", str(2**40),
     "a whole number, at least 100 and at most 10,000,000, or null for none"),
])
def test_a_count_or_size_past_its_bound_is_refused_naming_it(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, allowed: str
) -> None:
    assert refusal(monkeypatch, **{variable: value}) == f"settings: {variable}: {value!r}: give {allowed}"


def test_a_teams_alert_budget_past_its_bound_is_refused_naming_the_team(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said = refusal(monkeypatch, ESCALATION_SERVING__ALERT_BUDGET_BY_TEAM='{"billing": 100000000000000000000}')
    assert said.startswith("settings: ESCALATION_SERVING__ALERT_BUDGET_BY_TEAM (billing): "), said
    assert "1000000" in said


def escalation(tmp_path: Path, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "escalation"
    env = {"PATH": str(script.parent), "HOME": str(tmp_path), **variables}
    return subprocess.run([str(script), *args], capture_output=True, text=True, timeout=120, check=False,
                          env=env)


def test_a_command_takes_null_and_stops_at_a_misspelt_key_in_one_line(tmp_path: Path) -> None:
    nulls = {"ESCALATION_SERVING__ALERT_BUDGET_PER_TEAM_PER_DAY": "null",
             "ESCALATION_SERVER__MAX_WAITING": "null", "ESCALATION_SENTIMENT__MAX_CHARS": "null"}
    done = escalation(tmp_path, "sla", "check-policies", **nulls)
    assert done.returncode == 0 and ": OK — " in done.stdout, done.stderr
    done = escalation(tmp_path, "sla", "check-policies", **nulls, ESCALATION_SERVER='{"prot": 9000}')
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "error: settings: ESCALATION_SERVER (prot): 'prot' is not a setting here; did you mean port?"]


@pytest.mark.parametrize(("value", "ci"), [("woodpecker", True), ("true", True), ("1", True),
                                           ("false", False), ("0", False), ("", False)])
def test_a_ci_services_own_ci_variable_never_stops_a_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, ci: bool
) -> None:
    """CI is no variable of ours: a CI service that sets CI=woodpecker stopped every command ('ESCALATION_CI:
    'woodpecker': give true or false'), the tests' included."""
    monkeypatch.delenv("ESCALATION_CI", raising=False)
    assert read(monkeypatch, CI=value).ci is ci
    done = escalation(tmp_path, "sla", "check-policies", CI=value)
    assert done.returncode == 0, done.stderr
