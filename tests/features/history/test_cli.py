"""`escalation validate-data` and `escalation describe-data` through the real command group."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from core.cli import cli
from core.errors import ConfigError

Records = list[dict[str, str]]


def test_validate_a_good_history(write_history: Callable[..., Path]) -> None:
    folder = write_history("csv")
    result = CliRunner().invoke(cli, ["validate-data", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 3 tickets, 21 events, 2024-03-04 to 2024-03-06 (")
    assert str(folder / "events.csv") in result.output


def test_validate_prints_every_problem_and_fails(write_history: Callable[..., Path], tickets: Records,
                                                 events: Records) -> None:
    tickets[1]["channel"] = "fax"
    tickets[2]["channel"] = "pigeon"
    events[4]["csat"] = "7"
    folder = write_history("csv", tickets=tickets, events=events)
    result = CliRunner().invoke(cli, ["validate-data", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    allowed = "allowed: email, web, phone, chat, twitter, facebook"
    assert lines[:3] == [
        f"{folder / 'tickets.csv'}:",
        f"  line 3 [channel]: unknown channel; {allowed} (got 'fax')",
        f"  line 4 [channel]: unknown channel; {allowed} (got 'pigeon')",
    ]
    assert f"{folder / 'events.csv'}:" in lines
    assert "3 problem(s) in 2 file(s):" in lines
    assert "        2  tickets.csv [channel]: unknown channel" in lines


def test_max_problems_limits_the_listing_not_the_counts(write_history: Callable[..., Path],
                                                        tickets: Records) -> None:
    for ticket in tickets:
        ticket["language"] = "?"
    result = CliRunner().invoke(cli, ["validate-data", str(write_history("csv", tickets=tickets)),
                                      "--max-problems", "1"])
    assert result.exit_code == 1
    assert "  … and 2 more (--max-problems 0 shows all)" in result.output
    assert "        3  tickets.csv [language]: bad language code" in result.output


def test_parquet_problems_name_the_row(write_history: Callable[..., Path], tickets: Records) -> None:
    tickets[0]["language"] = "?"
    result = CliRunner().invoke(cli, ["validate-data", str(write_history("parquet", tickets=tickets))])
    assert "  row 0 [language]: bad language code" in result.output


def test_a_bad_mapping_is_our_error(tmp_path: Path, write_history: Callable[..., Path]) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text("tickets:\n  columns:\n    priorty: Prio\n")
    result = CliRunner().invoke(cli, ["validate-data", str(write_history("csv")), "--mapping", str(mapping)])
    assert result.exit_code == 1
    assert isinstance(result.exception, ConfigError)  # core.cli.main prints it as one line
    assert f"{mapping}:3: tickets.columns.priorty" in str(result.exception)


def test_describe_prints_the_figures(write_history: Callable[..., Path]) -> None:
    result = CliRunner().invoke(cli, ["describe-data", str(write_history("csv"))])
    assert result.exit_code == 0, result.output
    assert "3 tickets, 21 events, 2024-03-04 to 2024-03-06" in result.output
    assert "escalation rate      66.7% (2 tickets; functional 0.0%, hierarchical 33.3%, automatic 33.3%)" \
        in result.output
    assert "first-contact res.   66.7% of solved tickets" in result.output
    assert "CSAT                 mean 3.00 of 5, 50.0% rated 1-2 (2 rated tickets)" in result.output


def test_describe_counts_withdrawn_tickets_apart(write_history: Callable[..., Path], events: Records) -> None:
    plain = CliRunner().invoke(cli, ["describe-data", str(write_history("csv", folder="plain"))])
    assert "withdrawn" not in plain.output  # no line for none
    events.append({**events[3], "event_id": "E-30", "at": "2024-03-04T10:40:00+01:00", "status": "withdrawn"})
    result = CliRunner().invoke(cli, ["describe-data", str(write_history("csv", events=events))])
    assert result.exit_code == 0, result.output
    assert "withdrawn            1 (merged, deleted or spam: neither solved nor open)" in result.output
    assert "first-contact res.   50.0% of solved tickets" in result.output


def test_describe_as_json_and_with_bad_rows_left_out(write_history: Callable[..., Path],
                                                     tickets: Records) -> None:
    tickets[2]["priority"] = "asap"
    result = CliRunner().invoke(cli, ["describe-data", str(write_history("csv", tickets=tickets)), "--json"])
    assert result.exit_code == 0, result.output
    assert "warning: 7 problem(s); their rows are left out" in result.stderr
    figures = json.loads(result.stdout)
    assert figures["tickets"] == 2 and figures["events"] == 15
    # the figures' fields in the order --json wrote them when they were a dict (features/history/summary.py)
    assert list(figures) == [
        "tickets", "events", "first", "last", "by_channel", "by_language", "by_priority", "by_category",
        "events_by_type", "open_at_end", "withdrawn_tickets", "escalation", "solved_tickets", "reopen_rate",
        "first_contact_resolution_rate", "csat",
    ]
    assert list(figures["escalation"]) == ["tickets", "rate", "rate_by_type", "tickets_by_max_level"]
    assert list(figures["csat"]) == ["rated_tickets", "mean", "share_low"]
