"""`escalation sweep`'s own HTTP endpoint, when `sweeper.metrics_port` is set: GET /metrics, the Prometheus
text of the same collectors as the API's (serving/metrics/: this process's passes, the store-derived
escalations and deliveries, the policy file's refusals, the store being up), and GET /healthz, 200 while the
last completed pass is at most `sweeper.healthy_within_s` old, else 503. A plain WSGI server on its own
threads: the process has no event loop, and a scrape must not wait for a pass."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from core.errors import ConfigError
from core.settings import Settings
from serving.metrics import Metrics
from serving.service import Service
from serving.sweeper.stats import SweepStats

log = logging.getLogger("serving.sweeper")
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
JSON = "application/json"


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a scraper that hangs up late does not hold the process at exit


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """A line per scrape to stderr would bury the sweeper's own log."""


class Endpoint:
    """The server and its thread; `stop()` closes it."""

    def __init__(self, server: WSGIServer) -> None:
        self._server = server
        self.port: int = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, name="sweeper-metrics", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def serve_endpoint(service: Service, stats: SweepStats, settings: Settings, host: str, port: int) -> Endpoint:
    """Listen on host:port (0: a free port) and answer GET /metrics and GET /healthz on a thread. A port that
    cannot be bound is a ConfigError naming the setting."""
    metrics = Metrics(
        lambda: service.store.db, settings.metrics.cache_s, lambda: service.isolation,
        lambda: (service.model_loads, service.model_version()), lambda: service.kept, service.caches,
        lambda: service.policy_loads, lambda: stats,
    )
    app = _app(metrics, stats, settings.sweeper.healthy_within_s)
    server_class = type("Server", (_Server,), {"address_family": _family(host)})
    try:
        server: WSGIServer = make_server(host, port, app, server_class, _QuietHandler)
    except OSError as exc:
        raise ConfigError(
            f"ESCALATION_SWEEPER__METRICS_PORT: {host}:{port} cannot be listened on ({exc.strerror or exc}); "
            "give a free port, or ESCALATION_SWEEPER__METRICS_HOST an address of this machine"
        ) from None
    endpoint = Endpoint(server)
    log.info("sweeper: GET /metrics and GET /healthz on http://%s:%d", host, endpoint.port)
    return endpoint


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _app(metrics: Metrics, stats: SweepStats, healthy_within_s: float) -> WsgiApp:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path not in ("/metrics", "/healthz"):
            return _answer(start_response, "404 Not Found", JSON, _error(
                "not_found", f"{path!r} is not served here; GET /metrics or GET /healthz"))
        if method not in ("GET", "HEAD"):
            return _answer(start_response, "405 Method Not Allowed", JSON, _error(
                "method_not_allowed", f"{method} {path}: only GET is served here"), [("Allow", "GET, HEAD")])
        if path == "/metrics":
            return _answer(start_response, "200 OK", CONTENT_TYPE_LATEST, generate_latest(metrics.registry))
        age = stats.last_pass_age_s()
        fresh = age <= healthy_within_s
        body = {"status": "ok" if fresh else "stale", "last_pass_age_s": round(age, 3),
                "healthy_within_s": healthy_within_s, "passes": stats.passes["completed"]}
        return _answer(start_response, "200 OK" if fresh else "503 Service Unavailable", JSON,
                       json.dumps(body).encode())

    return app


def _error(error: str, detail: str) -> bytes:
    return json.dumps({"error": error, "detail": detail}).encode()


def _answer(start_response: Callable[..., Any], status: str, content_type: str, body: bytes,
            headers: list[tuple[str, str]] | None = None) -> list[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))),
                            *(headers or [])])
    return [body]
