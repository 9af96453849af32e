"""Cross-validated macro-F1 of the analysis with a learned signal head of given settings, per training file —
how the packaged head's C and phrase weight were checked (docs/signals.md, *Looking for a better head*).
Training rows only: never pass the held-out (*.test.csv) files.

    .venv/bin/python bench/cv_signal_head.py --data split/en_support_tweets.train.csv \\
        --data split/de_written.train.csv --cache var/emb --C 4 --C 8 --phrase-weight 2 --fold-seed 2017

The encoder is the configured one (ESCALATION_SENTIMENT__BACKEND; default e5onnx-tuned); `--cache` is
shared with `escalation train-signals --cache`. Not run by `make bench` (it needs labelled data)."""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np

from core.settings import get_settings
from features.sentiment import encoder_text, make_encoder
from features.text.analysis import message_language
from features.text.lexicon import load_lexicon
from features.text.ngrams import ngram_buckets
from features.text.signal_head import LEARNED, PHRASES
from features.text.signals import detect_signals_and_vetoes
from training.sentiment.cache import cached_embed
from training.signals.cv import cross_fitted, fold_ids, labels, macro_f1, out_of_fold, served
from training.signals.data import SIGNALS, read_messages


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, action="append", required=True, help="a *.train.csv; repeat")
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache (train-signals --cache)")
    parser.add_argument("--C", type=float, action="append", help="inverse L2 strength; repeat (default 4)")
    parser.add_argument("--phrase-weight", type=float, action="append", help="repeat (default 2)")
    parser.add_argument("--fold-seed", type=int, action="append", help="repeat (default 2017)")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()

    settings = get_settings()
    backend = settings.sentiment.backend
    frame = read_messages(args.data)
    encoder = make_encoder(
        backend, settings.paths.models_dir, settings.sentiment.num_threads, settings.sentiment.adapter_path
    )
    lexicon = load_lexicon(list(settings.text.signal_phrase_files))
    texts = [encoder_text(t) for t in frame.text]
    E = cached_embed(
        encoder, backend, texts, batch_size=settings.sentiment.batch_size, cache_dir=args.cache
    )
    buckets = [ngram_buckets(t) for t in texts]
    hits = np.zeros((len(frame), len(PHRASES)), dtype=bool)
    vetoed = np.zeros_like(hits)
    for i, (text, lang) in enumerate(zip(frame.text, frame.lang, strict=True)):
        found, dropped = detect_signals_and_vetoes(text, message_language(text, lang), lexicon=lexicon)
        names = {s.name for s in found}
        hits[i] = [n in names for n in PHRASES]
        vetoed[i] = [n in dropped for n in PHRASES]
    assert tuple(SIGNALS) == tuple(n.value for n in PHRASES)
    truth = labels(frame[list(SIGNALS)].to_numpy())
    Y = truth[:, [PHRASES.index(n) for n in LEARNED]].astype(np.float64)
    files = frame.file.tolist()

    def row(name: str, found: np.ndarray) -> None:
        figures = macro_f1(truth, found, files)
        cells = " | ".join("–" if m is None else f"{m:.3f}" for m, _ in figures.values())
        print(f"| {name} | {cells} |", flush=True)

    print(f"| settings | {' | '.join(dict.fromkeys(files))} |")
    print("|---|" + "---:|" * len(set(files)))
    row("phrases only", hits)
    for C, weight, seed in itertools.product(
        args.C or [4.0], args.phrase_weight or [2.0], args.fold_seed or [2017]
    ):
        folds = fold_ids(len(frame), args.folds, seed)
        P = out_of_fold(E, buckets, hits.astype(np.float64), Y, folds, C=C, phrase_weight=weight)
        learned, stands = cross_fitted(P, Y, folds, hits)
        name = f"C {C:g}, phrase weight {weight:g}, folds seed {seed}"
        row(f"{name}, every phrase match", served(learned, hits, vetoed))
        row(f"{name}, phrase floors", served(learned, hits, vetoed, stands))


if __name__ == "__main__":
    main()
