"""Evaluation plots logged as MLflow artifacts: reliability diagram, PR curve, feature importance."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files only: training runs on servers without a display

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.calibration import calibration_curve
from sklearn.metrics import precision_recall_curve


def reliability_plot(test: pd.DataFrame) -> Figure:
    fig, ax = plt.subplots(figsize=(5, 5))
    labels = test["label"].to_numpy(dtype=int)
    for column, name in (
        ("raw", "LightGBM, uncalibrated"),
        ("score", "LightGBM, calibrated"),
        ("logreg", "logistic regression"),
    ):
        prob_true, prob_pred = calibration_curve(
            labels, np.clip(test[column], 0, 1), n_bins=10, strategy="quantile"
        )
        ax.plot(prob_pred, prob_true, marker="o", label=name)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
    ax.set(xlabel="predicted probability", ylabel="observed rate", title="Reliability (test period)")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def pr_plot(test: pd.DataFrame) -> Figure:
    fig, ax = plt.subplots(figsize=(5, 5))
    labels = test["label"].to_numpy(dtype=int)
    for column, name in (("score", "LightGBM"), ("logreg", "logistic regression"), ("rules", "rules only")):
        scored = test[column].notna().to_numpy()
        if scored.sum() == 0:
            continue
        precision, recall, _ = precision_recall_curve(labels[scored], test[column].to_numpy()[scored])
        ax.step(recall, precision, where="post", label=name)
    ax.axhline(labels.mean(), linestyle="--", color="grey", label="base rate")
    ax.set(xlabel="recall", ylabel="precision", title="Precision-recall (test period)", ylim=(0, 1))
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def importance_plot(importance: pd.Series, top: int = 25) -> Figure:
    shown = importance.sort_values().tail(top)
    fig, ax = plt.subplots(figsize=(6, 0.28 * len(shown) + 1))
    ax.barh(shown.index, shown.to_numpy())
    ax.set(xlabel="total gain", title="Feature importance (LightGBM)")
    fig.tight_layout()
    return fig
