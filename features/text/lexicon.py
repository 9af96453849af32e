"""The compiled phrase lexicon: one regex per (language, signal), an index from first words to the signals
that can start there, and per-language negation rules. Built once from the shipped phrase files plus the
team's (`text.signal_phrase_files`), then shared: detection only reads it."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from core.errors import ConfigError
from core.settings import get_settings
from core.text import SignalName
from features.text.phrase_files import Entry, NegationRules, PhraseFile, read_phrase_file
from features.text.phrase_syntax import index_keys, phrase_to_regex

# Negation defaults for a language whose files do not say (a team's new language, say).
_DEFAULT_WINDOW = 3
_DEFAULT_WINDOW_AFTER = 0
_MEMO_SIZE = 100_000


@dataclass(frozen=True, slots=True)
class Negation:
    cue: re.Pattern[str] | None
    window: int
    window_after: int
    scope_breaks: frozenset[str]
    conditionals: frozenset[str]


@dataclass(frozen=True, slots=True)
class Target:
    """What to try at a candidate position: one language's regex for one signal."""

    signal: SignalName
    language: str
    regex: re.Pattern[str]
    negation: Negation | None  # None: this signal ignores negation cues
    # Groups (one per entry, `m.lastgroup`) of entries that spell a cue themselves ("not ... renew*"): a
    # cue inside their match is the phrase; inside any other match ("card was not declined") it negates.
    cue_entries: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class View:
    """The lexicon as seen for one language (or all of them): where each target can start."""

    exact: dict[str, tuple[Target, ...]]
    prefix: dict[str, tuple[Target, ...]]
    prefix_lengths: tuple[int, ...]
    scan: tuple[Target, ...]  # targets with an entry that can start anywhere: searched in the whole text
    # token → targets, filled as tokens are met: customers reuse words, so most look-ups are one dict hit.
    memo: dict[str, tuple[Target, ...]] = field(default_factory=dict)

    def targets_for(self, token: str) -> tuple[Target, ...]:
        """Targets whose phrases can start at the lower-cased `token`."""
        found = self.memo.get(token)
        if found is None:
            found = self.exact.get(token, ())
            for n in self.prefix_lengths:
                if n > len(token):
                    break
                found += self.prefix.get(token[:n], ())
            if len(self.memo) >= _MEMO_SIZE:
                self.memo.clear()  # a crude bound; refilling is cheap
            self.memo[token] = found
        return found


class Lexicon:
    def __init__(self, files: list[PhraseFile]) -> None:
        self.languages = tuple(dict.fromkeys(f.language for f in files))
        self._targets: dict[str, list[tuple[Target, list[Entry]]]] = {}
        for language in self.languages:
            mine = [f for f in files if f.language == language]
            self._targets[language] = _compile_language(mine)
        self._all = _view([t for targets in self._targets.values() for t in targets])
        self._views = {lang: _view(targets) for lang, targets in self._targets.items()}

    def view(self, language: str | None) -> View:
        """The view for `language`; every language's phrases when it is None or one we have no phrases for."""
        if language is None:
            return self._all
        return self._views.get(normalise_language(language), self._all)


def normalise_language(language: str) -> str:
    """'de-AT' → 'de', 'nb'/'nn' (Norwegian Bokmål/Nynorsk) → 'no'."""
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return "no" if code in ("nb", "nn") else code


def shipped_phrase_files() -> list[Path]:
    folder = resources.files("features.text") / "signal_phrases"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, folders as their *.yaml / *.yml files in name order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        else:
            out.append(path)
    return out


def load_lexicon(extra: list[Path] | tuple[Path, ...] = ()) -> Lexicon:
    """The shipped phrases extended by `extra` files or folders (in order); ConfigError names a bad file."""
    files = [read_phrase_file(p) for p in shipped_phrase_files() + expand_paths(list(extra))]
    return Lexicon(files)


