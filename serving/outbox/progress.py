"""`SinkState`: one sink's progress with one outbox delivery, kept on the row (`DeliveryRow.sinks`, by sink
name) as JSON. The keys a row holds, and their order, are those the worker wrote before this type: a state
writes back the keys it was read with, adding the others as it comes to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SinkState:
    status: str = "pending"  # pending | delivered | failed
    attempts: int = 0
    last_attempt_at: str | None = None  # ISO 8601
    last_error: str | None = None  # safe to store: no secret, URL or payload text
    done: tuple[str, ...] = ()  # the steps of a multi-step delivery that succeeded
    permanent: bool = False  # refused for good: not tried again
    gone: bool = False  # a helpdesk has no such ticket (serving/outbox/writeback.py)
    rate_limited: int = 0  # the 429s answered, for the metrics
    keys: list[str] = field(default_factory=lambda: ["status", "attempts"], repr=False, compare=False)

    @classmethod
    def from_json(cls, data: object) -> SinkState:
        """A stored state; a sink with none (or not a JSON object) has not been tried."""
        if not isinstance(data, dict) or not data:
            return cls()
        return cls(status=str(data.get("status", "pending")), attempts=int(data.get("attempts") or 0),
                   last_attempt_at=data.get("last_attempt_at"), last_error=data.get("last_error"),
                   done=tuple(data.get("done") or ()), permanent=bool(data.get("permanent")),
                   gone=bool(data.get("gone")), rate_limited=int(data.get("rate_limited") or 0),
                   keys=[k for k in data if k in _FIELDS])

    def to_json(self) -> dict[str, Any]:
        values = {"status": self.status, "attempts": self.attempts, "last_attempt_at": self.last_attempt_at,
                  "last_error": self.last_error, "done": list(self.done), "permanent": self.permanent,
                  "gone": self.gone, "rate_limited": self.rate_limited}
        return {k: values[k] for k in self.keys}

    @property
    def settled(self) -> bool:
        """The sink is done with the delivery: it delivered it, or refused it for good."""
        return self.status == "delivered" or self.permanent

    def attempted(self, at: str) -> None:
        self.attempts += 1
        self.last_attempt_at = at
        self._keep("attempts", "last_attempt_at")

    def failed(self, error: str, done: tuple[str, ...], *, permanent: bool, gone: bool) -> None:
        self.status, self.last_error, self.done = "failed", error, done
        self.permanent, self.gone = permanent, gone
        self._keep("status", "last_error", "done", "permanent", "gone")

    def limited(self) -> None:
        """One more 429."""
        self.rate_limited += 1
        self._keep("rate_limited")

    def failed_unexpectedly(self, error: str) -> None:
        self.status, self.permanent, self.last_error = "failed", False, error
        self._keep("status", "permanent", "last_error")

    def delivered(self) -> None:
        self.status, self.last_error = "delivered", None
        self._keep("status", "last_error")

    def _keep(self, *keys: str) -> None:
        self.keys += [k for k in keys if k not in self.keys]


_FIELDS = ("status", "attempts", "last_attempt_at", "last_error", "done", "permanent", "gone", "rate_limited")
