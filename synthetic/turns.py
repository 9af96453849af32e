"""An agent's turn on a ticket (route, escalate, ask, update or propose a fix) and the customer's
reaction to it."""

from __future__ import annotations

from core.enums import AuthorRole, Channel, EventType, Priority
from synthetic.company import HOME_TEAM, TEAM_NAMES
from synthetic.conversation import csat_and_close, customer_says, set_status
from synthetic.escalation import (
    escalate_functional,
    escalate_hierarchical,
    functional_chance,
    hierarchical_chance,
)
from synthetic.state import Context, TicketState
from synthetic.timing import HOUR, customer_reply_at, patience_s

REQUEUE, ASKED, SOLVED, CONFIRM = "requeue", "asked", "solved", "confirm"
DAY = 24 * HOUR
P_ASK_FIRST = {
    "billing_payment": 0.3,
    "technical_fault": 0.45,
    "account": 0.4,
    "shipping_returns": 0.35,
    "data_migration": 0.5,
    "feature_request": 0.12,
}
PRIORITIES = (Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT)


def agent_turn(ctx: Context, st: TicketState, at: float, since: float) -> tuple[str, float]:
    """The assigned agent acts at `at` on a ticket waiting since `since`; returns (outcome, end of turn)."""
    d, lang, aid = ctx.dice, st.customer.language, st.agent.agent_id
    set_status(st, at, "open", AuthorRole.AGENT, aid)
    if st.first_reply_at is None and st.agent_turns == 0 and d.chance(0.08):  # triage corrects the priority
        rank = min(3, max(0, st.priority.rank + (1 if d.chance(0.6) else -1)))
        if rank != st.priority.rank:
            st.priority = PRIORITIES[rank]
            st.emit(at, EventType.PRIORITY_CHANGE, AuthorRole.AGENT, aid, priority=st.priority.value)
    if st.misrouted:  # wrong team: note it and pass it on, nobody answers the customer yet
        st.misrouted = False
        home = HOME_TEAM[st.category]
        st.values["team"] = TEAM_NAMES[lang][home]
        st.emit(
            at + 30,
            EventType.INTERNAL_NOTE,
            AuthorRole.AGENT,
            aid,
            body=ctx.composer.pick(lang, "internal_note", st.values),
        )
        assign(ctx, st, home)
        st.emit(at + 60, EventType.REASSIGNMENT, AuthorRole.AGENT, aid, team=home, assignee=st.agent.agent_id)
        return REQUEUE, at + 60
    if st.unread and d.chance(hierarchical_chance(ctx, st)):
        t = escalate_hierarchical(ctx, st, at)
        st.first_reply_at = st.first_reply_at or t
        return REQUEUE, t
    if d.chance(functional_chance(ctx, st)):
        escalate_functional(ctx, st, at)
        st.values["agent"] = st.agent.name
        end = st.events[-1]["at"] + 5
        if d.chance(0.35):  # waiting for the expert team's lab / migration window
            set_status(st, end, "on_hold", AuthorRole.AGENT, aid)
            st.hold_until = ctx.calendars[st.team].add(end, d.lognormal(8.0, 0.6) * HOUR)
        return REQUEUE, end
    return _reply(ctx, st, at, since)


