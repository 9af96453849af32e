"""Hashed n-grams of a message: the words, word pairs and the 3-5 letter pieces of each word, each hashed
into one of `DIM` buckets. The heads read them beside the encoder's embedding: the embedding carries the
meaning, the n-grams the exact wording a sentence embedding blurs ("charged twice", "purregebyr", "!!!").

One function for training and serving; the hash (CRC-32) is fixed, so a head's bucket weights mean the same
on every machine. The heads store weights per bucket, never the words themselves.

A head records how it read the letters customers spell out (`NgramSpelling`): heads trained since
2026-12-06 read "kündige" and "kuendige", "leverandør" and "leverandoer" as the same n-grams, as the phrase
files do; a head file without that record was trained on the letters as written and is read so."""

from __future__ import annotations

import itertools
import re
import zlib
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from features.text.phrase_syntax import SPELLED, SPELLED_OUT

DIM = 2**16
_WORD = re.compile(r"\w+(?:['’]\w+)?")
_CHAR_SIZES = (3, 4, 5)

BucketIds = npt.NDArray[np.int64]


class NgramSpelling(StrEnum):
    """How the n-grams read ä ö ü ß æ ø å: as written, or spelled out as customers without those keys write
    them (ae oe ue ss ae oe aa, `features.text.phrase_syntax.SPELLED`), so both spellings are one n-gram."""

    AS_WRITTEN = "as_written"  # heads trained before 2026-12-06 (their files say nothing)
    SPELLED_OUT = "spelled_out"


_SPELLED_OUT = str.maketrans(SPELLED_OUT)
_SPELLABLE = re.compile(f"[{''.join(SPELLED)}]", re.IGNORECASE)


def ngram_buckets(text: str, spelling: NgramSpelling = NgramSpelling.SPELLED_OUT) -> BucketIds:
    """The distinct buckets of `text`'s n-grams, sorted (empty for a text without words), read the way the
    head that weighs them was trained (`spelling`)."""
    lowered = text.lower()
    if spelling is NgramSpelling.SPELLED_OUT:
        lowered = lowered.translate(_SPELLED_OUT)
    words = _WORD.findall(lowered)
    keys = [f"w:{w}" for w in words]
    keys += [f"b:{a} {b}" for a, b in itertools.pairwise(words)]
    for word in words:
        marked = f"<{word}>"
        keys += [f"c:{marked[i : i + n]}" for n in _CHAR_SIZES for i in range(len(marked) - n + 1)]
    return np.unique(
        np.fromiter((zlib.crc32(k.encode()) % DIM for k in keys), dtype=np.int64, count=len(keys))
    )


def read_as(
    texts: list[str], buckets: list[BucketIds], read: NgramSpelling, wanted: NgramSpelling
) -> list[BucketIds]:
    """`buckets` (of `texts`, read `read`) as a head trained on `wanted` reads them: a second head trained
    on the other reading costs a second pass only over the texts with such a letter, the only ones that
    differ."""
    if read is wanted:
        return buckets
    return [
        ngram_buckets(text, wanted) if _SPELLABLE.search(text) else ids
        for text, ids in zip(texts, buckets, strict=True)
    ]


def ngram_scores(buckets: list[BucketIds], weights: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    """Each text's n-gram contribution to each output: the weights of its buckets summed and divided by the
    square root of their number (the bag of n-grams L2-normalised, as in training).
    `weights` is DIM × outputs."""
    out = np.zeros((len(buckets), weights.shape[1]), dtype=np.float64)
    for i, ids in enumerate(buckets):
        if len(ids):
            out[i] = weights[ids].sum(axis=0, dtype=np.float64) / np.sqrt(len(ids))
    return out


def ngram_matrix(buckets: list[BucketIds]):  # type: ignore[no-untyped-def]
    """The rows as a sparse CSR matrix (training only: scipy)."""
    import scipy.sparse as sp

    lengths = np.array([len(b) for b in buckets], dtype=np.int64)
    values = np.repeat(1.0 / np.sqrt(np.maximum(lengths, 1)), lengths).astype(np.float32)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.concatenate(buckets) if len(buckets) else np.empty(0, dtype=np.int64)
    return sp.csr_matrix((values, indices, indptr), shape=(len(buckets), DIM))
