"""The HTTP side every helpdesk client shares: one `httpx.Client` on the helpdesk's base URL, and every
failure turned into a `WritebackError` whose message is safe to store and log — the method, the path and
the status, never a credential, a header or a response body (those can hold customer text). A redirect is not
followed (the credential would go along): the base URL is not the API's, and the call fails for good."""

from __future__ import annotations

import json as jsonlib
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from helpdesks.writeback.transport import EndingTransport, NameNotResolvedError, call_ends

# 4xx answers worth retrying: a timeout on the helpdesk's side, a conflicting concurrent update, a rate limit
RETRIED_4XX = frozenset({408, 409, 429})
GONE = frozenset({404, 410})  # the helpdesk has no such ticket
# the largest answer read: well above the helpdesks' largest (a page of 100 comments, a ticket's articles), so
# that an answer of gigabytes (a BASE_URL pointing elsewhere) cannot take the server's memory with it
MAX_ANSWER_BYTES = 32 << 20


class WritebackError(Exception):
    """One call to a helpdesk failed. `retry_after_s`: the helpdesk rate-limited us (429) and asked to wait
    this long (None when it did not say); `ticket_only`: that limit is the one ticket's (Zendesk's update
    limit of a ticket), not the helpdesk's: its other tickets may be called meanwhile; `permanent`: the
    helpdesk refused the call itself (a 4xx such as 404 ticket gone or 422 ticket closed) and the same call
    would be refused again; `unanswered`: no whole answer came (unreachable, timed out): the helpdesk is
    down rather than this ticket refused; `status`: the helpdesk's HTTP status, when it answered one;
    `done`: the steps of the write-back that had succeeded; `gone`: the helpdesk has no such ticket (404,
    410: deleted, or merged into another) or takes no more updates of it (Zendesk's closed ticket), so that
    writing it back again is in vain until the ticket shows life."""

    def __init__(self, message: str, *, rate_limited: bool = False, retry_after_s: float | None = None,
                 ticket_only: bool = False, permanent: bool = False, unanswered: bool = False,
                 status: int | None = None, done: tuple[str, ...] = (), gone: bool = False) -> None:
        super().__init__(message)
        self.gone = gone
        self.rate_limited = rate_limited
        self.retry_after_s = retry_after_s
        self.ticket_only = ticket_only
        self.permanent = permanent
        self.unanswered = unanswered
        self.status = status
        self.done = done


