"""The mappings shipped in docs/ load small synthetic files of the shapes they are written for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from core.cli import cli
from features.history import load_history
from features.history.summary import summarize

Records = list[dict[str, str]]
DOCS = Path(__file__).resolve().parents[3] / "docs"
SERVICENOW = DOCS / "mapping-servicenow.yaml"
BPIC = DOCS / "mapping-bpic2014.yaml"
_INCIDENT = ("number", "opened_at", "contact_type", "priority", "caller_id", "impact", "location", "category",
             "subcategory", "assignment_group", "made_sla", "reassignment_count")
INCIDENTS = [
    ("INC0000045", "29/2/2016 01:16", "Phone", "3 - Moderate", "Caller 2403", "2 - Medium", "Location 143",
     "Category 55", "Subcategory 170", "Group 56", "true", "0"),
    ("INC0000047", "29/2/2016 04:40", "Self service", "2 - High", "Caller 2403", "1 - High", "Location 165",
     "Category 40", "Subcategory 215", "Group 70", "false", "1"),
    ("INC0000057", "1/3/2016 09:11", "Email", "4 - Low", "Caller 4416", "3 - Low", "Location 204",
     "Category 20", "Subcategory 125", "Group 24", "true", "0"),
]
# ticket_id, at, type, actor, value
EVENTS = [
    ("INC0000045", "29/2/2016 01:16", "created", "Created by 8", ""),
    ("INC0000045", "29/2/2016 01:23", "status_change", "Resolver 149", "Active"),
    ("INC0000045", "5/3/2016 12:00", "status_change", "Resolver 149", "Resolved"),
    ("INC0000045", "10/3/2016 12:00", "status_change", "Updated by 908", "Closed"),
    ("INC0000047", "29/2/2016 04:40", "created", "Created by 171", ""),
    ("INC0000047", "29/2/2016 06:10", "reassignment", "Updated by 746", "Group 24"),
    ("INC0000047", "29/2/2016 06:11", "priority_change", "Updated by 746", "1 - Critical"),
    ("INC0000047", "1/3/2016 10:00", "status_change", "Resolver 31", "Resolved"),
    ("INC0000047", "2/3/2016 08:30", "reopen", "Caller 2403", ""),
    ("INC0000047", "2/3/2016 09:00", "status_change", "Resolver 31", "Awaiting User Info"),
    ("INC0000057", "1/3/2016 09:11", "created", "Created by 20", ""),
    ("INC0000057", "1/3/2016 09:40", "status_change", "Resolver 12", "Awaiting Vendor"),
]


def write_servicenow(folder: Path, write_file: Callable[[Path, Records], Path],
                     events: list[tuple[str, ...]] = EVENTS) -> Path:
    folder.mkdir(exist_ok=True)
    write_file(folder / "incidents.csv", [dict(zip(_INCIDENT, row, strict=True)) for row in INCIDENTS])
    columns = ("ticket_id", "at", "type", "actor", "value")
    write_file(folder / "incident_events.csv", [dict(zip(columns, row, strict=True)) for row in events])
    return folder


def test_the_servicenow_mapping_validates_the_incident_log(
    tmp_path: Path, write_file: Callable[[Path, Records], Path],
) -> None:
    folder = write_servicenow(tmp_path / "servicenow", write_file)
    result = CliRunner().invoke(cli, ["validate-data", str(folder), "--mapping", str(SERVICENOW)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 3 tickets, 9 events, 2016-02-29 to 2016-03-10 (")


def test_the_servicenow_mapping_reads_what_each_update_means(
    tmp_path: Path, write_file: Callable[[Path, Records], Path],
) -> None:
    history = load_history(write_servicenow(tmp_path / "servicenow", write_file), SERVICENOW)
    events = history.events
    read = [(e.event_id, e.type, e.status, e.team, e.priority) for e in events.astype(object)
            .where(events.notna(), None).itertuples()]
    assert read == [
        ("INC0000045-3", "status_change", "open", None, None),
        ("INC0000045-4", "status_change", "solved", None, None),
        ("INC0000045-5", "status_change", "closed", None, None),
        ("INC0000047-7", "reassignment", None, "Group 24", None),
        ("INC0000047-8", "priority_change", None, None, "urgent"),
        ("INC0000047-9", "status_change", "solved", None, None),
        ("INC0000047-10", "status_change", "open", None, None),  # the reopen
        ("INC0000047-11", "status_change", "pending", None, None),
        ("INC0000057-13", "status_change", "on_hold", None, None),
    ]
    assert set(events["author_role"]) == {"agent"} and events["author_id"].iloc[0] == "Resolver 149"
    tickets = history.tickets
    assert tickets["channel"].tolist() == ["phone", "web", "email"]
    assert tickets["priority"].tolist() == ["normal", "high", "low"]
    assert tickets["sla_breached"].tolist() == [False, True, False]  # made_sla, negated
    assert tickets.loc["INC0000047", "created_at"] == pd.Timestamp("2016-02-29T04:40:00Z")


def test_a_canceled_servicenow_incident_is_withdrawn_not_solved(
    tmp_path: Path, write_file: Callable[[Path, Records], Path],
) -> None:
    canceled = [*EVENTS, ("INC0000057", "2/3/2016 10:00", "status_change", "Resolver 12", "Canceled")]
    history = load_history(write_servicenow(tmp_path / "servicenow", write_file, canceled), SERVICENOW)
    assert history.events["status"].astype(str).iloc[-1] == "withdrawn"
    assert summarize(history).withdrawn_tickets == 1


def test_the_bpic2014_mapping_needs_no_converter(tmp_path: Path,
                                                 write_file: Callable[[Path, Records], Path]) -> None:
    columns = ("CI_Name_aff", "CI_Type_aff", "CI_TypeSubType_aff", "Service_Component_WBS_aff", "Impact",
               "Urgency", "Priority", "KM_number", "Open_Time_HourOfDay", "Open_Time_DayOfWeek",
               "Count_Related_Interactions", "Count_Related_Incidents", "Count_Related_Changes", "SLAFail")
    rows = [
        ("SUB000508", "subapplication", "subapplication Web Based Application", "WBS000162", "4", "4 Low",
         "4", "KM0000553", "9", "Monday", "1", "", "", "False"),
        ("WBA000124", "application", "application Web Based Application", "WBS000088", "3", "3 Medium", "3",
         "", "14", "Monday", "1", "1", "", "True"),
        ("DTA000024", "application", "application Desktop Application", "WBS000092", "4", "5 Very Low", "5",
         "KM0000611", "8", "Tuesday", "2", "", "1", "False"),
    ]
    path = write_file(tmp_path / "incidents.csv", [dict(zip(columns, row, strict=True)) for row in rows])
    result = CliRunner().invoke(cli, ["validate-data", str(path), "--mapping", str(BPIC)])
    assert result.exit_code == 0, result.output
    tickets = load_history(path, BPIC).tickets
    assert tickets.index.tolist() == ["incidents-2", "incidents-3", "incidents-4"]
    assert tickets["created_at"].diff().dropna().eq(pd.Timedelta(seconds=864)).all()
    assert tickets["priority"].tolist() == ["low", "normal", "low"]
    assert tickets["customer_id"].tolist() == ["KM0000553", "none", "KM0000611"]
    assert tickets["sla_failed"].tolist() == [False, True, False]
    assert tickets["open_hour"].tolist() == [9, 14, 8] and tickets["open_weekday"].iloc[2] == "Tuesday"