def _reply(ctx: Context, st: TicketState, at: float, since: float) -> tuple[str, float]:
    d, lang, aid = ctx.dice, st.customer.language, st.agent.agent_id
    st.unread.clear()
    st.failed = False
    k = st.agent_turns
    st.agent_turns += 1
    kinds = []
    if (ctx.calendars[st.team].between(since, at) > patience_s(st) or st.level >= 2) and d.chance(0.7):
        kinds.append("apology")
        st.calm(0.3)
    if st.level >= 2 and d.chance(0.6):
        kinds.append("deescalate")
        st.calm(0.4)
    if (k == 0 and d.chance(P_ASK_FIRST[st.category] + 0.2 * st.difficulty)) or (
        k > 0 and st.asks < 2 and d.chance(0.1)
    ):
        action = "ask_info"
    elif k < 4 and d.chance(0.12 + 0.3 * st.difficulty):
        action = "update"
    else:
        action = "solution"
    if action == "update" and k == 0:
        kinds.append("first_response")  # nothing to report yet: acknowledge
    elif k == 0 and st.channel not in (Channel.CHAT, Channel.PHONE) and d.chance(0.5):
        kinds.append("first_response")
    if action != "update" or k:
        kinds.append(action)
    body = ctx.composer.agent(kinds, lang, st.category, st.channel, st.values)
    st.emit(at, EventType.AGENT_REPLY, AuthorRole.AGENT, aid, body=body)
    st.last_agent_body, st.last_agent_at = body, at
    st.first_reply_at = st.first_reply_at or at
    st.calm(0.15)
    if d.chance(0.1):
        st.emit(
            at + 20,
            EventType.INTERNAL_NOTE,
            AuthorRole.AGENT,
            aid,
            body=ctx.composer.pick(lang, "internal_note", st.values),
        )
    if action == "ask_info":
        st.asks += 1
        if st.asks > 1:
            st.anger_up(0.3)  # being asked again annoys
        set_status(st, at + 30, "pending", AuthorRole.AGENT, aid)
        return ASKED, at + 30
    if action == "update":
        if d.chance(0.4):  # waiting on a carrier, a bank, a vendor
            set_status(st, at + 30, "on_hold", AuthorRole.AGENT, aid)
            st.hold_until = ctx.calendars[st.team].add(at, d.lognormal(10.0, 0.6) * HOUR)
        return REQUEUE, at + 30
    confirm = d.chance(0.35)  # "let me know whether it works" keeps it pending
    set_status(st, at + 30, "pending" if confirm else "solved", AuthorRole.AGENT, aid)
    return (CONFIRM if confirm else SOLVED), at + 30


def assign(ctx: Context, st: TicketState, team: str) -> None:
    st.team, st.agent = team, ctx.teams[team].pick(ctx.dice)
    st.agents_seen.append(st.agent)
    st.values["agent"] = st.agent.name


def after_ask(ctx: Context, st: TicketState, at: float) -> float | None:
    """The customer answers a question (the ticket reopens to Nimbus) or goes silent (auto-solved)."""
    if ctx.dice.chance(0.88):
        t = customer_reply_at(ctx, st, at, 4.0)
        customer_says(ctx, st, "info_reply", t)
        set_status(st, t, "open", AuthorRole.SYSTEM, None)
        return t
    solved = at + 5 * DAY
    set_status(st, solved, "solved", AuthorRole.SYSTEM, None)
    csat_and_close(ctx, st, solved)
    return None


def after_solution(ctx: Context, st: TicketState, at: float, confirm: bool, last_try: bool) -> float | None:
    """Does the fix work? Returns when the customer wrote back about it, or None when the story ends."""
    d = ctx.dice
    p_fix = 0.97 - 0.45 * st.difficulty + st.agent.skill + 0.1 * st.managed + 0.08 * min(st.not_fixed, 2)
    works = last_try or d.chance(min(0.95, max(0.15, p_fix)))
    if works and confirm:
        if d.chance(0.5):
            t = customer_reply_at(ctx, st, at, 5.0)
            customer_says(ctx, st, "thanks", t)
            st.calm(1.0)
            st.unread.clear()
            solved = max(t + 60, ctx.calendars[st.team].add(t, d.lognormal(1.0, 0.8) * HOUR))
            set_status(st, solved, "solved", AuthorRole.AGENT, st.agent.agent_id)
        else:
            solved = at + 4 * DAY
            set_status(st, solved, "solved", AuthorRole.SYSTEM, None)
        csat_and_close(ctx, st, solved)
        return None
    if not works and d.chance(0.9 if confirm else 0.85):
        t = customer_reply_at(ctx, st, at, 4.0 if confirm else 6.0)
        st.not_fixed += 1
        st.failed = True
        st.reopens += not confirm  # a reply to a solved ticket reopens it
        st.anger_up(d.between(0.5, 1.2))
        customer_says(ctx, st, "not_fixed", t)
        set_status(st, t, "open", AuthorRole.SYSTEM, None)
        return t
    if works and not confirm and d.chance(0.02 + 0.06 * st.difficulty):  # the fault comes back later
        t = at + d.between(2.0, 20.0) * DAY
        st.reopens += 1
        st.anger_up(d.between(0.8, 1.4))
        customer_says(ctx, st, "reopen", t)
        set_status(st, t, "open", AuthorRole.SYSTEM, None)
        return t
    solved = at if not confirm else at + 4 * DAY
    if confirm:
        set_status(st, solved, "solved", AuthorRole.SYSTEM, None)
    csat_and_close(ctx, st, solved)
    return None
