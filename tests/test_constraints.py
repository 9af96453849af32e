"""constraints.txt pins the packages that must move together: mlflow-skinny (installed) and mlflow (the `ui`
extra) at one version, so installing the extra never changes the tracking library under its database; dask and
distributed (the `dask` extra) as one release."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

CONSTRAINTS = Path(__file__).resolve().parents[1] / "constraints.txt"


def pins() -> dict[str, str]:
    found = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", CONSTRAINTS.read_text(), flags=re.MULTILINE)
    return {name.lower(): pinned for name, pinned in found}


def test_mlflow_and_its_skinny_core_are_pinned_together_and_installed_as_pinned() -> None:
    pinned = pins()
    assert pinned["mlflow"] == pinned["mlflow-skinny"] == pinned["mlflow-tracing"]
    assert version("mlflow-skinny") == pinned["mlflow-skinny"]


def test_dask_and_distributed_are_pinned_together_and_installed_as_pinned() -> None:
    """distributed checks dask's version at import: the `dask` extra installs them as one pair."""
    pinned = pins()
    assert pinned["dask"] == pinned["distributed"]
    assert version("dask") == version("distributed") == pinned["dask"]
