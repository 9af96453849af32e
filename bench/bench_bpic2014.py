"""Train on real ITSM incidents (BPIC 2014, Rabobank) through the shipped mapping file alone; print the
test figures beside the published logistic-regression ROC-AUC of about 0.78 on the same table.

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

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "docs/mapping-bpic2014.yaml"  # ids and creation instants generated: no converter


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

        config = TrainConfig(
            parse_target("outcome:sla_failed"),
            ticket_features=("open_hour", "open_weekday", "related_interactions", "related_incidents",
                             "related_changes"),
        )
        started = time.perf_counter()
        result, _ = run_training(
            args.csv,
            config,
            mapping=MAPPING,
            model_out=Path(tmp) / "model.json",
            progress=False,
            text=False,  # the table has no message texts
        )
        seconds = time.perf_counter() - started
    report = result.report.to_dict()
    print(json.dumps({k: report[k] for k in ("rows", "positives", "split")}, indent=1))
    for name, part in (
        ("LightGBM", result.report.test.figures),
        ("logreg", result.report.logreg),
        ("rules", result.report.rules.figures),
    ):
        print(f"{name:<10} ROC-AUC {part.roc_auc}  PR-AUC {part.pr_auc}")
    print(f"published logistic regression ROC-AUC ~0.78 (cross-validated, random folds) · {seconds:.0f} s")
    print("seconds per phase:", result.timings)


if __name__ == "__main__":
    main()
