"""`escalation serve --workers 2` as a user starts it: two server processes on one port and one store
(migrated once before they start), a dashboard session valid on whichever process answers, events accepted
by both."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from core.bounds import SERVER_THREADS_MAX, SERVER_WORKERS_MAX
from core.cli import cli
from core.errors import ConfigError
from core.settings import Settings
from serving.cli import server_workers, usable_cpus, welcome, worker_environment
from tests.serving.conftest import free_port, new_postgres_database, two_worker_server

ROOT = Path(__file__).resolve().parents[2]
INTEGRATION = {"X-API-Key": "dev-integration-key"}


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[str]:
    with two_worker_server(tmp_path) as url:
        yield url


def test_two_workers_share_the_store_and_the_session_secret(two_workers: str) -> None:
    with httpx.Client(base_url=two_workers, timeout=30) as client:
        r = client.post("/dashboard/login", data={"api_key": "dev-manager-key"})
        assert r.status_code == 303
        cookie = r.cookies["escalation_session"]
    # fresh connections are accepted by either process; each must honour the other's session cookie
    for _ in range(12):
        with httpx.Client(base_url=two_workers, timeout=30, cookies={"escalation_session": cookie}) as c:
            assert c.get("/dashboard").status_code == 200
    for i in range(8):
        with httpx.Client(base_url=two_workers, timeout=30) as c:
            r = c.post(
                f"/v1/tickets/W-{i}/events",
                headers=INTEGRATION,
                json={
                    "ticket": {
                        "created_at": "2026-05-04T09:00:00Z", "channel": "email", "priority": "normal",
                        "customer_id": "C-W", "customer_tier": "gold", "product": "invoicing",
                        "category": "billing_payment", "team": "billing", "language": "en",
                    },
                    "events": [{"event_id": f"W-{i}-1", "at": "2026-05-04T09:00:00Z",
                                "type": "customer_message", "author_role": "customer", "body": "Hello"}],
                },
            )
            assert r.status_code == 200, r.text
            assert r.json()["rules_only"] is True
    with httpx.Client(base_url=two_workers, timeout=30) as c:
        listed = c.get("/v1/early-warning", headers={"X-API-Key": "dev-manager-key"}, params={"limit": 50})
        assert listed.json()["total"] == 8


def test_the_workers_listener_gives_connections_tcp_nodelay() -> None:
    """The socket handed to the workers makes asyncio set TCP_NODELAY on each accepted connection; with
    uvicorn's own (protocol 0) it does not, and keep-alive requests wait ~40 ms for a delayed ACK."""
    import asyncio
    import socket

    import uvicorn

    from serving.cli import tcp_listener

    async def nodelay_of_accepted(listener: socket.socket) -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        async with server:
            port = listener.getsockname()[1]
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                return await asyncio.wait_for(accepted, timeout=10)
            finally:
                writer.close()

    config = uvicorn.Config("serving.app:create_app", host="127.0.0.1", port=free_port())
    listener = tcp_listener(config)
    assert listener.proto == socket.IPPROTO_TCP
    assert asyncio.run(nodelay_of_accepted(listener)) != 0  # uvicorn 0.54's own socket gives 0 here


def test_workers_share_one_secret_and_split_the_cores() -> None:
    settings = Settings()
    env = worker_environment(settings, workers=2, cpus=2)
    assert env["ESCALATION_SENTIMENT__NUM_THREADS"] == "1"
    assert len(env["ESCALATION_DASHBOARD__SECRET"]) >= 32
    assert worker_environment(settings, workers=3, cpus=8)["ESCALATION_SENTIMENT__NUM_THREADS"] == "2"
    assert worker_environment(settings, workers=4, cpus=2)["ESCALATION_SENTIMENT__NUM_THREADS"] == "1"
    # what the operator set is kept
    chosen = Settings.model_validate({"sentiment": {"num_threads": 2}, "dashboard": {"secret": "s" * 40}})
    assert worker_environment(chosen, workers=2, cpus=2) == {"ESCALATION_SERVER__THREADS": "4"}


