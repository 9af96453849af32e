"""The snooze form's choices as instants, in the manager's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from serving.dashboard.snoozing import snooze_until
from serving.errors import InputError

NOW = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)  # 23:30 in Oslo: tomorrow there is the 28th


@pytest.mark.parametrize(
    ("choice", "custom", "expected"),
    [
        ("1h", "", NOW + timedelta(hours=1)),
        ("4h", "", NOW + timedelta(hours=4)),
        ("tomorrow", "", datetime(2026, 11, 28, 8, 0, tzinfo=UTC)),  # 09:00 CET
        ("", "2026-11-30T14:15", datetime(2026, 11, 30, 13, 15, tzinfo=UTC)),
    ],
)
def test_choices_are_instants_in_the_managers_zone(choice: str, custom: str, expected: datetime) -> None:
    assert snooze_until(choice, custom, NOW, "Europe/Oslo") == expected


def test_tomorrow_is_the_managers_tomorrow() -> None:
    # 22:30 UTC is still the 27th in New York: tomorrow there is the 28th at 09:00 EST
    assert snooze_until("tomorrow", "", NOW, "America/New_York") == datetime(2026, 11, 28, 14, tzinfo=UTC)


@pytest.mark.parametrize(
    ("choice", "custom", "detail"),
    [("1d", "", "for: '1d' is not a snooze choice"), ("", "soon", "until: 'soon' is no date and time")],
)
def test_bad_choices_name_the_field(choice: str, custom: str, detail: str) -> None:
    with pytest.raises(InputError, match=detail):
        snooze_until(choice, custom, NOW, "UTC")
