"""How long people take: agents in business time (slower when overloaded, sometimes forgetting a ticket),
customers in wall-clock time (mostly awake hours); and the internal targets of the automatic escalations."""

from __future__ import annotations

from core.enums import Channel, Priority
from synthetic.state import Context, TicketState

HOUR = 3600.0
# Median business hours to an agent's reply, first reply and later ones.
FIRST_REPLY_H = {
    Channel.EMAIL: 4.0,
    Channel.WEB: 4.0,
    Channel.PHONE: 0.03,
    Channel.CHAT: 0.06,
    Channel.TWITTER: 1.2,
    Channel.FACEBOOK: 1.5,
}
LATER_REPLY_H = {
    Channel.EMAIL: 5.0,
    Channel.WEB: 5.0,
    Channel.PHONE: 3.0,
    Channel.CHAT: 3.0,
    Channel.TWITTER: 2.0,
    Channel.FACEBOOK: 2.5,
}
PRIORITY_FACTOR = {Priority.LOW: 1.6, Priority.NORMAL: 1.0, Priority.HIGH: 0.55, Priority.URGENT: 0.3}
P_MISSED = 0.045  # a reply falls through the cracks (× 2 for overloaded agents)
OVERLOAD_SLOWDOWN = 0.2  # per open ticket above the agent's capacity

# The simplified internal targets that fire automatic escalations (business hours). They are NOT the
# policies of the rules engine: the sample's own story only (data/sample/README.md).
FIRST_RESPONSE_TARGET_H = {Priority.URGENT: 1.0, Priority.HIGH: 4.0, Priority.NORMAL: 9.0, Priority.LOW: 27.0}
RESOLUTION_TARGET_H = {Priority.URGENT: 9.0, Priority.HIGH: 27.0, Priority.NORMAL: 45.0, Priority.LOW: 90.0}
P_AUTO_FIRST = 0.2  # the automation is switched on for some views only: a breach escalates this often
P_AUTO_RESOLUTION = 0.12


def agent_reply_at(ctx: Context, st: TicketState, since: float, load: int) -> float:
    """When the assigned agent next acts on a ticket that has waited for Nimbus since `since`."""
    d, cal, agent = ctx.dice, ctx.calendars[st.team], st.agent
    first = st.first_reply_at is None
    median = (FIRST_REPLY_H if first else LATER_REPLY_H)[st.channel] * PRIORITY_FACTOR[st.priority]
    overload = max(0, load - agent.capacity)
    hours = median * agent.speed * (1.0 + OVERLOAD_SLOWDOWN * overload) * d.lognormal(1.0, 0.8)
    if st.managed:
        hours *= 0.6
    if d.chance(P_MISSED * (2.0 if overload else 1.0)):
        hours *= d.between(4.0, 12.0)
    if first and st.channel in (Channel.CHAT, Channel.PHONE) and cal.is_open(since):
        return since + hours * HOUR  # a live conversation: minutes of wall time
    return cal.add(since, hours * HOUR)


def customer_reply_at(ctx: Context, st: TicketState, since: float, median_h: float) -> float:
    """When the customer answers; live channels answer within minutes while the agent is there."""
    d, cal = ctx.dice, ctx.calendars[st.team]
    if st.channel in (Channel.CHAT, Channel.PHONE) and cal.is_open(since) and d.chance(0.6):
        return since + d.lognormal(240.0, 0.7)
    at = since + d.lognormal(median_h, 1.1) * HOUR
    hour = cal.local_hour(at)
    if hour < 7.0:  # asleep: answers in the morning instead
        at += (7.0 - hour + d.between(0.0, 2.5)) * HOUR
    return at


def patience_s(st: TicketState) -> float:
    """Business seconds this customer waits before chasing, on this channel."""
    factor = {Channel.CHAT: 0.35, Channel.PHONE: 0.5, Channel.TWITTER: 0.4, Channel.FACEBOOK: 0.5}
    return st.customer.patience_h * factor.get(st.channel, 1.0) * HOUR