def test_workers_default_to_one_per_usable_core(tmp_path: Path) -> None:
    assert Settings().server.workers is None
    sqlite = Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}")  # a file: no connections to count
    assert server_workers(sqlite, None, cpus=2) == 2  # neither the flag nor the setting: one per core
    assert server_workers(sqlite, 3, cpus=2) == 3  # --workers, else ESCALATION_SERVER__WORKERS
    assert 1 <= usable_cpus() <= (os.cpu_count() or 1)


def serve_on_cores(cpus: int, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`escalation serve` as a process on a machine of `cpus` cores (simulated), its server processes not
    started: what it would start is printed instead."""
    started = "lambda *a, **k: print('started', getattr(a[0], 'workers', 1), 'server processes')"
    code = (f"import serving.cli as c; c.usable_cpus = lambda: {cpus}; c.run_workers = {started}; "
            f"c.uvicorn.run = {started}; from core.cli import main; main()")
    return subprocess.run([sys.executable, "-c", code, "serve", *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False, cwd=ROOT)


def test_the_default_serve_on_many_cores_starts_as_many_workers_as_postgresql_allows(
    postgres_url: str, tmp_path: Path
) -> None:
    """On 16 cores against PostgreSQL's default max_connections (100), one worker per core (16 × 8
    connections) was refused at start: the default `escalation serve` did not start on a common machine. The
    default now fits the limit; a number asked for past it is still refused, naming each figure."""
    from serving.store.connections import connection_limit

    limit = connection_limit(postgres_url)
    assert limit is not None and limit.most // 8 < 16, "the test needs a server that cannot hold 16 × 8"
    fits = limit.most // 8
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "ESCALATION_DATABASE_URL": postgres_url,
           "ESCALATION_SERVER__PORT": str(free_port()), "PYTHONPATH": str(ROOT)}
    default = serve_on_cores(16, env)
    assert default.returncode == 0, default.stderr
    assert f"started {fits} server processes" in default.stdout
    assert (f"{fits} server processes, not one per core (16): {limit.most} connections {limit.why}, and each "
            "process may hold 8; choose with --workers or ESCALATION_SERVER__WORKERS") in default.stdout
    asked = serve_on_cores(16, env, "--workers", "16")
    assert asked.returncode == 1 and "started" not in asked.stdout
    assert asked.stderr.splitlines() == [
        "error: 16 server processes (--workers or ESCALATION_SERVER__WORKERS) × 8 connections each (4 "
        "request threads, ESCALATION_SERVER__THREADS, and 4 background loops; the pool allows 20: "
        "ESCALATION_STORE__POOL_SIZE 10 + ESCALATION_STORE__MAX_OVERFLOW 10) = 128, more than the "
        f"{limit.most} {limit.why}; run fewer workers or threads, lower the pool, or raise the limit, "
        "leaving room for the other instances and `escalation sweep` (docs/scale-out.md)"
    ]
    few = serve_on_cores(4, env)  # fewer cores than the limit holds: one per core, nothing to say
    assert few.returncode == 0 and "started 4 server processes" in few.stdout
    assert "not one per core" not in few.stdout


def test_each_worker_configures_logging_from_its_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], log_output: object, tmp_path: Path
) -> None:
    import json
    import logging

    from serving.cli import worker_app

    monkeypatch.setenv("ESCALATION_LOGGING__FORMAT", "json")
    monkeypatch.setenv("ESCALATION_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    app = worker_app()  # what uvicorn calls in each spawned worker (the lifespan has not run)
    assert app.state.settings.logging.format == "json"
    logging.getLogger("serving").info("worker up")
    assert json.loads(capsys.readouterr().err)["message"] == "worker up"


def test_serve_says_where_the_dashboard_is_and_names_only_the_development_key() -> None:
    dev = welcome(Settings(), "0.0.0.0", 8000)
    assert dev.startswith("dashboard: http://127.0.0.1:8000/dashboard (")
    assert "development manager key dev-manager-key" in dev and "http://127.0.0.1:8000/docs" in dev
    keys = [{"name": "ops", "role": "manager", "key": "s3cret-key-of-the-team"}]
    own = Settings(serving={"api_keys": keys})
    text = welcome(own, "10.0.0.5", 9000)
    assert "s3cret" not in text and "http://10.0.0.5:9000/dashboard" in text
    assert "sign in with a manager key (ESCALATION_SERVING__API_KEYS)" in text


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_store_that_does_not_answer_stops_serve_with_one_line_without_its_password(
    tmp_path: Path, workers: str
) -> None:
    closed = free_port()  # nothing listens there
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "ESCALATION_SERVER__WORKERS": workers,
           "ESCALATION_DATABASE_URL": f"postgresql+psycopg://ops:pw-s3cret@127.0.0.1:{closed}/escalation"}
    done = subprocess.run([sys.executable, "-c", "from core.cli import main; main()", "serve"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: the store at postgresql+psycopg://ops:***@127.0.0.1:{closed}/escalation does not answer "
        "(Connection refused); check ESCALATION_DATABASE_URL and that the database server runs"
    ]
    assert "dashboard:" not in done.stdout  # nothing said about a server that did not start


def test_a_policy_file_with_problems_stops_serve_naming_its_line(tmp_path: Path) -> None:
    policies = tmp_path / "policies.yaml"
    policies.write_text("calendars:\n  office:\n    timezone: Europe/Olso\n    hours: 24/7\npolicies: []\n",
                        encoding="utf-8")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "ESCALATION_PATHS__POLICY_FILE": str(policies),
           "ESCALATION_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    done = subprocess.run([sys.executable, "-c", "from core.cli import main; main()", "serve"], env=env,
                          capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: 2 problem(s) in policy file {policies}:",
        f"  {policies}, line 3, at calendars.office.timezone: unknown time zone 'Europe/Olso'; "
        "use an IANA name such as Europe/Oslo or UTC",
        f"  {policies}, line 5, at policies: List should have at least 1 item after validation, not 0 "
        "(got [])",
    ]
    assert "dashboard:" not in done.stdout
    assert not (tmp_path / "store.db").exists()  # stopped before the store


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_start_up_failure_of_ours_is_one_line_and_a_failed_exit(tmp_path: Path, workers: str) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "ESCALATION_SERVER__WORKERS": workers,
           "ESCALATION_SERVER__PORT": str(free_port()), "ESCALATION_SERVING__SENTIMENT": "false",
           "ESCALATION_SERVING__MODEL_URI": str(tmp_path / "missing.json"),
           "ESCALATION_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
           "ESCALATION_LOGGING__LEVEL": "WARNING"}
    done = subprocess.run([sys.executable, "-c", "from core.cli import main; main()", "serve"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0  # a service manager must see a failure, not a stop
    said = f"start-up failed: no model file at {tmp_path / 'missing.json'}; train one with `escalation train"
    assert said in done.stderr
    # which setting named the file, and the way back to the default (a bad path in a deployment's settings)
    assert ("(the file ESCALATION_SERVING__MODEL_URI names; unset it to serve the registry's champion or "
            "the models folder's escalation-risk.json)") in done.stderr
    assert "Traceback" not in done.stderr and "  File " not in done.stderr


def test_an_address_serve_cannot_listen_on_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    import socket

    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    port = held.getsockname()[1]
    base = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
            "ESCALATION_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    said = []
    wrong = ({"ESCALATION_SERVER__PORT": str(port)}, {"ESCALATION_SERVER__HOST": "no-such-host.invalid"})
    try:
        for setting in wrong:
            done = subprocess.run([sys.executable, "-c", "from core.cli import main; main()", "serve"],
                                  env=base | setting, capture_output=True, text=True, timeout=120,
                                  check=False)
            assert done.returncode == 1
            said += done.stderr.splitlines()
    finally:
        held.close()
    assert said[0] == (f"error: cannot listen on 127.0.0.1:{port} (Address already in use); another program "
                       "holds the port: choose another with ESCALATION_SERVER__PORT or --port")
    assert said[1].startswith("error: the host 'no-such-host.invalid' (ESCALATION_SERVER__HOST or --host) is "
                              "not an address here")
    assert len(said) == 2 and not (tmp_path / "store.db").exists()  # said before the store was touched


@pytest.mark.parametrize(("option", "value", "limit"), [
    ("--workers", "100000", f"1<=x<={SERVER_WORKERS_MAX}"),
    ("--threads", "100000", f"1<=x<={SERVER_THREADS_MAX}"),
    ("--port", "70000", "1<=x<=65535"),
    ("--port", "0", "1<=x<=65535"),
])
def test_serve_refuses_workers_threads_or_a_port_past_their_limits_naming_it(
    option: str, value: str, limit: str
) -> None:
    """`serve --workers 100000` started spawning a hundred thousand processes, each loading the models;
    `--threads 100000` set a thread pool the settings refuse (server.threads); `--port 70000` ended in
    uvicorn's OverflowError traceback (`--port -1` blamed the host) and `--port 0` served on the setting's
    port (server.port, 1-65535)."""
    result = CliRunner().invoke(cli, ["serve", option, value])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': {value} is not in the range {limit}" in result.output
    with pytest.raises(ValueError, match=r"(less|greater) than or equal to"):
        Settings(server={option.removeprefix("--"): int(value)})  # the setting has the same limit


def test_more_connections_than_the_database_allows_stops_serve_naming_the_settings(
    postgres_url: str, tmp_path: Path
) -> None:
    """`serve --workers 3` (each process up to its 4 request threads and 4 background loops on the store)
    against a database that allows 10 connections: under load the third worker's requests (and the other
    instances', and `escalation sweep`'s) got 503 'too many connections'; it is said at start instead."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    role = f"escalation_limit_{uuid.uuid4().hex[:8]}"  # not a superuser: a database's limit binds it
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    try:
        with new_postgres_database(postgres_url, prefix="escalation_limit") as owned:
            name = make_url(owned).database
            with admin.connect() as c:
                c.execute(text(f'ALTER DATABASE "{name}" OWNER TO "{role}"'))
                c.execute(text(f'ALTER DATABASE "{name}" CONNECTION LIMIT 10'))
            url = make_url(owned).set(username=role, password=None).render_as_string(hide_password=False)
            env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "ESCALATION_SERVER__WORKERS": "3",
                   "ESCALATION_SERVER__PORT": str(free_port()), "ESCALATION_DATABASE_URL": url}
            done = subprocess.run([sys.executable, "-c", "from core.cli import main; main()", "serve"],
                                  env=env, capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)
            assert done.returncode == 1, done.stderr
            assert done.stderr.splitlines() == [
                "error: 3 server processes (--workers or ESCALATION_SERVER__WORKERS) × 8 connections each "
                "(4 request threads, ESCALATION_SERVER__THREADS, and 4 background loops; the pool allows 20: "
                "ESCALATION_STORE__POOL_SIZE 10 + ESCALATION_STORE__MAX_OVERFLOW 10) = 24, more than the 10 "
                f"the database {name} allows (its CONNECTION LIMIT); run fewer workers or threads, lower the "
                "pool, or raise the limit, leaving room for the other instances and `escalation sweep` "
                "(docs/scale-out.md)"
            ]
            assert "dashboard:" not in done.stdout
            assert server_workers(Settings(database_url=url), 1, cpus=2) == 1  # 8 of 10: starts
            small = Settings(database_url=url, store={"pool_size": 2, "max_overflow": 1})
            assert server_workers(small, 3, cpus=2) == 3  # 3 × 3 = 9 of 10: starts
            assert server_workers(Settings(database_url=url), None, cpus=16) == 1  # the default: what fits
            wide = Settings(database_url=url, server={"threads": 8})  # 12 a process: not even one fits
            with pytest.raises(ConfigError) as refused:
                server_workers(wide, None, cpus=16)
            assert str(refused.value) == (
                "one server process × 12 connections each (8 request threads, ESCALATION_SERVER__THREADS, "
                "and 4 background loops; the pool allows 20: ESCALATION_STORE__POOL_SIZE 10 + "
                f"ESCALATION_STORE__MAX_OVERFLOW 10) = 12, more than the 10 the database {name} allows (its "
                "CONNECTION LIMIT); lower the threads or the pool, or raise the limit (docs/scale-out.md)"
            )
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()
