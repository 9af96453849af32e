"""The background work of one process: the sweeper loop and the outbox worker loop, started together and
stopped together (by the API's lifespan, or by `escalation sweep`). A sweep that fired something wakes the
worker at once instead of waiting for its next poll."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import httpx

from core.settings import Settings
from helpdesks.writeback import HelpdeskClient, clients_from
from helpdesks.writeback.transport import EndingTransport
from serving.outbox import OutboxWorker, sinks_from
from serving.outbox.writeback import writeback_sinks
from serving.service import Service
from serving.sweeper.loop import BackgroundLoop
from serving.sweeper.stats import SweepStats
from serving.sweeper.sweeper import Clock, Sweeper, utc_now

log = logging.getLogger("serving.background")
SWEEPER_LOOP = "sla-sweeper"


@dataclass
class Background:
    sweeper: Sweeper
    worker: OutboxWorker
    client: httpx.Client
    helpdesks: dict[str, HelpdeskClient] = field(default_factory=dict)  # write-back clients, by name
    loops: list[BackgroundLoop] = field(default_factory=list)

    def sweeps(self) -> SweepStats | None:
        """The sweeper's figures while its loop runs in this process (GET /metrics); None when it does not."""
        return self.sweeper.stats if any(loop.name == SWEEPER_LOOP for loop in self.loops) else None

    def stop(self) -> None:
        for loop in self.loops:
            loop.stop()
        self.client.close()
        for helpdesk in self.helpdesks.values():
            helpdesk.close()


def build_background(service: Service, settings: Settings, clock: Clock = utc_now, *,
                     watch_policy_file: bool = False) -> Background:
    client = httpx.Client(timeout=settings.outbox.webhook_timeout_s, follow_redirects=False,
                          transport=EndingTransport())  # a webhook call ends by its timeout, as a whole
    helpdesks = clients_from(settings.writeback)
    sinks = [*sinks_from(settings.outbox, client),
             *writeback_sinks(settings.writeback, helpdesks, service.store.db)]
    worker = OutboxWorker(service.store.db, sinks, settings.outbox, clock=clock)
    sweeper = Sweeper(service, clock=clock, watch_policy_file=watch_policy_file)
    return Background(sweeper, worker, client, helpdesks)


def start_background(service: Service, settings: Settings, *, sweeper: bool | None = None,
                     outbox: bool | None = None, watch_policy_file: bool = False) -> Background:
    """Start the loops the settings (or the arguments) enable; the caller stops them with `stop()`.
    `watch_policy_file`: the sweeper takes up an edited policy file at its next pass (`escalation sweep`)."""
    background = build_background(service, settings, watch_policy_file=watch_policy_file)
    if outbox if outbox is not None else settings.outbox.enabled:
        if not background.worker.sinks:
            log.warning("outbox: no sink configured (log off, no webhooks, no e-mail); deliveries wait")
        worker_loop = BackgroundLoop("outbox-worker", background.worker.step)
        background.loops.append(worker_loop)
        background.sweeper.on_fired = lambda _result: worker_loop.wake()
    if sweeper if sweeper is not None else settings.sweeper.enabled:
        background.loops.append(BackgroundLoop(SWEEPER_LOOP, background.sweeper.step))
    for loop in background.loops:
        loop.start()
    log.info("background: %s", ", ".join(loop.name for loop in background.loops) or "none (disabled)")
    return background
