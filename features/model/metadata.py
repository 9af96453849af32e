"""What training records about a model in its file (`metadata`): the target, the settings it was trained
with, its data and test period, its test figures. Written by `escalation train`, read by `compare-models`,
`score` and the dashboard — one type, the same JSON as before it had one.

Keys training has written since the model file's format 2 are required; those added later have a default
that says what a model made before them was: `refit` "none" (fitted on the training period only),
`at_creation` false (no creation examples), `fit_rows`, `lgbm_params`, `tuning`, `test_from_at`, `data` and
`evaluation` absent (null). A missing required key, or a value of the wrong kind, is a `MetadataError`
naming the key; keys this code does not know are ignored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, TypeVar

import pandas as pd

from features.model.evaluation import ModelEvaluation

T = TypeVar("T")


class MetadataError(ValueError):
    """A model file's metadata lacks a key or holds a value of the wrong kind; the message names it."""


@dataclass(frozen=True, slots=True)
class DataFingerprint:
    """The history a model was trained on: content hash, size and creation range (ISO 8601)."""

    sha256: str
    tickets: int
    events: int
    first: str
    last: str

    def to_dict(self) -> dict[str, str | int]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class TuningRecord:
    """How the boosting parameters were searched (`--tune N`), and the trial that won."""

    trials_requested: int
    trials_run: int
    timeout_s: float | None
    seed: int
    sampler: str
    objective: str
    best_trial: int
    best_valid_pr_auc: float | None
    best_params: dict[str, float | int]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelMetadata:
    """Fields in the order of the JSON (the file's bytes stay as they were)."""

    target: str  # e.g. "escalation@72h", or an outcome column's name
    target_kind: str  # "escalation" or "outcome"
    target_column: str | None  # the outcome column; None for escalation
    escalation_types: tuple[str, ...]  # the escalation types counted; () for all
    horizon_hours: float
    budget: float  # the share of tickets the alert threshold was chosen to flag
    calibration: str
    best_iteration: int
    refit: str = "none"
    fit_rows: int | None = None
    seed: int
    lgbm_params: dict[str, float | int] | None = None  # the searched parameters' values
    tuning: TuningRecord | None = None
    every_event: bool
    at_creation: bool = False
    examples: str
    ticket_features: tuple[str, ...]  # the tickets' extra columns the model reads
    feature_spec_version: int
    policies_version: str
    text_analyses: str | None  # hash of the message analyses trained on; None: trained --no-text
    train_from: str  # days, YYYY-MM-DD
    valid_from: str
    test_from: str
    test_to: str
    test_from_at: str | None = None  # the test period's first instant, ISO 8601
    data: DataFingerprint | None = None
    evaluation: ModelEvaluation | None = None

    @property
    def test_start(self) -> pd.Timestamp:
        """The first instant of the test period (UTC): the first test ticket's creation. A model trained
        before the instant was kept has the day only, whose midnight lets in that day's validation tickets."""
        at = pd.Timestamp(self.test_from_at or self.test_from)
        return at.tz_convert("UTC") if at.tzinfo else at.tz_localize("UTC")

    @property
    def target_spec(self) -> str:
        """The target as `--target` takes it: `escalation[:types]` or `outcome:COLUMN`."""
        if self.target_kind == "outcome":
            return f"outcome:{self.target_column}"
        types = ",".join(self.escalation_types)
        return f"escalation:{types}" if types else "escalation"

    def to_dict(self) -> dict[str, Any]:
        """The file's JSON; `data` and `evaluation` are left out when absent (as training left them)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("data", "evaluation") and value is None:
                continue
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, DataFingerprint | TuningRecord | ModelEvaluation):
                value = value.to_dict()
            elif isinstance(value, dict):
                value = dict(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: object) -> ModelMetadata:
        if not isinstance(data, Mapping):
            raise MetadataError(f"is a JSON {type(data).__name__}, not an object")
        read = _Reader(data)
        tuning = read.nested("tuning", TuningRecord)
        fingerprint = read.nested("data", DataFingerprint)
        try:
            evaluation = ModelEvaluation.of(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise MetadataError(f"key 'evaluation' is damaged ({type(exc).__name__}: {exc})") from None
        return cls(
            target=read.required("target", str),
            target_kind=read.required("target_kind", str),
            target_column=read.nullable("target_column", str),
            escalation_types=read.names("escalation_types"),
            horizon_hours=float(read.required("horizon_hours", int | float)),
            budget=float(read.required("budget", int | float)),
            calibration=read.required("calibration", str),
            best_iteration=read.required("best_iteration", int),
            refit=read.optional("refit", str) or "none",
            fit_rows=read.optional("fit_rows", int),
            seed=read.required("seed", int),
            lgbm_params=(None if (params := read.optional("lgbm_params", Mapping)) is None
                         else {str(k): v for k, v in params.items()}),
            tuning=tuning,
            every_event=read.required("every_event", bool),
            at_creation=bool(read.optional("at_creation", bool)),
            examples=read.required("examples", str),
            ticket_features=read.names("ticket_features"),
            feature_spec_version=read.required("feature_spec_version", int),
            policies_version=read.required("policies_version", str),
            text_analyses=read.nullable("text_analyses", str),
            train_from=read.required("train_from", str),
            valid_from=read.required("valid_from", str),
            test_from=read.required("test_from", str),
            test_to=read.required("test_to", str),
            test_from_at=read.optional("test_from_at", str),
            data=fingerprint,
            evaluation=evaluation,
        )


class _Reader:
    """Typed reads of the metadata's keys; each failure names its key."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def required(self, key: str, kind: Any) -> Any:
        if key not in self._data:
            raise MetadataError(f"lacks the key {key!r}")
        return self._check(key, self._data[key], kind)

    def nullable(self, key: str, kind: Any) -> Any:
        if key not in self._data:
            raise MetadataError(f"lacks the key {key!r}")
        value = self._data[key]
        return None if value is None else self._check(key, value, kind)

    def optional(self, key: str, kind: Any) -> Any:
        value = self._data.get(key)
        return None if value is None else self._check(key, value, kind)

    def nested(self, key: str, kind: type[T]) -> T | None:
        """An optional object of named fields (`tuning`, `data`): all of them, none else."""
        value = self.optional(key, Mapping)
        if value is None:
            return None
        try:
            return kind(**value)
        except TypeError:
            expected = ", ".join(f.name for f in fields(kind))  # type: ignore[arg-type]
            raise MetadataError(
                f"key {key!r} is damaged: it holds {', '.join(map(str, value)) or 'nothing'}, "
                f"expected {expected}"
            ) from None

    def names(self, key: str) -> tuple[str, ...]:
        value = self.required(key, list)
        if not all(isinstance(item, str) for item in value):
            raise MetadataError(f"key {key!r} holds {value!r}, expected a list of names")
        return tuple(value)

    @staticmethod
    def _check(key: str, value: Any, kind: Any) -> Any:
        # a bool is an int to Python, not to JSON: a count or a number given as true/false is damaged
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise MetadataError(f"key {key!r} holds {value!r} ({type(value).__name__}), of the wrong kind")
        return value
