"""Managers' KPIs (GET /v1/kpis): escalation rate, first-contact resolution rate and SLA compliance, by period
and team. `figures` types them; `compute` is pure (facts in, figures out); `query` reads the facts from the
store."""

from serving.kpis.compute import TicketFacts, combine, compute_kpis, facts_of, period_start
from serving.kpis.figures import PERIODS, KpiFigures, KpiReport, KpiRow, Period
from serving.kpis.query import kpi_report, kpi_teams, load_facts

__all__ = [
    "PERIODS", "KpiFigures", "KpiReport", "KpiRow", "Period", "TicketFacts", "combine", "compute_kpis",
    "facts_of", "kpi_report", "kpi_teams", "load_facts", "period_start",
]
