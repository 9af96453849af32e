"""Settings built in code (tests, embedding code) that do not validate: pydantic's own error text repeats no
value (`hide_input_in_errors` on every settings model), as a secret in it would reach a log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import BaseModel, ValidationError

from core.settings import DashboardSettings, EmailSettings, Settings, ZammadWriteback

SHORT = "abc12"  # a dashboard secret of five characters (32 at least)
PASSWORD = "s3cr3t"


@pytest.mark.parametrize("build", [
    lambda: Settings(dashboard={"secret": SHORT}),
    lambda: Settings.model_validate({"dashboard": {"secret": SHORT}}),
    lambda: DashboardSettings(secret=SHORT),
    lambda: Settings(outbox={"email": {"host": "smtp.example.com", "port": SHORT, "password": "x"}}),
    lambda: EmailSettings(host="smtp.example.com", password=123, port=SHORT),
    lambda: ZammadWriteback(base_url=f"https://{SHORT} example", api_token="tok"),
], ids=["Settings", "model_validate", "section", "nested", "email", "writeback"])
def test_a_refused_value_is_not_repeated_in_the_error(build: Callable[[], BaseModel]) -> None:
    with pytest.raises(ValidationError) as raised:
        build()
    assert raised.value.error_count() >= 1
    assert "input_value" not in str(raised.value)
    assert SHORT not in str(raised.value)


def test_a_database_url_with_a_password_is_not_repeated() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(database_url=f"postgresql+nodriver://u:{PASSWORD}@db/test")  # short: not cut
    assert "database_url" in str(raised.value)
    assert "input_value" not in str(raised.value)
    assert PASSWORD not in str(raised.value)
