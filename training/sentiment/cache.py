"""An on-disk cache of embeddings for `train-sentiment --cache DIR`: retraining with another C or split
does not embed the same texts again. Keyed by encoder, backend and a hash of each text; one .npz a backend and
encoder build."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from features.sentiment import embed
from features.sentiment.encoder import Embeddings, Encoder
from features.sentiment.model import Progress


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


# Embedded once a run; its hash names the cache file.
PROBE = "Probe: what this encoder makes of one fixed sentence."


def cache_path(cache_dir: Path, backend: str, encoder: Encoder) -> Path:
    """The file for this encoder as it computes here: besides its name and version, a hash of its embedding
    of `PROBE`, so that the same encoder exported another way (another quantisation) or rounding otherwise
    (another processor) gets a cache of its own, never another build's embeddings."""
    probe = hashlib.sha256(encoder.encode([PROBE]).astype(np.float32).tobytes()).hexdigest()[:12]
    return cache_dir / f"{encoder.name}-{encoder.version}-{backend}-{probe}.npz"


def cached_embed(
    encoder: Encoder, backend: str, texts: Sequence[str], *, batch_size: int, cache_dir: Path | None,
    progress: Progress | None = None,
) -> Embeddings:
    """`embed`, but texts already in the cache are not embedded again (and new ones are added to it)."""
    if cache_dir is None:
        return embed(encoder, texts, batch_size, progress)
    path = cache_path(cache_dir, backend, encoder)
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        with np.load(path) as stored:
            known = dict(zip(stored["keys"].tolist(), stored["rows"], strict=True))
    keys = [text_key(t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    if progress is not None:
        progress(len(texts) - sum(1 for k in keys if k not in known))
    if missing:
        fresh = embed(encoder, [t for _, t in missing], batch_size, progress)
        known.update(zip((k for k, _ in missing), fresh, strict=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp.npz")
        np.savez(partial, keys=np.array(list(known)), rows=np.stack(list(known.values())))
        partial.replace(path)
    return np.stack([known[k] for k in keys]).astype(np.float32)
