"""`escalation split-labelled`, `train-signals`, `evaluate-text` and `attach-texts`: hold out part of labelled
messages, train the learned signal head, measure the configured analysis (beside the phrase files alone), and
join labels kept without their texts to a copy of the source dataset."""

from __future__ import annotations

import hashlib
import json
import shlex
from pathlib import Path

import click
import pandas as pd
from tqdm import tqdm

from core.options import SEED, FiniteFloatRange
from core.settings import get_settings
from core.text import MessageAnalysis
from features.sentiment import make_encoder
from features.text.analysis import MessageAnalyser, MessageIn
from features.text.signal_head import LEARNED, SignalHead, save_signal_head
from training.signals.data import drop_texts, read_messages, split_holdout
from training.signals.evaluate import (
    Report,
    disagreements,
    format_report,
    text_metrics,
    write_disagreements,
)
from training.signals.labels import attach_texts

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("split-labelled")
@click.argument("files", nargs=-1, required=True, type=_FILE)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for <name>.train.csv and <name>.test.csv of each input file.",
)
@click.option(
    "--test-fraction",
    type=FiniteFloatRange(0, 1, min_open=True, max_open=True),
    default=0.3,
    show_default=True,
    help="Share of each file and stratum held out.",
)
def split_labelled(files: tuple[Path, ...], out_dir: Path, test_fraction: float) -> None:
    """Hold out a stratified part of labelled messages, decided by a hash of each text: the same files
    always give the same split, and a text held out in one file is trained on in none."""
    _writable(out_dir, "--out")
    frame = read_messages(list(files))
    train, test = split_holdout(frame, test_fraction)
    for path in files:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        raw["_text"] = raw["text"].map(lambda t: " ".join(t.split()))
        for part, rows in (("train", train), ("test", test)):
            texts = set(rows.text[rows.file == path.name])
            chosen = raw[raw["_text"].isin(texts)].drop(columns="_text")
            chosen.to_csv(out_dir / f"{path.stem}.{part}.csv", index=False)
            click.echo(f"{path.name}: {len(chosen):,} {part} rows", err=True)


@click.command("attach-texts")
@click.argument("labels", type=_FILE)
@click.option("--source", "sources", type=_FILE, multiple=True, required=True,
              help="The source dataset's CSV (source_id, text[, sentiment][, lang]); repeat for several.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Labelled messages to write, as train-signals reads them.")
def attach_texts_command(labels: Path, sources: tuple[Path, ...], out: Path) -> None:
    """Join a labels file kept without texts (source_id, text_sha256 and the nine signal columns, e.g.
    data/labels/) to your copy of the source dataset, checking every text against its hash."""
    frame = attach_texts(labels, list(sources))
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False)
    click.echo(f"{labels.name}: {len(frame):,} labelled messages written to {out}", err=True)


@click.command("train-signals")
@click.option(
    "--data",
    "data",
    type=_FILE,
    multiple=True,
    required=True,
    help="Labelled CSV (text[,lang][,sentiment] and the nine signal columns); repeat for several.",
)
@click.option(
    "--test",
    "test",
    type=_FILE,
    multiple=True,
    help="Held-out CSV, measured only; its texts are never trained on.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Head file to write  [default: MODELS_DIR/signals/signal-head-<encoder>.json]. Use it with "
    "ESCALATION_TEXT__SIGNAL_HEAD_PATH.",
)
@click.option(
    "--C",
    "C",
    type=FiniteFloatRange(0, min_open=True),
    default=4.0,
    show_default=True,
    help="Inverse L2 strength of each signal's logistic regression.",
)
@click.option("--seed", type=SEED, default=2017, show_default=True, help="Seed of the folds and the fit.")
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep embeddings here, so that a rerun embeds only new texts.",
)
def train_signals(
    data: tuple[Path, ...],
    test: tuple[Path, ...],
    out: Path | None,
    C: float,
    seed: int,
    cache_dir: Path | None,
) -> None:
    """Train the learned signal head on the configured encoder's embeddings (ESCALATION_SENTIMENT__BACKEND),
    with a threshold and a phrase floor per signal chosen by cross-validation on the training rows (under its
    floor the head overrules a phrase match), and report the held-out figures of the whole analysis beside
    the phrase files alone."""
    from features.text.lexicon import load_lexicon
    from training.signals.train import fit_signal_head

    settings = get_settings()
    backend = settings.sentiment.backend
    held_out = read_messages(list(test)) if test else None
    train = read_messages(list(data))
    if held_out is not None:
        train = drop_texts(train, set(held_out.text))
    click.echo(
        f"{len(train):,} training rows, {0 if held_out is None else len(held_out):,} held out", err=True
    )
    encoder = make_encoder(
        backend, settings.paths.models_dir, settings.sentiment.num_threads, settings.sentiment.adapter_path
    )
    lexicon = load_lexicon(list(settings.text.signal_phrase_files))
    with tqdm(total=len(train), desc=f"embedding ({backend})", unit="text") as bar:
        head = fit_signal_head(
            train,
            encoder,
            backend,
            lexicon,
            C=C,
            seed=seed,
            batch_size=settings.sentiment.batch_size,
            cache_dir=cache_dir,
            progress=bar.update,
        )
    command = [
        "escalation",
        "train-signals",
        *[a for p in data for a in ("--data", str(p))],
        *[a for p in test for a in ("--test", str(p))],
        "--C",
        str(C),
        "--seed",
        str(seed),
    ]
    head.card_ = {
        "trained_with_backend": backend,
        "command": shlex.join(command),
        "data": _fingerprint(list(data), train),
        # the phrase files' bytes (shipped and the team's): their hits are inputs, so a head read beside
        # other phrases is not the one measured here
        "phrases": lexicon.fingerprint,
        "thresholds": dict(zip((s.value for s in LEARNED), head.thresholds_.round(3).tolist(), strict=True)),
    }
    out = out or settings.paths.models_dir / "signals" / f"signal-head-{head.encoder_name}.json"
    if held_out is not None:
        from features.text.loading import load_analyser

        results = _report(held_out, _analyse(held_out, load_analyser(settings), head))
        head.card_["held_out"] = {"data": _fingerprint(list(test), held_out), "metrics": results}
        click.echo(format_report(results))
    save_signal_head(head, out)
    click.echo(f"wrote {out} ({head.version_})", err=True)


