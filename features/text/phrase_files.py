"""Reading and checking signal phrase files (YAML). Every problem is a ConfigError that names the file, the
line and the field, so that a team editing its own file sees at once what to fix. Format: docs/signals.md."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.errors import ConfigError
from core.text import SignalName
from features.text.phrase_syntax import phrase_to_regex

_TOP_KEYS = ("language", "negation", "context", "signals", "exclude")
_SIGNAL_KEYS = ("phrases", "negatable")
_NEGATION_KEYS = ("cues", "window", "window_after", "scope_breaks", "conditionals")
_CONTEXT_KEYS = ("signals", "cues", "window", "window_after")
_CONTEXT_NAME = re.compile(r"[a-z][a-z0-9_]*")
_MAX_WINDOW = 10
_LANGUAGE = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True, slots=True)
class Entry:
    """One phrase or regex as written, with where it was written (for error messages and docs)."""

    source: str
    is_regex: bool
    file: Path
    line: int


@dataclass(slots=True)
class NegationRules:
    cues: list[Entry] = field(default_factory=list)  # phrases that negate a match ("not", "nicht", "ikke")
    window: int | None = None  # words before a match searched for a cue
    window_after: int | None = None  # words after it (German "ich kündige nicht")
    scope_breaks: list[str] = field(
        default_factory=list
    )  # words that end a cue's reach ("but", "aber", "men")
    conditionals: list[str] = field(default_factory=list)  # a cue after these is a condition ("if … not")


@dataclass(slots=True)
class ContextRules:
    """Cues near a match that say it is not this customer's signal: the writer about themself ("I'm such an
    idiot"), someone else ("my brother is a lawyer"), a recurring problem rather than a contact ("third time
    this year")."""

    signals: list[SignalName] = field(default_factory=list)  # the signals the cues apply to
    cues: list[Entry] = field(default_factory=list)
    window: int | None = None  # words before a match searched for a cue
    window_after: int | None = None  # words after it


@dataclass(slots=True)
class PhraseFile:
    path: Path
    language: str
    signals: dict[SignalName, list[Entry]]
    negatable: dict[SignalName, bool]
    negation: NegationRules
    context: dict[str, ContextRules] = field(default_factory=dict)  # by rule name ("self_reference")
    # Phrases of earlier files (the shipped ones, say) this file takes back, by signal, written as there.
    exclude: dict[SignalName, list[Entry]] = field(default_factory=dict)


