"""SLA and escalation rules: policy files -> validated policies; pure evaluation of a ticket's
events at an instant into SLA state per target and the actions due. Imports only core."""

from rules.calendar import BusinessCalendar
from rules.durations import format_duration, parse_duration
from rules.engine import SlaEvaluation, evaluate
from rules.policy_file import DEFAULT_POLICY_FILE, load_policies, parse_policies
from rules.policyset import PolicySet

__all__ = [
    "DEFAULT_POLICY_FILE",
    "BusinessCalendar",
    "PolicySet",
    "SlaEvaluation",
    "evaluate",
    "format_duration",
    "load_policies",
    "parse_duration",
    "parse_policies",
]