class HelpdeskApi:
    """`credential`: the names of the settings that hold the credential (`("API_KEY",)`), named by a 401;
    `ticket_limit`: the words of a 429's answer that say the limit is the ticket's called, not the
    helpdesk's (lower case; None: every 429 is the helpdesk's); `closed`: the words of a 422's answer that
    say the ticket is closed and takes no more updates (lower case; None: the helpdesk has none)."""

    def __init__(self, name: str, base_url: str, headers: Mapping[str, str], timeout_s: float, *,
                 credential: tuple[str, ...], auth: httpx.BasicAuth | None = None,
                 transport: httpx.BaseTransport | None = None, ticket_limit: str | None = None,
                 closed: str | None = None) -> None:
        self.name = name
        self._timeout_s = timeout_s
        self._credential = credential
        self._ticket_limit = ticket_limit
        self._closed = closed
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers={**headers,
                                    "User-Agent": "escalation-risk-writeback/1"},
                                    auth=auth, timeout=timeout_s, follow_redirects=False,
                                    transport=transport or EndingTransport())

    def call(self, method: str, path: str, *, json: Any = None, params: Mapping[str, str] | None = None,
             deadline: float | None = None) -> Any:
        """The decoded JSON answer (None when empty); raises WritebackError on any failure, when the
        whole answer has not come within the timeout (the whole call: its name's resolution, connection, every
        read and write — transport.py; an answer sent a byte at a time would otherwise hold the outbox worker,
        and every other delivery, for as long as the helpdesk likes), and when
        it is larger than MAX_ANSWER_BYTES (it is not read further). `deadline` (time.monotonic()): the end
        of the write-back attempt's time budget; the call's timeout is what is left of it when shorter, and
        past it the call is not made (`unanswered`: the attempt is retried from this call's step)."""
        where = f"{self.name} {method} {path}"
        timeout_s, budget = self._timeout_s, ""
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WritebackError(f"{where}: not called, the write-back attempt's time budget is spent "
                                     "(the outbox's lease less a tenth); retried from this step",
                                     unanswered=True)
            if left < timeout_s:
                timeout_s, budget = left, " (what was left of the write-back attempt's time budget)"
        ends = time.monotonic() + timeout_s
        late = f"{where}: ReadTimeout after {timeout_s:.3g} s{budget}"
        try:  # every wait below HTTP ends by `ends` too (transport.py): the timeout bounds the whole call
            with call_ends(ends), self._client.stream(method, path, json=json, params=params,
                                                      timeout=timeout_s) as response:
                content = bytearray()
                for chunk in response.iter_bytes():
                    if time.monotonic() > ends:
                        raise WritebackError(late, unanswered=True)
                    content += chunk
                    if len(content) > MAX_ANSWER_BYTES:
                        raise WritebackError(
                            f"{where}: the answer is larger than {MAX_ANSWER_BYTES >> 20} MiB, more than any "
                            f"answer of the helpdesk's API; check {self._setting}")
        except httpx.TimeoutException as exc:
            raise WritebackError(f"{where}: {type(exc).__name__} after {timeout_s:.3g} s{budget}",
                                 unanswered=True) from None
        except httpx.HTTPError as exc:  # the message may hold the URL: the kind of failure, and its cause
            raise WritebackError(f"{where}: {type(exc).__name__}{self._cause(exc)}",
                                 unanswered=True) from None
        if response.status_code == 429:
            wait = retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
            said = f"retry after {wait:g} s" if wait is not None else "no Retry-After"
            # the answer's words are matched, never kept: only whose limit it is goes into the message
            ticket_only = self._ticket_limit is not None and \
                self._ticket_limit in content.decode(errors="replace").lower()
            whose = "this ticket's update limit, " if ticket_only else ""
            raise WritebackError(f"{where}: HTTP 429 ({whose}{said})", rate_limited=True, retry_after_s=wait,
                                 ticket_only=ticket_only, status=429)
        status = response.status_code
        if 300 <= status < 400:  # not followed (the credential would go along): the address is not the API's
            raise WritebackError(f"{where}: HTTP {status}{self._redirect(response)}; set {self._setting} to "
                                 "the address the API answers at", permanent=True)
        if not 200 <= status < 300:
            # the answer's words are matched, never kept (they can hold the ticket's content)
            closed = status == 422 and self._closed is not None and \
                self._closed in content.decode(errors="replace").lower()
            meaning = " (the ticket is closed: the helpdesk takes no more updates of it)" if closed \
                else self._meaning(status)
            raise WritebackError(f"{where}: HTTP {status}{meaning}", status=status,
                                 gone=closed or status in GONE,
                                 permanent=400 <= status < 500 and status not in RETRIED_4XX)
        if not content:
            return None
        try:
            return jsonlib.loads(content)
        except ValueError:
            raise WritebackError(f"{where}: the answer is not JSON") from None

    def _cause(self, exc: BaseException) -> str:
        """The usual causes of a failed connection in fixed words (the exceptions' own hold the address)."""
        seen: BaseException | None = exc
        while seen is not None:
            if isinstance(seen, NameNotResolvedError):
                return f" (the host name does not resolve; check {self._setting})"
            if isinstance(seen, ConnectionRefusedError):
                return " (connection refused)"
            seen = seen.__cause__ or seen.__context__
        return ""

    def _meaning(self, status: int) -> str:
        """What a refusal for good means for the operator, and what to do (nothing for the others)."""
        if status == 401:
            first, *more = self._credential
            names = " and ".join([f"ESCALATION_WRITEBACK__{self.name.upper()}__{first}",
                                  *(f"__{m}" for m in more)])
            return f" (the helpdesk refused the credential; check {names})"
        if status == 403:
            return " (the credential's agent may not do this; check its role and permissions)"
        if status == 404:
            return " (the helpdesk has no such ticket: deleted, or merged into another)"
        return ""

    @property
    def _setting(self) -> str:
        """The setting of the address called."""
        return f"ESCALATION_WRITEBACK__{self.name.upper()}__BASE_URL"

    def _redirect(self, response: httpx.Response) -> str:
        """', a redirect to https://host': where it points, its scheme and host only (a path or query may
        hold a token)."""
        try:
            to = response.request.url.join(response.headers.get("Location", ""))
        except (httpx.InvalidURL, ValueError):
            return ""
        port = f":{to.port}" if to.port is not None else ""
        return f", a redirect to {to.scheme}://{to.host}{port}" if to.host else ""

    def close(self) -> None:
        self._client.close()


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds, or an HTTP date; None if unreadable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
