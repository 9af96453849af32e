"""Managers' KPIs (GET /v1/kpis): escalation rate, first-contact resolution rate and SLA compliance, by period
and team. `figures` types them; `facts` (one ticket's) and `compute` (facts in, figures out) are pure;
`query` reads the facts from the store."""

from serving.kpis.compute import combine, compute_kpis, period_start
from serving.kpis.facts import KpiEvent, TargetCycles, TicketFacts, facts_of
from serving.kpis.figures import PERIODS, KpiFigures, KpiReport, KpiRow, Period
from serving.kpis.query import kpi_report, kpi_teams, load_facts

__all__ = [
    "PERIODS", "KpiEvent", "KpiFigures", "KpiReport", "KpiRow", "Period", "TargetCycles", "TicketFacts",
    "combine", "compute_kpis", "facts_of", "kpi_report", "kpi_teams", "load_facts", "period_start",
]
