"""A large weight matrix inside a JSON model file: float16, little-endian, base64, with its shape. Half the
size of float32 text and exact on reload (a head rounds its weights to float16 before it hashes them)."""

from __future__ import annotations

import base64
from typing import TypedDict

import numpy as np
import numpy.typing as npt


class PackedArray(TypedDict):
    dtype: str  # always "<f2"
    shape: list[int]
    base64: str


def pack(array: npt.NDArray[np.floating]) -> PackedArray:
    data = np.ascontiguousarray(array, dtype="<f2")
    return {"dtype": "<f2", "shape": list(data.shape), "base64": base64.b64encode(data.tobytes()).decode()}


def unpack(packed: PackedArray) -> npt.NDArray[np.float16]:
    if packed.get("dtype") != "<f2":
        raise ValueError(f"packed weights have dtype {packed.get('dtype')!r}; expected '<f2'")
    shape = tuple(int(n) for n in packed["shape"])
    flat = np.frombuffer(base64.b64decode(packed["base64"]), dtype="<f2")
    if flat.size != int(np.prod(shape)):
        raise ValueError(f"packed weights hold {flat.size} numbers, not the {shape} their shape says")
    return flat.reshape(shape)