@click.command("evaluate-text")
@click.argument("files", nargs=-1, required=True, type=_FILE)
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the figures as JSON here.",
)
@click.option(
    "--errors",
    "errors_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write every disagreement here as CSV (file, line, signal or sentiment, missed or false "
    "alarm, found by the phrases or the model, the evidence, the message): what to read before editing a "
    "phrase file.",
)
def evaluate_text(files: tuple[Path, ...], json_out: Path | None, errors_out: Path | None) -> None:
    """Measure the configured analysis on labelled messages: per language, each signal's precision, recall and
    F1 and their macro-F1, and sentiment macro-F1 — beside the phrase files alone, the simple baseline.

    FILES are UTF-8 CSVs with `text`, optional `lang` and `sentiment`, and any of the nine signal columns
    (0/1): manager_request, churn_threat, legal_threat, public_threat, insult, shouting, repeated_contact,
    financial_harm, urgency. Hold these messages out of any training."""
    from features.text.loading import load_analyser

    for option, path in (("--json", json_out), ("--errors", errors_out)):
        if path is not None:
            _writable(path.parent, option, path)
    frame = read_messages(list(files))
    analyses = _analyse(frame, load_analyser(get_settings()), None)
    report = _report(frame, analyses)
    click.echo(format_report(report))
    if json_out is not None:
        json_out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        click.echo(f"wrote {json_out}", err=True)
    if errors_out is not None:
        rows = disagreements(frame, analyses["analysis"], analyses["phrases only"])
        write_disagreements(errors_out, rows)
        click.echo(f"wrote {len(rows):,} disagreements to {errors_out}", err=True)


def _writable(folder: Path, option: str, shown: Path | None = None) -> None:
    """Make `folder` for an output before any work is done, or refuse the option naming the path."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.BadParameter(f"{shown or folder} cannot be written ({exc.strerror or exc}); choose "
                                 "another path", param_hint=option) from None


def _analyse(
    frame: pd.DataFrame, analyser: MessageAnalyser, head: SignalHead | None
) -> dict[str, list[MessageAnalysis]]:
    """{"phrases only": analyses, "analysis": analyses} of `frame`'s messages; `head` replaces the analyser's
    signal head."""
    if head is not None:
        analyser = MessageAnalyser(analyser.lexicon, analyser.sentiment, head)
    messages = [MessageIn(t, lang or None) for t, lang in zip(frame.text, frame.lang, strict=True)]
    baseline = MessageAnalyser(analyser.lexicon)
    out: dict[str, list[MessageAnalysis]] = {}
    for name, which in (("phrases only", baseline), ("analysis", analyser)):
        analyses: list[MessageAnalysis] = []
        with tqdm(total=len(messages), desc=name, unit="msg", disable=name == "phrases only") as bar:
            for start in range(0, len(messages), 64):
                analyses += which.analyse(messages[start : start + 64])
                bar.update(len(messages[start : start + 64]))
        out[name] = analyses
    return out


def _report(frame: pd.DataFrame, analyses: dict[str, list[MessageAnalysis]]) -> Report:
    return {name: text_metrics(frame, found) for name, found in analyses.items()}


def _fingerprint(paths: list[Path], frame: pd.DataFrame) -> list[dict[str, object]]:
    """Each file's name, hash and row count (never a text)."""
    return [
        {
            "file": p.name,
            "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
            "rows": int((frame.file == p.name).sum()),
        }
        for p in paths
    ]
