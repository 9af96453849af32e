"""`escalation sweep`: the SLA sweeper and the outbox worker as their own process (set
ESCALATION_SWEEPER__ENABLED=false and ESCALATION_OUTBOX__ENABLED=false on the API then), or one pass of each
with `--once` for cron. Several may run at once: action ids and delivery claims keep each action once. With
ESCALATION_SWEEPER__METRICS_PORT set, it serves GET /metrics and GET /healthz there (sweeper/endpoint.py)."""

from __future__ import annotations

import json
import signal
import threading
from typing import Any

import click


@click.command("sweep")
@click.option("--once", is_flag=True, help="one sweep and one delivery pass, print a summary, exit")
@click.option("--no-deliver", is_flag=True, help="sweep only; another process runs the outbox worker")
def sweep(once: bool, no_deliver: bool) -> None:
    """Fire due SLA reminders and escalations and deliver the outbox (webhooks, log, e-mail)."""
    from core.settings import get_settings
    from serving.model_check import start_model_check
    from serving.service import build_service
    from serving.sweeper.endpoint import serve_endpoint
    from serving.sweeper.runner import build_background, start_background

    settings = get_settings()
    service, database = build_service(settings)
    try:
        if once:
            background = build_background(service, settings)
            try:
                swept = background.sweeper.sweep_once()
                due = swept.next_due_at.isoformat() if swept.next_due_at else None
                summary: dict[str, Any] = {"now": swept.now.isoformat(), "assessed": len(swept.assessed),
                                           "fired": len(swept.fired), "alerts": len(swept.alerts),
                                           "next_due_at": due}
                if not no_deliver:
                    sent = background.worker.deliver_once()
                    summary |= {"delivered": len(sent.delivered), "retrying": len(sent.retrying),
                                "failed": len(sent.failed)}
            finally:
                background.stop()
            click.echo(json.dumps(summary))
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        # no POST /v1/admin/reload reaches this process: it takes up an edited policy file itself
        background = start_background(service, settings, sweeper=True, outbox=not no_deliver,
                                      watch_policy_file=True)
        # its re-assessments score with the model: it follows a promotion or a new model file as the API does
        model_check = start_model_check(service, settings)
        endpoint = None
        try:
            if settings.sweeper.metrics_port is not None:  # GET /metrics and /healthz (endpoint.py)
                endpoint = serve_endpoint(service, background.sweeper.stats, settings,
                                          settings.sweeper.metrics_host, settings.sweeper.metrics_port)
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            if endpoint is not None:
                endpoint.stop()
            if model_check is not None:
                model_check.stop()
            background.stop()
    finally:
        database.dispose()
