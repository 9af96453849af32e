"""The training report's `text`: the one part with three shapes, each kept as the JSON always had it."""

from __future__ import annotations

from training.report import TextUse
from training.text_analyses import TextStats


def test_text_keeps_its_three_shapes() -> None:
    stats = TextStats(messages=12, computed=3, analyser="v1", seconds=0.5)
    assert TextUse(12, stats).to_dict() == {"messages": 12, "computed": 3, "analyser": "v1", "seconds": 0.5}
    assert TextUse(0, note="--no-text").to_dict() == {"analysed_messages": 0, "note": "--no-text"}
    assert TextUse(7).to_dict() == {"analysed_messages": 7}  # train_model called without the command
