"""One ticket's whole story: who writes, about what, how urgent, how angry — then the conversation loop
until the ticket is solved or the history ends."""

from __future__ import annotations

from typing import Any

from core.enums import AuthorRole, Channel, EventType, Priority
from synthetic import company as co
from synthetic import realism
from synthetic.arrivals import Incident
from synthetic.conversation import customer_says, wait_for_agent
from synthetic.dice import cumulative
from synthetic.state import MAX_ANGER, Context, TicketState
from synthetic.templates import fill
from synthetic.timing import agent_reply_at
from synthetic.turns import ASKED, CONFIRM, REQUEUE, after_ask, after_solution, agent_turn
from synthetic.world import World

MAX_TURNS = 14
DAY = 86400.0
CATEGORIES, CATEGORY_CUM = list(co.CATEGORY_WEIGHTS), cumulative(list(co.CATEGORY_WEIGHTS.values()))
CHANNELS, CHANNEL_CUM = list(co.CHANNEL_WEIGHTS), cumulative(list(co.CHANNEL_WEIGHTS.values()))
PRODUCT_CUM = {c: cumulative(w) for c, w in co.PRODUCT_WEIGHTS.items()}
PRIORITY_BASE = {
    "billing_payment": 0.85,
    "technical_fault": 0.8,
    "account": 0.3,
    "shipping_returns": 0.2,
    "data_migration": 0.6,
    "feature_request": -0.8,
}
# Subject words that make triage (and the helpdesk's keyword rules) raise the priority.
URGENT_WORDS = (
    "urgent",
    "asap",
    "not working",
    "doesn't work",
    "down",
    "immediately",
    "dringend",
    "funktioniert nicht",
    "geht nicht",
    "ausfall",
    "sofort",
    "haster",
    "virker ikke",
    "fungerer ikke",
    "nede",
    "snarest",
    "!",
)
MISROUTE_TEAMS = ("billing", "technical_support", "customer_accounts", "logistics")


def new_ticket(
    ctx: Context, world: World, ticket_id: str, created: float, incident: Incident | None
) -> TicketState:
    d = ctx.dice
    c = d.weighted(world.customers, world.cum_activity)
    channel = c.channel if d.chance(0.6) else d.weighted(CHANNELS, CHANNEL_CUM)
    if channel is Channel.PHONE and not ctx.calendars["technical_support"].is_open(created):
        channel = Channel.EMAIL if d.chance(0.6) else Channel.WEB  # the phone line is closed: they write
    category = incident.category if incident else d.weighted(CATEGORIES, CATEGORY_CUM)
    if category == "data_migration" and c.tier == "basic" and d.chance(0.6):
        category = d.weighted(CATEGORIES, CATEGORY_CUM)  # migrations are mostly a business matter
    product = incident.product if incident else d.weighted(co.PRODUCTS, PRODUCT_CUM[category])
    home = co.HOME_TEAM[category]
    if category == "data_migration" and d.chance(0.35):
        home = "data_services"  # the web form has a migration option that routes straight there
    misrouted = d.chance(0.1)
    team = d.pick([t for t in MISROUTE_TEAMS if t != home]) if misrouted else home
    agent = ctx.teams[team].pick(d)
    lang = c.language
    values = {
        "name": c.name,
        "agent": agent.name,
        "product": product,
        "order_id": str(40000000 + d.index(9999999)),
        "invoice_id": f"INV-2026-{10000 + d.index(89999)}",
        "amount": realism.local_amount(
            round(d.lognormal(60.0, 1.0) * (4 if c.tier != "basic" else 1), 2), lang
        ),
        "date": realism.local_date(created - d.between(0.0, 20.0) * DAY, lang),
        "days": str(2 + d.index(9)),
        "ticket": ticket_id,
        "team": co.TEAM_NAMES[lang][team],
    }
    subject = fill(d.pick(ctx.composer.banks[lang].subject[category]), values)
    repeat = any(created - t < 30 * DAY and cat == category for t, cat, _, _ in c.history[-4:])
    bad_before = any(done < created and bad for _, _, done, bad in c.history[-4:])
    anger = c.temper + 0.5 * bad_before + 0.4 * repeat + 0.3 * (incident is not None)
    anger += {"billing_payment": 0.25, "feature_request": -0.3}.get(category, 0.0) + d.normal(0.0, 0.35)
    st = TicketState(
        ticket_id=ticket_id,
        created=created,
        customer=c,
        channel=channel,
        category=category,
        product=product,
        priority=_priority(ctx, subject, category, c.tier, incident),
        team=team,
        agent=agent,
        subject=subject,
        difficulty=min(1.0, d.random() ** 1.6 + 0.2 * (incident is not None)),
        misrouted=misrouted,
        values=values,
        anger=min(MAX_ANGER, max(0.0, anger)),
        repeat=repeat,
    )
    st.agents_seen.append(agent)
    st.initial = {"priority": st.priority.value, "team": team, "assignee": agent.agent_id}
    return st


