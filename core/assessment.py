"""`TicketAssessment`: one ticket's assessment at one instant, typed from `assess` to the store and the API —
the band and risk, the recommended action, the reasons, the conflict signals and sentiment, the SLA state and
its due actions. Its JSON (`model_dump(mode="json")`) is what the store keeps and the API answers; instants
are ISO 8601 with their offset (`2026-05-04T09:13:27+00:00`), durations in seconds."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from core.enums import Band, EscalationType, Priority, TicketStatus
from core.sla import ActionKind, TargetKind, TargetState
from core.text import SentimentLabel, SignalName

Iso = Annotated[datetime, PlainSerializer(lambda d: d.isoformat(), return_type=str, when_used="json")]


class _Value(BaseModel):
    # extra keys of stored assessments from older versions are ignored; the fields are read-only values
    model_config = ConfigDict(frozen=True, extra="ignore")


class DueAction(_Value):
    """An SLA action (reminder, escalation, re-prioritisation, routing) due now or soon."""

    action_id: str
    kind: ActionKind
    at: Iso
    to: str
    reason: str = Field(description="the rules engine's note in English (logs); pages word the typed fields")
    target: TargetKind | None = Field(default=None, description="the SLA target it is for, if any")
    level: int | None = None
    escalation_type: EscalationType | None = None
    priority: Priority | None = None
    team: str | None = None
    rule: str = ""
    trigger: bool = Field(default=False, description="fired by an immediate trigger (signals or risk)")
    dedup_key: str = Field(default="", description="the same action under every version of the policy file "
                           "(ticket, target, cycle, kind and level): fire once per key")


class TargetOut(_Value):
    target: TargetKind
    state: TargetState
    due_at: Iso | None
    remaining_s: float = Field(description="business seconds left; negative once breached")
    breached: bool
    breached_by_s: float | None
    escalation_level: int
    # 0 in assessments stored before they were recorded
    earlier_met: int = Field(default=0, description="earlier cycles of this target met in time")
    earlier_failed: int = Field(default=0, description="earlier cycles of this target missed or breached")


class SlaState(_Value):
    policy: str | None
    priority: Priority
    escalation_level: int
    next_due_at: Iso | None = Field(description="the next instant a reminder or escalation becomes due")
    targets: list[TargetOut]
    actions_due: list[DueAction]
    upcoming: list[DueAction]

    @property
    def breached(self) -> bool:
        return any(t.breached for t in self.targets)

    @property
    def soonest_due_at(self) -> datetime | None:
        """The soonest due instant among the running or breached targets."""
        due = [
            t.due_at for t in self.targets
            if t.due_at is not None and t.state in (TargetState.RUNNING, TargetState.BREACHED)
        ]
        return min(due) if due else None


class NextStep(_Value):
    """The recommended step's typed parts, worded by serving/wording/actions.py. A page words it at the
    instant it is shown: a `due_in` step counts down to `due_at` from the page's clock ('due in 10 min' half
    an hour after an assessment that said 'due in 40 min', then 'overdue by 5 min')."""

    kind: str = Field(description="escalate | review | follow_up | reprioritise | route | reminder | none")
    level: int | None = None
    who_kind: str | None = Field(default=None, description="the recipient's kind: manager, team_lead, …")
    who_name: str | None = None
    priority: str | None = None
    team: str | None = None
    why: str | None = Field(default=None, description="overdue | due_in | trigger | risk | rule | null")
    target: str | None = Field(default=None, description="the SLA target an `overdue` or `due_in` is for")
    seconds: float | None = Field(
        default=None,
        description="`overdue`: business seconds overdue; `due_in`: wall-clock seconds left at `assessed_at`",
    )
    due_at: Iso | None = Field(default=None, description="`due_in`: the deadline it counts down to")
    name: str | None = Field(default=None, description="the rule or trigger (`trigger`, `rule`)")
    risk: float | None = Field(default=None, description="`risk`: the risk that warned")


class RecommendedAction(_Value):
    """The one next step: the highest escalation level due (never below the ticket's level), else the model's
    early warning, re-prioritisation, routing or a reminder; the other due actions are `others`."""

    kind: str = Field(description="escalate | review | follow_up | reprioritise | route | reminder | none")
    text: str
    texts: dict[str, str] = Field(default_factory=dict, description="`text` in each language: en, de, no")
    escalation_type: EscalationType | None
    level: int | None
    to: str | None
    source: str = Field(description="rules | model | rules+model | none")
    action_ids: list[str]
    others: list[str] = Field(default_factory=list, description="the other due actions, in words (history)")
    step: NextStep | None = Field(
        default=None,
        description="the step's typed parts, for words at another instant; null: an assessment stored before "
        "they were kept",
    )


class Reason(_Value):
    """One feature's push on the model's score (SHAP, in log-odds before calibration)."""

    feature: str
    value: float | str | None
    contribution: float
    text: str


class SignalOut(_Value):
    event_id: str
    name: SignalName
    evidence: str = Field(description="the words, exactly as written")
    start: int
    end: int


class SentimentOut(_Value):
    event_id: str
    label: SentimentLabel
    scores: dict[SentimentLabel, float]
    polarity: float = Field(description="P(positive) − P(negative)")


class Thresholds(_Value):
    medium: float
    high: float
    critical: float


class TicketState(_Value):
    status: TicketStatus
    priority: Priority
    team: str
    assignee: str | None


class TicketAssessment(_Value):
    ticket_id: str
    assessed_at: Iso
    risk: float | None = Field(description="calibrated escalation risk 0..1; null: rules-only (no model)")
    band: Band = Field(description="the higher of model_band and sla_band")
    model_band: Band | None = Field(description="the model's early warning; null: rules-only")
    sla_band: Band = Field(description="the SLA state's own urgency")
    thresholds: Thresholds | None
    rules_only: bool
    recommended_action: RecommendedAction
    escalation_type: EscalationType | None
    reasons: list[Reason]
    signals: list[SignalOut]
    sentiment: SentimentOut | None = Field(description="of the latest analysed customer message")
    sentiment_trend: float | None = Field(
        description="the latest message's polarity minus the mean of the earlier ones (negative: souring)"
    )
    sla: SlaState
    state: TicketState
    model_version: str | None
    policy_version: str
    sentiment_version: str | None


class Ingested(TicketAssessment):
    """The answer to new events: the ticket's assessment and what the request stored, fired and raised."""

    assessment_id: int
    stored_events: list[str] = Field(description="event ids stored by this request")
    duplicate_events: list[str] = Field(description="event ids already stored with the same content")
    alerts_raised: list[str]
    alerts_suppressed: list[str] = Field(description="by the team's daily alert budget: stored, not sent")
    alerts_displaced: list[str] = Field(description="raised earlier today, displaced by a higher risk")
    actions_fired: list[str]
