"""The turns of a ticket's conversation: waiting for Nimbus (chasers, breached targets), an agent's turn,
and the customer's reaction to a proposed fix."""

from __future__ import annotations

from core.enums import AuthorRole, Channel, EventType
from synthetic import realism
from synthetic.escalation import escalate_automatic
from synthetic.state import Context, TicketState
from synthetic.timing import (
    FIRST_RESPONSE_TARGET_H,
    HOUR,
    P_AUTO_FIRST,
    P_AUTO_RESOLUTION,
    RESOLUTION_TARGET_H,
    patience_s,
)

MAX_CHASERS_PER_WAIT = 3
CHASE_GAP_GROWTH = 1.7  # each further chaser takes longer to come: people give up a little


def set_status(st: TicketState, at: float, status: str, role: AuthorRole, author_id: str | None) -> None:
    if st.status != status:
        st.status = status
        st.emit(at, EventType.STATUS_CHANGE, role, author_id, status=status)


def customer_says(ctx: Context, st: TicketState, kind: str, at: float) -> None:
    d, c = ctx.dice, st.customer
    quoted = signature = ""
    if (
        st.channel is Channel.EMAIL
        and st.last_agent_body
        and kind not in ("opening", "social")
        and d.chance(0.45)
    ):
        quoted = realism.quote(st.last_agent_body, c.language, st.last_agent_at)
    if st.channel in (Channel.EMAIL, Channel.WEB) and kind != "social":
        if c.company and d.chance(0.35):
            signature = f"{c.full_name}\n{c.company}"
        elif d.chance(0.08):
            signature = d.pick(realism.DEVICE_SIGNATURE[c.language])
    repeat = (
        d.chance(0.6 if st.repeat else 0.02)
        if kind in ("opening", "social")
        else (d.chance(0.25) if st.chasers >= 2 or st.reopens else d.chance(0.01))
    )
    said = ctx.composer.customer(
        kind,
        c.language,
        st.category,
        st.level,
        st.channel,
        st.values,
        repeat=repeat,
        quoted=quoted,
        signature=signature,
        earlier_ticket=c.last_ticket if st.repeat else "",
        details=0.9 * st.difficulty,
    )
    st.say(at, said)


def wait_for_agent(ctx: Context, st: TicketState, since: float, reply_at: float) -> float:
    """Everything that happens while the ticket waits for Nimbus from `since` to `reply_at`: the customer
    chases once their patience runs out, and breached targets may fire automatic escalations. A chaser
    or an escalation sometimes gets the ticket answered sooner; returns the (possibly earlier) reply time."""
    d, cal = ctx.dice, ctx.calendars[st.team]
    patience = patience_s(st) * (2.0 if st.hold_until > since else 1.0)  # told to wait: waits longer
    chase = cal.add(since, patience * d.lognormal(1.0, 0.3))
    last = since
    for n in range(MAX_CHASERS_PER_WAIT):
        if chase >= reply_at or chase >= ctx.end:
            break
        st.chasers += 1
        st.anger_up(d.between(0.3, 0.75))
        customer_says(ctx, st, "social" if st.channel.is_social and d.chance(0.5) else "chaser", chase)
        last = chase
        if d.chance(0.3):  # a chaser bumps the ticket up the queue
            reply_at = min(reply_at, cal.add(chase, d.lognormal(0.8, 0.7) * HOUR))
        chase = cal.add(chase, patience * CHASE_GAP_GROWTH ** (n + 1) * d.lognormal(1.0, 0.3))
    if st.first_reply_at is None and not st.first_breach_checked:
        target = FIRST_RESPONSE_TARGET_H[st.priority]
        breach = cal.add(st.created, target * HOUR)
        if breach < reply_at:
            st.first_breach_checked = True
            st.sla_breached |= breach < ctx.end
            reply_at = _maybe_auto(ctx, st, breach, reply_at, last, "first-response", target, P_AUTO_FIRST)
    if not st.resolution_breached:
        target = RESOLUTION_TARGET_H[st.priority]
        left = target * HOUR - st.waited_on_us
        breach = cal.add(since, left)
        if breach < reply_at:
            st.resolution_breached = True
            st.sla_breached |= breach < ctx.end
            reply_at = _maybe_auto(ctx, st, breach, reply_at, last, "resolution", target, P_AUTO_RESOLUTION)
    st.waited_on_us += cal.between(since, reply_at)
    return reply_at


def _maybe_auto(
    ctx: Context,
    st: TicketState,
    breach: float,
    reply_at: float,
    last: float,
    what: str,
    target_h: float,
    p: float,
) -> float:
    d = ctx.dice
    if not d.chance(p):
        return reply_at
    at = breach + d.between(0.0, 600.0)  # the automation runs every ten minutes
    if at >= reply_at:
        return reply_at
    escalate_automatic(ctx, st, at, what, target_h)
    if d.chance(0.6):  # the escalated view gets looked at
        reply_at = max(
            last + 60.0, min(reply_at, ctx.calendars[st.team].add(at, d.lognormal(0.7, 0.6) * HOUR))
        )
    return reply_at


def csat_and_close(ctx: Context, st: TicketState, at: float) -> None:
    """The ticket is solved at `at`: maybe a satisfaction rating, then closed by the helpdesk."""
    d, lang = ctx.dice, st.customer.language
    st.solved_at = at
    angry = st.level >= 2
    if d.chance(0.3 + 0.15 * angry + 0.1 * st.escalated):
        t = at + d.lognormal(5.0, 1.0) * HOUR
        score = 4.7 - 0.75 * st.anger - 0.5 * min(st.reopens, 2) - 0.2 * min(st.chasers, 4)
        score += -0.4 * st.sla_breached + d.normal(0.0, 0.7)
        csat = min(5, max(1, round(score)))
        body = None
        if csat >= 4 and d.chance(0.35):
            body = ctx.composer.pick(lang, d.pick(("thanks", "praise")), st.values)
        elif csat <= 2 and d.chance(0.5):
            slot = d.pick(("emotion", "offensive", "threat_review"))
            body = ctx.composer.pick(lang, slot, st.values, st.level if slot == "emotion" else None)
        fields = {"csat": csat} if body is None else {"csat": csat, "body": body}
        st.emit(t, EventType.CSAT_RATING, AuthorRole.CUSTOMER, st.customer.customer_id, **fields)
        if t < ctx.end:
            st.csat = csat
    set_status(st, at + 4 * 24 * HOUR, "closed", AuthorRole.SYSTEM, None)
