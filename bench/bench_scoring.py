"""Benchmark: the single-ticket scoring path in-process (no HTTP) — what POST /v1/tickets/{id}/events does
for a new customer message — with p50/p99 per stage, wall and CPU time.

Tickets come from the committed sample: each is stored with all its events before its last customer
message (not timed), then that message arrives through `Service.ingest`, the very method the route calls
(SQLite store, the escalation model, the int8 ONNX sentiment encoder). Stages are timed by wrapping the
functions the service calls, so the figures are the real path's:
  text      analyse_messages (language, sentiment forward pass, conflict signals)
  rules     rules.evaluate (the SLA state; build_features' own SLA evaluation is in `features`)
  features  build_features (with `context`: its store reads of the customer's other tickets)
  model     the escalation model's scoring and explanation
  store     view_with (the read) + append_and_record (one transaction: events, analyses, assessment)
  total     Service.ingest as a whole; `other` = total minus the stages
On a shared machine the CPU figures are the steadier ones.
Run: .venv/bin/python bench/bench_scoring.py [--model FILE] [--tickets N] [--no-sentiment]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import percentile  # noqa: E402

from core.enums import EventType  # noqa: E402
from core.settings import Settings  # noqa: E402
from features.history import load_history  # noqa: E402
from features.ticket import history_pairs  # noqa: E402

STAGES = ("text", "rules", "features", "context", "model", "store")
HEAD_EXAMPLES = [  # a small head on the real encoder when the checkout has no packaged one (same cost)
    ("Thank you so much, that solved it perfectly!", "positive"),
    ("Great service, very happy.", "positive"),
    ("I was charged twice and nobody answers. Unacceptable!", "negative"),
    ("This is the worst support ever, I am furious.", "negative"),
    ("Please send me the invoice for May.", "neutral"),
    ("What are your opening hours?", "neutral"),
]


class Stopwatch:
    """Per-request wall and CPU seconds by stage; nested calls of one stage count once (the outer)."""

    def __init__(self) -> None:
        self.current: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        self.samples: dict[str, list[tuple[float, float]]] = defaultdict(list)
        self._depth: dict[str, int] = defaultdict(int)

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._depth[stage] += 1
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth[stage] -= 1
                if not self._depth[stage]:
                    spent = self.current[stage]
                    spent[0] += time.perf_counter() - wall
                    spent[1] += time.process_time() - cpu

        return timed

    @contextmanager
    def request(self) -> Iterator[None]:
        self.current.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        total = (time.perf_counter() - wall, time.process_time() - cpu)
        for stage in STAGES:
            self.samples[stage].append(tuple(self.current.get(stage, [0.0, 0.0])))  # type: ignore[arg-type]
        staged = [self.current.get(s, [0.0, 0.0]) for s in STAGES if s != "context"]
        self.samples["other"].append(
            (total[0] - sum(s[0] for s in staged), total[1] - sum(s[1] for s in staged))
        )
        self.samples["total"].append(total)


def instrument(watch: Stopwatch) -> None:
    """Wrap what Service.ingest calls (module attributes and methods), whatever version of serving this is."""
    import serving.assess.assessment as assessment
    from features.model import EscalationModel
    from serving.store import Store
    from serving.store.context import StoreContext

    for name, stage in (("analyse_messages", "text"), ("evaluate", "rules"), ("build_features", "features")):
        setattr(assessment, name, watch.wrap(stage, getattr(assessment, name)))
    for name in ("score_rows", "predict_proba", "explain"):
        if hasattr(EscalationModel, name):
            setattr(EscalationModel, name, watch.wrap("model", getattr(EscalationModel, name)))
    store_calls = (
        "append", "load", "append_and_load", "view_with", "append_and_record", "save_analyses", "record"
    )
    for name in store_calls:
        if hasattr(Store, name):
            setattr(Store, name, watch.wrap("store", getattr(Store, name)))
    for name in ("customer_facts", "assignee_open_tickets"):
        setattr(StoreContext, name, watch.wrap("context", getattr(StoreContext, name)))


def make_settings(tmp: Path, model: Path, sentiment: bool) -> Settings:
    options: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp / 'bench.db'}",
        "serving": {"model_uri": str(model), "sentiment": sentiment, "max_events": 1000},
        "sweeper": {"enabled": False},
    }
    if sentiment:
        from features.sentiment import SentimentHead, embed, make_encoder, packaged_head_path, save_head

        encoder = make_encoder("onnx", Settings().paths.models_dir)
        if not packaged_head_path(encoder.name).is_file():
            texts, labels = zip(*HEAD_EXAMPLES, strict=True)
            head = SentimentHead(encoder.name, "bench").fit(embed(encoder, list(texts)), list(labels))
            options["sentiment"] = {"head_path": save_head(head, tmp / "head-bench.json")}
            print("(no packaged sentiment head: a small one fitted on the real encoder, same cost a message)")
    return Settings(**options)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample")
    parser.add_argument(
        "--model",
        type=Path,
        default=ROOT / "models" / "escalation-risk.json",
        help="escalation model file (make one with `escalation train --data data/sample`)",
    )
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument("--no-sentiment", dest="sentiment", action="store_false")
    args = parser.parse_args()
    if not args.model.is_file():
        sys.exit(f"no model file at {args.model}; train one with `escalation train --data data/sample`")

    from serving.service import build_service

    history = load_history(args.data)
    chosen = []
    for ticket, events in history_pairs(history).values():
        last = max(
            (i for i, e in enumerate(events) if e.type is EventType.CUSTOMER_MESSAGE and e.body), default=0
        )
        if last:  # a customer message with something before it
            chosen.append((ticket, events[:last], events[last]))
        if len(chosen) == args.tickets:
            break

    with tempfile.TemporaryDirectory() as tmp:
        service, database = build_service(make_settings(Path(tmp), args.model, args.sentiment))
        for ticket, before, _ in chosen:  # the tickets' histories, not timed
            service.ingest(ticket.ticket_id, ticket, before)
        watch = Stopwatch()
        instrument(watch)
        for ticket, _, message in chosen:
            with watch.request():
                service.ingest(ticket.ticket_id, None, [message])
        database.dispose()

    n = len(chosen)
    print(
        f"{n} new customer messages on sample tickets (SQLite, model {args.model.name}, "
        f"sentiment {'on' if args.sentiment else 'off'}), ms a request"
    )
    print(f"  {'stage':<10} {'wall p50':>9} {'wall p99':>9} {'cpu p50':>9} {'cpu p99':>9} {'cpu mean':>9}")
    for stage in (*STAGES, "other", "total"):
        wall = [w * 1e3 for w, _ in watch.samples[stage]]
        cpu = [c * 1e3 for _, c in watch.samples[stage]]
        label = "  context" if stage == "context" else stage  # inside features
        print(
            f"  {label:<10} {percentile(wall, 50):9.2f} {percentile(wall, 99):9.2f} "
            f"{percentile(cpu, 50):9.2f} {percentile(cpu, 99):9.2f} {statistics.fmean(cpu):9.2f}"
        )


if __name__ == "__main__":
    main()
