"""Where `--dask` work runs: a scheduler address (`tcp://host:8786`) or a LocalCluster on this machine
(`local`, `local:N` for N worker processes). dask and distributed are the optional `dask` extra: they are
imported only here and in the modules that run on a cluster, and only when `--dask` is given."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import ConfigError

if TYPE_CHECKING:
    from distributed import Client

INSTALL_HINT = "install the `dask` extra: pip install -c constraints.txt -e '.[dask]'"


@dataclass(frozen=True, slots=True)
class ClusterSpec:
    """A parsed --dask value: `address` of a running scheduler, or `workers` local processes."""

    address: str | None = None
    workers: int = 0

    @property
    def local(self) -> bool:
        return self.address is None

    def describe(self) -> str:
        return self.address if self.address is not None else f"local:{self.workers}"


def parse_cluster(value: str) -> ClusterSpec:
    """`local`, `local:N` or a scheduler address (`tcp://10.0.0.5:8786`, `tls://…`, `host:8786`)."""
    text = value.strip()
    if text == "local":
        return ClusterSpec(workers=max(1, (os.cpu_count() or 1)))
    if text.startswith("local:"):
        count = text.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise ConfigError(
                f"--dask {value!r}: the worker count after `local:` must be a whole number of at least 1, "
                "e.g. local:4"
            )
        return ClusterSpec(workers=int(count))
    if not text or " " in text:
        raise ConfigError(
            f"--dask {value!r} is neither `local[:N]` nor a scheduler address; e.g. --dask local:4 or "
            "--dask tcp://10.0.0.5:8786"
        )
    return ClusterSpec(address=text)


@contextmanager
def connect(spec: ClusterSpec) -> Iterator[Client]:
    """A distributed Client for `spec`; a local cluster is started here and closed on exit. Workers are
    processes with one thread each: feature building is pure Python (the GIL), and LightGBM's Dask
    estimator needs each worker in its own process (its network is per process)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError(
            f"--dask needs dask and distributed, which are not installed; {INSTALL_HINT}"
        ) from None
    if spec.address is not None:
        try:
            client = Client(spec.address)
        except (ValueError, OSError) as exc:  # no port, an unknown host, nothing listening (after a timeout)
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise ConfigError(
                f"--dask {spec.address!r}: no Dask scheduler answers there ({reason}); "
                "start one (`dask scheduler`) and give its address with the port, e.g. tcp://10.0.0.5:8786, "
                "or use --dask local:N"
            ) from None
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=spec.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def worker_count(client: Client) -> int:
    """Workers the scheduler knows now (at least 1: a partition count)."""
    return max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
