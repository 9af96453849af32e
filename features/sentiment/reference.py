"""Does this processor compute the embeddings the packaged heads were trained on?

The packaged heads of the default encoder (`e5onnx-tuned`) were fitted on embeddings computed on one machine.
Another processor that computed them otherwise would give other answers: until export r3 a processor
without VNNI did (ONNX Runtime's int8 products saturated), and the heads scored up to 0.06 macro-F1 apart on
held-out messages (docs/sentiment.md, "Export r3"). `assets/e5-tuned-reference.npz` holds twelve hand-written
messages (English, German, Norwegian) and their embeddings (float16) from the machine that trained the heads;
`load_sentiment_model` embeds them once at start and logs a warning when this machine's differ.

    python -m features.sentiment.reference   # writes this machine's embeddings of the same messages
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from features.sentiment.encoder import Encoder

log = logging.getLogger(__name__)

REFERENCE = Path(__file__).resolve().parent / "assets" / "e5-tuned-reference.npz"
# The worst cosine to the reference that still counts as the same computation: the float operations may
# round otherwise in the last bits (1 - 1e-7 here between one and two threads); export r2's embeddings were
# 0.986 away at worst.
AGREEMENT = 0.9998


@dataclass(frozen=True)
class EncoderCheck:
    worst_cosine: float
    messages: int  # how many reference messages were compared

    @property
    def agrees(self) -> bool:
        return self.worst_cosine > AGREEMENT


def reference_texts(reference: Path = REFERENCE) -> list[str]:
    with np.load(reference) as stored:
        return [str(t) for t in stored["texts"]]


def check_encoder(encoder: Encoder, reference: Path = REFERENCE) -> EncoderCheck:
    """This machine's embeddings of the reference messages against the stored ones."""
    with np.load(reference) as stored:
        texts = [str(t) for t in stored["texts"]]
        expected = stored["embeddings"].astype(np.float32)
    ours = encoder.encode(texts)
    cosine = (ours * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    return EncoderCheck(float(cosine.min()), len(texts))


def warn_unless_reference(encoder: Encoder, reference: Path = REFERENCE) -> EncoderCheck:
    """`check_encoder`, logging a warning (the cosine, never a text) when this machine computes otherwise."""
    check = check_encoder(encoder, reference)
    if not check.agrees:
        log.warning(
            "the sentiment encoder computes other embeddings here than on the machine that trained the "
            "packaged heads (worst cosine %.4f over %d reference messages, expected > %.4f): their "
            "held-out figures may not hold on this machine; train the heads here (docs/sentiment.md)",
            check.worst_cosine, check.messages, AGREEMENT,
        )
    return check


def write_reference(encoder: Encoder, reference: Path = REFERENCE) -> None:
    texts = reference_texts(reference)
    partial = reference.with_suffix(".tmp.npz")
    np.savez(partial, texts=np.array(texts), embeddings=encoder.encode(texts).astype(np.float16))
    partial.replace(reference)


if __name__ == "__main__":
    from core.settings import get_settings
    from features.sentiment.loading import make_encoder

    write_reference(make_encoder("e5onnx-tuned", get_settings().paths.models_dir))
    print(f"wrote {REFERENCE}")
