"""The evaluation plots: one PNG file each, the ROC curve among them, written where they are asked for."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from training.plots import PLOTS, write_plots

PNG = b"\x89PNG\r\n\x1a\n"


def scored(rows: int = 200, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    label = rng.random(rows) < 0.2
    score = np.clip(0.3 * label + rng.random(rows) * 0.7, 0, 1)
    rules = np.where(rng.random(rows) < 0.5, np.nan, label * 0.5)  # the engine scores some examples only
    return pd.DataFrame({"label": label.astype(int), "score": score, "raw": score, "logreg": score[::-1],
                         "rules": rules})


def test_every_plot_is_a_png_file_in_the_folder(tmp_path: Path) -> None:
    importance = pd.Series({"age_hours": 12.0, "anger": 30.5, "sla_left": 7.25})
    written = write_plots(scored(), importance, tmp_path / "report-plots")
    assert [path.name for path in written] == list(PLOTS)
    assert "roc_curve.png" in PLOTS
    for path in written:
        assert path.parent == tmp_path / "report-plots"
        assert path.read_bytes().startswith(PNG) and path.stat().st_size > 5_000


def test_a_test_period_of_one_class_still_gets_its_plots(tmp_path: Path) -> None:
    test = scored()
    test["label"] = 0  # no positive: no ROC curve to draw, but the file is there
    written = write_plots(test, pd.Series({"a": 1.0}), tmp_path)
    assert all(path.exists() for path in written)
