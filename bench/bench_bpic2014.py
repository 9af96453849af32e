"""Train on real ITSM incidents (BPIC 2014, Rabobank) through a mapping file; print the test figures
beside the published logistic-regression ROC-AUC of about 0.78 on the same table.

    python bench/bench_bpic2014.py --csv PATH/incidents_at_open.csv

Never used by unit tests: the data is not part of the project.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def prepare(csv: Path, out: Path) -> None:
    """Add what a mapping cannot: a row id and a creation instant (file order taken as time order)."""
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    week = pd.Series(range(len(frame))) // 700
    day = frame["Open_Time_DayOfWeek"].map(DAYS.index)
    opened = (
        pd.Timestamp("2013-01-07", tz="Europe/Amsterdam")
        + pd.to_timedelta(week * 7 + day, unit="D")
        + pd.to_timedelta(frame["Open_Time_HourOfDay"].astype(int), unit="h")
        + pd.to_timedelta(range(len(frame)), unit="s")
    )  # keeps file order within an hour
    frame.insert(0, "row", [f"I{i:05d}" for i in range(len(frame))])
    frame.insert(1, "opened", opened.map(lambda t: t.isoformat()))
    frame.to_csv(out / "incidents.csv", index=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--csv", type=Path, required=True,
        help="the BPIC 2014 incidents table at open (one row an incident), as CSV",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{tmp}/mlflow.db"
        from training.cli import run_training
        from training.targets import parse_target
        from training.train import TrainConfig

        prepare(args.csv, Path(tmp))
        config = TrainConfig(
            parse_target("outcome:sla_failed"),
            ticket_features=("related_interactions", "related_incidents", "related_changes"),
        )
        started = time.perf_counter()
        result, _ = run_training(
            Path(tmp) / "incidents.csv",
            config,
            mapping=ROOT / "bench/bpic2014_mapping.yaml",
            model_out=Path(tmp) / "model.json",
            progress=False,
            text=False,  # the table has no message texts
        )
        seconds = time.perf_counter() - started
    report = result.report
    print(json.dumps({k: report[k] for k in ("rows", "positives", "split")}, indent=1))
    for name, part in (
        ("LightGBM", report["test"]),
        ("logreg", report["baselines"]["logreg"]),
        ("rules", report["baselines"]["rules"]),
    ):
        print(f"{name:<10} ROC-AUC {part['roc_auc']}  PR-AUC {part['pr_auc']}")
    print(f"published logistic regression ROC-AUC ~0.78 (cross-validated, random folds) · {seconds:.0f} s")
    print("seconds per phase:", result.timings)


if __name__ == "__main__":
    main()
