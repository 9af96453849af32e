"""The one analysis path: language rules, phrase signals with and without models, learned signals with
the sentence that carries them as evidence, and the order of results."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from core.text import MessageAnalysis, SentimentLabel, SignalName
from features.sentiment.head import SentimentHead
from features.sentiment.model import SentimentModel
from features.text.analysis import MessageAnalyser, MessageIn, message_language
from features.text.lexicon import load_lexicon
from features.text.ngrams import NgramSpelling, ngram_buckets
from features.text.phrase_syntax import SYNTAX_VERSION
from features.text.signal_head import LEARNED, PHRASES, SignalHead
from tests.features.sentiment.sentiment_fakes import HashEncoder

# A made-up word no phrase file knows: only the learned head can tie it to money taken.
CUE = "zorbleck"
FILLER = [
    "Hello team",
    "The app works",
    "Please advise",
    "Order 1234 arrived",
    "Thanks for the update",
    "My address changed",
    "See the screenshot",
    "Login is fine now",
    "Any news",
    "Regards",
]


def test_language_is_the_messages_own_else_detected() -> None:
    assert message_language("x", "NO") == "no"
    assert message_language("x", "nb") == "no"
    assert message_language("x", "de_AT") == "de"
    assert message_language("Die Rechnung ist falsch und niemand antwortet mir.", "") == "de"
    assert message_language("The invoice is wrong and nobody answers me.", None, "de") == "en"
    assert message_language("Die Rechnung ist falsch und niemand antwortet mir.", "unknown", "en") == "de"
    assert message_language("12345 !!!", None, "no") == "no"  # no letters: the ticket's language


def test_phrase_only_analyser_gives_signals_without_sentiment() -> None:
    analyser = MessageAnalyser(load_lexicon())
    (result,) = analyser.analyse(
        [MessageIn("I want to speak to your manager, this is the third time I write!")]
    )
    assert result.lang == "en" and result.sentiment is None
    assert {SignalName.MANAGER_REQUEST, SignalName.REPEATED_CONTACT} <= {s.name for s in result.signals}
    assert MessageAnalysis.from_dict(result.to_dict()) == result


def test_the_version_names_how_the_phrases_are_read() -> None:
    """A kept analysis is recalled by version: one made before letters spelled out were read ("kuendige")
    must not stand for one made now."""
    lexicon = load_lexicon()
    assert MessageAnalyser(lexicon).version.endswith(f"phrases:{lexicon.fingerprint}/syntax{SYNTAX_VERSION}")


@pytest.fixture(scope="module")
def fitted() -> tuple[SentimentModel, SignalHead]:
    encoder = HashEncoder()
    texts = [f"{f}. The {CUE} is missing." for f in FILLER] * 2 + [f"{f}." for f in FILLER] * 2
    labels = ["negative"] * 20 + ["neutral"] * 10 + ["positive"] * 10
    prepared = [" ".join(t.split()) for t in texts]
    E = encoder.encode(prepared)
    buckets = [ngram_buckets(t) for t in prepared]
    sentiment = SentimentHead(encoder.name, encoder.version, C=10.0, ngrams=True, folds=0).fit(
        E, labels, buckets
    )
    Y = np.zeros((len(texts), len(LEARNED)))
    Y[:20, LEARNED.index(SignalName.FINANCIAL_HARM)] = 1
    head = SignalHead(encoder.name, encoder.version, C=10.0, folds=2).fit(
        E, buckets, np.zeros((len(texts), len(PHRASES))), Y
    )
    return SentimentModel(encoder, sentiment), head


def test_a_learned_signal_carries_the_sentence_as_evidence(fitted: tuple[SentimentModel, SignalHead]) -> None:
    model, head = fitted
    analyser = MessageAnalyser(load_lexicon(), model, head)
    text = f"Hi there. I checked the portal twice. The {CUE} is still missing. Kind regards"
    (result,) = analyser.analyse([MessageIn(text, "en")])
    found = [s for s in result.signals if s.name is SignalName.FINANCIAL_HARM]
    assert len(found) == 1
    assert found[0].evidence == f"The {CUE} is still missing."
    assert text[found[0].start : found[0].end] == found[0].evidence
    assert result.sentiment is not None and result.sentiment.label is SentimentLabel.NEGATIVE


def test_a_phrase_the_team_took_back_keeps_the_head_from_reporting_its_signal(
    fitted: tuple[SentimentModel, SignalHead], tmp_path: Path
) -> None:
    model, head = fitted
    text = f"There is a double charge on my card. The {CUE} is still missing."
    shipped = MessageAnalyser(load_lexicon(), model, head)
    (found,) = shipped.analyse([MessageIn(text, "en")])
    assert [(s.name, s.evidence) for s in found.signals] == [(SignalName.FINANCIAL_HARM, "double charge")]
    team = tmp_path / "team.yaml"
    team.write_text(
        "language: en\nexclude:\n  financial_harm:\n"
        "    - double|duplicate charge*|charging|payment*|billing|debit*|transaction*\n",
        encoding="utf-8",
    )
    analyser = MessageAnalyser(load_lexicon([team]), model, head)
    (taken_back,) = analyser.analyse([MessageIn(text, "en")])
    assert taken_back.signals == ()
    (cue_alone,) = analyser.analyse([MessageIn(f"The {CUE} is still missing.", "en")])
    assert [s.name for s in cue_alone.signals] == [SignalName.FINANCIAL_HARM]  # the head, unvetoed


def test_the_head_overrules_a_phrase_match_it_gives_less_than_the_floor(
    fitted: tuple[SentimentModel, SignalHead],
) -> None:
    model, head = fitted
    strict = copy.deepcopy(head)
    money = LEARNED.index(SignalName.FINANCIAL_HARM)
    strict.phrase_floors_[money] = strict.thresholds_[money]  # the head alone decides on money taken
    analyser = MessageAnalyser(load_lexicon(), model, strict)
    text = "There is a double charge on my card. Please advise."
    with_cue = text.replace("Please advise.", f"The {CUE} is still missing.")
    doubted, confirmed = analyser.analyse([MessageIn(text, "en"), MessageIn(with_cue, "en")])
    assert SignalName.FINANCIAL_HARM not in {s.name for s in doubted.signals}
    # kept with the phrase's own evidence, once
    assert [(s.name, s.evidence) for s in confirmed.signals] == [(SignalName.FINANCIAL_HARM, "double charge")]
    (every_match,) = MessageAnalyser(load_lexicon(), model, head).analyse([MessageIn(text, "en")])
    assert SignalName.FINANCIAL_HARM in {s.name for s in every_match.signals}  # floor 0: the phrase stands


def test_phrase_matches_stay_and_results_keep_input_order(fitted: tuple[SentimentModel, SignalHead]) -> None:
    model, head = fitted
    analyser = MessageAnalyser(load_lexicon(), model, head)
    messages = [
        MessageIn("Ich kündige meinen Vertrag!", "de"),
        MessageIn("Regards.", "en"),
        MessageIn("Jeg vil snakke med lederen din.", None),
    ]
    results = analyser.analyse(messages)
    assert [r.lang for r in results] == ["de", "en", "no"]
    assert SignalName.CHURN_THREAT in {s.name for s in results[0].signals}
    assert SignalName.MANAGER_REQUEST in {s.name for s in results[2].signals}
    # the same message alone or in a batch: the same analysis
    assert analyser.analyse([messages[2]]) == [results[2]]


def test_a_signal_head_for_another_encoder_is_refused(fitted: tuple[SentimentModel, SignalHead]) -> None:
    model, head = fitted
    other = SignalHead("another-encoder", "1")
    other.__dict__.update({k: v for k, v in head.__dict__.items() if k.endswith("_")})
    with pytest.raises(ValueError, match="another-encoder"):
        MessageAnalyser(load_lexicon(), model, other)


def test_the_analysis_cache_answers_what_the_analyser_would(
    fitted: tuple[SentimentModel, SignalHead],
) -> None:
    model, head = fitted
    plain = MessageAnalyser(load_lexicon(), model, head)
    cached = MessageAnalyser(load_lexicon(), model, head, cache_mb=1.0)
    messages = [
        MessageIn(f"The {CUE} is still missing. I want to speak to a manager!", "en"),
        MessageIn("Jeg vil snakke med lederen din.", None, "no"),
        MessageIn("Any news", None, "de"),
    ]
    first = cached.analyse(messages)
    encoded = len(model.encoder.batches)  # type: ignore[attr-defined]
    again = cached.analyse([messages[2], messages[0], messages[1]])
    assert len(model.encoder.batches) == encoded  # type: ignore[attr-defined]  # nothing encoded again
    assert first == plain.analyse(messages)
    assert again == [first[2], first[0], first[1]]
    # the key holds the languages too: the same text with another fallback is analysed on its own
    encoded = len(model.encoder.batches)  # type: ignore[attr-defined]
    (other,) = cached.analyse([MessageIn("Any news", None, "no")])
    assert len(model.encoder.batches) == encoded + 1  # type: ignore[attr-defined]
    assert other == plain.analyse([MessageIn("Any news", None, "no")])[0]
    assert cached.cache is not None and cached.cache.lru.hits == 3 and plain.cache is None


def test_the_analysis_cache_stays_within_its_budget(fitted: tuple[SentimentModel, SignalHead]) -> None:
    model, head = fitted
    analyser = MessageAnalyser(load_lexicon(), model, head, cache_mb=0.01)  # ~10 KB: a few entries
    analyser.analyse([MessageIn(f"Order {n} arrived broken, {FILLER[n % 10]}", "en") for n in range(60)])
    assert analyser.cache is not None and 0 < analyser.cache.lru.bytes <= 0.01 * 2**20


def test_warming_up_loads_the_language_identifier() -> None:
    from features.text.language import _identifier

    _identifier.cache_clear()
    MessageAnalyser(load_lexicon()).warm_up()
    assert _identifier.cache_info().currsize == 1


def test_a_head_of_ones_own_trained_on_letters_as_written_gets_the_ngrams_it_was_trained_on(
    fitted: tuple[SentimentModel, SignalHead],
) -> None:
    """The packaged sentiment head reads letters spelled out ("ssueoe" for "ßüö"); a signal head trained
    before that (its file says nothing of spelling) must still get the n-grams as written."""
    model, _ = fitted
    cue = "ßüö"  # not one n-gram in common with its spelling-out, which the labels here call harmless
    texts = [f"{f}. The {cue} is here." for f in FILLER] * 2
    texts += [f"{f}. The ssueoe is here." for f in FILLER] * 2
    prepared = [" ".join(t.split()) for t in texts]
    Y = np.zeros((len(texts), len(LEARNED)))
    Y[:20, LEARNED.index(SignalName.FINANCIAL_HARM)] = 1
    # the embedding carries nothing here (zeros): only the n-grams can find the cue
    E = np.zeros((len(texts), model.encoder.dim))
    written = [ngram_buckets(t, NgramSpelling.AS_WRITTEN) for t in prepared]
    head = SignalHead(model.encoder.name, model.encoder.version, C=10.0, folds=2,
                      ngram_spelling=NgramSpelling.AS_WRITTEN)
    head.fit(E, written, np.zeros((len(texts), len(PHRASES))), Y)
    text = f"Hello team. The {cue} is here."
    (result,) = MessageAnalyser(load_lexicon(), model, head).analyse([MessageIn(text, "en")])
    assert model.head.ngram_spelling is NgramSpelling.SPELLED_OUT
    assert SignalName.FINANCIAL_HARM in {s.name for s in result.signals}
    misread = copy.deepcopy(head)
    misread.ngram_spelling = NgramSpelling.SPELLED_OUT  # the same weights fed spelled-out n-grams
    (result,) = MessageAnalyser(load_lexicon(), model, misread).analyse([MessageIn(text, "en")])
    assert SignalName.FINANCIAL_HARM not in {s.name for s in result.signals}
