"""`escalation train-sentiment`: retrain the sentiment head on labelled messages (CSV
`text,sentiment[,lang]`), measure it per language on held-out rows, and write the head (JSON) + metrics."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import click
import pandas as pd
from tqdm import tqdm

from core.bounds import ENCODER_BATCH_MAX, HEAD_HIDDEN_MAX
from core.options import SEED, FiniteFloatRange
from core.settings import get_settings
from features.sentiment import BACKENDS, make_encoder, save_head
from features.sentiment.encoder import Encoder
from training.sentiment.data import cap_per_language, fingerprint, read_labelled, stratified_split
from training.sentiment.metrics import format_table
from training.sentiment.train import evaluate_head, fit_head, split_counts

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_BACKEND = click.Choice(BACKENDS)


@click.command("train-sentiment")
@click.option("--data", "data", type=_FILE, multiple=True, required=True,
              help="Labelled CSV (text,sentiment[,lang]); repeat for several files.")
@click.option("--test", "test", type=_FILE, multiple=True,
              help="Held-out CSV used only for the metrics; its languages are then not split from --data.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Head file to write  [default: MODELS_DIR/sentiment/head-<encoder>.json]; the metrics go "
                   "beside it as <name>.metrics.json. Use it with ESCALATION_SENTIMENT__HEAD_PATH.")
@click.option("--backend", type=_BACKEND, default=None,
              help="Encoder that embeds the training texts  [default: ESCALATION_SENTIMENT__BACKEND]")
@click.option("--evaluate-also", type=_BACKEND, multiple=True,
              help="Also measure the head on this backend (same encoder), e.g. torch next to onnx.")
@click.option("--test-fraction", type=FiniteFloatRange(0, 1, min_open=True, max_open=True), default=0.2,
              show_default=True, help="Share of each language and label held out for the metrics.")
@click.option("--seed", type=SEED, default=2017, show_default=True, help="Seed of the split and the fit.")
@click.option("--C", "C", type=FiniteFloatRange(0, min_open=True), default=1.0, show_default=True,
              help="Inverse L2 strength of the logistic regression.")
@click.option("--batch-size", type=click.IntRange(1, ENCODER_BATCH_MAX), default=None,
              help="Texts per encoder call  [default: ESCALATION_SENTIMENT__BATCH_SIZE]")
@click.option("--max-train-per-language", type=click.IntRange(min=1), default=None,
              help="Train on at most this many rows per language (stratified, seeded), for slow encoders.")
@click.option("--max-test-per-language", type=click.IntRange(min=1), default=None,
              help="Measure on at most this many held-out rows per language (stratified, seeded).")
@click.option("--ngrams/--no-ngrams", default=True, show_default=True,
              help="Also read each message's hashed n-grams, with offsets per language (format 2).")
@click.option("--hidden", type=click.IntRange(0, HEAD_HIDDEN_MAX), default=0, show_default=True,
              help="ReLUs of the network beside the regression (format 3); 0: the regression alone.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep embeddings here, so that a rerun embeds only new texts.")
def train_sentiment(
    data: tuple[Path, ...], test: tuple[Path, ...], out: Path | None, backend: str | None,
    evaluate_also: tuple[str, ...], test_fraction: float, seed: int, C: float, batch_size: int | None,
    max_train_per_language: int | None, max_test_per_language: int | None, ngrams: bool,
    hidden: int, cache_dir: Path | None,
) -> None:
    """Train the sentiment head on labelled messages and report macro-F1 and ROC-AUC (negative vs rest) per
    language on held-out rows. Every bad row is reported with its file, line and column."""
    settings = get_settings()
    backend = backend or settings.sentiment.backend
    batch_size = batch_size or settings.sentiment.batch_size
    frame = read_labelled(list(data))
    held_out = read_labelled(list(test)) if test else frame.iloc[:0]
    train, split_off = stratified_split(frame[~frame.lang.isin(set(held_out.lang))], test_fraction, seed)
    train = pd.concat([train, frame[frame.lang.isin(set(held_out.lang))]], ignore_index=True)
    train = train[~train.text.isin(set(held_out.text))]  # a held-out text is never trained on
    test_rows = pd.concat([split_off, held_out], ignore_index=True)
    train = cap_per_language(train, max_train_per_language, seed)
    test_rows = cap_per_language(test_rows, max_test_per_language, seed)
    click.echo(f"{len(train):,} training rows, {len(test_rows):,} held out; languages: "
               f"{', '.join(sorted(frame.lang.unique()))}", err=True)

    adapter, models_dir = settings.sentiment.adapter_path, settings.paths.models_dir
    encoders: dict[str, Encoder] = {backend: make_encoder(backend, models_dir, adapter_path=adapter)}
    with tqdm(total=len(train), desc=f"embedding ({backend})", unit="text") as bar:
        head = fit_head(train, encoders[backend], backend, C=C, seed=seed, batch_size=batch_size,
                        cache_dir=cache_dir, progress=bar.update, ngrams=ngrams, hidden=hidden)
    for other in dict.fromkeys(evaluate_also):
        encoders.setdefault(other, make_encoder(other, models_dir, adapter_path=adapter))
    with tqdm(total=len(test_rows) * len(encoders), desc="held-out rows", unit="text") as bar:
        metrics = evaluate_head(head, test_rows, encoders, batch_size=batch_size, cache_dir=cache_dir,
                                progress=bar.update)

    command = ["escalation", "train-sentiment", *[a for p in data for a in ("--data", str(p))],
               *[a for p in test for a in ("--test", str(p))], "--backend", backend,
               *[a for b in evaluate_also for a in ("--evaluate-also", b)],
               "--test-fraction", str(test_fraction), "--seed", str(seed), "--C", str(C),
               *([] if ngrams else ["--no-ngrams"]), *(["--hidden", str(hidden)] if hidden else []),
               *(["--max-train-per-language", str(max_train_per_language)] if max_train_per_language else []),
               *(["--max-test-per-language", str(max_test_per_language)] if max_test_per_language else [])]
    head.card_ = {
        "trained_with_backend": backend,
        "command": shlex.join(command),
        "data": fingerprint(list(data), frame),
        "test_data": fingerprint(list(test), held_out),
        "split": {"test_fraction": test_fraction, "seed": seed,
                  "max_train_per_language": max_train_per_language,
                  "max_test_per_language": max_test_per_language,
                  "train": split_counts(train), "test": split_counts(test_rows)},
        "metrics": metrics,
    }
    out = out or settings.paths.models_dir / "sentiment" / f"head-{head.encoder_name}.json"
    save_head(head, out)
    metrics_path = out.with_name(f"{out.stem}.metrics.json")
    metrics_path.write_text(json.dumps({"head": head.version_, "encoder": head.encoder_name,
                                        "metrics": metrics}, indent=1) + "\n", encoding="utf-8")
    click.echo(format_table(metrics))
    click.echo(f"wrote {out} ({head.version_}) and {metrics_path}", err=True)
