"""Environment variables as settings: the variable of every setting (`setting_names`), the `ESCALATION_*`
variables that name none (`unknown_variables`) and those set to nothing (`empty_variables`), and where a
variable's location leads in the settings' sections (`field_at`, `model_of`)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import PurePath
from typing import Annotated, get_args, get_origin

from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo

PREFIX = "ESCALATION_"


def unknown_variables(model: type[BaseModel], environ: Mapping[str, str], aliases: set[str]) -> list[str]:
    """Each `ESCALATION_*` variable that names no setting (a misspelt one would be ignored, and its default
    used: ESCALATION_DATABSE_URL would leave every instance on its own SQLite file), with the closest name."""
    known, open_ended = setting_names(model, PREFIX)
    known |= aliases
    problems = []
    for name in sorted(environ):
        upper = name.upper()  # the settings read names in any case
        if not upper.startswith(PREFIX) or upper in known or upper.startswith(open_ended):
            continue
        stems = sorted(known_name.removeprefix(PREFIX) for known_name in known)  # the prefix is no hint
        close = difflib.get_close_matches(upper.removeprefix(PREFIX), stems, n=1, cutoff=0.75)
        hint = f"did you mean {PREFIX}{close[0]}?" if close else "the README's 'Configuration' lists them"
        problems.append(f"{name} is not a setting; {hint}")
    return problems


def empty_variables(model: type[BaseModel], environ: Mapping[str, str]) -> list[str]:
    """Each `ESCALATION_*` variable set to nothing (or blanks) where the setting would take it as a value: an
    empty host listens on every interface, an empty path is the working folder, an empty secret signs with
    no key (a helpdesk's webhook secret: anyone could sign a webhook). Usually a variable meant to be unset
    (`ESCALATION_SERVER__HOST=$HOST` with HOST unset). Settings whose pattern admits nothing are left alone;
    numbers, flags and lists already refuse an empty value."""
    problems = []
    foreign = _foreign_aliases(model)  # MLFLOW_TRACKING_URI: MLflow's own name of a setting
    for name in sorted(environ):
        upper = name.upper()
        if not (upper.startswith(PREFIX) or name in foreign) or environ[name].strip():
            continue
        loc = [foreign[name]] if name in foreign else upper.removeprefix(PREFIX).split("__")
        field = field_at([part.lower() for part in loc], model)
        if field is None or not _takes_text(field) or _admits_nothing(field):
            continue
        problems.append(f"{name} is empty; give a value, or unset it to use the default")
    return problems


def _foreign_aliases(model: type[BaseModel]) -> dict[str, str]:
    """Other programs' variables a top-level setting also reads (MLFLOW_TRACKING_URI), by the setting."""
    found: dict[str, str] = {}
    for field_name, field in model.model_fields.items():
        choices = getattr(field.validation_alias, "choices", [])
        found |= {alias: field_name for alias in choices
                  if isinstance(alias, str) and not alias.startswith(PREFIX)}
    return found


def _takes_text(field: FieldInfo) -> bool:
    kinds = getattr(field.annotation, "__args__", None) or (field.annotation,)
    kinds = tuple(get_args(kind)[0] if get_origin(kind) is Annotated else kind for kind in kinds)  # KeySecret
    return any(isinstance(kind, type) and issubclass(kind, str | PurePath | SecretStr) for kind in kinds)


def _admits_nothing(field: FieldInfo) -> bool:
    patterns = [getattr(rule, "pattern", None) for rule in field.metadata]
    return any(isinstance(pattern, str) and re.fullmatch(pattern, "") for pattern in patterns)


def setting_names(model: type[BaseModel], prefix: str) -> tuple[set[str], tuple[str, ...]]:
    """Every variable name of `model`'s settings, and the prefixes of mappings (any key may follow)."""
    names: set[str] = set()
    open_ended: list[str] = []
    for field_name, field in model.model_fields.items():
        name = prefix + field_name.upper()
        names.add(name)
        section = model_of(field)
        listed = getattr(field.annotation, "__origin__", None) is list  # one JSON list: no variable an entry
        if section is not None and not listed:
            inner, inner_open = setting_names(section, name + "__")
            names |= inner
            open_ended += inner_open
        kinds = getattr(field.annotation, "__args__", None) or (field.annotation,)
        if dict in {getattr(kind, "__origin__", None) for kind in (field.annotation, *kinds)}:
            open_ended.append(name + "__")
    return names, tuple(open_ended)


def model_of(field: FieldInfo) -> type[BaseModel] | None:
    annotation = field.annotation
    candidates = getattr(annotation, "__args__", None) or (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def field_at(loc: list[str | int], model: type[BaseModel]) -> FieldInfo | None:
    current: type[BaseModel] | None = model
    field: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):  # a list's entry: its fields are the entry's section's
            continue
        if current is None or part not in current.model_fields:
            return None
        field = current.model_fields[part]
        current = model_of(field)
    return field
