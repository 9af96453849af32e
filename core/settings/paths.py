"""Where the sample history, models, state and policy file are."""

from __future__ import annotations

from pathlib import Path

from core.settings.section import PROJECT_ROOT, Section


class PathSettings(Section):
    sample_dir: Path = PROJECT_ROOT / "data" / "sample"  # committed, immutable: code never writes here
    models_dir: Path = PROJECT_ROOT / "models"
    # what commands keep between runs (train's analysis cache, validate-data's report); the embedded database
    # and MLflow store are under PROJECT_ROOT/var by their own URLs' defaults, whatever this is
    state_dir: Path = PROJECT_ROOT / "var"
    # The SLA and escalation policy file that the API, the sweeper, training and scoring run
    # (docs/sla-semantics.md); None: the shipped rules/policies/default.yaml. A file with problems stops
    # `escalation serve` at start.
    policy_file: Path | None = None
