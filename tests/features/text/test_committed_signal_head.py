"""The committed signal head: it loads for the default encoder, its card names the data and the command that
made it (in the model card, with the licences), and its held-out figures beat the phrase files alone."""

from __future__ import annotations

from features.text.loading import ASSETS_DIR, PACKAGED_SIGNAL_HEADS
from features.text.signal_head import load_signal_head

HEAD = PACKAGED_SIGNAL_HEADS["multilingual-e5-small-q4"]


def test_the_card_gives_the_command_data_and_licences() -> None:
    head = load_signal_head(HEAD)
    card = (ASSETS_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert head.card_["command"] in card
    sets = ("en_support_tweets", "en_airline_tweets", "de_railway_posts", "de_written", "no_written")
    assert {d["file"] for d in head.card_["data"]} == {
        *(f"{n}.train.csv" for n in sets),
        "airline_tweets.signals.csv", "germeval2017.signals.csv",  # data/labels/, joined by attach-texts
    }
    for licence in ("CC BY-NC-SA 4.0", "CC BY-NC 4.0"):
        assert licence in card
    assert HEAD.stat().st_size < 2_000_000


def test_held_out_figures_beat_the_phrase_files_alone() -> None:
    metrics = load_signal_head(HEAD).card_["held_out"]["metrics"]
    for lang in ("en", "de", "no"):
        learned, phrases = metrics["analysis"][lang], metrics["phrases only"][lang]
        assert learned["signals_macro_f1"] >= phrases["signals_macro_f1"], lang
    # floors a little under what was measured (en 0.563, de 0.722, no 0.734 over signals with >= 5 cases)
    assert metrics["analysis"]["en"]["signals_macro_f1"] >= 0.46
    assert metrics["analysis"]["de"]["signals_macro_f1"] >= 0.65


TUNED = PACKAGED_SIGNAL_HEADS["multilingual-e5-small-q4-tuned"]


def test_the_tuned_encoders_head_beats_the_frozen_one_where_the_labels_are_real() -> None:
    tuned = load_signal_head(TUNED)
    assert tuned.encoder_name == "multilingual-e5-small-q4-tuned"
    card = (ASSETS_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert tuned.card_["command"] in card
    new = tuned.card_["held_out"]["metrics"]["analysis"]
    old = load_signal_head(HEAD).card_["held_out"]["metrics"]["analysis"]
    for lang in ("en", "de"):  # the same held-out messages for both
        assert new[lang]["signals_macro_f1"] > old[lang]["signals_macro_f1"], lang
    # Norwegian: 82 written messages, 4-9 cases a signal, where one message moves a signal's F1 by ~0.1 and
    # the macro-F1 by ~0.01-0.02 (docs/signals.md); the two heads are level there, not ordered
    assert abs(new["no"]["signals_macro_f1"] - old["no"]["signals_macro_f1"]) <= 0.02


def test_the_heads_were_fitted_beside_the_shipped_phrase_files() -> None:
    """The phrase hits are inputs of the heads, and their cards' figures were measured beside these phrase
    files: after an edit of a shipped phrase file, train the heads again with the commands in
    features/text/assets/MODEL_CARD.md (the same split) and measure them again."""
    from features.text.lexicon import load_lexicon

    shipped = load_lexicon().fingerprint
    for path in (HEAD, TUNED):
        assert load_signal_head(path).card_.get("phrases") == shipped, f"{path.name}: fitted beside others"


def test_both_heads_read_spelled_out_letters_as_the_phrase_files_do() -> None:
    """Trained since 2026-12-06 with "kuendige" read as "kündige" (features/text/ngrams.py); a head file
    that says nothing of it would be read with the letters as written."""
    from features.text.ngrams import NgramSpelling

    for path in (HEAD, TUNED):
        assert load_signal_head(path).ngram_spelling is NgramSpelling.SPELLED_OUT, path.name
