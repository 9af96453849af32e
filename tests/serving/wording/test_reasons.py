"""Every reason's wording: each feature of the catalogue in English (exactly), German and Norwegian (present,
in words, not the feature's name), the issue's examples in all three, and the values that say nothing."""

from __future__ import annotations

import pytest

from features.ticket.catalogue import FEATURES
from serving.wording import reason_words

ENGLISH = [
    ("age_hours", 3.0, "open for 3 h"),
    ("age_business_hours", 3.0, "open for 3 business hours"),
    ("wait_business_hours", 3.0, "customer waiting 3 business hours for an answer"),
    ("wait_run_business_hours", 3.0,
     "customer waiting 3 business hours since their first unanswered message"),
    ("first_response_business_hours", 3.0, "3 business hours to the first reply"),
    ("first_response_given", 1.0, "an agent has replied"),
    ("customer_messages", 3.0, "3 messages from the customer"),
    ("unanswered_messages", 3.0, "3 messages unanswered"),
    ("human_replies", 3.0, "3 agent replies"),
    ("bot_replies", 3.0, "3 automatic replies"),
    ("internal_notes", 3.0, "3 internal notes"),
    ("reassignments", 3.0, "passed between agents 3 times"),
    ("team_transfers", 3.0, "moved between teams 3 times"),
    ("reopens", 3.0, "reopened 3 times"),
    ("priority_changes", 3.0, "priority changed 3 times"),
    ("priority_rank", 3.0, "urgent priority"),
    ("priority_raised", 3.0, "priority raised since it was opened"),
    ("escalations", 3.0, "escalated 3 times already"),
    ("max_escalation_level", 3.0, "already escalated to level 3"),
    ("pending_business_hours", 3.0, "waited 3 business hours on the customer"),
    ("on_hold_business_hours", 3.0, "on hold for 3 business hours"),
    ("hours_since_last_event", 3.0, "nothing has happened for 3 h"),
    ("customer_value", 102520.0, "high-value customer (€102,520 a year)"),
    ("hour_of_day", 17.0, "at 17:00 the team's time"),
    ("weekday", 1.0, "on a Tuesday"),
    ("in_business_hours", 1.0, "during business hours"),
    ("channel", 'email', "came in by email"),
    ("priority", 'urgent', "urgent priority"),
    ("status", 'pending', "waiting on the customer"),
    ("category", 'billing_payment', "about billing payment"),
    ("product", 'invoicing', "product invoicing"),
    ("team", 'billing', "with the billing team"),
    ("language", 'de', "written in German"),
    ("customer_tier", 'enterprise', "enterprise customer"),
    ("sla_policy", 'standard', "under the standard SLA"),
    ("sla_first_response_remaining_business_hours", -4.51, "first reply overdue by 4 business hours"),
    ("sla_first_response_used_share", 0.5, "50% of the first reply time used"),
    ("sla_first_response_breached", 1.0, "first reply target missed"),
    ("sla_next_response_remaining_business_hours", -4.51, "next reply overdue by 4 business hours"),
    ("sla_next_response_used_share", 0.5, "50% of the next reply time used"),
    ("sla_next_response_breached", 1.0, "next reply target missed"),
    ("sla_resolution_remaining_business_hours", -4.51, "resolution overdue by 4 business hours"),
    ("sla_resolution_used_share", 0.5, "50% of the resolution time used"),
    ("sla_resolution_breached", 1.0, "resolution target missed"),
    ("sla_escalation_level", 3.0, "already escalated to level 3"),
    ("customer_prior_tickets", 3.0, "customer has had 3 other tickets"),
    ("customer_prior_escalated", 3.0, "3 of the customer's earlier tickets were escalated"),
    ("customer_prior_escalation_rate", 0.5, "50% of the customer's earlier tickets were escalated"),
    ("customer_open_tickets", 3.0, "customer has 3 other open tickets"),
    ("customer_last_csat", 3.0, "customer rated their last ticket 3 of 5"),
    ("customer_median_messages", 3.0, "customer usually writes 3 messages a ticket"),
    ("customer_days_since_last_ticket", 3.0, "customer's previous ticket was 3 days ago"),
    ("messages_vs_customer_median", 3.0, "3 times as many messages as this customer usually writes"),
    ("assignee_open_tickets", 3.0, "assignee has 3 other open tickets"),
    ("sentiment_last", -0.6, "last message angry"),
    ("sentiment_min", -0.6, "one message angry"),
    ("sentiment_mean", -0.6, "customer angry overall"),
    ("sentiment_trend", -0.6, "angrier with each message"),
    ("sentiment_drop", 0.6, "angrier than in the first message"),
    ("negative_share", 0.5, "50% of the customer's messages negative"),
    ("analysed_messages", 3.0, "3 customer messages read"),
    ("signals_last_message", 3.0, "3 warning signs in the last message"),
    ("signal_manager_request", 3.0, "asked for a manager in 3 messages"),
    ("signal_churn_threat", 3.0, "threatened to cancel in 3 messages"),
    ("signal_legal_threat", 3.0, "threatened legal action in 3 messages"),
    ("signal_public_threat", 3.0, "threatened to go public in 3 messages"),
    ("signal_insult", 3.0, "insults in 3 messages"),
    ("signal_shouting", 3.0, "shouting in 3 messages"),
    ("signal_repeated_contact", 3.0, "says they have written before in 3 messages"),
    ("signal_financial_harm", 3.0, "money lost in 3 messages"),
    ("signal_urgency", 3.0, "says it is urgent in 3 messages"),
    ("signal_manager_request_last", 1.0, "asked for a manager in the last message"),
    ("signal_churn_threat_last", 1.0, "threatened to cancel in the last message"),
    ("signal_legal_threat_last", 1.0, "threatened legal action in the last message"),
    ("signal_public_threat_last", 1.0, "threatened to go public in the last message"),
    ("signal_insult_last", 1.0, "insults in the last message"),
    ("signal_shouting_last", 1.0, "shouting in the last message"),
    ("signal_repeated_contact_last", 1.0, "says they have written before in the last message"),
    ("signal_financial_harm_last", 1.0, "money lost in the last message"),
    ("signal_urgency_last", 1.0, "says it is urgent in the last message"),
]


