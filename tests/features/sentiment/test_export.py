"""The int8 exports (`export.quantise_int8`): no processor can saturate their integer products, so processors
with and without VNNI compute the same embeddings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from features.sentiment.e5_adapter import PACKAGED_ADAPTER, load_adapter
from features.sentiment.e5_export import e5_onnx_path
from features.sentiment.e5_file import packaged_e5_file
from features.sentiment.export import onnx_encoder_path


def int8_weights(path: Path) -> dict[str, np.ndarray]:
    """Each MatMulInteger of the graph by name, with its int8 weight (the constant input)."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    constants = {i.name: i for i in graph.initializer}
    return {n.name: numpy_helper.to_array(constants[n.input[1]])
            for n in graph.node if n.op_type == "MatMulInteger"}


@pytest.mark.slow
@pytest.mark.parametrize(("model", "layers"), [("e5", 12), ("e5-tuned", 12), ("minilm", 6)])
def test_no_processor_can_saturate_the_int8_products(
    model: str, layers: int, e5onnx_models_dir: Path, onnx_models_dir: Path
) -> None:
    # Without VNNI, ONNX Runtime adds each pair of uint8 · int8 products in 16 bits (at most 32,767): with
    # weights within ±64 a pair is at most 255 · 64 · 2 = 32,640, so AVX2 and VNNI compute the same integers.
    version = packaged_e5_file()[1]
    path = {
        "e5": e5_onnx_path(e5onnx_models_dir, version),
        "e5-tuned": e5_onnx_path(e5onnx_models_dir, version, adapter=load_adapter(PACKAGED_ADAPTER)),
        "minilm": onnx_encoder_path(onnx_models_dir),
    }[model]
    weights = int8_weights(path)
    assert len(weights) == layers * 6  # every projection of every layer: q, k, v, attention out, ffn in, out
    for name, w in weights.items():
        pair = 255 * int(np.abs(w.astype(np.int32)).max()) * 2
        assert w.dtype == np.int8 and pair <= np.iinfo(np.int16).max, (name, pair)
