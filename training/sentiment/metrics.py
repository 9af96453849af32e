"""Held-out metrics of a sentiment head, per language and overall: macro-F1 over the three labels and
ROC-AUC of negative vs the rest (how well the negative probability ranks angry messages first)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.metrics import f1_score, roc_auc_score

from training.sentiment.data import LABELS


def sentiment_metrics(
    truth: pd.Series, probabilities: npt.NDArray[np.float64], classes: list[str], langs: pd.Series
) -> dict[str, dict[str, Any]]:
    """{"all": {...}, "en": {...}, ...}; each with rows, macro_f1, auc_negative, accuracy, labels."""
    truth = truth.reset_index(drop=True)
    langs = langs.reset_index(drop=True)
    out = {"all": _one(truth, probabilities, classes)}
    for lang in sorted(langs.unique()):
        mask = (langs == lang).to_numpy()
        out[lang] = _one(truth[mask], probabilities[mask], classes)
    return out


def _one(truth: pd.Series, probabilities: npt.NDArray[np.float64], classes: list[str]) -> dict[str, Any]:
    predicted = np.asarray(classes)[probabilities.argmax(axis=1)]
    is_negative = (truth == "negative").to_numpy()
    auc = (
        float(roc_auc_score(is_negative, probabilities[:, classes.index("negative")]))
        if "negative" in classes and 0 < is_negative.sum() < len(truth) else None
    )
    return {
        "rows": len(truth),
        "macro_f1": round(float(f1_score(truth, predicted, labels=list(LABELS), average="macro",
                                         zero_division=0)), 4),
        "auc_negative": None if auc is None else round(auc, 4),
        "accuracy": round(float((predicted == truth.to_numpy()).mean()), 4),
        "labels": {label: int((truth == label).sum()) for label in LABELS},
    }


def format_table(metrics: dict[str, dict[str, dict[str, Any]]]) -> str:
    """Markdown: one row per backend and language."""
    lines = ["| backend | lang | rows | macro-F1 | ROC-AUC neg | accuracy |", "|---|---|---:|---:|---:|---:|"]
    for backend, per_lang in metrics.items():
        for lang, m in per_lang.items():
            auc = "–" if m["auc_negative"] is None else f"{m['auc_negative']:.3f}"
            lines.append(f"| {backend} | {lang} | {m['rows']:,} | {m['macro_f1']:.3f} | {auc} | "
                         f"{m['accuracy']:.3f} |")
    return "\n".join(lines)