def test_the_table_covers_every_feature() -> None:
    assert {name for name, _, _ in ENGLISH} == {f.name for f in FEATURES}


@pytest.mark.parametrize(("feature", "value", "words"), ENGLISH)
def test_english(feature: str, value: float | str, words: str) -> None:
    assert reason_words(feature, value) == words


@pytest.mark.parametrize("lang", ["de", "no"])
@pytest.mark.parametrize(("feature", "value", "english"), ENGLISH)
def test_german_and_norwegian_say_it_in_their_words(
    lang: str, feature: str, value: float | str, english: str
) -> None:
    words = reason_words(feature, value, lang)
    assert words and "_" not in words and (feature not in words or feature == "team")
    if feature not in ("product", "sla_policy", "team"):  # names stay names
        assert words != english


@pytest.mark.parametrize(
    ("feature", "value", "en", "de", "no"),
    [
        ("customer_tier", "enterprise", "enterprise customer", "Enterprise-Kunde", "bedriftskunde"),
        ("unanswered_messages", 3.0, "3 messages unanswered", "3 Nachrichten unbeantwortet",
         "3 meldinger ubesvart"),
        ("unanswered_messages", 1.0, "1 message unanswered", "1 Nachricht unbeantwortet",
         "1 melding ubesvart"),
        ("sentiment_trend", -0.49, "angrier with each message", "mit jeder Nachricht verärgerter",
         "sintere for hver melding"),
        ("sla_resolution_remaining_business_hours", -4.51, "resolution overdue by 4 business hours",
         "Lösung seit 4 Geschäftsstunden überfällig", "løsning forfalt for 4 arbeidstimer siden"),
        ("sla_first_response_remaining_business_hours", 0.5, "first reply due in 30 business minutes",
         "Erstantwort fällig in 30 Geschäftsminuten", "første svar forfaller om 30 arbeidsminutter"),
        ("status", "pending", "waiting on the customer", "wartet auf den Kunden", "venter på kunden"),
        ("weekday", 1.0, "on a Tuesday", "an einem Dienstag", "på en tirsdag"),
        # a percentage as each language writes it, as on the KPI page
        ("sla_resolution_used_share", 0.5, "50% of the resolution time used",
         "50\u00a0% der Zeit für Lösung verbraucht", "50\u00a0% av tiden til løsning brukt"),
        ("customer_prior_escalation_rate", 0.5, "50% of the customer's earlier tickets were escalated",
         "50\u00a0% der früheren Tickets des Kunden wurden eskaliert",
         "50\u00a0% av kundens tidligere saker ble eskalert"),
        ("customer_value", 102520.0, "high-value customer (€102,520 a year)",
         "umsatzstarker Kunde (102.520 € im Jahr)", "verdifull kunde (102\u00a0520 € i året)"),
    ],
)
def test_the_issues_examples(feature: str, value: float | str, en: str, de: str, no: str) -> None:
    assert [reason_words(feature, value, lang) for lang in ("en", "de", "no")] == [en, de, no]


@pytest.mark.parametrize(
    ("feature", "value"),
    [("signal_insult", 0.0), ("signal_shouting_last", 0.0), ("unanswered_messages", 0.0),
     ("sla_resolution_breached", 0.0), ("customer_value", 0.0), ("wait_business_hours", 0.0),
     ("age_hours", None), ("customer_last_csat", float("nan"))],
)
def test_values_that_say_nothing_are_left_out(feature: str, value: float | None) -> None:
    assert reason_words(feature, value) is None


def test_a_steady_mood_is_not_a_trend() -> None:
    assert reason_words("sentiment_trend", -0.01) == "mood steady"
    assert reason_words("sentiment_trend", 0.3) == "calmer with each message"
