"""The compiled phrase lexicon: one regex per (language, signal), an index from first words to the signals
that can start there, and per-language negation rules. Built once from the shipped phrase files plus the
team's (`text.signal_phrase_files`), then shared: detection only reads it."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from core.errors import ConfigError
from core.settings import get_settings
from core.text import SignalName
from features.text.phrase_files import ContextRules, Entry, NegationRules, PhraseFile, read_phrase_file
from features.text.phrase_syntax import IndexKey, index_keys, phrase_to_regex, spellings

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
    # Whether only a sentence end (. ! ? ; line break) ends a cue's reach, not a comma or colon: context
    # cues reach across commas ("Meine Nachbarin hat gedroht, euch zu verklagen").
    sentence_only: bool = False


@dataclass(frozen=True, slots=True)
class Target:
    """What to try at a candidate position: one language's regex for one signal."""

    signal: SignalName
    language: str
    regex: re.Pattern[str]
    negation: Negation | None  # None: this signal ignores negation cues
    # Context rules for this signal (self-reference, third parties …): a cue in reach drops the match.
    contexts: tuple[Negation, ...] = ()
    # Groups (one per entry, `m.lastgroup`) of entries that spell a cue themselves ("not ... renew*"): a
    # cue inside their match is the phrase; inside any other match ("card was not declined") it negates.
    cue_entries: frozenset[str] = frozenset()
    # Entries a later file took back (`exclude`), kept in a target of their own: still matched, so that
    # their match vetoes the signal (the learned head must not report what the team said these words are
    # not), never reported, and never in the way of a kept phrase matching at the same place.
    excluded: bool = False


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
    def __init__(self, files: list[PhraseFile], fingerprint: str = "") -> None:
        self.fingerprint = fingerprint  # a hash of the files' bytes: names the phrases in analysis versions
        self.languages = tuple(dict.fromkeys(f.language for f in files))
        self._targets: dict[str, list[tuple[Target, list[Entry]]]] = {}
        for language in self.languages:
            mine = [f for f in files if f.language == language]
            self._targets[language] = _compile_language(mine)
        built: dict[tuple[Target, tuple[Entry, ...]], Target] = {}
        self._all = _view([t for targets in self._targets.values() for t in targets], built)
        self._views = {lang: _view(targets, built) for lang, targets in self._targets.items()}

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
    paths = shipped_phrase_files() + expand_paths(list(extra))
    files = [read_phrase_file(p) for p in paths]
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return Lexicon(files, digest.hexdigest()[:16])


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
    contexts: dict[str, ContextRules] = {}
    excluded: set[Entry] = set()
    for f in files:  # later files extend earlier ones; a later window or `negatable` wins
        for signal, taken_back in f.exclude.items():
            excluded |= _excluded(entries[signal], taken_back, signal)
        for signal, items in f.signals.items():
            again = {_entry_key(e) for e in items}  # a phrase taken back and written again counts again
            entries[signal] = [e for e in entries[signal] if e not in excluded or _entry_key(e) not in again]
            entries[signal] += items
        negatable.update(f.negatable)
        for name, ctx in f.context.items():
            _merge_context(contexts.setdefault(name, ContextRules()), ctx)
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
        scope_breaks=_spelled(rules.scope_breaks),
        conditionals=_spelled(rules.conditionals),
    )
    context_for = _context_negations(contexts, negation.scope_breaks)
    language = files[0].language
    out = []
    for signal, items in entries.items():
        uses_negation = negatable.get(signal, signal is not SignalName.SHOUTING) and negation.cue is not None
        # Entries that can start anywhere (regexes, '*…' phrases) get a target of their own: searched in
        # the whole text, they would otherwise drag every indexed phrase of the signal along.
        indexed = [e for e in items if not e.is_regex and index_keys(e.source) is not None]
        for kind in (indexed, [e for e in items if e not in indexed]):
            for gone in (False, True):  # the entries taken back apart: they only veto
                part = [e for e in kind if (e in excluded) is gone]
                if not part:
                    continue
                regex, groups = _alternation(part)
                cue = negation.cue
                own = frozenset(g for g, e in groups.items() if cue is not None and cue.search(e.source))
                context = context_for.get(signal, ())
                negates = negation if uses_negation else None
                target = Target(signal, language, regex, negates, context, own, gone)
                out.append((target, part))
    return out


