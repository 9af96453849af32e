"""GET /metrics of `escalation serve --workers 2` (real processes on loopback): whichever process answers the
scrape, it reports the whole server — the requests both processes answered add up, and each process's own
figures (the model it serves) are counted once each."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from serving.metrics.shared import Family, ProcessFigures, run_folder
from tests.serving.conftest import two_worker_server

HEALTHZ = 'escalation_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The server's URL, and the temporary folder it was given (TMPDIR)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with two_worker_server(tmp_path, TMPDIR=str(temporary)) as url:
        yield url, temporary
    assert list(temporary.iterdir()) == []  # the run's shared figures went with it


def scrape(url: str) -> str:
    with httpx.Client(base_url=url, timeout=30) as client:  # a new connection: either process may take it
        answer = client.get("/metrics")
    assert answer.status_code == 200, answer.text
    return answer.text


def value(text: str, series: str) -> float:
    found = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    assert found is not None, f"{series} not in the scrape"
    return float(found.group(1))


def healthz_by_process(run: Path) -> dict[str, float]:
    """The /healthz requests each process counted, read from its own file of the run's folder."""
    from prometheus_client.multiprocess import MultiProcessCollector

    counted = {}
    for path in run.glob("histogram_*.db"):
        samples = [s for m in MultiProcessCollector.merge([str(path)]) for s in m.samples]
        counted[path.stem.removeprefix("histogram_")] = sum(
            s.value for s in samples if s.name.endswith("_count") and s.labels.get("route") == "/healthz"
        )
    return counted


def test_every_scrape_of_two_workers_counts_the_requests_both_answered(
    two_workers: tuple[str, Path],
) -> None:
    url, temporary = two_workers
    [run] = temporary.glob("escalation-metrics-*")  # this run's folder, shared by its processes
    sent, by_process = 0, dict[str, float]()
    # fresh connections, 20 at a time, until both processes have answered some (which process accepts a
    # connection is the kernel's choice: on a busy machine one may take many in a row); bounded
    while sent < 400 and not (len(by_process) == 2 and all(by_process.values())):
        for _ in range(20):
            with httpx.Client(base_url=url, timeout=30) as client:
                assert client.get("/healthz").status_code == 200
        sent += 20
        by_process = healthz_by_process(run)
    assert len(by_process) == 2 and all(n > 0 for n in by_process.values()), by_process  # both answered
    # a request's time is recorded as its answer goes out, so the last may reach the file a moment after the
    # client has it
    wait_for(lambda: sum(healthz_by_process(run).values()) == sent)
    for _ in range(10):  # whichever process answers the scrape
        assert value(scrape(url), HEALTHZ) == sent
    # each process's own figures: published by each, the latest of every process read at a scrape
    wait_for(lambda: value(scrape(url), 'escalation_model_info{version="none"}') == 2)
    for _ in range(10):
        text = scrape(url)
        assert value(text, 'escalation_model_info{version="none"}') == 2  # two processes, rules-only
        assert value(text, 'escalation_assessment_failures_total{stage="ingest"}') == 0


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    """Poll `condition` until true (bounded): the processes publish their own figures every second."""
    for _ in range(int(seconds * 10)):
        if condition():
            return
        threading.Event().wait(0.1)  # poll interval, not a synchronisation
    raise AssertionError(f"not true within {seconds:.0f} s")


class Fixed(Collector):
    """A process's own figures, given."""

    def __init__(self, failures: float, failing: float) -> None:
        self.failures, self.failing = failures, failing

    def collect(self) -> Iterator[Metric]:
        counter = CounterMetricFamily("escalation_assessment_failures", "failures", labels=["stage"])
        counter.add_metric(["ingest"], self.failures)
        gauge = GaugeMetricFamily("escalation_model_load_failing", "1 while failing")
        gauge.add_metric([], self.failing)
        yield from (counter, gauge)


def test_a_scrape_adds_up_the_running_processes_figures_and_leaves_out_an_ended_ones(tmp_path: Path) -> None:
    """Counters (and most gauges) are summed, a failing flag is the largest; an ended process's file is
    left out (its pid no longer runs)."""
    running = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    try:
        for pid, failures, failing in ((running.pid, 2, 1), (int(ended.stdout), 100, 1)):
            other = ProcessFigures(tmp_path, [Fixed(failures, failing)])
            (tmp_path / f"process_{pid}.json").write_text(
                json.dumps([family.written() for family in other.own()])
            )
        mine = ProcessFigures(tmp_path, [Fixed(1, 1)])  # failing in two: still 1
        mine.publish()  # this process's file: read back as written, and not counted twice
        published = json.loads((tmp_path / f"process_{os.getpid()}.json").read_text())
        assert [Family.read(raw) for raw in published] == mine.own()
        registry = CollectorRegistry()
        registry.register(mine)
        text = generate_latest(registry).decode()
    finally:
        running.communicate(b"")
    assert value(text, 'escalation_assessment_failures_total{stage="ingest"}') == 3
    assert value(text, "escalation_model_load_failing") == 1


def test_a_run_folder_is_new_removed_after_the_run_and_a_killed_runs_removed_at_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    killed = tmp_path / f"escalation-metrics-{int(ended.stdout)}-abc"  # its serve process no longer runs
    running = tmp_path / f"escalation-metrics-{os.getpid()}-def"  # another run of a process that runs
    for left in (killed, running):
        left.mkdir()
        (left / "histogram_1.db").write_bytes(b"")
    with run_folder() as folder:
        assert sorted(tmp_path.iterdir()) == sorted([running, folder])
        assert list(folder.iterdir()) == []
    assert list(tmp_path.iterdir()) == [running]
