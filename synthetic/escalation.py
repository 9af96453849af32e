"""The three ways a simulated ticket escalates, each a noisy function of what happened *before* it.

hierarchical  an agent hands the ticket to a manager after reading the customer's messages: more likely
              with anger, manager demands, threats, chasers, reopens, big or business customers,
              billing topics and public (social) channels — a logistic score plus noise.
functional    a first-line agent passes a hard technical fault or a data migration to the expert team.
automatic     the helpdesk automation fires on a breached internal target (timing.py), not always.
"""

from __future__ import annotations

from core.enums import AuthorRole, EscalationType, EventType, Priority
from synthetic.company import EXPERT_TEAM, EXPERT_TEAMS, TEAM_NAMES
from synthetic.dice import sigmoid
from synthetic.state import Context, TicketState
from synthetic.timing import HOUR

THREAT_WEIGHT = {"": 0.0, "leave": 0.9, "legal": 1.5, "review": 0.7}
TIER_WEIGHT = {"basic": 0.0, "business": 0.35, "enterprise": 0.9}
FUNCTIONAL_BASE = {
    "technical_fault": -4.9,
    "data_migration": -3.0,
    "billing_payment": -6.0,  # payment-provider faults only
    "account": -6.2,
    "feature_request": -6.8,
    "shipping_returns": -9.0,
}
# Feature requests are rarely worth a manager's time; billing and public complaints more often.
CATEGORY_WEIGHT = {"billing_payment": 0.45, "feature_request": -0.6}
HIERARCHICAL_BASE = -5.6


def hierarchical_chance(ctx: Context, st: TicketState) -> float:
    unread = st.unread
    z = HIERARCHICAL_BASE + 0.8 * st.level + ctx.dice.normal(0.0, 0.5)
    z += 1.5 * any(s.manager for s in unread) + max((THREAT_WEIGHT[s.threat] for s in unread), default=0.0)
    z += 0.4 * any(s.offensive for s in unread) + 0.3 * any(s.repeat for s in unread)
    z += 0.3 * min(st.chasers, 4) + 0.6 * min(st.reopens, 2) + TIER_WEIGHT[st.customer.tier]
    z += CATEGORY_WEIGHT.get(st.category, 0.0) + 0.4 * (st.customer.value >= 20000)
    z += 0.6 * st.channel.is_social
    if st.hier_level:
        z -= 1.2  # a second hierarchical escalation needs a lot more
    return sigmoid(z)


def functional_chance(ctx: Context, st: TicketState) -> float:
    if st.team in EXPERT_TEAMS or (st.agent_turns and not st.failed):
        return 0.0  # considered on the first look and after a fix failed, not on every turn
    z = FUNCTIONAL_BASE[st.category] + 3.0 * st.difficulty + 0.8 * min(st.not_fixed + st.reopens, 2)
    z += 0.5 * (st.priority.rank >= 2) + ctx.dice.normal(0.0, 0.4)
    return sigmoid(z)


