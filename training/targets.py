"""What the model predicts: an escalation within a horizon, or a ticket-level outcome column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.enums import EscalationType
from core.errors import ConfigError
from rules import parse_duration

DEFAULT_HORIZON = timedelta(hours=72)


@dataclass(frozen=True)
class Target:
    """`kind` "escalation": escalated (of `types`; all when empty) within `horizon` after t.
    `kind` "outcome": the ticket's boolean column `column`, predicted from events up to t."""

    kind: str
    horizon: timedelta = DEFAULT_HORIZON
    types: tuple[EscalationType, ...] = ()
    column: str | None = None

    @property
    def name(self) -> str:
        if self.kind == "outcome":
            return f"outcome:{self.column}"
        types = ",".join(t.value for t in self.types)
        return f"escalation{':' + types if types else ''}@{_hours(self.horizon)}"

    @property
    def horizon_text(self) -> str:
        """The horizon as the option is written: `72h (3d)`, `2.5h`; not a timedelta's `3 days, 0:00:00`."""
        days = self.horizon.total_seconds() / 86400
        hours = _hours(self.horizon)
        return f"{hours} ({days:g}d)" if days >= 1 and days == int(days) else hours

    @property
    def has_instants(self) -> bool:
        """Escalation targets have an instant to measure lead time against; outcomes have none."""
        return self.kind == "escalation"


def parse_target(spec: str = "escalation", horizon: str | timedelta = DEFAULT_HORIZON) -> Target:
    """`escalation`, `escalation:hierarchical,functional` or `outcome:COLUMN`; horizon like `72h`, `3d`."""
    try:
        window = parse_duration(horizon)
    except ValueError as exc:
        raise ConfigError(f"--horizon: {exc}") from None
    if window <= timedelta(0):
        raise ConfigError(f"--horizon must be longer than zero, got {horizon!r}; e.g. 72h")
    kind, _, rest = spec.strip().partition(":")
    if kind == "escalation":
        known = [t.value for t in EscalationType]
        names = [n.strip().lower() for n in rest.split(",") if n.strip()]
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ConfigError(
                f"--target: unknown escalation type {unknown[0]!r}; "
                f"known types: {', '.join(known)} (e.g. escalation:hierarchical,functional)"
            )
        return Target("escalation", window, tuple(EscalationType(n) for n in dict.fromkeys(names)))
    if kind == "outcome":
        if not rest.strip():
            raise ConfigError("--target outcome needs a column: outcome:COLUMN, e.g. outcome:sla_breached")
        return Target("outcome", window, column=rest.strip())
    raise ConfigError(
        f"--target: unknown target {spec!r}; use escalation, escalation:TYPE[,TYPE] "
        "or outcome:COLUMN (a boolean ticket column such as sla_breached)"
    )


def _hours(value: timedelta) -> str:
    hours = value.total_seconds() / 3600
    return f"{hours:g}h"
