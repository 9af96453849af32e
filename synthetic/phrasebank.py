"""The shape of one language's phrase bank for the synthetic history generator.

Messages are composed from slots (greeting + problem + detail + emotion + demand + sign-off …),
each with many variants, so that texts vary the way real customers and agents write and no
single phrase gives a ticket's outcome away. Every language module in `phrases/` fills one
`PhraseBank`; `tests/synthetic/test_phrasebank.py` checks they are complete.

Placeholders, filled by the generator (a text may use any subset; no others are allowed):
  {name}      customer's first name          {agent}     agent's first name
  {product}   product name                   {order_id}  order number, e.g. 40211873
  {invoice_id} invoice number, e.g. INV-2026-18234
  {amount}    money amount with currency, already localised, e.g. "€149.00" / "1 490 kr"
  {date}      a date, already localised      {days}      a number of days, e.g. 3
  {ticket}    the ticket's id
  {team}      a team's display name (in agent texts about routing/escalation)

Anger levels (index into the per-level lists): 0 calm/polite, 1 impatient, 2 angry, 3 furious.
Politeness and rudeness both occur at every level; level 3 texts may be rude but never use slurs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

CATEGORIES = (
    "billing_payment",
    "technical_fault",
    "account",
    "shipping_returns",
    "data_migration",
    "feature_request",
)
ANGER_LEVELS = 4
PLACEHOLDERS = frozenset(
    {"name", "agent", "product", "order_id", "invoice_id", "amount", "date", "days", "ticket", "team"}
)

ByCategory = dict[str, list[str]]
ByAnger = list[list[str]]  # ANGER_LEVELS lists, calm first


@dataclass(frozen=True)
class PhraseBank:
    language: str  # ISO 639-1: en, de, no

    # --- subjects (ticket subject line), per category; some say "urgent"/"not working" -------
    subject: ByCategory

    # --- customer messages -------------------------------------------------------------------
    customer_greeting: list[str]  # "Hi," "Hello team," "" (none) …
    customer_signoff: list[str]  # "Thanks,\n{name}" "Regards {name}" "" …
    problem: ByCategory  # first statement of the problem (1–3 sentences)
    detail: ByCategory  # an extra detail sentence (what they tried, when it started, impact)
    info_reply: ByCategory  # answering an agent's question for more information
    emotion: ByAnger  # a sentence of feeling: calm worry … furious
    chaser: ByAnger  # following up when nobody answered: "Any update?" … "THIS IS RIDICULOUS"
    not_fixed: ByAnger  # the agent's answer did not solve it
    reopen: ByAnger  # writing again after the ticket was solved: the problem is back
    repeat_contact: list[str]  # "This is the third time I write about this" (repeated contacts)
    threat_leave: list[str]  # cancel / switch provider
    threat_legal: list[str]  # lawyer, consumer authority, chargeback
    threat_review: list[str]  # bad review, post on social media
    demand_manager: list[str]  # "I want to speak to a manager"
    offensive: list[str]  # rude/insulting sentences aimed at the service (no slurs)
    thanks: list[str]  # closing thanks when solved
    praise: list[str]  # positive remarks about an agent
    social_post: ByAnger  # short public posts for twitter/facebook tickets (<= 280 chars), may @ the company

    # --- agent / bot / internal texts ---------------------------------------------------------
    agent_greeting: list[str]  # "Hi {name},"
    agent_signoff: list[str]  # "Best regards,\n{agent}\nNimbus Support"
    agent_first_response: ByCategory  # acknowledges and starts working
    agent_ask_info: ByCategory  # asks for details (ticket then goes pending)
    agent_update: list[str]  # progress update, no solution yet
    agent_solution: ByCategory  # proposes / confirms a fix
    agent_apology: list[str]  # apologises for the delay or the trouble
    agent_deescalate: list[str]  # acknowledges frustration, calms
    agent_escalation_notice: list[str]  # tells the customer it was escalated / passed to {team}
    internal_note: list[str]  # agents to each other; may mention {team}
    bot_autoreply: list[str]  # automatic acknowledgement (does not count as a human reply)
    escalation_reason: ByCategory  # short reason recorded on an escalation event


def empty_slots(bank: PhraseBank) -> list[str]:
    """Names of slots (or slot[key]) that have no variants; [] for a complete bank."""
    missing: list[str] = []
    for f in fields(bank):
        value = getattr(bank, f.name)
        if isinstance(value, dict):
            missing += [f"{f.name}[{c}]" for c in CATEGORIES if not value.get(c)]
        elif isinstance(value, list) and value and isinstance(value[0], list):
            missing += [f"{f.name}[{i}]" for i in range(ANGER_LEVELS) if i >= len(value) or not value[i]]
        elif isinstance(value, list) and not value:
            missing.append(f.name)
    return missing
