"""The hashed n-grams: customers' spelled-out letters are the same n-grams as the letters themselves."""

from __future__ import annotations

import numpy as np
import pytest

from features.text.ngrams import NgramSpelling, ngram_buckets, read_as


@pytest.mark.parametrize(
    ("written", "spelled_out"),
    [
        ("Ich kündige zum Monatsende", "ich kuendige zum monatsende"),
        ("Schöne Grüße, Straße", "Schoene Gruesse, Strasse"),
        ("Jeg bytter leverandør, får ikke svar", "jeg bytter leverandoer, faar ikke svar"),
        ("LEVERANDØR ÆRLIG", "leverandoer aerlig"),
    ],
)
def test_spelled_out_letters_are_the_same_ngrams(written: str, spelled_out: str) -> None:
    np.testing.assert_array_equal(ngram_buckets(written), ngram_buckets(spelled_out))
    assert not np.array_equal(
        ngram_buckets(written, NgramSpelling.AS_WRITTEN), ngram_buckets(spelled_out, NgramSpelling.AS_WRITTEN)
    )


def test_a_dropped_letter_is_another_word() -> None:
    # "schon" is not "schön", "far" is not "får": only the customer's own spelling-out is read as the letter
    assert not np.array_equal(ngram_buckets("schön"), ngram_buckets("schon"))
    assert not np.array_equal(ngram_buckets("får"), ngram_buckets("far"))


def test_text_without_such_letters_reads_the_same_either_way() -> None:
    text = "You charged my card twice!!! I want my money back"
    np.testing.assert_array_equal(ngram_buckets(text), ngram_buckets(text, NgramSpelling.AS_WRITTEN))
    assert len(ngram_buckets("")) == 0


def test_buckets_read_one_way_are_read_again_only_where_a_letter_spells_out() -> None:
    texts = ["Ich KÜNDIGE", "no such letters", "Straße"]
    written = [ngram_buckets(t, NgramSpelling.AS_WRITTEN) for t in texts]
    again = read_as(texts, written, NgramSpelling.AS_WRITTEN, NgramSpelling.SPELLED_OUT)
    for text, ids in zip(texts, again, strict=True):
        np.testing.assert_array_equal(ids, ngram_buckets(text, NgramSpelling.SPELLED_OUT))
    assert again[1] is written[1]  # nothing to spell out: not read again
    assert read_as(texts, written, NgramSpelling.AS_WRITTEN, NgramSpelling.AS_WRITTEN) is written
