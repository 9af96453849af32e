"""`assess(ticket, events, now, …)`: one ticket at one instant -> its assessment (plain JSON-able values).

Three phases: analyse the customer messages not analysed yet (batched); evaluate the SLA
rules and build the feature row (the same `build_features` as training); score with the model when one is
loaded, then decide. Pure apart from the models it is given: the store is reached only through `context`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from core.assessment import (
    DueAction,
    Reason,
    SentimentOut,
    SignalOut,
    SlaState,
    TargetOut,
    TicketAssessment,
    TicketState,
)
from core.enums import Band, EventType
from core.sla import Action, SlaResult, TargetState
from core.text import MessageAnalysis
from core.tickets import Event, Ticket
from features.sentiment import SentimentModel
from features.text.analysis import MessageAnalyser, SharedAnalyses
from features.ticket import FeatureContext, build_features, ticket_column_features
from features.ticket.timeline import events_until, replay
from rules import PolicySet, SlaEvaluation
from serving.assess.decide import bands_for, higher, rules_band
from serving.assess.models import LoadedModel
from serving.assess.recommend import recommend
from serving.assess.text import analyse_messages
from serving.wording import reason_words

TOP_REASONS = 3


@dataclass(frozen=True, slots=True)
class Scorers:
    """What assessing needs loaded: policies and the message analyser always (phrase signals at least);
    the sentiment model inside it and the escalation model when available."""

    policies: PolicySet
    analyser: MessageAnalyser
    model: LoadedModel | None = None

    @property
    def sentiment(self) -> SentimentModel | None:
        return self.analyser.sentiment


@dataclass(slots=True)
class Assessment:
    body: TicketAssessment  # what is stored and answered
    sla: SlaResult
    new_texts: dict[str, MessageAnalysis] = field(default_factory=dict)  # analyses to store

    @property
    def band(self) -> Band:
        return self.body.band


def assess(
    ticket: Ticket,
    events: Sequence[Event],
    now: datetime,
    *,
    scorers: Scorers,
    context: FeatureContext,
    texts: Mapping[str, MessageAnalysis] | None = None,
    shared: SharedAnalyses | None = None,
) -> Assessment:
    """The assessment of `ticket` at `now` from its events up to `now`. `texts`: analyses already made;
    `shared`: analyses other processes made (/v1/score)."""
    known = events_until(events, now)
    texts = dict(texts or {})
    new_texts = analyse_messages(known, texts, scorers.analyser, ticket.language, shared)
    texts.update(new_texts)
    customer_ids = [e.event_id for e in known if e.type is EventType.CUSTOMER_MESSAGE and e.event_id in texts]
    signal_names = sorted({s.name.value for i in customer_ids for s in texts[i].signals})

    risk: float | None = None
    reasons: list[Reason] = []
    loaded = scorers.model
    # one SLA evaluation for the request: the features read it without the triggers' inputs, the answer with
    evaluation = SlaEvaluation(scorers.policies, ticket, known, now)
    if loaded is not None:
        # The features' view: only messages with a sentiment count as analysed (as in training).
        analyses = {i: a for i in customer_ids if (a := texts[i]).sentiment is not None}
        row = build_features(ticket, known, now, context, analyses, scorers.policies, evaluation)
        row.update(ticket_column_features(ticket, loaded.model.spec))  # trained with --ticket-feature
        scores, explained = loaded.model.score_rows([row], top=TOP_REASONS)
        risk = float(scores[0])
        reasons = [
            Reason(feature=c.feature, value=c.value, contribution=round(c.contribution, 4),
                   text=reason_words(c.feature, c.value) or c.text)
            for c in explained[0]
        ]

    sla = evaluation.result(signals=signal_names, risk=risk)
    state = replay(ticket, known)
    bands = bands_for(loaded.model.threshold) if loaded is not None else None
    model_band = bands.band(risk) if bands is not None and risk is not None else None
    sla_band = rules_band(sla)
    band = higher(model_band, sla_band) if model_band is not None else sla_band
    action = recommend(sla, model_band, risk, state.team)
    sentiment, trend = _sentiment(customer_ids, texts)
    body = TicketAssessment(
        ticket_id=ticket.ticket_id,
        assessed_at=now,
        risk=round(risk, 6) if risk is not None else None,
        band=band,
        model_band=model_band,
        sla_band=sla_band,
        thresholds=bands.thresholds() if bands is not None else None,
        rules_only=loaded is None,
        recommended_action=action,
        escalation_type=action.escalation_type,
        reasons=reasons,
        signals=[SignalOut(event_id=i, name=s.name, evidence=s.evidence, start=s.start, end=s.end)
                 for i in customer_ids for s in texts[i].signals],
        sentiment=sentiment,
        sentiment_trend=trend,
        sla=_sla(sla),
        state=TicketState(
            status=state.status, priority=state.priority, team=state.team, assignee=state.assignee
        ),
        model_version=loaded.version if loaded is not None else None,
        policy_version=sla.policies_version,
        sentiment_version=scorers.sentiment.version if scorers.sentiment is not None else None,
    )
    return Assessment(body, sla, new_texts)


def _sentiment(
    ids: list[str], texts: Mapping[str, MessageAnalysis]
) -> tuple[SentimentOut | None, float | None]:
    scored = [(i, s) for i in ids if (s := texts[i].sentiment) is not None]
    if not scored:
        return None, None
    last_id, last = scored[-1]
    # the trend: the latest message's polarity against the mean of the earlier ones (negative: souring)
    earlier = [s.polarity for _, s in scored[:-1]]
    trend = round(last.polarity - sum(earlier) / len(earlier), 4) if earlier else None
    scores = {k: round(v, 4) for k, v in last.scores.items()}
    out = SentimentOut(event_id=last_id, label=last.label, scores=scores, polarity=round(last.polarity, 4))
    return out, trend


def _sla(sla: SlaResult) -> SlaState:
    return SlaState(
        policy=sla.policy,
        priority=sla.priority,
        escalation_level=sla.escalation_level,
        next_due_at=sla.next_due_at,
        targets=[
            TargetOut(
                target=t.target,
                state=t.state,
                due_at=t.due_at,
                remaining_s=t.remaining.total_seconds(),
                breached=t.state is TargetState.BREACHED,
                breached_by_s=t.breached_by.total_seconds() if t.breached_by is not None else None,
                escalation_level=t.escalation_level,
                earlier_met=t.earlier_met,
                earlier_failed=t.earlier_failed,
            )
            for t in sla.targets
        ],
        actions_due=[_action(a) for a in sla.actions],
        upcoming=[_action(a) for a in sla.upcoming[:5]],
    )


def _action(a: Action) -> DueAction:
    return DueAction(
        action_id=a.action_id,
        kind=a.kind,
        at=a.at,
        to=str(a.to),
        reason=a.reason,
        target=a.target,
        level=a.level,
        escalation_type=a.escalation_type,
        priority=a.priority,
        team=a.team,
        rule=a.rule,
        trigger=a.trigger,
        dedup_key=a.dedup_key,
    )
