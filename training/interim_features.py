"""Interim point-in-time features, until `features/ticket/` lands (then feature_frame.py switches).

Vectorised: per-ticket running counts over the event log, read at each example instant t with an
as-of join (events with `at <= t` only). Deliberately simple; the real builder adds SLA state from the
rules engine, business-time waits and assignee load.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from core.enums import EventType, TicketStatus
from core.text import MessageAnalysis, SignalName
from features.history import TicketHistory
from rules import PolicySet
from training.feature_frame import FeatureSpec

_COUNTS = {
    "customer_messages": lambda e: e["type"] == EventType.CUSTOMER_MESSAGE.value,
    "human_replies": lambda e: (e["type"] == EventType.AGENT_REPLY.value) & (e["author_role"] != "bot"),
    "bot_replies": lambda e: (e["type"] == EventType.AGENT_REPLY.value) & (e["author_role"] == "bot"),
    "internal_notes": lambda e: e["type"] == EventType.INTERNAL_NOTE.value,
    "reassignments": lambda e: e["type"] == EventType.REASSIGNMENT.value,
    "priority_changes": lambda e: e["type"] == EventType.PRIORITY_CHANGE.value,
    "escalations": lambda e: e["type"] == EventType.ESCALATION.value,
    "pending_changes": lambda e: e["status"] == TicketStatus.PENDING.value,
}
SIGNALS = tuple(s.value for s in SignalName)
FEATURE_SPEC = FeatureSpec(
    numeric=(
        "age_hours",
        "hour_of_day",
        "day_of_week",
        "customer_value",
        *(f"n_{name}" for name in _COUNTS),
        "n_reopens",
        "max_level",
        "unanswered_in_row",
        "hours_since_last_human_reply",
        "hours_to_first_reply",
        "waiting_hours",
        "is_pending",
        "message_chars",
        "message_exclamations",
        "message_caps_share",
        "sentiment_last",
        "sentiment_min",
        "sentiment_mean",
        *(f"signal_{s}" for s in SIGNALS),
        "customer_prior_tickets",
        "customer_prior_escalations",
    ),
    categorical=(
        "channel",
        "priority",
        "current_priority",
        "category",
        "product",
        "team",
        "language",
        "customer_tier",
    ),
)
_ENDED = (TicketStatus.SOLVED.value, TicketStatus.CLOSED.value)


def build_feature_frame(
    history: TicketHistory,
    examples: pd.DataFrame,
    analyses: Mapping[str, MessageAnalysis] | None,
    policies: PolicySet | None,
    progress: bool = False,
) -> pd.DataFrame:
    """One row per example (same order), the columns of FEATURE_SPEC."""
    del policies, progress  # the interim builder reads no SLA state and is fast enough without a bar
    tickets = history.tickets
    running = _running(history.events, analyses)
    left = examples[["ticket_id", "at"]].reset_index(drop=True).reset_index(names="row")
    left = left.sort_values("at", kind="stable")
    state = (
        pd.merge_asof(
            left, running.sort_values("at", kind="stable"), on="at", by="ticket_id", direction="backward"
        )
        .sort_values("row")
        .reset_index(drop=True)
    )
    at = state["at"]
    created = tickets["created_at"].reindex(state["ticket_id"]).to_numpy()
    out = pd.DataFrame(index=state.index)
    out["age_hours"] = _hours(at.to_numpy() - created)
    out["hour_of_day"] = at.dt.hour.astype("float64")
    out["day_of_week"] = at.dt.day_of_week.astype("float64")
    out["customer_value"] = (
        tickets["customer_value"].reindex(state["ticket_id"]).to_numpy(dtype="float64")
        if "customer_value" in tickets.columns
        else np.nan
    )
    for name in (*_COUNTS, "reopens"):
        out[f"n_{name}"] = state[f"n_{name}"].fillna(0).astype("float64")
    out["max_level"] = state["max_level"].fillna(0).astype("float64")
    out["unanswered_in_row"] = state["unanswered"].fillna(0).astype("float64")
    last_reply = state["last_human_reply"].fillna(pd.Series(created, index=state.index))
    out["hours_since_last_human_reply"] = _hours(at - last_reply)
    out["hours_to_first_reply"] = _hours(state["first_human_reply"] - pd.Series(created, index=state.index))
    out["waiting_hours"] = np.where(out["unanswered_in_row"] > 0, _hours(at - state["wait_since"]), 0.0)
    out["is_pending"] = (state["status"] == TicketStatus.PENDING.value).astype("float64")
    for name in (
        "message_chars",
        "message_exclamations",
        "message_caps_share",
        "sentiment_last",
        "sentiment_min",
        "sentiment_mean",
        *(f"signal_{s}" for s in SIGNALS),
    ):
        out[name] = state[name].astype("float64")
    out["customer_prior_tickets"], out["customer_prior_escalations"] = _customer_history(history, state)
    for name in ("channel", "priority", "category", "product", "team", "language", "customer_tier"):
        out[name] = tickets[name].astype("str").reindex(state["ticket_id"]).to_numpy()
    out["current_priority"] = state["current_priority"].fillna(pd.Series(out["priority"])).astype("str")
    return out[list(FEATURE_SPEC.columns)]


def _running(events: pd.DataFrame, analyses: Mapping[str, MessageAnalysis] | None) -> pd.DataFrame:
    """Per event: the ticket's state just after it (events are sorted by ticket, then time)."""
    e = events
    by = e["ticket_id"]
    run = pd.DataFrame({"ticket_id": by, "at": e["at"]})
    for name, test in _COUNTS.items():
        run[f"n_{name}"] = test(e).fillna(False).astype("int64").groupby(by).cumsum()
    status = e["status"].astype("object").where(e["type"] == EventType.STATUS_CHANGE.value)
    previous = status.groupby(by).ffill().groupby(by).shift()
    reopen = status.notna() & ~status.isin(_ENDED) & previous.isin(_ENDED)
    run["n_reopens"] = reopen.astype("int64").groupby(by).cumsum()  # type: ignore[operator,assignment]
    run["status"] = status.groupby(by).ffill()
    run["max_level"] = e["level"].astype("float64").fillna(0).groupby(by).cummax()
    human = (e["type"] == EventType.AGENT_REPLY.value) & (e["author_role"] != "bot")
    customer = e["type"] == EventType.CUSTOMER_MESSAGE.value
    reply_at = e["at"].where(human)
    run["last_human_reply"] = reply_at.groupby(by).ffill()
    run["first_human_reply"] = reply_at.groupby(by).transform("min").where(run["n_human_replies"] > 0)
    block = human.astype("int64").groupby(by).cumsum()  # customer messages since the last human reply
    run["unanswered"] = customer.astype("int64").groupby([by, block]).cumsum()
    first_in_block = e["at"].where(customer & (run["unanswered"] == 1))
    run["wait_since"] = first_in_block.groupby([by, block]).ffill()
    body = e["body"].astype("str").where(customer)  # the customer's latest message, carried forward
    run["message_chars"] = body.str.len().groupby(by).ffill()
    run["message_exclamations"] = body.str.count("!").groupby(by).ffill()
    letters = body.str.count(r"[^\W\d_]").astype("float64").replace(0.0, np.nan)
    run["message_caps_share"] = (body.str.count(r"[A-ZÆØÅÄÖÜ]") / letters).groupby(by).ffill()
    run["current_priority"] = (
        e["priority"].astype("object").where(e["type"] == EventType.PRIORITY_CHANGE.value).groupby(by).ffill()
    )
    polarity, signals = _text(e, analyses)
    run["sentiment_last"] = polarity.groupby(by).ffill()
    run["sentiment_min"] = polarity.groupby(by).cummin()
    run["sentiment_min"] = run["sentiment_min"].groupby(by).ffill()
    count = polarity.notna().astype("float64").groupby(by).cumsum().replace(0.0, np.nan)
    run["sentiment_mean"] = polarity.fillna(0).groupby(by).cumsum() / count
    for name in SIGNALS:
        run[f"signal_{name}"] = signals[name].groupby(by).cumsum()
    return run


