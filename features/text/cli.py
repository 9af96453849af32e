"""`escalation analyze-text FILE`: inspect your own messages in bulk, one JSON object per input row."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import click

from core.text import MessageAnalysis
from features.text.analysis import (
    MessageAnalyser,
    MessageIn,
    language_problem,
)
from features.text.lexicon import normalise_language

CSV_FIELD_MAX = 2**31 - 1
CHUNK = 256  # rows per sentiment batch call: big enough to batch well, small enough to stream


@click.command("analyze-text")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
def analyze_text(file: Path, progress: bool | None) -> None:
    """Analyse the messages in a CSV file: language, sentiment and conflict signals.

    FILE is a UTF-8 CSV with a `text` column and an optional `lang` column (ISO code of a language
    the analysis has phrases for: en, de, no; detected when missing or blank). Writes one JSON
    object per input row to stdout, in input order: {"lang": …, "sentiment": {"label": …,
    "scores": {…}}, "signals": [{"name", "evidence", "start", "end"}]} — the shapes the scoring
    API returns. A row with empty text or a `lang` the analysis does not know gives
    {"error": "line N: …"} and the run goes on.

    \b
    Example:
      escalation analyze-text messages.csv > analyses.jsonl
    """
    from tqdm import tqdm

    from features.text.loading import load_analyser

    total = _count_rows(file)
    analyser = load_analyser()
    show = sys.stderr.isatty() if progress is None else progress
    with file.open(encoding="utf-8-sig", newline="") as handle, tqdm(
        total=max(total, 0), unit="msg", disable=not show, file=sys.stderr
    ) as bar:
        for chunk in _chunks(handle, file):
            for result in analyse_rows(chunk, analyser):
                out = {"error": result} if isinstance(result, str) else result.to_dict()
                click.echo(json.dumps(out, ensure_ascii=False))
            bar.update(len(chunk))


def _count_rows(file: Path) -> int:
    """The rows under the header, after checking that every line is UTF-8: a file saved by Excel on
    Windows (cp1252) is refused with its first bad line rather than a UnicodeDecodeError."""
    with file.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise click.UsageError(f"{file}: line {number} is not UTF-8 text; save the file as UTF-8 "
                                       "(Excel: CSV UTF-8)") from None
    # pandas-sized fields: an e-mail thread can pass csv's default of 131,072 characters
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_MAX))
    with file.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            return sum(1 for _ in reader) - 1
        except csv.Error as exc:
            raise click.UsageError(f"{file}: line {reader.line_num} is not valid CSV: {exc}") from None


@dataclass(frozen=True, slots=True)
class TextRow:
    line: int  # where the row is in the input file, for error messages
    text: str
    lang: str | None  # None or blank: detect it


def analyse_rows(rows: Sequence[TextRow], analyser: MessageAnalyser) -> Iterator[MessageAnalysis | str]:
    """One result per row, in order: the analysis, or an error message naming the line."""
    known = [normalise_language(lang) for lang in analyser.lexicon.languages]
    problems = [
        language_problem(r.lang, known) if r.text.strip() else "column 'text' is empty; nothing to analyse"
        for r in rows
    ]
    texts = [r for r, problem in zip(rows, problems, strict=True) if problem is None]
    analyses = iter(analyser.analyse([MessageIn(r.text, r.lang) for r in texts]))
    for row, problem in zip(rows, problems, strict=True):
        yield next(analyses) if problem is None else f"line {row.line}: {problem}"


def _chunks(handle: TextIO, file: Path) -> Iterator[list[TextRow]]:
    reader = csv.DictReader(handle)
    columns = reader.fieldnames or []
    if "text" not in columns:
        found = ", ".join(repr(c) for c in columns) or "no header"
        raise click.UsageError(f"{file}: needs a 'text' column (found {found})")
    chunk: list[TextRow] = []
    for row in reader:
        # reader.line_num is the physical line where this row ended (quoted fields may span lines).
        chunk.append(TextRow(line=reader.line_num, text=row["text"] or "", lang=row.get("lang")))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
