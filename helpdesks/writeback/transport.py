"""The network under the helpdesk clients (and the outbox's webhooks), with an end: httpx times each
connect, read and write alone, so an answer whose head or body comes a byte at a time, or a name the
resolver takes minutes over (the resolver is not timed at all), held one call — and the outbox worker with
every delivery behind it — past its timeout, past the attempt's budget and past the claim on the delivery.
Here every wait of a call (the name's resolution, the connection, TLS, each read and write) waits at most
what is left until the call's end (`call_ends`), and past it the call fails."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

_ENDS: ContextVar[float | None] = ContextVar("writeback_call_ends", default=None)


class NameNotResolvedError(httpcore.ConnectError):
    """The helpdesk's host name has no address (misspelt, or the resolver failed)."""


@contextmanager
def call_ends(at: float | None) -> Iterator[None]:
    """Every network wait inside the block ends by `at` (time.monotonic(); None: each has its own
    timeout only)."""
    token = _ENDS.set(at)
    try:
        yield
    finally:
        _ENDS.reset(token)


def _left(timeout: float | None, spent: type[httpcore.TimeoutException]) -> float | None:
    """`timeout`, or what is left until the call's end when that is shorter; raises `spent` past it."""
    ends = _ENDS.get()
    if ends is None:
        return timeout
    left = ends - time.monotonic()
    if left <= 0:
        raise spent("the call's time is spent")
    return left if timeout is None else min(timeout, left)


def _resolve(host: str, port: int, timeout: float | None) -> list[Any]:
    """The addresses of `host`, resolved in a thread of its own that is given up after `timeout`: the
    system's resolver has no timeout of ours, and a resolver that does not answer would hold the call."""
    found: list[Any] = []
    failed: list[OSError] = []

    def lookup() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            failed.append(exc)

    thread = threading.Thread(target=lookup, name="writeback-resolve", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise httpcore.ConnectTimeout(f"no address for the host within {timeout:.3g} s")
    if failed and not isinstance(failed[0], socket.gaierror):
        raise httpcore.ConnectError(type(failed[0]).__name__) from failed[0]
    if not found:
        raise NameNotResolvedError("the host name does not resolve")
    return found


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        left = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        failure: Exception = httpcore.ConnectError("no address")
        for *_, address in _resolve(host, port, _left(timeout, httpcore.ConnectTimeout)):
            try:  # each address as socket.create_connection tries them, in the time left
                left = _left(timeout, httpcore.ConnectTimeout)
                return _Stream(self._inner.connect_tcp(str(address[0]), port, left, local_address,
                                                       socket_options))
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _left(timeout, httpcore.ConnectTimeout),
                                                       socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class EndingTransport(httpx.HTTPTransport):
    """httpx's own transport over the network above. (httpx names no network backend of its own; its pool is
    replaced by the same pool over ours. A proxy from the environment is httpx's and keeps httpx's timing.)"""

    def __init__(self) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(),
                                             network_backend=_Backend())