def _excluded(earlier: list[Entry], taken_back: list[Entry], signal: SignalName) -> set[Entry]:
    """The entries of `earlier` that `taken_back` names (same kind, same words: case and spacing aside);
    ConfigError for a name that matches none, with the closest phrases of that signal."""
    by_key: dict[tuple[bool, str], list[Entry]] = defaultdict(list)
    for entry in earlier:
        by_key[_entry_key(entry)].append(entry)
    found: set[Entry] = set()
    for entry in taken_back:
        is_regex, words = _entry_key(entry)
        matching = by_key.get((is_regex, words))
        if not matching:
            known = [k[1] for k in by_key if k[0] == is_regex]
            close = difflib.get_close_matches(words, known, n=3, cutoff=0.6)
            hint = f"closest: {', '.join(repr(c) for c in close)}" if close else "none is close"
            kind = "regex" if is_regex else "phrase"
            raise ConfigError(
                f"signal phrase file {entry.file}:{entry.line}: exclude.{signal.value}: {entry.source!r} is "
                f"not a {kind} of {signal.value} in an earlier file of this language; write it as written "
                f"there ({hint})"
            )
        found.update(matching)
    return found


def _entry_key(entry: Entry) -> tuple[bool, str]:
    """What makes two entries the same: their kind and words (a phrase's case and spacing aside)."""
    words = " ".join(entry.source.split())
    return entry.is_regex, words if entry.is_regex else words.lower()


def _merge_context(into: ContextRules, later: ContextRules) -> None:
    into.signals += [s for s in later.signals if s not in into.signals]
    into.cues += later.cues
    into.window = later.window if later.window is not None else into.window
    into.window_after = later.window_after if later.window_after is not None else into.window_after


def _spelled(words: list[str]) -> frozenset[str]:
    """The words, lower-cased, in every spelling a customer may use ("så", "saa"; "während", "waehrend")."""
    return frozenset(s for word in words for s in spellings(word.lower()))


def _context_negations(
    contexts: dict[str, ContextRules], scope_breaks: frozenset[str]
) -> dict[SignalName, tuple[Negation, ...]]:
    """Each context rule as a Negation (same reach logic, its own cues, no conditionals), by signal."""
    out: dict[SignalName, tuple[Negation, ...]] = {}
    for rules in contexts.values():
        if not rules.cues:
            continue
        compiled = Negation(
            cue=_alternation(rules.cues)[0],
            window=_DEFAULT_WINDOW if rules.window is None else rules.window,
            window_after=_DEFAULT_WINDOW_AFTER if rules.window_after is None else rules.window_after,
            scope_breaks=scope_breaks,
            conditionals=frozenset(),
            sentence_only=True,
        )
        for signal in rules.signals:
            out[signal] = (*out.get(signal, ()), compiled)
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


def _view(
    targets: list[tuple[Target, list[Entry]]], built: dict[tuple[Target, tuple[Entry, ...]], Target]
) -> View:
    """Index each target by the first words of its phrases. At one first word only the phrases that can
    start there are tried: a target is split into one regex per set of such phrases (shared through
    `built` between views), so a common first word ("the", "in") costs its few phrases, not the list."""
    exact: dict[str, list[Target]] = defaultdict(list)
    prefix: dict[str, list[Target]] = defaultdict(list)
    scan: list[Target] = []
    for target, entries in targets:
        keys = [None if e.is_regex else index_keys(e.source) for e in entries]
        if any(k is None for k in keys):
            scan.append(target)
            continue
        by_key: dict[IndexKey, list[Entry]] = defaultdict(list)
        for entry, entry_keys in zip(entries, keys, strict=True):
            for key in entry_keys or ():
                by_key[key].append(entry)
        for key, mine in by_key.items():
            part = built.get((target, tuple(mine)))
            if part is None:
                part = built[(target, tuple(mine))] = _part(target, mine)
            bucket = prefix[key.text] if key.is_prefix else exact[key.text]
            if part not in bucket:
                bucket.append(part)
    return View(
        exact={k: tuple(v) for k, v in exact.items()},
        prefix={k: tuple(v) for k, v in prefix.items()},
        prefix_lengths=tuple(sorted({len(k) for k in prefix})),
        scan=tuple(scan),
    )


def _part(target: Target, entries: list[Entry]) -> Target:
    """`target` narrowed to `entries`."""
    regex, groups = _alternation(entries)
    cue = target.negation.cue if target.negation is not None else None
    own = frozenset(g for g, e in groups.items() if cue is not None and cue.search(e.source))
    return replace(target, regex=regex, cue_entries=own)
