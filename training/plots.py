"""Evaluation plots of the test period: reliability diagram, PR and ROC curves, feature importance; written
once as PNG files, logged with the MLflow run and kept beside `--report`."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files only: training runs on servers without a display

from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.calibration import calibration_curve
from sklearn.metrics import precision_recall_curve, roc_curve

# file name -> what it shows; the order they are written in
PLOTS = ("reliability.png", "pr_curve.png", "roc_curve.png", "feature_importance.png")


def write_plots(test: pd.DataFrame, importance: pd.Series, folder: Path) -> list[Path]:
    """Every plot as a PNG file in `folder` (made if missing); returns the files, in PLOTS order."""
    folder.mkdir(parents=True, exist_ok=True)
    draw: dict[str, Callable[[], Figure]] = {
        "reliability.png": lambda: reliability_plot(test),
        "pr_curve.png": lambda: pr_plot(test),
        "roc_curve.png": lambda: roc_plot(test),
        "feature_importance.png": lambda: importance_plot(importance),
    }
    written = []
    for name in PLOTS:
        figure = draw[name]()
        figure.savefig(folder / name)
        plt.close(figure)
        written.append(folder / name)
    return written


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


def _scored(test: pd.DataFrame) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Each scorer's name, labels and scores over the examples it scored; none without both classes."""
    labels = test["label"].to_numpy(dtype=int)
    for column, name in (("score", "LightGBM"), ("logreg", "logistic regression"), ("rules", "rules only")):
        scored = test[column].notna().to_numpy()
        if len(set(labels[scored])) == 2:  # no curve without both classes
            yield name, labels[scored], test[column].to_numpy()[scored]


def pr_plot(test: pd.DataFrame) -> Figure:
    fig, ax = plt.subplots(figsize=(5, 5))
    for name, labels, scores in _scored(test):
        precision, recall, _ = precision_recall_curve(labels, scores)
        ax.step(recall, precision, where="post", label=name)
    ax.axhline(test["label"].to_numpy(dtype=int).mean(), linestyle="--", color="grey", label="base rate")
    ax.set(xlabel="recall", ylabel="precision", title="Precision-recall (test period)", ylim=(0, 1))
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def roc_plot(test: pd.DataFrame) -> Figure:
    fig, ax = plt.subplots(figsize=(5, 5))
    for name, labels, scores in _scored(test):
        false_positive, true_positive, _ = roc_curve(labels, scores)
        ax.plot(false_positive, true_positive, label=name)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    ax.set(xlabel="false-positive rate", ylabel="true-positive rate", title="ROC (test period)")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def importance_plot(importance: pd.Series, top: int = 25) -> Figure:
    shown = importance.sort_values().tail(top)
    fig, ax = plt.subplots(figsize=(6, 0.28 * len(shown) + 1))
    ax.barh(shown.index, shown.to_numpy())
    ax.set(xlabel="total gain", title="Feature importance (LightGBM)")
    fig.tight_layout()
    return fig
