"""How far two readers of the same messages agree on the nine signals (`training.signals.agreement`): the
ceiling a model's figures are read against.

    .venv/bin/python bench/label_agreement.py FIRST.csv SECOND.csv [--name "support tweets"]

Both files are labelled CSVs as `evaluate-text` reads them (`text` and any of the nine signal columns); rows
are paired by their text, and rows found in one file only are counted and left out. Per signal it prints each
reader's positives, the F1 of the second reader against the first (F1 is symmetric), Cohen's kappa, and the
macro-F1 over the signals with at least 5 positives for the first reader, as `evaluate-text` counts a model's.
Not run by `make bench` (it needs two readings of labelled data)."""

from __future__ import annotations

import argparse
from pathlib import Path

from training.signals.agreement import agreement
from training.signals.evaluate import MIN_CASES


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("first", type=Path, help="the labels a model is measured against")
    parser.add_argument("second", type=Path, help="a second reading of (some of) the same messages")
    parser.add_argument("--name", default=None, help="what the messages are, for the table's title")
    args = parser.parse_args()
    result = agreement(args.first, args.second)
    print(f"## {args.name or args.first.name}: {result.paired} messages read twice "
          f"({result.unpaired} in one file only)")
    print("| signal | first reader | second reader | F1 | kappa |")
    print("|---|---:|---:|---:|---:|")
    for s in result.signals:
        f1 = "–" if s.f1 is None else f"{s.f1:.2f}"
        print(f"| {s.signal} | {s.first} | {s.second} | {f1} | {s.kappa:.2f} |")
    macro = "–" if result.macro_f1 is None else f"{result.macro_f1:.3f}"
    print(f"macro-F1 over the signals with ≥ {MIN_CASES} cases for the first reader: {macro}")


if __name__ == "__main__":
    main()
