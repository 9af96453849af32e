"""The ticket page's escalations, alerts and other due actions, worded from their typed fields in German and
Norwegian: a breached first reply escalated to the billing team lead, a reminder of the resolution due, an
immediate trigger and its alert — with the target's name and local times, and no English engine text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.assessment import TicketAssessment
from core.tickets import Ticket
from serving.dashboard.board import Reader
from serving.dashboard.routes import assessment_words
from serving.store.records import StoredAlert, StoredAssessment
from serving.ticket_history import TicketHistory
from tests.serving.dashboard.conftest import _ticket

NOW = datetime(2026, 11, 27, 13, 30, tzinfo=UTC)  # Friday; 14:30 in Oslo and Berlin
DUE = NOW - timedelta(hours=2)  # the first reply, due at 12:30 in Oslo
RESOLVE = NOW + timedelta(hours=3)  # the resolution, due at 17:30 in Oslo


def action(action_id: str, kind: str, to: str, reason: str, **fields: Any) -> dict[str, Any]:
    return {"action_id": action_id, "kind": kind, "at": NOW.isoformat(), "to": to, "reason": reason,
            "rule": "standard"} | fields


def body() -> dict[str, Any]:
    escalation = action("esc-2", "escalate", "team_lead billing",
                        f"first_response breached at {DUE.isoformat()}; level 2 after 1 h",
                        target="first_response", level=2, escalation_type="automatic")
    reminder = action("rem-1", "reminder", "assignee agent-7",
                      f"resolution due {RESOLVE.isoformat()}: 3 h of open time left", target="resolution")
    trigger = action("trg-1", "escalate", "manager agent-7", "immediate trigger 'angry-vip'", level=3,
                     escalation_type="hierarchical", rule="angry-vip", trigger=True)
    return {
        "ticket_id": "T-1", "assessed_at": NOW.isoformat(), "risk": 0.42, "band": "critical",
        "model_band": "medium", "sla_band": "critical", "thresholds": None, "rules_only": False,
        "recommended_action": {
            "kind": "escalate", "text": "Escalate to level 3: agent-7's manager — policy rule “angry vip”",
            "texts": {"de": "Auf Stufe 3 eskalieren: die Führungskraft von agent-7 — Regel „angry vip“",
                      "no": "Eskaler til nivå 3: lederen til agent-7 — regel «angry vip»"},
            "escalation_type": "hierarchical", "level": 3, "to": "manager agent-7", "source": "rules",
            "action_ids": ["trg-1", "esc-2", "rem-1"],
            "others": ["Escalate to level 2: the billing team lead — first reply overdue by 2 business hours"
                       ],
        },
        "escalation_type": "hierarchical", "reasons": [], "signals": [], "sentiment": None,
        "sentiment_trend": None,
        "sla": {"policy": "standard", "priority": "high", "escalation_level": 2, "next_due_at": None,
                "targets": [
                    {"target": "first_response", "state": "breached", "due_at": DUE.isoformat(),
                     "remaining_s": -7200.0, "breached": True, "breached_by_s": 7200.0,
                     "escalation_level": 2},
                    {"target": "resolution", "state": "running", "due_at": RESOLVE.isoformat(),
                     "remaining_s": 10800.0, "breached": False, "breached_by_s": None,
                     "escalation_level": 0},
                ],
                "actions_due": [escalation, reminder, trigger], "upcoming": []},
        "state": {"status": "open", "priority": "high", "team": "billing", "assignee": "agent-7"},
        "model_version": "3", "policy_version": "p1", "sentiment_version": None,
    }


ALERTS = [
    StoredAlert(5, "risk:T-1:critical:x", "T-1", "risk", "critical", 0.42,
                "ticket entered critical: Escalate to level 3", NOW, NOW + timedelta(hours=4), "billing",
                "raised", None),
    StoredAlert(6, "trigger:trg-1", "T-1", "trigger", "critical", 0.42, "immediate trigger 'angry-vip'", NOW,
                NOW + timedelta(hours=4), "billing", "raised", None),
]


def history_of(current: TicketAssessment, alerts: list[StoredAlert]) -> TicketHistory:
    """The ticket's history with `current` as its one assessment."""
    ticket = Ticket.model_validate(_ticket("billing", "gold", NOW, ticket_id="T-1"))
    return TicketHistory(ticket, current.state, events=[], assessments=[StoredAssessment(1, current)],
                         alerts=alerts, escalated=True, root_causes=[], snooze=None, snooze_history=[])


# what the rules engine writes, in English, and a raw instant or target code
ENGINE = re.compile(r"breached at|of open time left|immediate trigger|ticket entered|first_response|"
                    r"team_lead|Escalate|Remind|\d{4}-\d\d-\d\dT\d\d:\d\d")
EXPECTED = {
    "de": [
        "Fr 27 Nov 2026 14:30: Auf Stufe 2 eskalieren: die Teamleitung billing — Erstantwort war fällig "
        "Fr 27 Nov 2026 12:30",
        "Fr 27 Nov 2026 14:30: Erinnern: agent-7 (Bearbeiter) — Lösung fällig Fr 27 Nov 2026 17:30",
        "Fr 27 Nov 2026 14:30: Auf Stufe 3 eskalieren: die Führungskraft von agent-7 — Regel „angry vip“",
        "Warnung #5 Fr 27 Nov 2026 14:30: Ticket wurde kritisch",
        "Warnung #6 Fr 27 Nov 2026 14:30 (kritisch): Regel „angry vip“ ausgelöst",
    ],
    "no": [
        "fre 27 nov 2026 14:30: Eskaler til nivå 2: teamlederen i billing — første svar forfalt "
        "fre 27 nov 2026 12:30",
        "fre 27 nov 2026 14:30: Minn agent-7 (saksbehandler) på — løsning forfaller fre 27 nov 2026 17:30",
        "fre 27 nov 2026 14:30: Eskaler til nivå 3: lederen til agent-7 — regel «angry vip»",
        "Varsel #5 fre 27 nov 2026 14:30: saken ble kritisk",
        "Varsel #6 fre 27 nov 2026 14:30 (kritisk): regel «angry vip» slo til",
    ],
}


@pytest.mark.parametrize("lang", ["de", "no"])
def test_breach_reminder_and_escalation_in_the_pages_language(lang: str) -> None:
    current = TicketAssessment.model_validate(body())
    words = assessment_words(history_of(current, ALERTS), current, Reader(zone="Europe/Oslo", lang=lang), NOW)
    assert words["escalations"] == EXPECTED[lang]
    assert words["action"] == body()["recommended_action"]["texts"][lang]
    # the other due actions, without the recommended one (the trigger's), each once
    assert words["also_due"] == [e.split(": ", 1)[1].split(" — ")[0] for e in EXPECTED[lang][:2]]
    shown = [*words["escalations"], *words["also_due"], words["action"], words["risk_text"]]
    assert [s for s in shown if ENGINE.search(s)] == []


def test_an_action_of_an_older_assessment_without_a_target_names_its_rule() -> None:
    old = body()
    for a in old["sla"]["actions_due"]:
        a.pop("target", None)
    current = TicketAssessment.model_validate(old)
    words = assessment_words(history_of(current, []), current, Reader(zone="UTC", lang="de"), NOW)
    assert words["escalations"][0].endswith("Regel „standard“")