def _priority(ctx: Context, subject: str, category: str, tier: str, incident: Incident | None) -> Priority:
    low = subject.lower()
    score = PRIORITY_BASE[category] + 1.0 * any(w in low for w in URGENT_WORDS)
    score += {"basic": 0.0, "business": 0.25, "enterprise": 0.6}[tier] + 0.5 * (incident is not None)
    score += ctx.dice.normal(0.0, 0.6)
    if score < 0.0:
        return Priority.LOW
    return Priority.NORMAL if score < 1.3 else Priority.HIGH if score < 2.1 else Priority.URGENT


def simulate(ctx: Context, st: TicketState) -> None:
    """Play the ticket from its first message until it is solved or the history ends."""
    d, lang = ctx.dice, st.customer.language
    customer_says(ctx, st, "social" if st.channel.is_social else "opening", st.created)
    st.status = "new"  # implied by the ticket's creation: no event, which keeps the files smaller
    cal = ctx.calendars[st.team]
    live_closed = st.channel is Channel.CHAT and not cal.is_open(st.created)
    if (st.channel in (Channel.EMAIL, Channel.WEB) and d.chance(0.7)) or live_closed:
        st.emit(
            st.created + d.between(5.0, 90.0),
            EventType.AGENT_REPLY,
            AuthorRole.BOT,
            "bot-autoreply",
            body=ctx.composer.pick(lang, "bot_autoreply", st.values),
        )
    since = st.created
    for turn in range(MAX_TURNS):
        load = st.agent.load(st.created)
        reply_at = max(agent_reply_at(ctx, st, since, load), st.hold_until)
        reply_at = wait_for_agent(ctx, st, since, reply_at)
        if reply_at >= ctx.end:
            return
        outcome, t = agent_turn(ctx, st, reply_at, since)
        if outcome == REQUEUE:
            since = t
            continue
        if outcome == ASKED:
            nxt = after_ask(ctx, st, t)
        else:
            nxt = after_solution(ctx, st, t, outcome == CONFIRM, last_try=turn >= MAX_TURNS - 3)
        if nxt is None or nxt >= ctx.end:
            return
        since = nxt


def finish(ctx: Context, st: TicketState) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ticket row and its events as of the end of the history, in time order, whole seconds."""
    created = int(st.created)
    end = ctx.end
    events = [e for e in st.events if e["at"] < end]
    for e in events:
        e["at"] = max(created, int(e["at"]))
    events.sort(key=lambda e: e["at"])  # stable: same-second events keep their story order
    done = st.solved_at if st.solved_at is not None and st.solved_at < end else None
    bad = st.escalated or (st.csat is not None and st.csat <= 2) or st.reopens > 0
    st.customer.last_ticket = st.ticket_id
    st.customer.history.append((st.created, st.category, done if done is not None else end + 30 * DAY, bad))
    for agent in st.agents_seen:
        agent.take(done if done is not None else end + 30 * DAY)
    c = st.customer
    row = {
        "ticket_id": st.ticket_id,
        "created_at": created,
        "channel": st.channel.value,
        "priority": st.initial["priority"],
        "customer_id": c.customer_id,
        "customer_tier": c.tier,
        "customer_value": c.value,
        "product": st.product,
        "category": st.category,
        "team": st.initial["team"],
        "language": c.language,
        "subject": st.subject,
        "assignee": st.initial["assignee"],
        "sla_breached": st.sla_breached,
        "bad_csat": st.csat is not None and st.csat <= 2,
        "region": c.region,
    }
    return row, events
