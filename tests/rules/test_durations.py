from datetime import timedelta

import pytest

from rules.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("1d", timedelta(hours=24)),  # 24 h of open time, not a business day
        ("1d2h", timedelta(hours=26)),
        ("90s", timedelta(seconds=90)),
        ("0m", timedelta(0)),
    ],
)
def test_parse(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("bad", ["2hx", "", "h", "30", "1.5h", "30m2h", "-1h", "2 hours"])
def test_rejects_with_a_hint(bad: str) -> None:
    with pytest.raises(ValueError, match=r"is not a duration: write a whole number followed by d, h, m or s"):
        parse_duration(bad)


@pytest.mark.parametrize("bad", [30, 1.5, True, None])
def test_rejects_bare_numbers(bad: object) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(bad)


@pytest.mark.parametrize("text", ["30m", "2h", "1h30m", "1d2h", "1d", "45s"])
def test_format_round_trips(text: str) -> None:
    assert format_duration(parse_duration(text)) == text


def test_format_negative_and_zero() -> None:
    assert format_duration(timedelta(minutes=-90)) == "-1h30m"
    assert format_duration(timedelta(0)) == "0m"


@pytest.mark.parametrize("big", ["3651d", "87625h", "99999999999999d", "1" + "0" * 5000 + "s"])
def test_longer_than_ten_years_is_refused_naming_the_limit(big: str) -> None:
    shown = repr(big) if len(big) < 40 else repr(big[:40]) + "…"
    with pytest.raises(ValueError) as caught:
        parse_duration(big)
    assert str(caught.value) == f"{shown} is longer than 3650d, the longest duration accepted"


def test_ten_years_is_the_longest() -> None:
    assert parse_duration("3650d") == timedelta(days=3650)
