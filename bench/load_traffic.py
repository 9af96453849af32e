"""The requests `bench_load.py` sends: helpdesk tickets and messages in English, German and Norwegian, built
from a seeded generator so that two runs send the same traffic. Most messages are unique (a template with the
ticket's own details), as real ones are; a few are the short stock lines customers repeat ("Any update?")."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

TEAMS = ("billing", "tech", "logistics", "accounts")
PRODUCTS = {"billing": "invoicing", "tech": "api", "logistics": "shipping", "accounts": "portal"}
CATEGORIES = {"billing": "billing_payment", "tech": "technical", "logistics": "delivery",
              "accounts": "account_access"}
TIERS = ("standard", "gold", "platinum")
CHANNELS = ("email", "web", "chat", "phone")
PRIORITIES = ("low", "normal", "normal", "high", "urgent")

OPENERS = {
    "en": ("Hello,", "Hi team,", "Good morning,", "Dear support,", ""),
    "de": ("Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Moin,", ""),
    "no": ("Hei,", "Hei der,", "God morgen,", "Hallo,", ""),
}
PROBLEMS = {
    "en": (
        "invoice {n} shows the wrong amount, we were charged {a} EUR instead of {b}.",
        "the export to CSV fails since the update on {d}, the error code is E{n}.",
        "our parcel {n} has not moved for {k} days according to the tracking page.",
        "I cannot log in to the portal since {d}, the reset link never arrives.",
        "we were charged twice for order {n}. Please refund the second payment.",
        "the API returns 502 for about {k} percent of our calls since this morning.",
    ),
    "de": (
        "die Rechnung {n} ist falsch, uns wurden {a} EUR statt {b} berechnet.",
        "der CSV-Export bricht seit dem Update am {d} mit Fehler E{n} ab.",
        "unser Paket {n} steht laut Sendungsverfolgung seit {k} Tagen still.",
        "ich kann mich seit {d} nicht mehr anmelden, der Link zum Zurücksetzen kommt nie an.",
        "die Bestellung {n} wurde doppelt abgebucht. Bitte erstatten Sie die zweite Zahlung.",
        "die API antwortet seit heute früh bei etwa {k} Prozent der Aufrufe mit 502.",
    ),
    "no": (
        "faktura {n} har feil beløp, vi ble belastet {a} kroner i stedet for {b}.",
        "eksporten til CSV feiler etter oppdateringen {d}, feilkoden er E{n}.",
        "pakken vår {n} har ikke flyttet seg på {k} dager ifølge sporingen.",
        "jeg får ikke logget inn i portalen siden {d}, lenken for nytt passord kommer aldri.",
        "vi ble trukket to ganger for ordre {n}. Vær så snill å refundere den andre betalingen.",
        "API-et svarer 502 på omtrent {k} prosent av kallene siden i morges.",
    ),
}
CLOSERS = {
    "en": ("Thanks.", "Please help.", "This is the third time I write, I want to speak to a manager.",
           "If this is not fixed by Friday we will cancel the contract.", "Kind regards", ""),
    "de": ("Danke.", "Bitte helfen Sie uns.",
           "Ich schreibe jetzt zum dritten Mal und will einen Vorgesetzten.",
           "Wenn das bis Freitag nicht gelöst ist, kündigen wir den Vertrag.", "Mit freundlichen Grüßen", ""),
    "no": ("Takk.", "Hjelp oss.", "Dette er tredje gang jeg skriver, jeg vil snakke med en leder.",
           "Hvis dette ikke er løst innen fredag, sier vi opp avtalen.", "Med vennlig hilsen", ""),
}
STOCK = {  # repeated word for word by many customers
    "en": ("Any update?", "Thanks, that worked!", "Still broken."),
    "de": ("Gibt es etwas Neues?", "Danke, das hat funktioniert!", "Immer noch kaputt."),
    "no": ("Noe nytt?", "Takk, det fungerte!", "Fortsatt ødelagt."),
}
REPLIES = ("Thanks for your patience, we are looking into it.", "Could you send us a screenshot?",
           "We have forwarded this to the responsible team.")


@dataclass(slots=True)
class Traffic:
    """Tickets created so far and the next event instant; `seed` makes the traffic repeatable."""

    seed: int
    customers: int = 60
    agents: int = 12
    start: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(days=2))
    tickets: list[tuple[str, str]] = field(default_factory=list)  # (ticket id, language) the server has
    drafts: list[tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)  # /v1/score's
    _made: int = 0  # tickets whose first request was built
    _events: int = 0
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def _at(self) -> str:
        self._events += 1  # one second apart: every ticket's events stay in arrival order
        return (self.start + timedelta(seconds=self._events)).isoformat()

    def text(self, lang: str) -> str:
        r = self.rng
        if r.random() < 0.08:
            return r.choice(STOCK[lang])
        problem = r.choice(PROBLEMS[lang]).format(
            n=r.randint(1000, 99999), a=r.randint(20, 900), b=r.randint(20, 900), k=r.randint(2, 40),
            d=f"{r.randint(1, 28)}.{r.randint(1, 12)}.",
        )
        return " ".join(p for p in (r.choice(OPENERS[lang]), problem, r.choice(CLOSERS[lang])) if p)

    def ticket_fields(self, lang: str) -> dict[str, Any]:
        r = self.rng
        team = r.choice(TEAMS)
        return {
            "created_at": self._at(),
            "channel": r.choice(CHANNELS),
            "priority": r.choice(PRIORITIES),
            "customer_id": f"C-{r.randrange(self.customers)}",
            "customer_tier": r.choice(TIERS),
            "product": PRODUCTS[team],
            "category": CATEGORIES[team],
            "team": team,
            "language": lang,
            "subject": f"Case {r.randint(1000, 9999)}",
            "assignee": f"agent-{r.randrange(self.agents)}",
        }

    def message(self, ticket_id: str, lang: str) -> dict[str, Any]:
        at = self._at()
        event_id = f"{ticket_id}-e{self._events}"  # the counter is global: ids never repeat
        if self.rng.random() < 0.25:  # an agent's reply: stored and assessed, no text to analyse
            return {"event_id": event_id, "at": at, "type": "agent_reply", "author_role": "agent",
                    "body": self.rng.choice(REPLIES)}
        return {"event_id": event_id, "at": at, "type": "customer_message",
                "author_role": "customer", "body": self.text(lang)}

    def new_ticket(self) -> tuple[str, dict[str, Any]]:
        """(path, body) of a ticket's first request: its fields and its first message. Call `created` once
        the server has answered it: until then no other event goes to the ticket."""
        lang = self.rng.choice(("en", "en", "de", "no"))
        ticket_id = f"L-{self._made}"
        self._made += 1
        fields = self.ticket_fields(lang)
        first = {"event_id": f"{ticket_id}-e0", "at": fields["created_at"], "type": "customer_message",
                 "author_role": "customer", "body": self.text(lang)}
        return f"/v1/tickets/{ticket_id}/events", {"ticket": fields, "events": [first]}

    def created(self, body: dict[str, Any]) -> None:
        fields = body["ticket"]
        self.tickets.append((body["events"][0]["event_id"].rsplit("-e", 1)[0], fields["language"]))

    def new_message(self) -> tuple[str, dict[str, Any]]:
        """A new event on a known ticket (one in ten creates a ticket instead: the store keeps growing)."""
        if not self.tickets or self.rng.random() < 0.1:
            return self.new_ticket()
        # recent tickets are the busy ones: a ticket's activity falls off with its age
        index = len(self.tickets) - 1 - min(int(self.rng.expovariate(1 / 60)), len(self.tickets) - 1)
        ticket_id, lang = self.tickets[index]
        return f"/v1/tickets/{ticket_id}/events", {"events": [self.message(ticket_id, lang)]}

    def score(self) -> dict[str, Any]:
        """A whole ticket for POST /v1/score (nothing is stored), as a client that scores a ticket it keeps
        itself sends it: each time with one event more than the last time (a new ticket: 1-3 events), so the
        earlier messages come again and one is new. Tickets stop growing at 12 events."""
        if not self.drafts or self.rng.random() < 0.2:
            lang = self.rng.choice(("en", "de", "no"))
            ticket_id = f"S-{len(self.drafts)}"
            fields = {"ticket_id": ticket_id, **self.ticket_fields(lang)}
            events = [self.message(ticket_id, lang) for _ in range(self.rng.randint(1, 3))]
            self.drafts.append((fields, events))
        else:
            fields, events = self.drafts[self.rng.randrange(len(self.drafts))]
            if len(events) < 12:
                events.append(self.message(fields["ticket_id"], fields["language"]))
        return {"ticket": fields, "events": list(events)}

    def early_warning(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return "/v1/early-warning?limit=25"
        if r < 0.8:
            return f"/v1/early-warning?team={self.rng.choice(TEAMS)}&limit=25"
        return "/v1/early-warning?sort=due&limit=50"