@lru_cache(maxsize=4)
def _cached_lexicon(extra: tuple[Path, ...]) -> Lexicon:
    return load_lexicon(extra)


def default_lexicon() -> Lexicon:
    """The lexicon for the current settings, built on first use and kept.

    Tests that change the settings call `get_settings.cache_clear()`."""
    return _cached_lexicon(tuple(get_settings().text.signal_phrase_files))


def _compile_language(files: list[PhraseFile]) -> list[tuple[Target, list[Entry]]]:
    entries: dict[SignalName, list[Entry]] = defaultdict(list)
    negatable: dict[SignalName, bool] = {}
    rules = NegationRules()
    for f in files:  # later files extend earlier ones; a later window or `negatable` wins
        for signal, items in f.signals.items():
            entries[signal] += items
        negatable.update(f.negatable)
        rules.cues += f.negation.cues
        rules.window = f.negation.window if f.negation.window is not None else rules.window
        rules.window_after = (
            f.negation.window_after if f.negation.window_after is not None else rules.window_after
        )
        rules.scope_breaks += f.negation.scope_breaks
        rules.conditionals += f.negation.conditionals
    negation = Negation(
        cue=_alternation(rules.cues)[0] if rules.cues else None,
        window=_DEFAULT_WINDOW if rules.window is None else rules.window,
        window_after=_DEFAULT_WINDOW_AFTER if rules.window_after is None else rules.window_after,
        scope_breaks=frozenset(rules.scope_breaks),
        conditionals=frozenset(rules.conditionals),
    )
    language = files[0].language
    out = []
    for signal, items in entries.items():
        if not items:
            continue
        uses_negation = negatable.get(signal, signal is not SignalName.SHOUTING) and negation.cue is not None
        regex, groups = _alternation(items)
        cue = negation.cue
        own = frozenset(g for g, e in groups.items() if cue is not None and cue.search(e.source))
        target = Target(signal, language, regex, negation if uses_negation else None, own)
        out.append((target, items))
    return out


def _alternation(entries: list[Entry]) -> tuple[re.Pattern[str], dict[str, Entry]]:
    """One regex for all `entries`, each in a named group (`e0`, `e1` …) so a match tells its entry."""
    # Longer entries first: at one position the first alternative that matches wins, and the longer
    # phrase is the more specific evidence ("charged twice this month" over "charged twice").
    sources = [(e, e.source if e.is_regex else phrase_to_regex(e.source)) for e in entries]
    sources.sort(key=lambda pair: -len(pair[1]))
    groups = {f"e{i}": e for i, (e, _) in enumerate(sources)}
    try:
        regex = re.compile("|".join(f"(?P<e{i}>{src})" for i, (_, src) in enumerate(sources)), re.IGNORECASE)
        return regex, groups
    except re.error as exc:  # each entry compiled alone; together they clash (a group name used twice)
        last = [e for e in entries if e.is_regex][-1]  # the newest regex: most likely the culprit
        raise ConfigError(
            f"signal phrase file {last.file}:{last.line}: the regex entries of this list do not combine: "
            f"{exc}; "
            "give every named group a distinct name"
        ) from None


def _view(targets: list[tuple[Target, list[Entry]]]) -> View:
    exact: dict[str, list[Target]] = defaultdict(list)
    prefix: dict[str, list[Target]] = defaultdict(list)
    scan: list[Target] = []
    for target, entries in targets:
        keys = [None if e.is_regex else index_keys(e.source) for e in entries]
        if any(k is None for k in keys):
            scan.append(target)
            continue
        for key in {k for ks in keys if ks for k in ks}:
            bucket = prefix[key.text] if key.is_prefix else exact[key.text]
            if target not in bucket:
                bucket.append(target)
    return View(
        exact={k: tuple(v) for k, v in exact.items()},
        prefix={k: tuple(v) for k, v in prefix.items()},
        prefix_lengths=tuple(sorted({len(k) for k in prefix})),
        scan=tuple(scan),
    )
