"""`--ticket-features all`, the mapping file's `ticket_features` and which of the two wins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from core.cli import cli
from core.errors import ConfigError
from features.history import load_history, load_mapping
from tests.features.history.conftest import event_records, ticket_records, write_csv
from training import cli as training_cli
from training.targets import parse_target
from training.ticket_features import choose_ticket_features, ticket_feature_lines

ESCALATION = parse_target("escalation")
# per ticket: region (kept), sla_breached (outcome), external_ref (id), closed_at (timestamp),
# notes (blank), contract (kept: a measurement, distinct by nature), seats (kept: whole numbers, repeated)
_EXTRAS = {
    "external_ref": ("X-1", "X-2", "X-3"),
    "closed_at": ("2024-03-05T10:00:00Z", "2024-03-06T10:00:00Z", "2024-03-07T10:00:00Z"),
    "notes": ("", "", ""),
    "contract": ("1.5", "2.5", "3.5"),
    "seats": ("5", "5", "9"),
}


@pytest.fixture
def history_dir(tmp_path: Path) -> Path:
    tickets = ticket_records()
    for i, row in enumerate(tickets):
        row.update({name: values[i] for name, values in _EXTRAS.items()})
    write_csv(tmp_path / "tickets.csv", tickets)
    write_csv(tmp_path / "events.csv", event_records())
    return tmp_path


def test_all_skips_outcomes_timestamps_blanks_and_ids(history_dir: Path) -> None:
    tickets = load_history(history_dir).tickets
    chosen = choose_ticket_features(tickets, ESCALATION, ["all"])
    assert chosen.used == ("region", "contract", "seats")
    assert list(chosen.skipped) == ["sla_breached", "external_ref", "closed_at", "notes"]
    assert chosen.skipped["external_ref"] == "a distinct value per ticket (an id)"
    assert chosen.skipped["closed_at"].startswith("a timestamp")
    assert chosen.source == "command line"


def test_all_leaves_out_the_chosen_target_and_keeps_named_columns(history_dir: Path) -> None:
    tickets = load_history(history_dir).tickets
    chosen = choose_ticket_features(tickets, parse_target("outcome:sla_breached"), ["all", "external_ref"])
    assert chosen.used == ("external_ref", "region", "contract", "seats")  # named: used whatever the rules
    assert chosen.skipped["sla_breached"] == "the target"
    with pytest.raises(ConfigError, match=r"'sla_breached' .* is the target"):
        choose_ticket_features(tickets, parse_target("outcome:sla_breached"), ["sla_breached"])


def test_the_command_line_wins_over_the_mapping(history_dir: Path) -> None:
    tickets = load_history(history_dir).tickets
    assert choose_ticket_features(tickets, ESCALATION, [], ["seats"]).used == ("seats",)
    assert choose_ticket_features(tickets, ESCALATION, ["region"], ["seats"]).used == ("region",)
    assert choose_ticket_features(tickets, ESCALATION, [], ["seats"]).source == "mapping file"
    assert choose_ticket_features(tickets, ESCALATION).used == ()


def test_the_printed_lines_name_used_and_skipped_columns(history_dir: Path) -> None:
    chosen = choose_ticket_features(load_history(history_dir).tickets, ESCALATION, ["all"])
    lines = ticket_feature_lines(chosen)
    assert lines[0] == "ticket features (command line): region, contract, seats"
    assert "  skipped notes: no values" in lines
    assert ticket_feature_lines(choose_ticket_features(load_history(history_dir).tickets, ESCALATION)) == []
    assert ticket_feature_lines(None) == []


class _Stop(Exception):
    pass


@pytest.mark.parametrize(("args", "mapping", "expected"), [
    (["--ticket-features", "all"], None, ("region", "contract", "seats")),
    (["--ticket-features", "region, seats"], None, ("region", "seats")),
    (["--ticket-feature", "contract", "--ticket-features", "seats"], None, ("contract", "seats")),
    ([], "ticket_features: all", ("region", "contract", "seats")),
    ([], "ticket_features: [seats]", ("seats",)),
    (["--ticket-feature", "region"], "ticket_features: [seats]", ("region",)),
])
def test_train_resolves_ticket_features_before_training(
    history_dir: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], mapping: str | None,
    expected: tuple[str, ...],
) -> None:
    seen: dict[str, Any] = {}

    def stop(history: Any, config: Any, *rest: Any, **kwargs: Any) -> None:
        seen["features"] = config.ticket_features
        raise _Stop

    monkeypatch.setattr(training_cli, "train_model", stop)
    extra = []
    if mapping is not None:
        path = history_dir / "map.yaml"
        path.write_text(f"tickets:\n  {mapping}\n", encoding="utf-8")
        extra = ["--mapping", str(path)]
    result = CliRunner().invoke(cli, ["train", "--data", str(history_dir), *extra, *args, "--no-text",
                                      "--no-progress"])
    assert isinstance(result.exception, _Stop), result.output
    assert seen["features"] == expected


def test_all_skips_the_outcomes_a_mapping_file_lists(history_dir: Path) -> None:
    tickets = load_history(history_dir).tickets
    chosen = choose_ticket_features(tickets, ESCALATION, ["all"], outcomes=["seats", "not_in_the_export"])
    assert chosen.used == ("region", "contract")
    assert chosen.skipped["seats"].startswith("an outcome (the mapping file's `outcomes`)")
    assert "  skipped seats: an outcome (the mapping file's `outcomes`), known only when the ticket ends " \
           "(name it to use it anyway)" in ticket_feature_lines(chosen)
    named = choose_ticket_features(tickets, ESCALATION, ["all", "seats"], outcomes=["seats"])
    assert named.used == ("seats", "region", "contract")  # named: used anyway


def test_train_leaves_out_the_mapping_files_outcomes(
    history_dir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}

    def stop(history: Any, config: Any, *rest: Any, **kwargs: Any) -> None:
        seen["features"] = config.ticket_features
        raise _Stop

    monkeypatch.setattr(training_cli, "train_model", stop)
    path = history_dir / "map.yaml"
    path.write_text("tickets:\n  ticket_features: all\n  outcomes: [seats]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--data", str(history_dir), "--mapping", str(path),
                                      "--no-text", "--no-progress"])
    assert isinstance(result.exception, _Stop), result.output
    assert seen["features"] == ("region", "contract")


def test_the_shipped_mappings_name_their_outcomes(tmp_path: Path) -> None:
    # small files of the shapes docs/mapping-bpic2014.yaml and docs/mapping-servicenow.yaml are written for
    from tests.features.history.test_shipped_mappings import BPIC, SERVICENOW, write_servicenow

    columns = ("Impact", "Urgency", "KM_number", "Open_Time_HourOfDay", "Open_Time_DayOfWeek",
               "Count_Related_Interactions", "Count_Related_Incidents", "Count_Related_Changes", "SLAFail",
               "CI_Name_aff", "CI_TypeSubType_aff", "Service_Component_WBS_aff")
    rows = [("4", "4 Low", "KM1", "9", "Monday", "1", "", "", "False", "A", "app", "W1"),
            ("3", "3 Medium", "", "14", "Monday", "1", "1", "", "True", "B", "app", "W2"),
            ("4", "5 Very Low", "KM2", "8", "Tuesday", "2", "", "1", "False", "C", "web", "W1")]
    bpic = write_csv(tmp_path / "incidents.csv", [dict(zip(columns, row, strict=True)) for row in rows])
    chosen = choose_ticket_features(load_history(bpic, BPIC).tickets, ESCALATION, ["all"],
                                    outcomes=load_mapping(BPIC).tickets.outcomes)
    assert "sla_failed" not in chosen.used and "open_weekday" in chosen.used
    assert chosen.skipped["sla_failed"].startswith("an outcome (the mapping file's `outcomes`)")

    folder = write_servicenow(tmp_path / "servicenow", write_csv)
    tickets = load_history(folder, SERVICENOW).tickets
    assert tickets["reassignment_count"].tolist() == [0, 1, 0]  # a whole number, repeated: not an id
    outcomes = load_mapping(SERVICENOW).tickets.outcomes
    chosen = choose_ticket_features(tickets, ESCALATION, ["all"], outcomes=outcomes)
    assert "reassignment_count" not in chosen.used
    assert chosen.skipped["reassignment_count"].startswith("an outcome (the mapping file's `outcomes`)")
    assert chosen.skipped["sla_breached"].startswith("an outcome, known only")
    without = choose_ticket_features(tickets, ESCALATION, ["all"])  # what `all` took before the mapping said
    assert "reassignment_count" in without.used


def test_all_skips_the_ticket_state_an_export_holds_as_of_its_end(tmp_path: Path) -> None:
    """A helpdesk's ticket export has the ticket's current status (and rating): `all` took `status` as a
    feature, whose 'solved'/'closed' is known only at the end, after every instant trained on (a leak)."""
    tickets = ticket_records()
    for row, (status, csat) in zip(tickets, [("closed", "5"), ("solved", "1"), ("open", "")], strict=True):
        row.update({"status": status, "csat": csat, "region": row.get("region", "dach")})
    write_csv(tmp_path / "tickets.csv", tickets)
    write_csv(tmp_path / "events.csv", event_records())
    chosen = choose_ticket_features(load_history(tmp_path).tickets, ESCALATION, ["all"])
    assert "status" not in chosen.used and "csat" not in chosen.used
    assert chosen.skipped["status"] == (
        "what events change over a ticket's life (status), in a tickets file as of the export: known only "
        "after the instants trained on (name it to use it anyway)")
    assert chosen.skipped["csat"].startswith("what events change over a ticket's life (csat)")
