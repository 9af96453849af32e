"""With the real phrase banks: texts vary, no word gives the outcome away, and the escalation signal
is learnable from simple point-in-time counts but far from perfect."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_predict
from synthetic_facts import History

from synthetic.generate import GenerationConfig, generate
from synthetic.phrases import BANKS

WORD = re.compile(r"[^\W\d_]+")
HOUR = 3600
SNAPSHOTS_H = (4, 24, 72)  # look at each ticket as it stood this long after creation
PRIORITY_RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}


@pytest.fixture(scope="module")
def history() -> History:
    return list(generate(GenerationConfig(tickets=1500, seed=5), BANKS))


def test_customer_messages_are_nearly_all_distinct(history: History) -> None:
    bodies = [e["body"] for _, evs in history for e in evs if e["type"] == "customer_message"]
    assert len(set(bodies)) > 0.9 * len(bodies)
    lengths = sorted(len(b) for b in bodies)
    assert (
        lengths[len(lengths) // 10] < 80 and lengths[-len(lengths) // 10] > 300
    )  # one-liners and long mails


def test_no_word_gives_escalation_away(history: History) -> None:
    # What customers wrote before the (first) escalation: the words a model could have seen in time.
    escalated: list[set[str]] = []
    calm: list[set[str]] = []
    no_exclamation = 0
    for _, evs in history:
        first = next((e["at"] for e in evs if e["type"] == "escalation"), None)
        said = [
            e["body"] for e in evs if e["type"] == "customer_message" and (first is None or e["at"] < first)
        ]
        words = {w.lower() for body in said for w in WORD.findall(body)}
        (escalated if first is not None else calm).append(words)
        no_exclamation += first is not None and not any("!" in body for body in said)
    in_esc = Counter(w for ws in escalated for w in ws)
    in_calm = Counter(w for ws in calm for w in ws)
    giveaways = [
        (w, round(n / len(escalated), 3), round(in_calm[w] / len(calm), 4))
        for w, n in in_esc.items()
        if n / len(escalated) >= 0.05 and in_calm[w] / len(calm) < 0.005
    ]
    assert not giveaways, giveaways
    # And escalated tickets are not all loud: many never used an exclamation mark before escalating.
    assert no_exclamation > 0.3 * len(escalated)


def snapshot_features(history: History) -> tuple[np.ndarray, np.ndarray]:
    """Counts a rules engine could see at a snapshot; label: the ticket escalates after it."""
    rows, labels, prior = [], [], Counter()
    for ticket, evs in history:
        first_escalation = next((e["at"] for e in evs if e["type"] == "escalation"), None)
        for hours in SNAPSHOTS_H:
            cut = ticket["created_at"] + hours * HOUR
            if first_escalation is not None and first_escalation <= cut:
                continue
            before = [e for e in evs if e["at"] < cut]
            if before[-1]["type"] == "status_change" and before[-1]["status"] in ("solved", "closed"):
                continue
            said = [e for e in before if e["type"] == "customer_message"]
            replies = [e["at"] for e in before if e["type"] == "agent_reply" and e["author_role"] != "bot"]
            last_reply = max(replies, default=ticket["created_at"])
            text = " ".join(e["body"] for e in said)
            rows.append(
                [
                    len(text),
                    len(said),
                    sum(e["at"] > last_reply for e in said),
                    not replies,
                    (cut - last_reply) / HOUR,
                    text.count("!"),
                    sum(c.isupper() for c in text) / max(1, len(text)),
                    ticket["channel"] in ("twitter", "facebook"),
                    ticket["customer_tier"] == "enterprise",
                    ticket["category"] == "billing_payment",
                    ticket["category"] in ("technical_fault", "data_migration"),
                    PRIORITY_RANK[ticket["priority"]],
                    prior[ticket["customer_id"]],
                    hours,
                ]
            )
            labels.append(first_escalation is not None)
        prior[ticket["customer_id"]] += 1
    x = np.array(rows, dtype=float)
    return (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-9), np.array(labels)


def test_escalation_is_learnable_but_not_trivial(history: History) -> None:
    x, y = snapshot_features(history)
    assert 0.05 < y.mean() < 0.3
    scores = cross_val_predict(LogisticRegression(max_iter=2000), x, y, cv=5, method="predict_proba")[:, 1]
    auc = roc_auc_score(y, scores)
    assert 0.6 < auc < 0.97, f"ROC-AUC {auc:.3f}"
