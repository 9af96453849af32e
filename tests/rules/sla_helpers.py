"""Builders for the rules tests: a small policy file as a dict, tickets and event logs in Oslo time."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from core.tickets import Event, Ticket
from rules.policy_file import parse_policies
from rules.policyset import PolicySet

OSLO = ZoneInfo("Europe/Oslo")

BASE: dict[str, Any] = {
    "calendars": {
        "office": {
            "timezone": "Europe/Oslo",
            "hours": {"mon-fri": ["08:00-16:00"]},
            "holidays": [{"date": "2025-05-17", "recurring": True}, {"date": "2025-04-18"}],
        },
        "always": {"timezone": "Europe/Oslo", "hours": "24/7"},
    },
    "policies": [
        {
            "name": "standard",
            "calendar": "office",
            "targets": {
                "first_response": {"normal": "1h", "urgent": "30m"},
                "next_response": {"normal": "2h", "urgent": "1h"},
                "resolution": {"normal": "8h", "urgent": "4h"},
            },
        }
    ],
}


def at(text: str) -> datetime:
    """'2025-03-03 09:00' in Oslo local time."""
    return datetime.fromisoformat(text).replace(tzinfo=OSLO)


def policies(policy: dict[str, Any] | None = None, **sections: Any) -> PolicySet:
    """The base file with the standard policy updated by `policy` and top-level `sections` set."""
    data = copy.deepcopy(BASE)
    data["policies"][0].update(policy or {})
    data.update(sections)
    return parse_policies(yaml.safe_dump(data, sort_keys=False), source="test.yaml")


def ticket(created: str = "2025-03-03 09:00", **fields: Any) -> Ticket:
    values: dict[str, Any] = {
        "ticket_id": "T1",
        "created_at": at(created),
        "channel": "email",
        "priority": "normal",
        "customer_id": "c1",
        "customer_tier": "standard",
        "product": "app",
        "category": "account",
        "team": "general",
        "language": "en",
        "subject": "Question",
        "assignee": "alice",
    }
    values.update(fields)
    return Ticket(**values)


class Log:
    """An event log written in order: Log().customer("09:00").reply("09:30", day=...)."""

    def __init__(self, day: str = "2025-03-03") -> None:
        self.day = day
        self.events: list[Event] = []

    def _add(self, when: str, type_: str, role: str, **fields: Any) -> Log:
        stamp = at(when if " " in when else f"{self.day} {when}")
        self.events.append(
            Event(
                event_id=f"e{len(self.events)}",
                ticket_id="T1",
                at=stamp,
                type=type_,
                author_role=role,
                **fields,
            )
        )
        return self

    def customer(self, when: str, body: str = "hello") -> Log:
        return self._add(when, "customer_message", "customer", body=body)

    def reply(self, when: str, role: str = "agent") -> Log:
        return self._add(when, "agent_reply", role, body="answer")

    def note(self, when: str) -> Log:
        return self._add(when, "internal_note", "agent", body="note")

    def status(self, when: str, status: str) -> Log:
        return self._add(when, "status_change", "agent", status=status)

    def priority(self, when: str, priority: str) -> Log:
        return self._add(when, "priority_change", "agent", priority=priority)

    def transfer(self, when: str, team: str) -> Log:
        return self._add(when, "reassignment", "agent", team=team)
