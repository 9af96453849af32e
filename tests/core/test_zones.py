"""An IANA time zone name: what a calendar, a history mapping or a setting may name."""

import pytest

from core.zones import is_time_zone


@pytest.mark.parametrize("name", ["Europe/Oslo", "Europe/Berlin", "America/New_York", "UTC", "Etc/GMT+5"])
def test_zones(name: str) -> None:
    assert is_time_zone(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "Europe",  # a folder of the zone database
        "Europe/Olso",
        "europe/oslo",
        "../../etc/passwd",
        "Europe/Oslo\x00",
        "a" * 300,  # longer than a file name may be
        "localtime",  # the machine's own zone: another machine would count other hours
        "Factory",
        "posixrules",
    ],
)
def test_not_zones(name: str) -> None:
    assert not is_time_zone(name)
