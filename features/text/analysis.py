"""A message's analysis — language, sentiment, conflict signals with evidence — in one place, for training,
serving and the CLI alike, so that the same message gets the same analysis wherever it is read.

The language is the message's own when its source gives one, else detected from the text (the ticket's
language decides only when the text has no letters). Signals come from two sources that agree on their
shape: the phrase files (exact matches, checked for negation, quotes and context) and, where a signal head
is loaded, the learned head over the embedding the sentiment step computes anyway — one encoder pass. A
phrase match is reported unless the head gives its signal less than the signal's phrase floor; the head adds
a signal no phrase found when its probability clears the signal's threshold, with the sentence that carries
it as evidence."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from core.text import MessageAnalysis, Signal, SignalName
from features.sentiment.model import SentimentModel
from features.text.analysis_cache import AnalysisCache, Key
from features.text.language import detect_language
from features.text.lexicon import Lexicon, normalise_language
from features.text.ngrams import BucketIds, ngram_buckets, read_as
from features.text.phrase_syntax import SYNTAX_VERSION
from features.text.quotes import MASK, mask_quotes
from features.text.signal_head import LEARNED, PHRASES, SignalHead
from features.text.signals import detect_signals_and_vetoes

# A sentence ends at . ! ? or a line break (runs of them too: "No response!!! Again.").
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


@dataclass(frozen=True, slots=True)
class MessageIn:
    text: str
    lang: str | None = None  # the message's own language, where its source says
    fallback_lang: str | None = None  # the ticket's language: used when the text has no letters


def message_language(text: str, lang: str | None, fallback: str | None = None) -> str:
    """'NO', 'nb', 'de-AT' → 'no', 'no', 'de'; none given → detected from the text."""
    if lang and lang.strip() and lang.strip().lower() not in _UNKNOWN:
        return normalise_language(lang)
    default = normalise_language(fallback) if fallback and fallback.strip().lower() not in _UNKNOWN else "en"
    return detect_language(text, default=default or "en")


_UNKNOWN = frozenset({"", "nan", "none", "null", "unknown", "und", "<na>"})


def language_problem(lang: str | None, known: Sequence[str]) -> str | None:
    """Why a given `lang` cannot be used, or None: blank or an unknown-marker is detected from the text, and
    a code counts when it names one of the `known` languages (the lexicon's) once normalised ('NB', 'de-AT').
    Anything else ('english', 'xx') would be analysed with every language's phrases and echoed back."""
    if not lang or lang.strip().lower() in _UNKNOWN or normalise_language(lang) in known:
        return None
    return (f"lang {lang.strip()!r} is not a language the analysis knows; "
            f"use one of {', '.join(sorted(known))} (nb, nn and regions such as de-AT are read too) "
            "or leave it blank to detect")


class SharedAnalyses(Protocol):
    """Analyses kept outside this process (serving: in the store, for every worker and instance), keyed by
    the analyser's `version` and the message as read. `recall` answers the positions it holds."""

    def recall(self, version: str, messages: Sequence[MessageIn]) -> Mapping[int, MessageAnalysis]: ...

    def keep(self, version: str, made: Sequence[tuple[MessageIn, MessageAnalysis]]) -> None: ...


class MessageAnalyser:
    """`analyse(messages)`: one `MessageAnalysis` per message, in order. The phrase lexicon is passed in
    (the shipped files plus the team's); `sentiment` and `signals` are optional models. `cache_mb`: keep the
    analyses of recent texts (serving; features/text/analysis_cache.py), 0 for none."""

    def __init__(
        self,
        lexicon: Lexicon,
        sentiment: SentimentModel | None = None,
        signals: SignalHead | None = None,
        cache_mb: float = 0.0,
    ) -> None:
        if signals is not None and (sentiment is None or signals.encoder_name != sentiment.encoder.name):
            encoder = sentiment.encoder.name if sentiment is not None else "none"
            raise ValueError(
                f"the signal head {signals.version_} reads encoder {signals.encoder_name!r} "
                f"embeddings, but the sentiment model runs {encoder!r}"
            )
        self.lexicon = lexicon
        self.sentiment = sentiment
        self.signals = signals
        self.cache = AnalysisCache(cache_mb) if cache_mb > 0 else None

    @functools.cached_property
    def version(self) -> str:
        """Names everything that decides an analysis: models and phrase files (a cache key; hashed once)."""
        parts = [
            self.sentiment.version if self.sentiment else "no-sentiment",
            self.signals.version_ if self.signals else "phrases-only",
            f"phrases:{self.lexicon.fingerprint}/syntax{SYNTAX_VERSION}",
        ]
        return "|".join(parts)

    def warm_up(self) -> None:
        """Analyse one short text of no given language: loads the language identifier (about a second, else
        taken by the first request of each server process) and runs the encoder once."""
        self._analyse([MessageIn("Hello, is there any update on my order?")])

    def analyse(
        self, messages: Sequence[MessageIn], shared: SharedAnalyses | None = None
    ) -> list[MessageAnalysis]:
        """One analysis per message, in order. `shared`: ask it for what this process's cache lacks, and
        give it what had to be made; those are then made one message a call, so that an analysis does not
        depend on the messages it was made beside (whatever the encoder's batching)."""
        if self.cache is None and shared is None:
            return self._analyse(messages)
        keys: list[Key] = [(m.text, m.lang, m.fallback_lang) for m in messages]
        cache = self.cache
        found: dict[int, MessageAnalysis] = {}
        if cache is not None:
            found = {i: a for i, key in enumerate(keys) if (a := cache.get(key)) is not None}
        missing = [i for i in range(len(messages)) if i not in found]
        if not missing:
            return [found[i] for i in range(len(messages))]
        if shared is None:
            made = list(zip(missing, self._analyse([messages[i] for i in missing]), strict=True))
        else:
            recalled = shared.recall(self.version, [messages[i] for i in missing])
            found.update((missing[position], a) for position, a in recalled.items())
            # as a kept analysis reads back (scores rounded), so that the answer is the same whichever
            # process made it
            made = [(i, MessageAnalysis.from_dict(self._analyse([messages[i]])[0].to_dict()))
                    for i in missing if i not in found]
            shared.keep(self.version, [(messages[i], analysis) for i, analysis in made])
        found.update(made)
        if self.cache is not None:
            for i in missing:
                self.cache.put(keys[i], found[i])
        return [found[i] for i in range(len(messages))]

    def _analyse(self, messages: Sequence[MessageIn]) -> list[MessageAnalysis]:
        langs = [message_language(m.text, m.lang, m.fallback_lang) for m in messages]
        scanned = [
            detect_signals_and_vetoes(m.text, lang, lexicon=self.lexicon)
            for m, lang in zip(messages, langs, strict=True)
        ]
        found = [signals for signals, _ in scanned]
        if self.sentiment is None:
            return [MessageAnalysis(lang, None, signals) for lang, signals in zip(langs, found, strict=True)]
        texts = self.sentiment.preprocess([m.text for m in messages])
        embeddings, buckets = self.sentiment.forward(texts)
        sentiments = self.sentiment.postprocess(self.sentiment.probabilities(embeddings, buckets, langs))
        if self.signals is not None and len(messages):
            hits = np.array(
                [[any(s.name is name for s in signals) for name in PHRASES] for signals in found],
                dtype=np.float64,
            )
            buckets = read_as(texts, buckets, self.sentiment.head.ngram_spelling, self.signals.ngram_spelling)
            probabilities = self.signals.predict_proba(embeddings, buckets, hits)
            found = [
                _with_learned(self.signals, m.text, signals, vetoed, row)
                for m, (signals, vetoed), row in zip(messages, scanned, probabilities, strict=True)
            ]
        return [
            MessageAnalysis(lang, sentiment, signals)
            for lang, sentiment, signals in zip(langs, sentiments, found, strict=True)
        ]


def _with_learned(
    head: SignalHead,
    text: str,
    phrases: tuple[Signal, ...],
    vetoed: frozenset[SignalName],
    probabilities: np.ndarray,
) -> tuple[Signal, ...]:
    """The phrase matches the head does not overrule (a probability under the signal's phrase floor) plus each
    signal the head finds that no phrase found, in text order — but never one the phrase rules dropped for
    its context ("Kündigen will ich auf keinen Fall")."""
    floors = zip(LEARNED, probabilities, head.phrase_floors_, strict=True)
    doubted = {name for name, p, floor in floors if p < floor}
    phrases = tuple(s for s in phrases if s.name not in doubted)
    have = {s.name for s in phrases} | vetoed
    added = [
        _sentence_evidence(head, text, name)
        for name, p, threshold in zip(LEARNED, probabilities, head.thresholds_, strict=True)
        if p >= threshold and name not in have
    ]
    kept = [s for s in added if s is not None]
    if not kept:
        return phrases
    return tuple(sorted((*phrases, *kept), key=lambda s: (s.start, -s.end, s.name.value)))


def _sentence_evidence(head: SignalHead, text: str, name: SignalName) -> Signal | None:
    """The sentence whose n-grams weigh most for `name` (quoted parts are not the customer's)."""
    masked = mask_quotes(text)
    best: tuple[float, int, int] | None = None
    for m in _SENTENCE.finditer(masked):
        start, end = _strip(masked, m.start(), m.end())
        if end <= start or MASK in masked[start:end]:
            continue
        buckets: BucketIds = ngram_buckets(masked[start:end], head.ngram_spelling)
        score = float(head.contributions(buckets, name).sum()) if len(buckets) else -np.inf
        if best is None or score > best[0]:
            best = (score, start, end)
    if best is None:
        return None
    return Signal(name, text[best[1] : best[2]], best[1], best[2])


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