def escalate_hierarchical(ctx: Context, st: TicketState, at: float) -> float:
    """The agent escalates to a manager, who answers the customer; returns the manager's reply time."""
    d, team = ctx.dice, ctx.teams[st.team]
    if st.hier_level:
        level = min(4, st.hier_level + 1)
    else:
        legal = any(s.threat == "legal" for s in st.unread)
        serious = legal or (st.level == 3 and st.customer.tier == "enterprise")
        level = 1 + d.chance(0.5 if serious else 0.2)  # team lead, or straight to the support manager
        level += level == 2 and legal and d.chance(0.25)  # a lawyer's letter goes to the head of support
    st.hier_level = level
    reason = ctx.composer.pick(st.customer.language, "escalation_reason", st.values, st.category)
    st.emit(
        at,
        EventType.ESCALATION,
        AuthorRole.AGENT,
        st.agent.agent_id,
        level=level,
        escalation_type=EscalationType.HIERARCHICAL.value,
        reason=reason,
    )
    if st.priority.rank < 2:
        st.priority = Priority.HIGH if d.chance(0.7) else Priority.URGENT
        st.emit(
            at + 30,
            EventType.PRIORITY_CHANGE,
            AuthorRole.AGENT,
            st.agent.agent_id,
            priority=st.priority.value,
        )
    if d.chance(0.5):
        st.emit(
            at + 60,
            EventType.INTERNAL_NOTE,
            AuthorRole.AGENT,
            st.agent.agent_id,
            body=ctx.composer.pick(st.customer.language, "internal_note", st.values),
        )
    reply_at = max(at + 90, ctx.calendars[st.team].add(at, d.lognormal(1.5, 0.7) * HOUR))
    values = {**st.values, "agent": team.manager_name}
    kinds = ["apology", "deescalate"] + (["update"] if d.chance(0.6) else [])
    body = ctx.composer.agent(kinds, st.customer.language, st.category, st.channel, values)
    st.emit(reply_at, EventType.AGENT_REPLY, AuthorRole.MANAGER, team.manager_id, body=body)
    st.last_agent_body, st.last_agent_at = body, reply_at
    st.managed = True
    st.calm(d.between(0.6, 1.4))
    st.unread.clear()
    return reply_at


def escalate_functional(ctx: Context, st: TicketState, at: float) -> None:
    """The agent passes the ticket to the expert team (escalation + reassignment), often telling the
    customer."""
    d, lang = ctx.dice, st.customer.language
    expert = EXPERT_TEAM[st.category]
    st.func_level = min(4, st.func_level + 1)
    reason = ctx.composer.pick(lang, "escalation_reason", st.values, st.category)
    st.emit(
        at,
        EventType.ESCALATION,
        AuthorRole.AGENT,
        st.agent.agent_id,
        level=st.func_level,
        escalation_type=EscalationType.FUNCTIONAL.value,
        team=expert,
        reason=reason,
    )
    st.team, st.agent = expert, ctx.teams[expert].pick(d)
    st.agents_seen.append(st.agent)
    st.values["team"] = TEAM_NAMES[lang][expert]
    st.emit(
        at + 1,
        EventType.REASSIGNMENT,
        AuthorRole.AGENT,
        st.agents_seen[-2].agent_id,
        team=expert,
        assignee=st.agent.agent_id,
    )
    if d.chance(0.6):
        st.emit(
            at + 2,
            EventType.INTERNAL_NOTE,
            AuthorRole.AGENT,
            st.agents_seen[-2].agent_id,
            body=ctx.composer.pick(lang, "internal_note", st.values),
        )
    if d.chance(0.7):
        body = ctx.composer.agent(
            ["escalation_notice"],
            lang,
            st.category,
            st.channel,
            {**st.values, "agent": st.agents_seen[-2].name},
        )
        st.emit(at + 120, EventType.AGENT_REPLY, AuthorRole.AGENT, st.agents_seen[-2].agent_id, body=body)
        st.last_agent_body, st.last_agent_at = body, at + 120


def escalate_automatic(ctx: Context, st: TicketState, at: float, what: str, target_h: float) -> None:
    st.auto_level = min(4, st.auto_level + 1)
    reason = f"{what} target breached ({st.priority.value}: {target_h:g} business hours)"
    st.emit(
        at,
        EventType.ESCALATION,
        AuthorRole.SYSTEM,
        "sla-automation",
        level=st.auto_level,
        escalation_type=EscalationType.AUTOMATIC.value,
        reason=reason,
    )
    if st.priority is not Priority.URGENT and ctx.dice.chance(0.5):
        st.priority = {Priority.LOW: Priority.NORMAL, Priority.NORMAL: Priority.HIGH}.get(
            st.priority, Priority.URGENT
        )
        st.emit(
            at, EventType.PRIORITY_CHANGE, AuthorRole.SYSTEM, "sla-automation", priority=st.priority.value
        )
