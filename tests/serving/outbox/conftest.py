"""Outbox fixtures: a migrated store on SQLite or PostgreSQL, a service writing back to a fake helpdesk
(`desk`), a webhook receiver (a real HTTP server on 127.0.0.1 that fails its first requests and checks the
HMAC) and a small SMTP server (socketserver)."""

from __future__ import annotations

import base64
import socketserver
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from serving.outbox import SIGNATURE_HEADER, verify
from serving.store import Database, migrate

from .desk import Desk

SECRET = "test-webhook-secret-3f9a"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    sqlite = f"sqlite:///{tmp_path / 'store.db'}"
    url = sqlite if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    migrate(url)
    db = Database(url)
    yield db
    if request.param == "postgresql":  # shared by this run's tests: leave it empty
        from serving.store.tables import Base

        Base.metadata.drop_all(db.engine)
        with db.engine.begin() as c:
            c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    db.dispose()


@dataclass
class Receiver:
    url: str
    fail_first: int = 0
    received: list[tuple[str, bytes, bool]] = field(default_factory=list)  # (ref, body, signature ok)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            ok = verify(body, self.headers.get(SIGNATURE_HEADER), SECRET)
            with state.lock:
                state.received.append((self.headers.get("X-Escalation-Delivery", ""), body, ok))
                failing = len(state.received) <= state.fail_first
            status = 401 if not ok else (503 if failing else 204)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/escalations?token=url-secret"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[bytes] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    """Just enough SMTP (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) for smtplib."""
    box = Mailbox("127.0.0.1", 0)

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            self.reply("220 fake ESMTP")
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                verb = line.decode().strip().split(" ")[0].upper()
                if verb == "EHLO":
                    self.reply("250-fake")
                    self.reply("250 AUTH PLAIN")
                elif verb == "AUTH":
                    _, user, password = base64.b64decode(line.split()[2]).split(b"\0")
                    box.logins.append((user.decode(), password.decode()))
                    self.reply("235 ok")
                elif verb == "DATA":
                    self.reply("354 go on")
                    data = b""
                    while (chunk := self.rfile.readline()) != b".\r\n":
                        data += chunk
                    box.messages.append(data)
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    box.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box
    server.shutdown()
    server.server_close()


@pytest.fixture
def desk(url: str, models_dir: Path) -> Iterator[Callable[..., Desk]]:
    migrate(url)
    made: list[Desk] = []

    def make(writeback: dict[str, object], **outbox: object) -> Desk:
        made.append(Desk(url, models_dir, writeback, **outbox))
        return made[-1]

    yield make
    for d in made:
        d.close()
