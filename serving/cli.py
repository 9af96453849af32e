"""`escalation serve`: the API on settings.server.host/port (ESCALATION_SERVER__HOST / __PORT), in
settings.server.workers processes (ESCALATION_SERVER__WORKERS; by default one per usable CPU core, as many
as the database's connections allow)."""

from __future__ import annotations

import errno
import os
import secrets
import socket
from pathlib import Path

import click
import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE

from core.bounds import SERVER_THREADS_MAX, SERVER_WORKERS_MAX
from core.logs import configure_logging
from core.settings import DEV_API_KEYS, Settings, get_settings


@click.command("serve")
@click.option("--host", default=None, help="default: settings.server.host")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="default: settings.server.port")
@click.option(
    "--workers",
    type=click.IntRange(1, SERVER_WORKERS_MAX),
    default=None,
    help="server processes (default: settings.server.workers, else one per usable CPU core, as many as the "
    "database's connections allow)",
)
@click.option(
    "--threads",
    type=click.IntRange(1, SERVER_THREADS_MAX),
    default=None,
    help="requests each process works on at once (default: settings.server.threads)",
)
def serve(host: str | None, port: int | None, workers: int | None, threads: int | None) -> None:
    """Serve the scoring API (migrates the store and loads the models at start-up)."""
    from rules import load_policies
    from serving.app import create_app
    from serving.metrics.shared import run_folder
    from serving.store import migrate

    settings = get_settings()
    if threads is not None:
        server = settings.server.model_copy(update={"threads": threads})
        settings = settings.model_copy(update={"server": server})
    cpus = usable_cpus()
    host, port = host or settings.server.host, port or settings.server.port
    check_listen(host, port)  # before the migration and the models: a wrong address fails in a moment
    # Migrate here, before any server process starts: a store that cannot be reached or migrated stops the
    # command with one line (the workers' own start-up then finds the schema current instead of racing to
    # create it); inside a worker's start-up it would be the server's traceback.
    load_policies(settings.paths.policy_file)  # a file with problems stops here, each named with its line
    # before the migration: said without its log lines
    workers = server_workers(settings, workers or settings.server.workers, cpus)
    migrate(settings.database_url, store=settings.store)
    click.echo(welcome(settings, host, port))
    if workers == 1:
        # log_config None: uvicorn's loggers go through the handler `escalation` configured (core.logs)
        uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)
        return  # access logs would carry ticket ids only; off by default
    # Several processes: they read their settings from the environment set here, and share their figures
    # for GET /metrics in a folder of this run's (serving/metrics/shared.py)
    with run_folder() as shared:
        os.environ.update(worker_environment(settings, workers, cpus, shared))
        run_workers(
            uvicorn.Config(
                "serving.cli:worker_app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_config=None,
                access_log=False,
            )
        )


def check_listen(host: str, port: int) -> None:
    """That the server can listen on host:port, said as the setting to change (the server's own message is
    '[Errno 98] Address already in use' or 'Name or service not known', naming neither)."""
    from core.errors import ConfigError

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise ConfigError(
            f"the host {host!r} (ESCALATION_SERVER__HOST or --host) is not an address here ({exc.strerror}); "
            "give one such as 127.0.0.1, or 0.0.0.0 for every interface"
        ) from None
    probe = socket.socket(family, kind, proto)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        probe.bind(address)
    except OSError as exc:
        taken = exc.errno == errno.EADDRINUSE
        change = ("another program holds the port: choose another with ESCALATION_SERVER__PORT or --port"
                  if taken else "choose another with ESCALATION_SERVER__HOST / --host")
        raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror}); {change}") from None
    finally:
        probe.close()


# The loops of a server process that use the store beside its request threads: the SLA sweeper, the outbox
# worker, the periodic model and policy check, the kept analyses' writer
BACKGROUND_CONNECTIONS = 4


def server_workers(settings: Settings, asked: int | None, cpus: int) -> int:
    """How many server processes to start: `asked` (--workers, else settings.server.workers), else one per
    core, each process holding at most `connections_each` of the store's connections at once. Past what
    PostgreSQL lets this user open to the database, the last connections are refused ('too many clients'):
    requests get 503 under load, and `escalation sweep` and the other instances cannot connect. So a number
    asked for is refused past that bound, naming every figure; the default is one per core only as far as it
    fits (PostgreSQL's default max_connections, 100, holds 12 processes of 8), said when it is fewer. A
    SQLite file: nothing to count."""
    from core.errors import ConfigError
    from serving.store.connections import connection_limit

    limit = connection_limit(settings.database_url, settings.store)
    if limit is None:
        return asked or cpus
    each = connections_each(settings)
    if asked is not None and asked * each > limit.most:
        raise ConfigError(
            f"{asked} server processes (--workers or ESCALATION_SERVER__WORKERS) × "
            f"{connection_figures(settings)} = {asked * each}, more than the {limit.most} {limit.why}; run "
            "fewer workers or threads, lower the pool, or raise the limit, leaving room for the other "
            "instances and `escalation sweep` (docs/scale-out.md)"
        )
    if asked is not None:
        return asked
    fits = limit.most // each
    if fits == 0:
        raise ConfigError(
            f"one server process × {connection_figures(settings)} = {each}, more than the {limit.most} "
            f"{limit.why}; lower the threads or the pool, or raise the limit (docs/scale-out.md)"
        )
    if fits < cpus:
        click.echo(f"{fits} server processes, not one per core ({cpus}): {limit.most} connections {limit.why}"
                   f", and each process may hold {each}; choose with --workers or ESCALATION_SERVER__WORKERS")
    return min(fits, cpus)


