"""What the benches share: a free loopback port, percentiles, a process tree's memory and CPU time, and the
server started as users start it (`escalation serve` in its own process group, ready once `/readyz` answers
200, stopped with SIGTERM and, past a grace period, SIGKILL).

The benches run as scripts (`python bench/bench_x.py`): their folder is first on `sys.path`, so they import
this module as `harness`."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: Sequence[float], q: float) -> float:
    """The `q`-th percentile (0-100) by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def tree_usage(root: int) -> tuple[int, float]:
    """Resident memory (bytes) and CPU time used so far (s) of `root` and every process below it (/proc)."""
    total, used = tree_usage_by_process(root)
    return total, sum(used.values())


def tree_usage_by_process(root: int) -> tuple[int, dict[int, float]]:
    """Resident memory (bytes) of `root` and every process below it, and the CPU time (s, user + system)
    each of them has used so far (/proc)."""
    total, used = 0, {}
    tick = os.sysconf("SC_CLK_TCK")
    for pid in process_tree(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
    return total, used


def process_tree(root: int) -> set[int]:
    """`root` and every process below it (/proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid and p not in tree]
        tree.update(children)
        frontier.extend(children)
    return tree


def wait_ready(url: str, gone: Callable[[], str | None], seconds: float = 120) -> dict[str, object]:
    """Poll `GET /readyz` until it answers 200 and return its JSON (bounded by `seconds`); `gone` says why
    the server is no longer there, or None while it runs."""
    with httpx.Client(base_url=url, timeout=2) as client:
        for _ in range(int(seconds * 10)):
            if (why := gone()) is not None:
                raise RuntimeError(why)
            try:
                answer = client.get("/readyz")
                if answer.status_code == 200:
                    ready: dict[str, object] = answer.json()
                    return ready
            except httpx.TransportError:
                pass
            threading.Event().wait(0.1)  # poll interval between readiness probes, not a synchronisation
    raise RuntimeError(f"the server on {url} was not ready in {seconds:.0f} s")


class ServerProcess:
    """`escalation serve` on a free loopback port, in a process group of its own (the parent and its
    workers are signalled together). `settings`: ESCALATION_* variables on top of a clean environment (the
    caller's own ESCALATION_* variables are dropped unless `inherit_settings`, so a run does not depend on the
    shell it was started from). `checkout`: the source tree to serve; its packages come first on PYTHONPATH,
    whatever the editable install points at (A/B runs against an earlier commit's export). A context
    manager: stopped at the block's end."""

    def __init__(
        self,
        settings: Mapping[str, str],
        *,
        workers: int | None = 1,
        checkout: Path = ROOT,
        inherit_settings: bool = False,
        server_log: bool = False,
        ready_s: float = 120,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if inherit_settings or not k.startswith("ESCALATION_")}
        env |= {"ESCALATION_LOGGING__LEVEL": "WARNING", "PYTHONPATH": str(checkout), **settings}
        command = [sys.executable, "-c", "from core.cli import main; main()", "serve",
                   "--host", "127.0.0.1", "--port", str(self.port)]
        if workers:
            command += ["--workers", str(workers)]
        self.process = subprocess.Popen(
            command, cwd=checkout, env=env, stdout=subprocess.DEVNULL,
            stderr=None if server_log else subprocess.DEVNULL, start_new_session=True,
        )
        try:
            self.ready = wait_ready(self.url, self._gone, ready_s)
        except BaseException:
            self.kill()
            raise

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _gone(self) -> str | None:
        code = self.process.poll()
        return None if code is None else f"the server exited with {code} during start-up"

    def stop(self, grace_s: float = 10) -> None:
        """SIGTERM to the group, then SIGKILL after `grace_s`: a server far behind would first finish its
        whole backlog."""
        if self.process.poll() is not None:
            return
        os.killpg(self.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL to the whole group (a crash, or a server that would not stop)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

