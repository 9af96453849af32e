"""Parts of the training report whose JSON varies: `text` (three shapes) and `artefacts` (what was made)."""

from __future__ import annotations

from training.report import Artefacts, TextUse
from training.text_analyses import TextStats


def test_text_keeps_its_three_shapes() -> None:
    stats = TextStats(messages=12, computed=3, analyser="v1", seconds=0.5)
    assert TextUse(12, stats).to_dict() == {"messages": 12, "computed": 3, "analyser": "v1", "seconds": 0.5}
    assert TextUse(0, note="--no-text").to_dict() == {"analysed_messages": 0, "note": "--no-text"}
    assert TextUse(7).to_dict() == {"analysed_messages": 7}  # train_model called without the command


def test_artefacts_name_only_what_was_made() -> None:
    assert Artefacts("m.json").to_dict() == {"model_file": "m.json"}  # not registered, no --report
    made = Artefacts("m.json", ("a.png",), run_id="r", run_name="n", model_version="3", tracking_uri="u")
    assert list(made.to_dict().items()) == [("model_file", "m.json"), ("plots", ["a.png"]), ("run_id", "r"),
                                            ("run_name", "n"), ("model_version", "3"), ("tracking_uri", "u")]
