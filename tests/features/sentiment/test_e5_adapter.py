"""The fine-tuned encoder's adapter file: what is saved is what is read, the update is scale · B · A, a bad
file is refused with its name, and merging the adapter into the weights gives the model that trained it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from core.errors import ConfigError
from features.sentiment.e5_adapter import E5Adapter, load_adapter, save_adapter
from features.sentiment.e5_export import e5_bert_model, e5_onnx_path
from features.sentiment.e5_file import E5File, packaged_e5_file


def _random_adapter(path: Path, layers: list[int], rank: int = 2, seed: int = 0) -> E5Adapter:
    rng = np.random.default_rng(seed)
    A, B = {}, {}
    for layer in layers:
        for proj, (out, inp) in {"q": (384, 384), "fi": (1536, 384), "fo": (384, 1536)}.items():
            A[f"l{layer}.{proj}"] = rng.normal(0, 0.05, (rank, inp)).astype(np.float32)
            B[f"l{layer}.{proj}"] = rng.normal(0, 0.05, (out, rank)).astype(np.float32)
    save_adapter(path, rank=rank, scale=2.0, A=A, B=B, card={"note": "test"})
    return load_adapter(path)


def test_an_adapter_reads_back_as_written(tmp_path: Path) -> None:
    adapter = _random_adapter(tmp_path / "a.npz", [10, 11])
    assert adapter.layers == (10, 11) and adapter.rank == 2 and adapter.card == {"note": "test"}
    delta = adapter.delta("l11.fi")
    assert delta is not None and delta.shape == (1536, 384)
    expected = 2.0 * adapter.B["l11.fi"] @ adapter.A["l11.fi"]
    np.testing.assert_allclose(delta, expected, rtol=1e-6)
    assert adapter.delta("l0.q") is None  # not adapted
    assert _random_adapter(tmp_path / "b.npz", [10, 11]).tag == adapter.tag  # same weights, same name
    assert _random_adapter(tmp_path / "c.npz", [10, 11], seed=1).tag != adapter.tag


def test_a_missing_or_foreign_file_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nothing\.npz does not exist.*tune-encoder"):
        load_adapter(tmp_path / "nothing.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match=r"bad\.npz is malformed"):
        load_adapter(bad)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, meta=np.array('{"format_version": 9}'))
    with pytest.raises(ConfigError, match="format_version 9"):
        load_adapter(foreign)


def test_the_export_names_the_adapter(tmp_path: Path) -> None:
    adapter = _random_adapter(tmp_path / "a.npz", [11])
    base = e5_onnx_path(tmp_path, "0.3.0")
    tuned = e5_onnx_path(tmp_path, "0.3.0", adapter=adapter)
    assert base != tuned and adapter.tag in tuned.name


def test_merged_weights_compute_what_the_adapted_model_computed(tmp_path: Path) -> None:
    from training.encoder.lora import attach_lora

    e5 = E5File(packaged_e5_file()[0])
    trained = e5_bert_model(e5)
    adapters = attach_lora(trained, range(10, 12), rank=2, alpha=4.0, dropout=0.0)
    generator = torch.Generator().manual_seed(0)
    for module in adapters.values():
        module.B.data = torch.randn(module.B.shape, generator=generator) * 0.05
    A = {n: m.A.detach().numpy() for n, m in adapters.items()}
    B = {n: m.B.detach().numpy() for n, m in adapters.items()}
    save_adapter(tmp_path / "t.npz", rank=2, scale=2.0, A=A, B=B, card={})
    merged = e5_bert_model(e5, adapter=load_adapter(tmp_path / "t.npz"))
    base = e5_bert_model(e5)
    inputs = torch.randn(1, 6, 384, generator=generator) * 0.1
    mask = torch.ones(1, 6, dtype=torch.long)
    with torch.no_grad():
        want = trained(inputs_embeds=inputs, attention_mask=mask).last_hidden_state
        got = merged(inputs_embeds=inputs, attention_mask=mask).last_hidden_state
        unchanged = base(inputs_embeds=inputs, attention_mask=mask).last_hidden_state
    assert (want - unchanged).abs().max() > 1e-2  # the adapter matters
    assert (got - want).abs().max() < 5e-3  # float16 storage of A and B: close, not bit-equal


def test_the_name_follows_the_weights_not_the_card(tmp_path: Path) -> None:
    adapter = _random_adapter(tmp_path / "a.npz", [11])
    save_adapter(tmp_path / "b.npz", rank=adapter.rank, scale=adapter.scale, A=adapter.A, B=adapter.B,
                 card={"note": "rewritten"})
    assert load_adapter(tmp_path / "b.npz").tag == adapter.tag
    save_adapter(tmp_path / "c.npz", rank=adapter.rank, scale=3.0, A=adapter.A, B=adapter.B, card={})
    assert load_adapter(tmp_path / "c.npz").tag != adapter.tag
