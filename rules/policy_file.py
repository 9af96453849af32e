"""Policy file (YAML) -> validated, compiled `PolicySet`, with errors that name file, line and field.

The YAML is composed once into nodes (which keep their line) and loaded once into data; pydantic
validates the data, and each error location is walked back through the nodes to its line. Problems
are all reported together, as a `ConfigError` — never a stack trace.
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from core.errors import ConfigError
from rules.policy import PolicyFile
from rules.policy_checks import Loc, cross_check
from rules.policyset import PolicySet, compile_policies

DEFAULT_POLICY_FILE = Path(__file__).parent / "policies" / "default.yaml"
# A policy file is a few KB (the shipped one 8 KB). YAML is read in pure Python, ~7 s a megabyte: a bigger
# file is a mistake (a generated list of days) that would hold a server's start for minutes.
MAX_BYTES = 1 << 20
# Aliases repeat a part without writing it again: ten lines can stand for millions of values ("billion
# laughs"), each then walked and validated. The shipped file has about 700.
MAX_VALUES = 100_000


def load_policies(path: str | Path | None = None) -> PolicySet:
    """Read a policy file (the shipped default when `path` is None). The only I/O in rules/."""
    path = Path(path) if path is not None else DEFAULT_POLICY_FILE
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read policy file {path}: {exc.strerror}; check the path") from None
    if len(raw) > MAX_BYTES:
        size = max(path.stat().st_size, len(raw))  # a device or pipe has no size of its own
        raise ConfigError(
            f"policy file {path} is {size:,} bytes; at most {MAX_BYTES:,} (1 MiB) are read — a policy file "
            "is a few KB: list holidays and hours, not every day"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"cannot read policy file {path}: line {line} is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None
    return parse_policies(text, source=str(path))


def parse_policies(text: str, source: str = "<policies>") -> PolicySet:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f", line {mark.line + 1}" if mark else ""
        todo = "write an existing date as YYYY-MM-DD" if isinstance(exc, _BadDate) else "fix the syntax"
        raise ConfigError(f"{source}{line}: not valid YAML: {exc.problem or exc}; {todo}") from None
    except yaml.reader.ReaderError as exc:  # a NUL or another character YAML refuses
        row = text.count("\n", 0, exc.position) + 1
        raise ConfigError(
            f"{source}, line {row}: not valid YAML: character #x{exc.character:04x} is not allowed "
            "(a NUL or control character); remove it"
        ) from None
    except RecursionError:
        raise ConfigError(
            f"{source}: nested too deeply to read (Python's recursion limit); "
            "flatten the file's lists and mappings"
        ) from None
    if not isinstance(data, dict) or root is None:
        raise ConfigError(
            f"{source}: a policy file is a mapping with `calendars` and `policies` (see the default)"
        )
    if _expands_past(root, MAX_VALUES):
        raise ConfigError(
            f"{source}: its YAML aliases (*name) expand to over {MAX_VALUES:,} values; a policy file is a "
            "few hundred: repeat less through aliases"
        )
    duplicates = _duplicate_keys(root)
    problems = [(loc, msg) for loc, msg, _ in duplicates]
    lines = {loc: line for loc, _, line in duplicates}  # the second key's line, not the first's
    if not problems:
        try:
            # Conditions may name the custom fields this file declares: they are read first.
            declared = data.get("custom_fields")
            context = {"custom_fields": declared if isinstance(declared, dict) else {}}
            spec = PolicyFile.model_validate(data, context=context)
        except ValidationError as exc:
            problems = [_from_pydantic(err) for err in exc.errors()]
        else:
            problems = cross_check(spec)
    if problems:
        shown = [
            f"  {source}, line {lines.get(loc) or _line(root, loc)}, at {_path(loc)}: {msg}"
            for loc, msg in problems
        ]
        raise ConfigError(f"{len(problems)} problem(s) in policy file {source}:\n" + "\n".join(shown))
    return compile_policies(spec, source=source)


class _BadDate(yaml.constructor.ConstructorError):
    pass


class _Loader(yaml.SafeLoader):
    """The safe loader; an impossible date (2026-02-30) is reported at its line, not as a bare ValueError."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise _BadDate(None, None, f"{node.value} is not a date ({exc})", node.start_mark) from exc


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _from_pydantic(err: Any) -> tuple[Loc, str]:
    loc: Loc = tuple(err["loc"])
    key = (err.get("ctx") or {}).get("key")
    if key is not None:
        loc = (*loc, key)
    kind, msg = err["type"], err["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        known = _known_fields(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        msg = f"unknown field {loc[-1]!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
        msg += f"; known fields: {', '.join(known)}" if known else ""
    elif kind == "missing":
        msg = f"missing field {loc[-1]!r}; add it"
    elif kind not in (
        "value_error",
        "policy_condition",
        "policy_hours",
        "policy_levels",
        "policy_custom_field",
    ):
        msg = f"{msg} (got {_shown(err['input'])})"
    return loc, msg


def _shown(value: Any, limit: int = 80) -> str:
    """A wrong value as the message quotes it: whole when short; a file's megabyte list is not echoed back."""
    text = repr(value)
    if len(text) <= limit:
        return text
    size = f"{len(value)} items" if isinstance(value, list | dict) else f"{len(value)} characters"
    if not isinstance(value, str | list | dict):
        size = f"{len(text)} characters written"
    return f"{text[:limit]}… ({size})"


def _known_fields(loc: Loc) -> list[str]:
    """The field names allowed at `loc`, found by walking the schema's type hints."""
    current: Any = PolicyFile
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[str(part)].annotation
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
    current = _unwrap(current)
    return (
        sorted(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []
    )


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp


def _line(root: yaml.Node, loc: Loc) -> int:
    node = root
    for i, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if pair is None:
                continue  # a missing field or a schema-only step (a union tag): stay at the parent
            last = i == len(loc) - 1 or loc[i + 1] == "[key]"
            node = pair[0] if last else pair[1]  # the key's line for an unknown or misspelt key
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
    return node.start_mark.line + 1


def _path(loc: Loc) -> str:
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _expands_past(root: yaml.Node, limit: int) -> bool:
    """Whether the document, aliases expanded, holds more than `limit` nodes (counted without expanding)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is None:
            sizes[id(node)] = limit + 1  # while counting: an alias back into itself expands without end
            children = node.value if isinstance(node, yaml.SequenceNode) else []
            if isinstance(node, yaml.MappingNode):
                children = [part for pair in node.value for part in pair]
            known = sizes[id(node)] = min(1 + sum(size(child) for child in children), limit + 1)
        return known

    return size(root) > limit


def _duplicate_keys(node: yaml.Node, path: Loc = ()) -> list[tuple[Loc, str, int]]:
    # YAML silently keeps the last of two equal keys; in a policy that hides a mistake.
    problems: list[tuple[Loc, str, int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                msg = (
                    f"key {name!r} appears twice (first on line {seen[name]}); YAML would keep only the last"
                )
                problems.append(((*path, name), msg, key.start_mark.line + 1))
            seen.setdefault(name, key.start_mark.line + 1)
            problems += _duplicate_keys(value, (*path, name))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            problems += _duplicate_keys(item, (*path, i))
    return problems
