"""Fine-tune multilingual-e5-small once, on signals and sentiment together: low-rank adapters on its upper
layers, trained through the embedding the heads read (mean-pooled, L2-normalised) with two temporary task
heads on it — one logit per learned signal (binary cross-entropy, positives weighted up) and three sentiment
logits (cross-entropy). Rows labelled for sentiment only add to the sentiment loss alone.

The lower layers stay frozen, so their output is computed once per text and kept (float16); each epoch then
runs only the adapted layers forward and back. The temporary heads are thrown away: the shipped heads are
trained afterwards on the int8 encoder's embeddings (`train-signals`, `train-sentiment`), so they read
exactly what serving computes.

A validation share of the training rows (by a salted hash of the text, `VALIDATION_SALT`) is never trained
on and is measured after every epoch: the signals' macro-F1 (best of a few thresholds) and sentiment macro-F1
per language. The salt matters: `split-labelled` holds out each file's lowest unsalted hashes, so the
unsalted ones below 0.15 left almost no training row to validate on (34 of the 4,533 signal rows). The
adapter's card names the rule (`held_back`), so the rows the encoder never saw can be found again.

`keep="best"` returns the adapters of the epoch with the best validation score (`EpochReport.score`), not
the last epoch's: past the middle of a long schedule the adapters learn the training rows, not the task
(eight epochs: signals 0.556 at epoch 4, 0.533 at epoch 8; docs/sentiment.md)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import torch
from sklearn.metrics import f1_score

from features.sentiment.e5_export import e5_bert_model
from features.sentiment.e5_file import BLOCK, E5File, dequantise, packaged_e5_file
from features.sentiment.e5_tokenizer import E5Tokenizer
from features.sentiment.model import encoder_text
from features.text.analysis import message_language
from features.text.signal_head import LEARNED
from training.encoder.lora import LoRALinear, adapter_arrays, attach_lora
from training.signals.data import SENTIMENTS, text_hash

VALIDATION_SALT = "tune-encoder validation\x00"
MAX_TOKENS = 128  # a training text is cut here: messages are short, and the cost grows with the length
SIGNALS = tuple(s.value for s in LEARNED)


@dataclass(frozen=True, slots=True)
class TuningConfig:
    layers: int = 4  # the upper layers that get adapters; the rest stay frozen
    rank: int = 16
    alpha: float = 32.0
    dropout: float = 0.1
    epochs: int = 4
    learning_rate: float = 5e-4
    batch_size: int = 32
    validation_fraction: float = 0.15
    seed: int = 2017
    keep: Literal["last", "best"] = "last"  # which epoch's adapters are returned


@dataclass(slots=True)
class EpochReport:
    epoch: int
    loss: float
    seconds: float
    signal_f1: dict[str, float]  # validation, signals with ≥ 5 positives
    sentiment_f1: dict[str, float]  # validation, per language

    @property
    def signal_macro_f1(self) -> float:
        return float(np.mean(list(self.signal_f1.values()))) if self.signal_f1 else float("nan")

    @property
    def score(self) -> float:
        """What `keep="best"` compares: the mean of the signals' macro-F1 and each language's sentiment
        macro-F1 (the encoder serves both), over those measured."""
        figures = [self.signal_macro_f1, *self.sentiment_f1.values()]
        measured = [f for f in figures if not math.isnan(f)]
        return float(np.mean(measured)) if measured else float("-inf")


def best_epoch(reports: Sequence[EpochReport]) -> int:
    """The epoch with the highest validation score; the earliest of equals."""
    return max(reports, key=lambda r: (r.score, -r.epoch)).epoch


@dataclass(slots=True)
class TunedAdapter:
    A: dict[str, npt.NDArray[np.float32]]
    B: dict[str, npt.NDArray[np.float32]]
    scale: float
    reports: list[EpochReport] = field(default_factory=list)
    kept_epoch: int = 0  # whose adapters A and B are


@dataclass(frozen=True, slots=True)
class _Rows:
    ids: list[list[int]]
    signals: torch.Tensor  # [n, signals] 0/1
    has_signals: torch.Tensor  # [n] 1 where the row is labelled for the signals
    sentiment: torch.Tensor  # [n] label index, -100 where none
    lang: npt.NDArray[np.str_]


def _rows(frame: pd.DataFrame, tokenizer: E5Tokenizer) -> _Rows:
    has = frame[list(SIGNALS)].notna().all(axis=1).to_numpy()
    return _Rows(
        ids=tokenizer.content_ids([encoder_text(t) for t in frame.text]),
        signals=torch.tensor(frame[list(SIGNALS)].fillna(0).to_numpy(np.float32)),
        has_signals=torch.tensor(has.astype(np.float32)),
        sentiment=torch.tensor([SENTIMENTS.index(s) if s in SENTIMENTS else -100 for s in frame.sentiment]),
        lang=np.array(
            [message_language(t, lang or None) for t, lang in zip(frame.text, frame.lang, strict=True)]
        ),
    )


class _Tuner:
    def __init__(self, config: TuningConfig, log: Callable[[str], None]) -> None:
        self.config = config
        self.log = log
        path, _ = packaged_e5_file()
        self.e5 = E5File(path)
        c = self.e5.config
        self.tokenizer = E5Tokenizer(self.e5.vocab)
        self.word = self.e5.q4_blocks("emb.word").reshape(c.vocab, c.hidden // BLOCK)
        self.model = e5_bert_model(self.e5)
        self.low = c.layers - config.layers
        self.adapters: dict[str, LoRALinear] = attach_lora(
            self.model, range(self.low, c.layers), config.rank, config.alpha, config.dropout
        )
        self.signal_head = torch.nn.Linear(c.hidden, len(SIGNALS))
        self.sentiment_head = torch.nn.Linear(c.hidden, len(SENTIMENTS))

    def lower(self, ids: Sequence[list[int]], progress: Callable[[int], None]) -> list[torch.Tensor]:
        """The frozen layers' output per text (float16, its own length), by batches of similar length."""
        out: list[torch.Tensor | None] = [None] * len(ids)
        order = np.argsort([len(r) for r in ids], kind="stable")
        self.model.eval()
        with torch.no_grad():
            for start in range(0, len(order), 64):
                chosen = order[start : start + 64]
                hidden, mask = self._embed([ids[i] for i in chosen])
                hidden = self._layers(hidden, mask, 0, self.low)
                for j, i in enumerate(chosen):
                    out[i] = hidden[j, : int(mask[j].sum())].to(torch.float16).clone()
                progress(len(chosen))
        return [t for t in out if t is not None]

    def _embed(self, rows: Sequence[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        vocab = self.e5.vocab
        rows = [[vocab.bos, *r[: MAX_TOKENS - 2], vocab.eos] for r in rows]
        length = max(len(r) for r in rows)
        ids = np.zeros((len(rows), length), dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.int64)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = r
            mask[i, : len(r)] = 1
        words = dequantise(self.word[ids]).reshape(len(rows), length, -1) * mask[..., None]
        mask_t = torch.from_numpy(mask)
        return self.model.embeddings(inputs_embeds=torch.from_numpy(words.astype(np.float32))), mask_t

    def _layers(self, hidden: torch.Tensor, mask: torch.Tensor, low: int, high: int) -> torch.Tensor:
        additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.model.encoder.layer[low:high]:
            out = layer(hidden, attention_mask=additive)
            hidden = out[0] if isinstance(out, tuple) else out
        return hidden

    def upper(self, cached: Sequence[torch.Tensor]) -> torch.Tensor:
        """The pooled, normalised embedding from the adapted layers (what the heads will read)."""
        length = max(t.shape[0] for t in cached)
        hidden = torch.zeros(len(cached), length, self.e5.config.hidden)
        mask = torch.zeros(len(cached), length, dtype=torch.long)
        for j, t in enumerate(cached):
            hidden[j, : t.shape[0]] = t.float()
            mask[j, : t.shape[0]] = 1
        hidden = self._layers(hidden, mask, self.low, self.e5.config.layers)
        weights = mask[..., None].float()
        pooled = (hidden * weights).sum(1) / weights.sum(1)
        return torch.nn.functional.normalize(pooled, dim=-1)


def tune_encoder(
    frame: pd.DataFrame,
    config: TuningConfig,
    *,
    log: Callable[[str], None] = print,
    progress: Callable[[str, int, int], None] | None = None,
) -> TunedAdapter:
    """Adapters for `frame` (read_messages' columns: text, lang, sentiment, the signal columns — NaN where a
    row is not labelled for them)."""
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    tuner = _Tuner(config, log)
    rows = _rows(frame, tuner.tokenizer)
    done = [0]

    def step(what: str, total: int) -> Callable[[int], None]:
        done[0] = 0

        def advance(n: int) -> None:
            done[0] += n
            if progress is not None:
                progress(what, done[0], total)

        return advance

    started = time.perf_counter()
    cached = tuner.lower(rows.ids, step("frozen layers", len(rows.ids)))
    log(f"frozen layers 1-{tuner.low} of {len(rows.ids):,} texts in {time.perf_counter() - started:.0f} s")
    val_mask = held_back(frame.text, config.validation_fraction)
    train_idx, val_idx = np.flatnonzero(~val_mask), np.flatnonzero(val_mask)
    log(
        f"validating on {len(val_idx):,} rows never trained on "
        f"({int(rows.has_signals[val_idx].sum()):,} with signal labels), training on {len(train_idx):,}"
    )
    labelled = rows.has_signals[train_idx]
    positives = (rows.signals[train_idx] * labelled[:, None]).sum(0)
    pos_weight = torch.sqrt((labelled.sum() - positives) / positives.clamp(min=1)).clamp(max=10)
    params = [p for m in tuner.adapters.values() for p in (m.A, m.B)]
    params += [*tuner.signal_head.parameters(), *tuner.sentiment_head.parameters()]
    optimiser = torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=0.01)
    batches_per_epoch = math.ceil(len(train_idx) / config.batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=config.learning_rate, total_steps=config.epochs * batches_per_epoch, pct_start=0.1
    )
    result = TunedAdapter({}, {}, config.alpha / config.rank)
    for epoch in range(1, config.epochs + 1):
        started = time.perf_counter()
        tuner.model.train()
        total = 0.0
        advance = step(f"epoch {epoch}/{config.epochs}", len(train_idx))
        for batch in _batches(train_idx, cached, config.batch_size, rng):
            embedding = tuner.upper([cached[i] for i in batch])
            signal_logits = tuner.signal_head(embedding * 10)
            sentiment_logits = tuner.sentiment_head(embedding * 10)
            weight = rows.has_signals[batch]
            signal_loss = torch.nn.functional.binary_cross_entropy_with_logits(
                signal_logits, rows.signals[batch], pos_weight=pos_weight, reduction="none"
            ).mean(1)
            loss = (signal_loss * weight).sum() / weight.sum().clamp(min=1)
            if (rows.sentiment[batch] >= 0).any():
                loss = loss + torch.nn.functional.cross_entropy(
                    sentiment_logits, rows.sentiment[batch], ignore_index=-100
                )
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
            schedule.step()
            total += float(loss.item())
            advance(len(batch))
        report = _validate(tuner, rows, cached, val_idx)
        report.epoch, report.loss = epoch, total / batches_per_epoch
        report.seconds = time.perf_counter() - started
        result.reports.append(report)
        log(
            f"epoch {epoch}/{config.epochs}: loss {report.loss:.3f}, validation signals macro-F1 "
            f"{report.signal_macro_f1:.3f}, sentiment macro-F1 "
            + ", ".join(f"{k} {v:.3f}" for k, v in report.sentiment_f1.items())
            + f" ({report.seconds:.0f} s)"
        )
        if config.keep == "best" and best_epoch(result.reports) == epoch:
            result.A, result.B = adapter_arrays(tuner.adapters)  # copies: later epochs do not move them
            result.kept_epoch = epoch
    if config.keep == "last":
        result.A, result.B = adapter_arrays(tuner.adapters)
        result.kept_epoch = config.epochs
    else:
        kept = result.reports[result.kept_epoch - 1]
        log(f"kept the adapters of epoch {result.kept_epoch} (validation score {kept.score:.3f})")
    return result


def held_back(texts: pd.Series, fraction: float) -> npt.NDArray[np.bool_]:
    """The validation share: rows whose salted text hash is below `fraction` (the same on every machine)."""
    return texts.map(lambda t: text_hash(t, VALIDATION_SALT)).to_numpy() < fraction


def _batches(
    index: npt.NDArray[np.intp], cached: Sequence[torch.Tensor], size: int, rng: np.random.Generator
) -> list[npt.NDArray[np.intp]]:
    """Shuffled batches of texts of similar length (sorted within chunks of 50 batches): little padding."""
    shuffled = rng.permutation(index)
    batches = []
    for start in range(0, len(shuffled), size * 50):
        chunk = shuffled[start : start + size * 50]
        chunk = chunk[np.argsort([cached[i].shape[0] for i in chunk], kind="stable")]
        batches += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    order = rng.permutation(len(batches))
    return [batches[i] for i in order]


def _validate(
    tuner: _Tuner, rows: _Rows, cached: Sequence[torch.Tensor], index: npt.NDArray[np.intp]
) -> EpochReport:
    tuner.model.eval()
    order = index[np.argsort([cached[i].shape[0] for i in index], kind="stable")]
    probabilities, sentiment = [], []
    with torch.no_grad():
        for start in range(0, len(order), 64):
            embedding = tuner.upper([cached[i] for i in order[start : start + 64]])
            probabilities.append(torch.sigmoid(tuner.signal_head(embedding * 10)))
            sentiment.append(tuner.sentiment_head(embedding * 10).argmax(1))
    P = torch.cat(probabilities).numpy()
    predicted = torch.cat(sentiment).numpy()
    labelled = rows.has_signals[order].numpy() > 0
    truth = rows.signals[order].numpy()
    signal_f1 = {}
    for k, name in enumerate(SIGNALS):
        if truth[labelled, k].sum() >= 5:
            signal_f1[name] = round(
                max(
                    float(f1_score(truth[labelled, k], P[labelled, k] > t, zero_division=0))
                    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
                ),
                3,
            )
    gold = rows.sentiment[order].numpy()
    langs = rows.lang[order]
    sentiment_f1 = {}
    for lang in sorted(set(langs[gold >= 0])):
        chosen = (gold >= 0) & (langs == lang)
        if chosen.sum() >= 20:
            sentiment_f1[lang] = round(float(f1_score(gold[chosen], predicted[chosen], average="macro")), 3)
    return EpochReport(0, 0.0, 0.0, signal_f1, sentiment_f1)