class _Where:
    """Builds the error for one file: `path:line: field: what; what to do`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, node: yaml.Node | None, field_name: str, message: str) -> ConfigError:
        line = node.start_mark.line + 1 if node is not None else 1
        return ConfigError(f"signal phrase file {self.path}:{line}: {field_name}: {message}")


def read_phrase_file(path: Path) -> PhraseFile:
    """Parse and check one phrase file; ConfigError on the first problem found."""
    where = _Where(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"signal phrase file {path} does not exist; fix the path in text.signal_phrase_files "
            "(ESCALATION_TEXT__SIGNAL_PHRASE_FILES)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"signal phrase file {path} cannot be read as UTF-8 text: {exc}") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"signal phrase file {path}:{line}: not valid YAML: {problem}") from None
    if root is None:
        raise where.error(None, "(top level)", "the file is empty; it needs 'language' and 'signals'")
    top = _mapping(root, "(top level)", _TOP_KEYS, where, required=("language",))
    language_node = top["language"]
    language = _scalar(language_node, "language", where)
    if not _LANGUAGE.fullmatch(language):
        raise where.error(
            language_node, "language", f"{language!r} is not an ISO 639-1 code; write e.g. en, de or no"
        )
    if "signals" not in top and "exclude" not in top:
        raise where.error(
            root, "(top level)", "missing field 'signals' (or 'exclude', to take shipped phrases back)"
        )
    signals, negatable = _signals(top["signals"], where) if "signals" in top else ({}, {})
    negation = _negation(top["negation"], where) if "negation" in top else NegationRules()
    context = _context(top["context"], where) if "context" in top else {}
    exclude = _exclude(top["exclude"], where) if "exclude" in top else {}
    return PhraseFile(path, language, signals, negatable, negation, context, exclude)


def _exclude(node: yaml.Node, where: _Where) -> dict[SignalName, list[Entry]]:
    """`exclude: {signal: [phrase, …]}`: each a phrase (or `regex:`) of an earlier file, as written there."""
    out: dict[SignalName, list[Entry]] = {}
    for key_node, value in _pairs(node, "exclude", where):
        name = key_node.value
        signal = _signal_name(name, key_node, f"exclude.{name}", where)
        out[signal] = _entries(value, f"exclude.{name}", where)
    return out


def _context(node: yaml.Node, where: _Where) -> dict[str, ContextRules]:
    rules: dict[str, ContextRules] = {}
    for key_node, value in _pairs(node, "context", where):
        name = key_node.value
        sub = f"context.{name}"
        if not _CONTEXT_NAME.fullmatch(name):
            raise where.error(key_node, sub, f"{name!r} is not a rule name; write e.g. self_reference")
        body = _mapping(value, sub, _CONTEXT_KEYS, where, required=("signals", "cues"))
        rule = ContextRules(cues=_entries(body["cues"], f"{sub}.cues", where))
        for i, item in enumerate(_words(body["signals"], f"{sub}.signals", where)):
            rule.signals.append(_signal_name(item, body["signals"].value[i], f"{sub}.signals[{i}]", where))
        for field_name in ("window", "window_after"):
            if field_name in body:
                setattr(rule, field_name, _window(body[field_name], f"{sub}.{field_name}", where))
        rules[name] = rule
    return rules


def _signal_name(name: str, node: yaml.Node, field_name: str, where: _Where) -> SignalName:
    known = [s.value for s in SignalName]
    if name not in known:
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
        known_list = ", ".join(known)
        raise where.error(node, field_name, f"unknown signal {name!r}; {hint}known signals: {known_list}")
    return SignalName(name)


def _signals(node: yaml.Node, where: _Where) -> tuple[dict[SignalName, list[Entry]], dict[SignalName, bool]]:
    signals: dict[SignalName, list[Entry]] = {}
    negatable: dict[SignalName, bool] = {}
    for key_node, value in _pairs(node, "signals", where):
        name = key_node.value
        signal = _signal_name(name, key_node, f"signals.{name}", where)
        if isinstance(value, yaml.SequenceNode):  # shorthand: a plain list of phrases
            signals[signal] = _entries(value, f"signals.{name}", where)
            continue
        body = _mapping(value, f"signals.{name}", _SIGNAL_KEYS, where, required=("phrases",))
        signals[signal] = _entries(body["phrases"], f"signals.{name}.phrases", where)
        if "negatable" in body:
            negatable[signal] = _boolean(body["negatable"], f"signals.{name}.negatable", where)
    return signals, negatable


def _entries(node: yaml.Node, field_name: str, where: _Where) -> list[Entry]:
    if not isinstance(node, yaml.SequenceNode):
        raise where.error(node, field_name, "expected a list of phrases (lines starting with '- ')")
    entries = []
    for i, item in enumerate(node.value):
        item_field = f"{field_name}[{i}]"
        if isinstance(item, yaml.MappingNode):
            body = _mapping(item, item_field, ("regex",), where, required=("regex",))
            source = _scalar(body["regex"], f"{item_field}.regex", where)
            _check_regex(source, body["regex"], f"{item_field}.regex", where)
            entries.append(Entry(source, True, where.path, item.start_mark.line + 1))
            continue
        source = _scalar(item, item_field, where)
        try:
            phrase_to_regex(source)
        except ValueError as exc:
            raise where.error(item, item_field, str(exc)) from None
        entries.append(Entry(source, False, where.path, item.start_mark.line + 1))
    return entries


def _check_regex(source: str, node: yaml.Node, field_name: str, where: _Where) -> None:
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise where.error(
            node,
            field_name,
            f"invalid regular expression {source!r}: {exc}; check it with Python's re module",
        ) from None
    if compiled.fullmatch("") is not None:
        raise where.error(
            node,
            field_name,
            f"regular expression {source!r} matches the empty text; make it require at least one character",
        )


def _negation(node: yaml.Node, where: _Where) -> NegationRules:
    body = _mapping(node, "negation", _NEGATION_KEYS, where)
    rules = NegationRules()
    if "cues" in body:
        rules.cues = _entries(body["cues"], "negation.cues", where)
    for name in ("window", "window_after"):
        if name in body:
            setattr(rules, name, _window(body[name], f"negation.{name}", where))
    for name in ("scope_breaks", "conditionals"):
        if name in body:
            setattr(rules, name, _words(body[name], f"negation.{name}", where))
    return rules


def _window(node: yaml.Node, field_name: str, where: _Where) -> int:
    raw = _scalar(node, field_name, where)
    if not raw.isdigit() or int(raw) > _MAX_WINDOW:
        raise where.error(node, field_name, f"{raw!r} is not a whole number of words from 0 to {_MAX_WINDOW}")
    return int(raw)


def _words(node: yaml.Node, field_name: str, where: _Where) -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        raise where.error(node, field_name, "expected a list of single words")
    words = []
    for i, item in enumerate(node.value):
        word = _scalar(item, f"{field_name}[{i}]", where)
        if not re.fullmatch(r"[\w'’]+", word):
            raise where.error(item, f"{field_name}[{i}]", f"{word!r} is not a single word")
        words.append(word.lower())
    return words


def _mapping(
    node: yaml.Node, field_name: str, allowed: tuple[str, ...], where: _Where, required: tuple[str, ...] = ()
) -> dict[str, yaml.Node]:
    out: dict[str, yaml.Node] = {}
    for key_node, value in _pairs(node, field_name, where):
        key = key_node.value
        sub = key if field_name == "(top level)" else f"{field_name}.{key}"
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise where.error(key_node, sub, f"unknown field {key!r}; {hint}allowed: {', '.join(allowed)}")
        out[key] = value
    for key in required:
        if key not in out:
            raise where.error(node, field_name, f"missing field {key!r}")
    return out


def _pairs(node: yaml.Node | None, field_name: str, where: _Where) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise where.error(node, field_name, "expected a mapping of 'key: value' lines")
    seen: set[str] = set()
    pairs = []
    for key_node, value in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise where.error(key_node, field_name, "keys must be plain names")
        if key_node.value in seen:
            raise where.error(
                key_node, f"{field_name}.{key_node.value}", "given twice; merge the two entries"
            )
        seen.add(key_node.value)
        pairs.append((key_node, value))
    return pairs


def _scalar(node: yaml.Node, field_name: str, where: _Where) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise where.error(node, field_name, "expected a non-empty text")
    return str(node.value)


def _boolean(node: yaml.Node, field_name: str, where: _Where) -> bool:
    raw = _scalar(node, field_name, where).lower()
    if raw not in ("true", "false"):
        raise where.error(node, field_name, f"{raw!r} is not true or false")
    return raw == "true"
