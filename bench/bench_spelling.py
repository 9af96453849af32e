"""How the analysis holds when customers spell out ä ö ü ß æ ø å (a keyboard without them, Swiss German's ss):
each labelled message with such a letter is analysed as written and as spelled out ("kündige" → "kuendige",
"fått" → "faatt"), and the two are compared — the baseline is the same messages as written, in the same run.

    .venv/bin/python bench/bench_spelling.py split/de_railway_posts.train.csv split/no_written.train.csv \
        [--full]

Per language it prints the messages with such a letter, the share whose signals are the same when spelled out,
the share of the signals found as written that are still found, and — where the file has labels — the
macro-F1 as written and spelled out (`evaluate-text`'s rule: signals with at least 5 cases). The phrase files
alone by default; `--full` also runs the whole configured analysis (encoder and heads: slower). Files are
labelled CSVs as `evaluate-text` reads them. Not run by `make bench` (it needs labelled data)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

from core.settings import get_settings
from core.text import MessageAnalysis
from features.text.analysis import MessageAnalyser, MessageIn
from features.text.lexicon import load_lexicon
from features.text.phrase_syntax import SPELLED_OUT
from training.signals.data import read_messages
from training.signals.evaluate import text_metrics

# Each letter as a keyboard without it spells it (SPELLED_OUT: "kündige" → "kuendige"), in its word's case
# ("Über" → "Ueber", "ÖPNV" → "OEPNV").
_WORD = re.compile(r"\w+")


def spell_out(text: str) -> str:
    return _WORD.sub(lambda m: _spell_word(m.group()), text)


def _spell_word(word: str) -> str:
    shouted = word.isupper() and len(word) > 1
    out = []
    for ch in word:
        spelled = SPELLED_OUT.get(ch.lower())
        if spelled is None:
            out.append(ch)
        elif ch.islower():
            out.append(spelled)
        else:
            out.append(spelled.upper() if shouted else spelled.capitalize())
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", type=Path, nargs="+", help="labelled CSVs (text[,lang] and signal columns)")
    parser.add_argument("--full", action="store_true", help="also the whole configured analysis")
    args = parser.parse_args()
    frame = read_messages(args.files)
    frame = frame[frame.text.map(lambda t: spell_out(t) != t)].reset_index(drop=True)
    spelled = frame.assign(text=frame.text.map(spell_out))
    analysers = {"phrases only": MessageAnalyser(load_lexicon(list(get_settings().text.signal_phrase_files)))}
    if args.full:
        from features.text.loading import load_analyser

        analysers["analysis"] = load_analyser(get_settings())
    print(f"{len(frame):,} messages with ä ö ü ß æ ø å in {', '.join(p.name for p in args.files)}")
    print("| analysis | lang | messages | same signals | signals kept | macro-F1 as written | spelled out |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, analyser in analysers.items():
        written, out = _analyse(analyser, frame), _analyse(analyser, spelled)
        langs = pd.Series([a.lang for a in written])
        for lang in sorted(langs.unique()):
            rows = (langs == lang).to_numpy()
            pairs = [(w, o) for w, o, keep in zip(written, out, rows, strict=True) if keep]
            before = [{s.name for s in w.signals} for w, _ in pairs]
            after = [{s.name for s in o.signals} for _, o in pairs]
            same = sum(b == a for b, a in zip(before, after, strict=True)) / len(pairs)
            found = sum(len(b) for b in before)
            kept = sum(len(b & a) for b, a in zip(before, after, strict=True)) / found if found else None
            f1 = [_macro(f[rows], [a for a, keep in zip(got, rows, strict=True) if keep], lang)
                  for f, got in ((frame, written), (spelled, out))]
            cells = [f"{same:.1%}", "–" if kept is None else f"{kept:.1%}", *f1]
            print(f"| {name} | {lang} | {len(pairs):,} | {' | '.join(cells)} |")


def _analyse(analyser: MessageAnalyser, frame: pd.DataFrame) -> list[MessageAnalysis]:
    messages = [MessageIn(t, lang or None) for t, lang in zip(frame.text, frame.lang, strict=True)]
    return [a for i in range(0, len(messages), 64) for a in analyser.analyse(messages[i : i + 64])]


def _macro(frame: pd.DataFrame, analyses: list[MessageAnalysis], lang: str) -> str:
    macro = text_metrics(frame.reset_index(drop=True), analyses)[lang]["signals_macro_f1"]
    return "–" if macro is None else f"{macro:.3f}"


if __name__ == "__main__":
    main()
