"""The figures read from the store at scrape time (cached for `metrics.cache_s`): assessments by band,
escalations and SLA actions fired, deliveries by outcome, write-backs by helpdesk. They count what every
process, every instance and `escalation sweep` did, and survive restarts: aggregate them across instances
with max(), not sum()."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesks.writeback import HELPDESKS
from serving.outbox.writeback import sink_name
from serving.store.database import Database, store_down
from serving.store.repository import WRITEBACK
from serving.store.tables import ActionRow, AssessmentRow, DeliveryRow


class StoreCollector(Collector):
    def __init__(self, database: Callable[[], Database | None], cache_s: float) -> None:
        self._database = database
        self._cache_s = cache_s
        self._lock = threading.Lock()
        self._cached: tuple[float, dict[str, Sequence[Any]]] | None = None

    def collect(self) -> Iterator[Metric]:
        try:
            counts = self._counts()
        except Exception as exc:
            if not store_down(exc):
                raise
            # the database away: the scrape still carries this process's own figures (its 503s among them),
            # and says the store is down, instead of failing as a whole
            counts, up = None, 0
        else:
            up = 1
        if self._database() is None:  # starting up
            return
        store_up = GaugeMetricFamily("escalation_store_up", "1 while the store answered this scrape, else 0")
        store_up.add_metric([], up)
        yield store_up
        if counts is None:
            return
        bands = CounterMetricFamily(
            "escalation_assessments", "Assessments recorded, by risk band", labels=["band"]
        )
        for band, n in counts["bands"]:
            bands.add_metric([band], n)
        fired = CounterMetricFamily(
            "escalation_escalations_fired", "Escalations fired, by level and type", labels=["level", "type"]
        )
        for level, kind, n in counts["escalations"]:
            fired.add_metric([str(level), kind or "none"], n)
        actions = CounterMetricFamily(
            "escalation_actions_fired", "SLA actions fired, by kind", labels=["kind"]
        )
        for kind, n in counts["actions"]:
            actions.add_metric([kind], n)
        deliveries = GaugeMetricFamily(
            "escalation_deliveries", "Outbox deliveries by outcome (status)", labels=["outcome"]
        )
        for status, n in counts["deliveries"]:
            deliveries.add_metric([status], n)
        writebacks = CounterMetricFamily(
            "escalation_writebacks",
            "Write-backs to helpdesks, by helpdesk and outcome: sent (delivered), failed (given up), "
            "rate_limited (answers 429 Too Many Requests)",
            labels=["helpdesk", "outcome"],
        )
        for helpdesk, outcome, n in counts["writebacks"]:
            writebacks.add_metric([helpdesk, outcome], n)
        yield from (bands, fired, actions, deliveries, writebacks)

    def _counts(self) -> dict[str, Sequence[Any]] | None:
        database = self._database()
        if database is None:  # starting up
            return None
        with self._lock:
            now = time.monotonic()
            if self._cached is not None and now - self._cached[0] < self._cache_s:
                return self._cached[1]
            with database.session() as s:
                counts = {
                    "bands": s.execute(
                        select(AssessmentRow.band, func.count()).group_by(AssessmentRow.band)
                    ).all(),
                    "escalations": s.execute(
                        select(ActionRow.level, ActionRow.escalation_type, func.count())
                        .where(ActionRow.kind == "escalate")
                        .group_by(ActionRow.level, ActionRow.escalation_type)
                    ).all(),
                    "actions": s.execute(select(ActionRow.kind, func.count()).group_by(ActionRow.kind)).all(),
                    "deliveries": s.execute(
                        select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)
                    ).all(),
                    "writebacks": [row for h in HELPDESKS for row in _writebacks(s, h)],
                }
            self._cached = (now, counts)
            return counts


def _writebacks(s: Session, helpdesk: str) -> list[tuple[str, str, int]]:
    """One helpdesk's write-backs sent and failed (deliveries settled so), and the 429s its sink was answered
    (counted on each row by the outbox worker)."""
    limited = DeliveryRow.sinks[(sink_name(helpdesk), "rate_limited")].as_integer()
    rows = s.execute(
        select(DeliveryRow.status, func.count(), func.coalesce(func.sum(limited), 0))
        .where(DeliveryRow.kind == WRITEBACK, DeliveryRow.ticket_id.startswith(f"{helpdesk}-"))
        .group_by(DeliveryRow.status)
    ).all()
    by_status = {status: (int(n), int(r)) for status, n, r in rows}
    return [
        (helpdesk, "sent", by_status.get("delivered", (0, 0))[0]),
        (helpdesk, "failed", by_status.get("failed", (0, 0))[0]),
        (helpdesk, "rate_limited", sum(r for _, r in by_status.values())),
    ]
