"""`escalation tune-encoder`: fine-tune the shared encoder once on labelled messages (signals and sentiment
together) and write the adapter file that the `e5onnx-tuned` backend merges into its int8 export."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Literal

import click
from tqdm import tqdm

from core.options import SEED, FiniteFloatRange
from features.sentiment.e5_adapter import PACKAGED_ADAPTER, save_adapter
from training.sentiment.data import fingerprint
from training.signals.data import drop_texts, read_messages

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("tune-encoder")
@click.option(
    "--data",
    "data",
    type=_FILE,
    multiple=True,
    required=True,
    help="Labelled CSV (text[,lang][,sentiment][,the nine signal columns]); repeat for several. Rows "
    "without the signal columns teach sentiment only.",
)
@click.option(
    "--exclude",
    "exclude",
    type=_FILE,
    multiple=True,
    help="Held-out CSV: its texts are never trained on (give the --test files of train-signals).",
)
@click.option(
    "--max-sentiment-rows",
    type=click.IntRange(min=0),
    default=2500,
    show_default=True,
    help="At most this many rows a file from files without signal labels (seeded draw): they are "
    "many, and each costs time.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=PACKAGED_ADAPTER,
    show_default=True,
    help="Adapter file to write; use it with ESCALATION_SENTIMENT__ADAPTER_PATH.",
)
@click.option(
    "--layers",
    type=click.IntRange(1, 12),
    default=4,
    show_default=True,
    help="Upper layers that learn (adapters); the others stay frozen.",
)
@click.option("--rank", type=click.IntRange(1, 128), default=16, show_default=True, help="Adapter rank.")
@click.option("--epochs", type=click.IntRange(1, 50), default=4, show_default=True)
@click.option("--learning-rate", type=FiniteFloatRange(0, min_open=True), default=5e-4, show_default=True)
@click.option("--seed", type=SEED, default=2017, show_default=True)
@click.option(
    "--keep",
    type=click.Choice(["last", "best"]),
    default="last",
    show_default=True,
    help="Whose adapters to write: the last epoch's, or those of the epoch with the best validation score "
    "(signals' macro-F1 and sentiment macro-F1 per language, averaged).",
)
def tune_encoder(
    data: tuple[Path, ...],
    exclude: tuple[Path, ...],
    max_sentiment_rows: int,
    out: Path,
    layers: int,
    rank: int,
    epochs: int,
    learning_rate: float,
    seed: int,
    keep: Literal["last", "best"],
) -> None:
    """Fine-tune multilingual-e5-small's upper layers (low-rank adapters) for the nine signals and sentiment
    at once, printing validation figures after each epoch. Then train the heads on the tuned encoder:
    `ESCALATION_SENTIMENT__BACKEND=e5onnx-tuned escalation train-signals …` and `… train-sentiment …`."""
    import pandas as pd

    from training.encoder.tune import SIGNALS, VALIDATION_SALT, TuningConfig
    from training.encoder.tune import tune_encoder as tune

    frame = read_messages(list(data))
    if exclude:
        frame = drop_texts(frame, set(read_messages(list(exclude)).text))
    labelled = frame[list(SIGNALS)].notna().all(axis=1)
    parts = [frame[labelled]]
    for _, rows in frame[~labelled].groupby("file"):
        parts.append(rows.sample(min(len(rows), max_sentiment_rows), random_state=seed))
    frame = pd.concat(parts, ignore_index=True).drop_duplicates("text").reset_index(drop=True)
    click.echo(
        f"{int(labelled.sum()):,} rows with signal labels, {len(frame) - int(labelled.sum()):,} with "
        "sentiment only",
        err=True,
    )
    config = TuningConfig(
        layers=layers, rank=rank, epochs=epochs, learning_rate=learning_rate, seed=seed, keep=keep
    )
    bars: dict[str, tqdm] = {}

    def progress(what: str, done: int, total: int) -> None:
        bar = bars.get(what)
        if bar is None:
            bar = bars[what] = tqdm(total=total, desc=what, unit="text", leave=False)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    tuned = tune(frame, config, log=lambda line: click.echo(line, err=True), progress=progress)
    command = [
        "escalation",
        "tune-encoder",
        *[a for p in data for a in ("--data", str(p))],
        *[a for p in exclude for a in ("--exclude", str(p))],
        "--max-sentiment-rows",
        str(max_sentiment_rows),
        "--layers",
        str(layers),
        "--rank",
        str(rank),
        "--epochs",
        str(epochs),
        "--learning-rate",
        str(learning_rate),
        "--seed",
        str(seed),
        *(["--keep", keep] if keep != "last" else []),
    ]
    card = {
        "command": shlex.join(command),
        "data": fingerprint(list(data), frame),
        "config": {
            "layers": layers,
            "rank": rank,
            "alpha": config.alpha,
            "dropout": config.dropout,
            "epochs": epochs,
            "learning_rate": learning_rate,
            "batch_size": config.batch_size,
            "seed": seed,
            "keep": keep,
            "kept_epoch": tuned.kept_epoch,
        },
        # the rows no epoch trained on (tune.held_back), so they can be found again
        "held_back": {"salt": VALIDATION_SALT, "fraction": config.validation_fraction},
        "validation": [
            {"epoch": r.epoch, "loss": round(r.loss, 4), "signals": r.signal_f1, "sentiment": r.sentiment_f1}
            for r in tuned.reports
        ],
    }
    path = save_adapter(out, rank=rank, scale=tuned.scale, A=tuned.A, B=tuned.B, card=card)
    click.echo(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", err=True)
