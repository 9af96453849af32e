"""A ticket's codes in words for the pages: an event's type, its author's role, a status, a message's mood,
a signal, the channel, the priority and the customer's tier (the API keeps the codes)."""

from __future__ import annotations

from serving.wording.phrases import SIGNALS, TIERS

EVENTS = {
    "en": {"customer_message": "customer message", "agent_reply": "agent reply",
           "internal_note": "internal note",
           "status_change": "status change", "priority_change": "priority change",
           "reassignment": "reassignment", "escalation": "escalation", "csat_rating": "satisfaction rating"},
    "de": {"customer_message": "Kundennachricht", "agent_reply": "Antwort", "internal_note": "interne Notiz",
           "status_change": "Statuswechsel", "priority_change": "Prioritätswechsel",
           "reassignment": "Neuzuweisung", "escalation": "Eskalation",
           "csat_rating": "Zufriedenheitsbewertung"},
    "no": {"customer_message": "kundemelding", "agent_reply": "svar", "internal_note": "internt notat",
           "status_change": "statusendring", "priority_change": "prioritetsendring",
           "reassignment": "ny tildeling", "escalation": "eskalering",
           "csat_rating": "tilfredshetsvurdering"},
}
ROLES = {
    "en": {"customer": "customer", "agent": "agent", "manager": "manager", "bot": "bot", "system": "system"},
    "de": {"customer": "Kunde", "agent": "Bearbeiter", "manager": "Führungskraft", "bot": "Bot",
           "system": "System"},
    "no": {"customer": "kunde", "agent": "saksbehandler", "manager": "leder", "bot": "bot",
           "system": "system"},
}
MOODS = {
    "en": {"negative": "negative", "neutral": "neutral", "positive": "positive"},
    "de": {"negative": "negativ", "neutral": "neutral", "positive": "positiv"},
    "no": {"negative": "negativ", "neutral": "nøytral", "positive": "positiv"},
}
STATES = {  # a ticket's status as a status change shows it ('open → pending')
    "en": {"new": "new", "open": "open", "pending": "pending", "on_hold": "on hold", "solved": "solved",
           "closed": "closed", "withdrawn": "withdrawn"},
    "de": {"new": "neu", "open": "offen", "pending": "wartend", "on_hold": "zurückgestellt",
           "solved": "gelöst", "closed": "geschlossen", "withdrawn": "zurückgezogen"},
    "no": {"new": "ny", "open": "åpen", "pending": "venter", "on_hold": "på vent", "solved": "løst",
           "closed": "lukket", "withdrawn": "trukket tilbake"},
}
CHANNELS = {
    "en": {"email": "email", "web": "web form", "phone": "phone", "chat": "chat", "twitter": "X/Twitter",
           "facebook": "Facebook"},
    "de": {"email": "E-Mail", "web": "Webformular", "phone": "Telefon", "chat": "Chat",
           "twitter": "X/Twitter",
           "facebook": "Facebook"},
    "no": {"email": "e-post", "web": "webskjema", "phone": "telefon", "chat": "chat", "twitter": "X/Twitter",
           "facebook": "Facebook"},
}
TABLES = {"event": EVENTS, "role": ROLES, "mood": MOODS, "status": STATES, "signal": SIGNALS,
          "channel": CHANNELS, "priority": TIERS, "tier": TIERS}


def code_words(kind: str, code: str | None, lang: str = "en") -> str:
    """A code in words ('status_change' -> 'Statuswechsel'); an unknown one with its underscores as spaces."""
    if not code:
        return ""
    return TABLES[kind][lang].get(code, code.replace("_", " "))
