"""Custom ticket fields in conditions: columns beyond the standard ones (`Ticket.model_extra`, e.g.
`region` or `sla_breached`), declared with a type under `custom_fields:` in the policy file.

The policy file is checked when it is loaded: a condition may name a custom field only once it is
declared, so a misspelt name still fails with its line. At evaluation a declared field the ticket
does not carry is missing (None: it equals nothing and compares with nothing), and a value is read
as its declared type — one that cannot be is an error naming the ticket, field and value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from core.errors import EscalationError
from core.tickets import Ticket
from rules.conditions import FieldType

_TRUE, _FALSE = frozenset({"true", "yes", "1"}), frozenset({"false", "no", "0"})


def custom_facts(ticket: Ticket, declared: Mapping[str, FieldType]) -> dict[str, Any]:
    """The declared custom fields of `ticket` as condition facts, each read as its declared type."""
    extra = ticket.model_extra or {}
    return {name: _read(ticket, name, kind, extra.get(name)) for name, kind in declared.items()}


def _read(ticket: Ticket, name: str, kind: FieldType, value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):  # NaN: a blank cell
        return None
    try:
        if kind is FieldType.BOOLEAN:
            return _boolean(value)
        if kind is FieldType.NUMBER:
            if isinstance(value, bool):
                raise ValueError(value)
            return float(value)
        text = str(value)
        return text.casefold() if kind is FieldType.TEXT else text
    except ValueError:
        raise EscalationError(
            f"ticket {ticket.ticket_id!r}: custom field {name!r} is declared as {kind.value} in the policy "
            f"file but has {value!r}; fix the value or the declaration under custom_fields"
        ) from None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(value)
