"""`escalation sla …`: explain a ticket's SLA state from a history file, and check policy files.

Lives in features/ because it reads ticket-history files; rules/ stays pure (no file I/O but the
one policy-file reader)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from core.errors import ConfigError, NotFoundError
from core.options import FiniteFloatRange
from core.settings import get_settings
from core.text import SignalName
from core.tickets import in_range
from rules.explain import explain, render_text
from rules.policy_file import DEFAULT_POLICY_FILE, load_policies


@click.group()
def sla() -> None:
    """SLA clocks and escalation rules: explain a ticket, check a policy file."""


@sla.command("explain")
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Ticket history: a folder with tickets and events files, or a tickets file.",
)
@click.option("--ticket", "ticket_id", required=True, help="The ticket_id to explain.")
@click.option(
    "--at", "at", required=True, help="ISO-8601 instant with offset, e.g. 2025-03-03T12:00:00+01:00."
)
@click.option(
    "--policies",
    "policy_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Policy file (default: ESCALATION_PATHS__POLICY_FILE, else the shipped "
    f"{DEFAULT_POLICY_FILE.name}).",
)
@click.option("--signal", "signals", multiple=True, type=click.Choice([s.value for s in SignalName]),
              help="A conflict signal for the triggers (repeatable).")
@click.option("--risk", type=FiniteFloatRange(0, 1), default=None, help="Escalation risk for the triggers.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def explain_command(
    data: Path,
    ticket_id: str,
    at: str,
    policy_file: Path | None,
    signals: tuple[str, ...],
    risk: float | None,
    as_json: bool,
) -> None:
    """Which policy matched and why, and each target's clock: started, paused, skipped, due."""
    from features.history import iter_tickets, load_history  # pandas: only when the command runs

    now = _instant(at)
    policies = load_policies(policy_file or get_settings().paths.policy_file)
    history = load_history(data)
    found = next(((t, e) for t, e in iter_tickets(history) if t.ticket_id == ticket_id), None)
    if found is None:
        raise NotFoundError(f"ticket {ticket_id!r} is not in {data}; check the id (ticket_id column)")
    created = found[0].created_at
    if now < created:  # no clock runs yet: the report would show them running, with deadlines
        raise ConfigError(f"--at {at!r} is before ticket {ticket_id} was created "
                          f"({created.astimezone(UTC).isoformat()}); give an instant at or after it")
    report = explain(policies, found[0], found[1], now, signals=signals, risk=risk)
    click.echo(json.dumps(report, indent=2, ensure_ascii=False) if as_json else render_text(report))


@sla.command("check-policies")
@click.argument("policy_file", required=False, type=click.Path(path_type=Path))
def check_policies(policy_file: Path | None) -> None:
    """Validate a policy file (default: the one serving runs, ESCALATION_PATHS__POLICY_FILE, else the
    shipped one); every problem is listed with its line."""
    policies = load_policies(policy_file or get_settings().paths.policy_file)
    click.echo(
        f"{policies.source}: OK — {len(policies.calendars)} calendar(s), {len(policies.policies)} "
        f"SLA policies, {len(policies.triggers)} trigger(s), {len(policies.routing)} routing rule(s), "
        f"{len(policies.auto_priority)} prioritisation rule(s); version {policies.version}"
    )


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(
            f"--at {text!r} is not an ISO-8601 instant; write e.g. 2025-03-03T12:00:00+01:00"
        ) from None
    if value.tzinfo is None:
        raise ConfigError(f"--at {text!r} has no UTC offset; add one, e.g. {text}+01:00 or {text}Z")
    try:
        return in_range(value)  # as the API: a calendar would count the ages between
    except ValueError as exc:
        raise ConfigError(f"--at {text!r}: {exc}") from None
