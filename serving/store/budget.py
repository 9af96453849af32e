"""The per-team daily alert budget: at most `limit` model-driven alerts stand raised per team and budget day,
and they are the highest-risk ones seen that day (top-k by risk, kept as alerts arrive).

Every decision for one team and day happens under a lock on that pair's `alert_budgets` row (SELECT … FOR
UPDATE on PostgreSQL; on SQLite the recording transaction already holds the database's one write lock), inside
the transaction that records the assessment: two requests at once cannot both take the last slot."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from serving.store.tables import AlertBudgetRow, AlertRow, DeliveryRow
from serving.store.writes import insert_new

BUDGETED_KINDS = ("risk",)  # model-driven; `trigger` alerts (immediate rule triggers) are never budgeted


@dataclass(frozen=True, slots=True)
class AlertBudget:
    """`per_day`: alerts a team may have raised per budget day (None: no budget); `by_team`: overrides,
    matched to a team's name in any case; `timezone`: where a budget day starts and ends."""

    per_day: int | None = 20
    by_team: Mapping[str, int | None] = field(default_factory=dict)
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        # ESCALATION_SERVING__ALERT_BUDGET_BY_TEAM__BILLING reaches the settings as `billing`: matched by the
        # exact name it never applied to the team `Billing`, and nothing said so
        object.__setattr__(self, "by_team", {team.casefold(): k for team, k in self.by_team.items()})

    def limit(self, team: str) -> int | None:
        return self.by_team.get(team.casefold(), self.per_day)

    def day(self, at: datetime) -> str:
        return at.astimezone(ZoneInfo(self.timezone)).date().isoformat()


@dataclass(frozen=True, slots=True)
class Decision:
    status: str  # raised | suppressed
    displaced: str | None = None  # dedup key of the alert this one displaced


def raise_within_budget(s: Session, budget: AlertBudget, row: dict[str, Any]) -> Decision | None:
    """Insert the alert `row` (it has `team`, `risk`, `dedup_key`, `raised_at`) raised or suppressed by the
    team's budget for its day; None when its dedup key was taken already (nothing changes then)."""
    team, day, limit = row["team"], budget.day(row["raised_at"]), budget.limit(row["team"])
    row = {**row, "budget_day": day}
    if limit is None:
        return Decision("raised") if _insert(s, row, "raised") else None
    insert_new(s, AlertBudgetRow.__table__, [{"team": team, "day": day, "admitted": 0}], AlertBudgetRow.team)
    where = (AlertBudgetRow.team == team, AlertBudgetRow.day == day)
    admitted = s.execute(select(AlertBudgetRow.admitted).where(*where).with_for_update()).scalar_one()
    if admitted < limit:
        if not _insert(s, row, "raised"):
            return None
        s.execute(update(AlertBudgetRow).where(*where).values(admitted=admitted + 1))
        return Decision("raised")
    lowest = s.execute(
        select(AlertRow.id, AlertRow.dedup_key, AlertRow.risk)
        .where(AlertRow.team == team, AlertRow.budget_day == day, AlertRow.status == "raised",
               AlertRow.kind.in_(BUDGETED_KINDS))
        .order_by(AlertRow.risk.asc().nulls_first(), AlertRow.id.desc())  # ties: the newest goes first
        .limit(1)
    ).first()
    spent = f"team {team!r} has spent its budget of {limit} alert(s) for {day}"
    if lowest is None or not _higher(row["risk"], lowest.risk):
        floor = "" if lowest is None else f" and its risk is not above the lowest raised ({lowest.risk})"
        return Decision("suppressed") if _insert(s, row, "suppressed", spent + floor) else None
    if not _insert(s, row, "raised"):
        return None
    s.execute(
        update(AlertRow).where(AlertRow.id == lowest.id)
        .values(status="suppressed",
                suppressed_reason=f"displaced by {row['dedup_key']} (risk {row['risk']}): {spent}")
    )
    # not delivered if it has not gone out yet; a delivery in flight or done stays as it is
    s.execute(
        update(DeliveryRow).where(DeliveryRow.ref == lowest.dedup_key, DeliveryRow.status == "pending")
        .values(status="suppressed", last_error=f"alert displaced by {row['dedup_key']} (team budget)")
        .execution_options(synchronize_session=False)
    )
    return Decision("raised", lowest.dedup_key)


def _higher(risk: float | None, than: float | None) -> bool:
    """Strictly higher; an alert without a score (rules-only) ranks below every scored one."""
    return risk is not None and (than is None or risk > than)


def _insert(s: Session, row: dict[str, Any], status: str, reason: str | None = None) -> bool:
    return bool(insert_new(s, AlertRow.__table__, [{**row, "status": status, "suppressed_reason": reason}],
                           AlertRow.dedup_key))
