import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.cli import cli
from rules import DEFAULT_POLICY_FILE, load_policies

TICKETS = (
    "ticket_id,created_at,channel,priority,customer_id,customer_tier,product,category,team,language,subject,assignee\n"
    "T1,2025-03-03T09:00:00+01:00,email,normal,c1,standard,app,account,general,en,Login question,alice\n"
)
EVENTS = (
    "event_id,ticket_id,at,type,author_role,body,status\n"
    "e1,T1,2025-03-03T09:00:00+01:00,customer_message,customer,I cannot log in,\n"
    "e2,T1,2025-03-03T09:30:00+01:00,agent_reply,agent,Try this,\n"
    "e3,T1,2025-03-03T09:35:00+01:00,status_change,agent,,pending\n"
)


def history(tmp_path: Path) -> Path:
    (tmp_path / "tickets.csv").write_text(TICKETS)
    (tmp_path / "events.csv").write_text(EVENTS)
    return tmp_path


def test_explain_text(tmp_path: Path) -> None:
    args = [
        "sla",
        "explain",
        "--data",
        str(history(tmp_path)),
        "--ticket",
        "T1",
        "--at",
        "2025-03-03T12:00:00+01:00",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Policy: standard" in result.output
    assert "first_response: met" in result.output and "resolution: paused" in result.output


def test_explain_json(tmp_path: Path) -> None:
    args = [
        "sla",
        "explain",
        "--data",
        str(history(tmp_path)),
        "--ticket",
        "T1",
        "--at",
        "2025-03-03T12:00:00Z",
        "--json",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["policy"] == "standard"
    res = next(t for t in report["targets"] if t["target"] == "resolution")
    assert (res["state"], res["remaining_text"]) == ("paused", "4d23h25m")  # 5d of open time less 35m


def test_unknown_ticket_and_naive_instant(tmp_path: Path) -> None:
    data = str(history(tmp_path))
    missing = CliRunner().invoke(
        cli, ["sla", "explain", "--data", data, "--ticket", "T9", "--at", "2025-03-03T12:00Z"]
    )
    assert "ticket 'T9' is not in" in str(missing.exception)
    naive = CliRunner().invoke(
        cli, ["sla", "explain", "--data", data, "--ticket", "T1", "--at", "2025-03-03T12:00"]
    )
    assert "has no UTC offset" in str(naive.exception)


@pytest.mark.parametrize("instant", ["9999-12-31T00:00:00Z", "1969-12-31T23:59:59Z"])
def test_an_instant_outside_1970_to_2099_is_refused_as_the_api_does(tmp_path: Path, instant: str) -> None:
    args = ["sla", "explain", "--data", str(history(tmp_path)), "--ticket", "T1", "--at", instant]
    result = CliRunner().invoke(cli, args)
    assert str(result.exception) == (
        f"--at {instant!r}: {datetime.fromisoformat(instant).isoformat()} is out of range; instants must lie "
        "between 1970-01-01T00:00:00Z and 2099-12-31T23:59:59Z"
    )


def test_check_policies(tmp_path: Path) -> None:
    ok = CliRunner().invoke(cli, ["sla", "check-policies"])
    assert ok.exit_code == 0 and "OK — 3 calendar(s), 4 SLA policies" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("calendars: {}\npolicies: []\n")
    failed = CliRunner().invoke(cli, ["sla", "check-policies", str(bad)])
    assert "problem(s) in policy file" in str(failed.exception)


def test_check_policies_and_explain_default_to_the_file_serving_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "ours.yaml"
    own.write_text(DEFAULT_POLICY_FILE.read_text(encoding="utf-8").replace("08:00-16:00", "07:00-15:00"))
    monkeypatch.setenv("ESCALATION_PATHS__POLICY_FILE", str(own))
    ok = CliRunner().invoke(cli, ["sla", "check-policies"])
    assert ok.exit_code == 0 and ok.output.startswith(f"{own}: OK")
    assert f"version {load_policies(own).version}" in ok.output


def test_an_instant_before_the_ticket_was_created_is_refused(tmp_path: Path) -> None:
    # it showed the clocks running, with deadlines, at an instant the ticket did not exist
    data = str(history(tmp_path))
    args = ["sla", "explain", "--data", data, "--ticket", "T1", "--at", "2025-03-03T07:59:59Z"]
    result = CliRunner().invoke(cli, args)
    assert str(result.exception) == (
        "--at '2025-03-03T07:59:59Z' is before ticket T1 was created (2025-03-03T08:00:00+00:00); give an "
        "instant at or after it"
    )
    args[-1] = "2025-03-03T08:00:00Z"  # the instant of its creation: its clocks start
    assert CliRunner().invoke(cli, args).exit_code == 0


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--signal", "bogus", "Invalid value for '--signal': 'bogus' is not one of "),
        ("--risk", "nan",
         "Invalid value for '--risk': nan is not a finite number; give one in the range 0<=x<=1"),
        ("--risk", "inf", "Invalid value for '--risk': inf is not in the range 0<=x<=1"),
    ],
)
def test_an_unknown_signal_or_a_risk_that_is_not_a_number_is_refused(
    tmp_path: Path, option: str, value: str, said: str
) -> None:
    # both were taken: a misspelt signal matched no trigger and a NaN risk none either, silently
    args = ["sla", "explain", "--data", str(history(tmp_path)), "--ticket", "T1", "--at", "2025-03-03T12:00Z"]
    result = CliRunner().invoke(cli, [*args, option, value])
    assert result.exit_code == 2 and said in result.output
