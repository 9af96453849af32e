"""The top-level folders are the architecture: imports point one way.

serving → rules, features, helpdesks, core; helpdesks → core; training → features, rules, core;
features → rules, core; rules → core; core → nothing of ours. serving and training never import each other.
synthetic (the sample generator) → core, and no package imports it: the CLI names it lazily by string.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("core", "rules", "features", "training", "serving", "helpdesks", "synthetic")
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "rules": {"core"},
    "features": {"rules", "core"},
    "training": {"features", "rules", "core"},
    "serving": {"rules", "features", "core", "helpdesks"},
    "helpdesks": {"core"},
    "synthetic": {"core"},
}
# rules/ is pure: policies in, SLA state out — no data frames, models, databases or HTTP.
RULES_FORBIDDEN = {"pandas", "numpy", "sklearn", "lightgbm", "torch", "transformers", "mlflow",
                   "sqlalchemy", "fastapi", "httpx", "requests", "onnxruntime"}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", OURS)
def test_imports_point_one_way(package: str) -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(package)
        for name in imported_top_levels(path)
        if name in OURS and name != package and name not in ALLOWED[package]
    }
    allowed = sorted(ALLOWED[package]) or "nothing of ours"
    assert not wrong, f"{package} may import only {allowed}: {sorted(wrong)}"


def test_rules_stay_pure() -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files("rules")
        for name in imported_top_levels(path) & RULES_FORBIDDEN
    }
    assert not wrong, sorted(wrong)


def test_the_walk_sees_violations(tmp_path: Path) -> None:
    # Guard against a walker that silently finds nothing.
    bad = tmp_path / "bad.py"
    bad.write_text("import serving.app\nfrom training import train\nfrom . import sibling\n")
    assert imported_top_levels(bad) == {"serving", "training"}
    assert python_files("core"), "core/ should hold python files"