def _text(
    events: pd.DataFrame, analyses: Mapping[str, MessageAnalysis] | None
) -> tuple[pd.Series, pd.DataFrame]:
    signals = pd.DataFrame(0, index=events.index, columns=list(SIGNALS), dtype="int64")
    polarity = pd.Series(np.nan, index=events.index)
    if not analyses:
        return polarity, signals
    for i, event_id in zip(events.index, events["event_id"], strict=True):
        found = analyses.get(event_id)
        if found is None:
            continue
        polarity.at[i] = found.sentiment.polarity
        for signal in found.signals:
            signals.loc[i, signal.name.value] += 1
    return polarity, signals


def _customer_history(history: TicketHistory, state: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Earlier tickets of the same customer, and their escalations before t (other tickets only)."""
    tickets = history.tickets
    customer = tickets["customer_id"].reindex(state["ticket_id"]).astype("str").to_numpy()
    created = tickets[["customer_id", "created_at"]].sort_values("created_at", kind="stable")
    created = created.assign(prior=created.groupby("customer_id").cumcount())
    prior = created["prior"].reindex(state["ticket_id"]).to_numpy(dtype="float64")
    esc = history.events[history.events["type"] == EventType.ESCALATION.value][["ticket_id", "at"]]
    esc = esc.assign(customer_id=tickets["customer_id"].reindex(esc["ticket_id"]).astype("str").to_numpy())
    esc = esc.astype({"customer_id": "str"}).sort_values("at", kind="stable")
    esc["n_customer_escalations"] = esc.groupby("customer_id").cumcount() + 1
    left = (
        pd.DataFrame({"row": state.index, "at": state["at"], "customer_id": customer})
        .astype({"customer_id": "str"})
        .sort_values("at")
    )
    seen = pd.merge_asof(
        left,
        esc[["at", "customer_id", "n_customer_escalations"]],
        on="at",
        by="customer_id",
        direction="backward",
    ).sort_values("row")
    before = seen["n_customer_escalations"].fillna(0).to_numpy(dtype="float64")
    return prior, before - state["n_escalations"].fillna(0).to_numpy(dtype="float64")


def _hours(delta: object) -> np.ndarray:
    return np.asarray(pd.to_timedelta(np.asarray(delta)) / pd.Timedelta(hours=1), dtype="float64")