def connections_each(settings: Settings) -> int:
    """The connections one server process may hold at once: its request threads and its background loops,
    at most its pool."""
    store = settings.store
    return min(store.pool_size + store.max_overflow, settings.server.threads + BACKGROUND_CONNECTIONS)


def connection_figures(settings: Settings) -> str:
    """`connections_each` with the settings behind it, for a message."""
    store, threads = settings.store, settings.server.threads
    return (
        f"{connections_each(settings)} connections each ({threads} request threads, "
        f"ESCALATION_SERVER__THREADS, and {BACKGROUND_CONNECTIONS} background loops; the pool allows "
        f"{store.pool_size + store.max_overflow}: ESCALATION_STORE__POOL_SIZE {store.pool_size} + "
        f"ESCALATION_STORE__MAX_OVERFLOW {store.max_overflow})"
    )


def welcome(settings: Settings, host: str, port: int) -> str:
    """Where to go once the server is up: the dashboard, how to sign in, the API's docs. Names the manager
    key only when it is the development default (documented, public); a team's own key is never shown."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    base = f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
    dev = [k.key.get_secret_value() for k in settings.serving.api_keys
           if k.role == "manager" and k.key is not None and k in DEV_API_KEYS]
    sign_in = (f"sign in with the development manager key {dev[0]}" if dev
               else "sign in with a manager key (ESCALATION_SERVING__API_KEYS)")
    return f"dashboard: {base}/dashboard ({sign_in}); API docs: {base}/docs"


def worker_app() -> FastAPI:
    """One server worker's application (a spawned process): its logging, configured once, then the app."""
    from serving.app import create_app

    settings = get_settings()
    configure_logging(settings.logging)
    return create_app(settings)


def worker_environment(
    settings: Settings, workers: int, cpus: int, shared: Path | None = None
) -> dict[str, str]:
    """What each of `workers` processes must share or split: one dashboard session secret, so that a login
    works on every worker; the cores, so that their encoders do not each start a thread per core and
    compete for the same ones (measured: 2 workers × 2 threads 109-126 messages/s, 2 × 1 thread 147-182);
    and the folder `shared` where they meet for GET /metrics (prometheus_client reads its own variable).
    Settings given explicitly are kept."""
    env = {"ESCALATION_SERVER__THREADS": str(settings.server.threads)}  # `--threads` reaches every worker
    if shared is not None and settings.metrics.enabled:
        env["ESCALATION_METRICS__SHARED_DIR"] = env["PROMETHEUS_MULTIPROC_DIR"] = str(shared)
    if settings.dashboard.secret is None:
        env["ESCALATION_DASHBOARD__SECRET"] = secrets.token_urlsafe(32)
    if settings.sentiment.num_threads is None:
        env["ESCALATION_SENTIMENT__NUM_THREADS"] = str(encoder_threads(workers, cpus))
    return env


def usable_cpus() -> int:
    """The cores this process may run on (a container's cpuset, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def encoder_threads(workers: int, cpus: int) -> int:
    """Each worker's share of the cores for its encoder."""
    return max(1, cpus // workers)


def run_workers(config: uvicorn.Config) -> None:
    """What `uvicorn.run(workers=N)` does, with the listening socket re-made as IPPROTO_TCP. uvicorn binds it
    with protocol 0, so asyncio does not set TCP_NODELAY on the accepted connections, and every keep-alive
    request after the first waits ~40 ms for the client's delayed ACK (uvicorn issue #3149, open; measured
    here: /healthz 44 ms instead of 2.5 ms with two workers)."""
    from uvicorn.supervisors import Multiprocess

    from serving.errors import ServerStartError

    supervisor = Multiprocess(config, sockets=[tcp_listener(config)])
    supervisor.run()
    # uvicorn stops every worker when one cannot start (its reason is logged), and then returns as after a
    # clean stop: the command must not exit 0, or a service manager takes the failure for a stop
    if any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes):
        raise ServerStartError("a server process could not start (reason logged above); nothing serves")


def tcp_listener(config: uvicorn.Config) -> socket.socket:
    """uvicorn's bound listening socket, re-wrapped with its real protocol (IPPROTO_TCP)."""
    bound = config.bind_socket()
    tcp = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
    tcp.set_inheritable(True)  # the workers are spawned processes: they inherit it
    return tcp
