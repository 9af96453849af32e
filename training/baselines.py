"""The two baselines, on the same split as the model: the rules engine's own escalation decision, and a
scikit-learn logistic regression on the same features."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from tqdm import tqdm

from core.text import MessageAnalysis
from features.history import TicketHistory, iter_tickets
from features.ticket import FeatureSpec
from rules import PolicySet, evaluate


def rules_scores(
    history: TicketHistory,
    examples: pd.DataFrame,
    policies: PolicySet,
    analyses: Mapping[str, MessageAnalysis] | None = None,
    *,
    progress: bool = False,
) -> np.ndarray:
    """The escalation level the engine has reached at each example instant (0 = no escalation due):
    SLA breaches with their escalation matrix, and immediate triggers (fed the conflict signals the
    ticket's messages showed so far). A step score: ranks only by level."""
    wanted = set(examples["ticket_id"].unique())
    sub = TicketHistory(
        history.tickets[history.tickets.index.isin(wanted)],
        history.events[history.events["ticket_id"].isin(wanted)].reset_index(drop=True),
    )
    instants = examples.groupby("ticket_id", observed=True)["at"].apply(list).to_dict()
    positions = examples.groupby("ticket_id", observed=True).indices
    scores = np.zeros(len(examples), dtype="float64")
    bar = tqdm(total=len(examples), desc="rules baseline", unit="ex", disable=not progress)
    for ticket, events in iter_tickets(sub):
        times = [e.at for e in events]
        for row, at in zip(positions[ticket.ticket_id], instants[ticket.ticket_id], strict=True):
            seen = events[: bisect_right(times, at.to_pydatetime())]
            signals = {s.name.value for e in seen for s in _signals(analyses, e.event_id)}
            result = evaluate(policies, ticket, seen, at.to_pydatetime(), signals=signals)
            scores[row] = result.escalation_level
            bar.update()
    bar.close()
    return scores


def _signals(analyses: Mapping[str, MessageAnalysis] | None, event_id: str) -> tuple:
    found = analyses.get(event_id) if analyses else None
    return found.signals if found is not None else ()


def logistic_baseline(spec: FeatureSpec, seed: int) -> Pipeline:
    """Median-imputed, standardised numbers (with missing-value indicators) and one-hot categories."""
    numeric = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True), StandardScaler()
    )
    categorical = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="missing", keep_empty_features=True),
        OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5, sparse_output=False),
    )
    columns = ColumnTransformer(
        [("numeric", numeric, numeric_columns(spec)), ("categorical", categorical, spec.categorical)]
    )
    return Pipeline(
        [("features", columns), ("classifier", LogisticRegression(max_iter=2000, C=0.5, random_state=seed))]
    )


def numeric_columns(spec: FeatureSpec) -> list[str]:
    return [f.name for f in spec.features if f.kind == "numeric"]


def as_logistic_input(frame: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    out = frame[spec.names].copy()
    for column in spec.categorical:
        out[column] = out[column].astype("object").where(out[column].notna(), None).astype("str")
    return out
