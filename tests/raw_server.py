"""Loopback servers that misbehave below HTTP — answering a byte at a time, without end, never, or hanging
up — for the tests of every client that must bound what a server can do to it (write-back, webhooks,
MLflow). One server: `raw_server(handle)`; what it does with each connection is the test's `handle`."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager


@contextmanager
def raw_server(handle: Callable[[socket.socket], None]) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that gives each connection it accepts to `handle`, in a thread of its own,
    until the block ends; yields its URL (`http://127.0.0.1:PORT`)."""
    server = socket.create_server(("127.0.0.1", 0))

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:  # closed: the test is over
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        server.close()


def answer(head: bytes, body: Callable[[], Iterable[bytes]]) -> Callable[[socket.socket], None]:
    """A connection handler: reads the request, sends `head` (status line and headers, ending in a blank
    line), then the chunks of `body()` (called for each connection) until they end or the client hangs up."""

    def handle(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            conn.sendall(head)
            for chunk in body():
                try:
                    conn.sendall(chunk)
                except OSError:  # the client gave up
                    return

    return handle


def dripped(chunk: bytes = b" ") -> Callable[[], Iterator[bytes]]:
    """A body for `answer`: `chunk` every 0.1 s (the server's pace, not synchronisation), 100 times: 10 s,
    far past the timeouts the tests give their clients."""

    def body() -> Iterator[bytes]:
        for _ in range(100):
            time.sleep(0.1)
            yield chunk

    return body
