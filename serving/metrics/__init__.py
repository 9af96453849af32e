"""Prometheus metrics: GET /metrics (serving/routes/metrics.py) and `escalation sweep`'s own endpoint.

- registry.py: one registry per app, and the request latency (a histogram per route template, so
  `/v1/tickets/{ticket_id}/events` is one series, not one per ticket);
- process.py: what a process keeps in memory (its failures, model, policies, caches, kept analyses, sweeper);
- store.py: what is read from the store at scrape time (assessments, escalations, deliveries, write-backs);
- shared.py: with several server processes (`escalation serve --workers N`), whichever answers a scrape
  reports them all."""

from serving.metrics.registry import Metrics, RequestTimer
from serving.metrics.store import StoreCollector

__all__ = ["Metrics", "RequestTimer", "StoreCollector"]
