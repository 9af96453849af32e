"""Low-rank adapters (LoRA) on the projections of multilingual-e5-small's upper layers: the base weights stay
frozen; each adapted projection learns W + scale · B · A with A [rank, in], B [out, rank] (B starts at zero,
so training starts from the base model). `adapter_arrays` reads them back in the adapter file's names."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

# e5.c's short names (the adapter file's) → the attribute path inside a transformers BertLayer.
_PATHS = {
    "q": ("attention", "self", "query"),
    "k": ("attention", "self", "key"),
    "v": ("attention", "self", "value"),
    "ao": ("attention", "output", "dense"),
    "fi": ("intermediate", "dense"),
    "fo": ("output", "dense"),
}


class LoRALinear(torch.nn.Module):
    def __init__(self, base: torch.nn.Linear, rank: int, alpha: float, dropout: float) -> None:
        super().__init__()
        self.base = base
        self.scale = alpha / rank
        self.A = torch.nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
        self.B = torch.nn.Parameter(torch.zeros(base.out_features, rank))
        self.drop = torch.nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (self.drop(x) @ self.A.T @ self.B.T) * self.scale  # type: ignore[no-any-return]


def attach_lora(model: Any, layers: range, rank: int, alpha: float, dropout: float) -> dict[str, LoRALinear]:
    """Freezes every parameter of `model` (a BertModel) and wraps the projections of `layers` in adapters;
    returns them by adapter name ("l{layer}.{proj}")."""
    for p in model.parameters():
        p.requires_grad_(False)
    adapters = {}
    for index in layers:
        layer = model.encoder.layer[index]
        for short, path in _PATHS.items():
            owner = layer
            for attr in path[:-1]:
                owner = getattr(owner, attr)
            wrapped = LoRALinear(getattr(owner, path[-1]), rank, alpha, dropout)
            setattr(owner, path[-1], wrapped)
            adapters[f"l{index}.{short}"] = wrapped
    return adapters


def adapter_arrays(
    adapters: dict[str, LoRALinear],
) -> tuple[dict[str, npt.NDArray[np.float32]], dict[str, npt.NDArray[np.float32]]]:
    A = {name: m.A.detach().numpy().astype(np.float32) for name, m in adapters.items()}
    B = {name: m.B.detach().numpy().astype(np.float32) for name, m in adapters.items()}
    return A, B
