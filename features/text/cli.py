"""`escalation analyze-text FILE`: inspect your own messages in bulk, one JSON object per input row."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click

from features.text.analyze import TextRow, analyze_rows

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

    FILE is a UTF-8 CSV with a `text` column and an optional `lang` column (ISO code; detected
    when missing or blank). Writes one JSON object per input row to stdout, in input order:
    {"lang": …, "sentiment": {"label": …, "scores": {…}}, "signals": [{"name", "evidence",
    "start", "end"}]} — the shapes the scoring API returns. A row with empty text gives
    {"error": "line N: …"} and the run goes on.

    \b
    Example:
      escalation analyze-text messages.csv > analyses.jsonl
    """
    from tqdm import tqdm

    from features.sentiment import load_sentiment_model

    with file.open(encoding="utf-8-sig", newline="") as handle:
        total = sum(1 for _ in csv.reader(handle)) - 1
    model = load_sentiment_model()
    show = sys.stderr.isatty() if progress is None else progress
    with file.open(encoding="utf-8-sig", newline="") as handle, tqdm(
        total=max(total, 0), unit="msg", disable=not show, file=sys.stderr
    ) as bar:
        for chunk in _chunks(handle, file):
            for result in analyze_rows(chunk, model.predict):
                out = {"error": result} if isinstance(result, str) else result.to_dict()
                click.echo(json.dumps(out, ensure_ascii=False))
            bar.update(len(chunk))


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
