"""GET /metrics of `escalation serve --workers N`: the N processes share one port, and a scrape is answered by
whichever accepts its connection, so each answer must report the whole server, not the process that answers.

The command makes one folder for the run (removed when it ends; folders that killed runs left are removed at
the next start) and hands it to its workers. The request latency goes there through prometheus_client's
multiprocess mode (each process writes its histogram to its own file; a scrape adds up every file, those of
processes that have ended too, so the counts never go back). The figures a process keeps in memory
(serving/metrics/process.py) are published there by each process every `PUBLISH_S` as its own file, and a
scrape adds them up across the processes that run: the answering process's as of now, the others' as of
their last publication (at most `PUBLISH_S` old). A process that ends takes those with it (a counter of the
whole server then falls back, read by Prometheus as a reset, as after a restart)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prometheus_client.core import Metric
from prometheus_client.registry import Collector

from core.logs import exception_name

log = logging.getLogger("serving")
PUBLISH_S = 1.0
FOLDER_PREFIX = "escalation-metrics-"
# gauges whose value for the server is the largest of its processes', not their sum
LARGEST = frozenset({
    "escalation_model_load_failing",
    "escalation_policy_load_failing",
    "escalation_sweep_last_completed_timestamp_seconds",
})


@dataclass(frozen=True, slots=True)
class Sample:
    name: str
    labels: tuple[tuple[str, str], ...]
    value: float


@dataclass(frozen=True, slots=True)
class Family:
    """One metric family of one process, as published."""

    name: str
    kind: str  # counter, gauge, summary
    documentation: str
    samples: tuple[Sample, ...]

    @classmethod
    def of(cls, metric: Metric) -> Family:
        samples = tuple(Sample(s.name, tuple(sorted(s.labels.items())), s.value) for s in metric.samples)
        return cls(metric.name, metric.type, metric.documentation, samples)

    @classmethod
    def read(cls, raw: dict[str, Any]) -> Family:
        """A family as `written` wrote it."""
        return cls(raw["name"], raw["kind"], raw["documentation"],
                   tuple(Sample(name, tuple((k, v) for k, v in labels), float(value))
                         for name, labels, value in raw["samples"]))

    def written(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "documentation": self.documentation,
                "samples": [[s.name, [list(pair) for pair in s.labels], s.value] for s in self.samples]}


def merge(processes: Iterable[Sequence[Family]]) -> list[Metric]:
    """The families of several processes as the server's: each sample summed over the processes that have it
    (the largest for the gauges in LARGEST)."""
    found: dict[str, tuple[Family, dict[tuple[str, tuple[tuple[str, str], ...]], float]]] = {}
    for families in processes:
        for family in families:
            values = found.setdefault(family.name, (family, {}))[1]
            for s in family.samples:
                key = (s.name, s.labels)
                if key not in values:
                    values[key] = s.value
                elif family.name in LARGEST:
                    values[key] = max(values[key], s.value)
                else:
                    values[key] += s.value
    merged = []
    for family, values in found.values():
        metric = Metric(family.name, family.documentation, family.kind)
        for (name, labels), value in values.items():
            metric.add_sample(name, dict(labels), value)
        merged.append(metric)
    return merged


class ProcessFigures(Collector):
    """This process's own figures (`collectors`), published to `folder` every PUBLISH_S; collected, they are
    added up with the latest published by the other running processes."""

    def __init__(self, folder: Path, collectors: Sequence[Collector]) -> None:
        self._folder = folder
        self._collectors = collectors
        self._stop = threading.Event()
        self._failing = False

    def own(self) -> list[Family]:
        return [Family.of(metric) for collector in self._collectors for metric in collector.collect()]

    def collect(self) -> Iterator[Metric]:
        yield from merge([self.own(), *self._others()])

    def publish(self) -> None:
        """Write this process's figures as its file (replaced whole: a reader never sees half of one)."""
        pid = os.getpid()
        try:
            families = self.own()
        except Exception as exc:  # a collector's fault must not end the publishing; said once until it mends
            if not self._failing:
                log.warning("metrics: this process's figures could not be collected (%s); retried every %g s",
                            exception_name(exc), PUBLISH_S)
            self._failing = True
            return
        self._failing = False
        partial = self._folder / f".process_{pid}.json"
        partial.write_text(json.dumps([family.written() for family in families]))
        os.replace(partial, self._folder / f"process_{pid}.json")

    def start(self) -> None:
        threading.Thread(target=self._run, name="metrics-publisher", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while True:
            self.publish()
            if self._stop.wait(PUBLISH_S):
                return

    def _others(self) -> Iterator[list[Family]]:
        for path in self._folder.glob("process_*.json"):
            pid = int(path.stem.removeprefix("process_"))
            if pid == os.getpid() or not alive(pid):
                continue
            try:
                yield [Family.read(raw) for raw in json.loads(path.read_text())]
            except FileNotFoundError:  # its run ending
                continue


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@contextmanager
def run_folder() -> Iterator[Path]:
    """A new folder for one run's shared figures (named after this process), removed when the run ends;
    first, the folders of runs that ended without removing theirs (killed) are removed."""
    base = Path(tempfile.gettempdir())
    for left in base.glob(f"{FOLDER_PREFIX}*"):
        owner = left.name.removeprefix(FOLDER_PREFIX).split("-", 1)[0]
        if owner.isdigit() and not alive(int(owner)):
            shutil.rmtree(left, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
