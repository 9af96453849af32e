"""Read a CSV, JSONL or Parquet file into a frame of *strings*, with where each row came from.

Values stay text so that the validator reports a bad value instead of pandas silently turning
it into NaN; typing happens after validation (features/history/validate.py).
"""

from __future__ import annotations

import csv
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.bounds import HISTORY_FILE_MAX_BYTES
from core.errors import Problem
from features.history.csv_lines import (
    STRAY_QUOTE_HINT,
    TooLarge,
    csv_records,
    first_line_not_utf8,
    open_counted,
)
from features.history.problems import WHERE, add_meta

CSV_SUFFIXES = (".csv", ".csv.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
PARQUET_SUFFIXES = (".parquet", ".pq")
SUFFIXES = CSV_SUFFIXES + JSONL_SUFFIXES + PARQUET_SUFFIXES
CSV_WIDTH_ANY = 2**31  # csv_records' width when only a stray quote is looked for
NESTED_KEY = "events"  # a JSONL ticket may carry its event log under this key
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")  # a UTF-16 byte order mark (Windows' "Unicode"), little or big end


@dataclass
class Table:
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    nested_events: pd.DataFrame | None = None  # events found inside JSONL ticket lines


def file_format(path: Path) -> str | None:
    name = path.name.lower()
    for fmt, suffixes in (("csv", CSV_SUFFIXES), ("jsonl", JSONL_SUFFIXES), ("parquet", PARQUET_SUFFIXES)):
        if name.endswith(suffixes):
            return fmt
    return None


def read_table(path: Path, *, progress: bool = False) -> Table:
    fmt = file_format(path)
    too_large = _too_large(path, fmt)
    if too_large:
        return Table(_empty(), [too_large])
    if fmt == "csv":
        return _read_csv(path, progress)
    if fmt == "jsonl":
        return _read_jsonl(path, progress)
    if fmt == "parquet":
        return _read_parquet(path)
    raise ValueError(f"{path}: unsupported file type; use one of {', '.join(SUFFIXES)}")


def _too_large(path: Path, fmt: str | None) -> Problem | None:
    """A file over HISTORY_FILE_MAX_BYTES, known before reading it: by its size, or a Parquet file's by its
    columns' uncompressed size. A .gz is stopped while it is read (TooLarge)."""
    try:
        if fmt == "parquet":
            meta = pq.ParquetFile(path).metadata
            size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
            said = f"{_size(size)} uncompressed"
        elif not path.name.lower().endswith(".gz"):
            size, said = path.stat().st_size, _size(path.stat().st_size)
        else:
            return None
    except (OSError, ValueError, pa.ArrowException):  # unreadable: the reader says so
        return None
    return _too_large_problem(path, said) if size > HISTORY_FILE_MAX_BYTES else None


def _too_large_problem(path: Path, said: str | None = None) -> Problem:
    """`said`: the size; without it, a .gz stopped at the limit."""
    said = said or f"over {_size(HISTORY_FILE_MAX_BYTES)} uncompressed"
    return Problem(str(path), (
        f"file too large; {said}, at most {HISTORY_FILE_MAX_BYTES / 1024**2:,.0f} MiB are read (loading "
        "takes about ten times a file's size in memory): train on a shorter period, e.g. the newest months, "
        "or split the export by period"))


def _size(size: float) -> str:
    return f"{size / 1024**3:.1f} GiB" if size >= 1024**3 else f"{size / 1024**2:.1f} MiB"


def _read_csv(path: Path, progress: bool) -> Table:
    try:
        return _parse_csv(path, progress)
    except OSError as exc:  # cannot be opened (no read permission, a folder of that name): name the file
        return Table(_empty(), [Problem(str(path), f"unreadable file; {exc}")])


def _parse_csv(path: Path, progress: bool) -> Table:
    file = str(path)
    with open_counted(path, progress, HISTORY_FILE_MAX_BYTES) as handle, \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if handle.peek(2)[:2] in UTF16_MARKS:  # Excel's "Unicode Text": not one bad line, the whole file
            message = "not UTF-8 text; the file is UTF-16: re-export it as UTF-8 (Excel: CSV UTF-8)"
            return Table(_empty(), [Problem(file, message)])
        try:
            frame = pd.read_csv(
                handle, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig",
                on_bad_lines="warn",  # open_counted has already un-gzipped
            )
        except UnicodeDecodeError:
            line = first_line_not_utf8(path)
            message = f"not UTF-8 text; line {line} is the first that is not: re-export the file as UTF-8 " \
                "(Excel: CSV UTF-8)"
            return Table(_empty(), [Problem(file, message)])
        except TooLarge:
            return Table(_empty(), [_too_large_problem(path)])
        except pd.errors.EmptyDataError:
            return Table(_empty(), [Problem(file, "empty file; a CSV needs a header line")])
        except pd.errors.ParserError as exc:
            return Table(_empty(), [Problem(file, f"unreadable CSV; {_unclosed(path) or exc}".strip())])
        except (OSError, EOFError) as exc:  # e.g. a damaged or mislabelled .gz
            return Table(_empty(), [Problem(file, f"unreadable file; {exc}")])
        lines = handle.lines
    separated = _other_separator(frame)
    if separated:  # one column named 'ticket_id;created_at;…': say why once, not every column missing
        message = f"not comma-separated; the header is separated by {separated}: save the file with " \
            "commas as separator"
        return Table(_empty(), [Problem(file, message)])
    repeated = _duplicated_header(frame)
    frame.columns, spaced = _stripped_header(list(frame.columns))  # "ticket_id " is ticket_id
    # No row: which of the two is meant cannot be told, so (like a missing column) no row is usable
    problems = [Problem(file, f"duplicate column; {name!r} appears twice in the header", None, name)
                for name in repeated + spaced]
    if lines == len(frame) + 1 and not caught:
        rows: range | list[int] = range(2, len(frame) + 2)  # one physical line per record
    else:  # quoted line breaks, blank or malformed lines: count like the csv module does
        records = csv_records(path, len(frame.columns))
        rows, malformed = records.starts, records.malformed
        problems += [Problem(file, f"malformed line; {text}", line) for line, text in malformed]
        if records.swallowing and len(rows) == len(frame):  # a stray quote's row: the lines it ran over
            frame = frame.drop(index=records.swallowing).reset_index(drop=True)
            swallowing = set(records.swallowing)
            rows = [row for index, row in enumerate(rows) if index not in swallowing]
        if len(rows) != len(frame):
            rows = range(2, len(frame) + 2)  # should not happen; keep a best guess rather than fail
    return Table(add_meta(frame, file, rows), problems)


def _unclosed(path: Path) -> str | None:
    """Where pandas stops at 'EOF inside string starting at row N' (a record, not a line): the line the
    quote opened, said so that the user can find it."""
    try:
        malformed = csv_records(path, CSV_WIDTH_ANY).malformed  # the quote runs to the end: the last record
    except (csv.Error, UnicodeDecodeError):  # another fault: pandas' own message says it
        return None
    if not malformed or not malformed[-1][1].endswith("never closed"):
        return None
    return f"{malformed[-1][1]}, so the rest of the file would be one value: {STRAY_QUOTE_HINT}"


def _duplicated_header(frame: pd.DataFrame) -> list[str]:
    # pandas renames a repeated header 'x' to 'x.1': report it, the user's file is ambiguous.
    names = set(frame.columns)
    return [name.rsplit(".", 1)[0] for name in frame.columns
            if "." in name and name.rsplit(".", 1)[1].isdigit() and name.rsplit(".", 1)[0] in names]


def _read_jsonl(path: Path, progress: bool) -> Table:
    file, problems = str(path), []
    records: list[dict[str, object]] = []
    lines: list[int] = []
    nested: list[dict[str, object]] = []
    nested_lines: list[int] = []
    try:
        with open_counted(path, progress, HISTORY_FILE_MAX_BYTES) as handle:
            if handle.peek(2)[:2] in UTF16_MARKS:  # what Windows PowerShell 5 writes with `>`
                message = "not UTF-8 text; the file is UTF-16: re-export it as UTF-8"
                return Table(_empty(), [Problem(file, message)])
            for number, raw in enumerate(handle, start=1):
                record = _json_object(raw, number, file)
                if isinstance(record, Problem):
                    problems.append(record)
                    continue
                if record is None:
                    continue
                children = record.pop(NESTED_KEY, None)
                children = [] if children is None else children  # null, like any null, is blank: no events
                if not isinstance(children, list) or not all(isinstance(c, dict) for c in children):
                    message = "malformed line; 'events' must be a list of objects"
                    problems.append(Problem(file, message, number, NESTED_KEY))
                    continue
                for position, child in enumerate(children):
                    nested.append({**child, "__parent__": len(records), WHERE: f"{NESTED_KEY}[{position}]."})
                    nested_lines.append(number)
                records.append(record)
                lines.append(number)
    except TooLarge:  # what was read is dropped: a part of a file would train on a part of the history
        return Table(_empty(), [_too_large_problem(path)])
    except (OSError, EOFError) as exc:  # e.g. a damaged or mislabelled .gz: keep what was read
        problems.append(Problem(file, f"unreadable file; {exc}"))
    table = Table(add_meta(text_frame(records), file, lines), problems)
    if nested:
        table.nested_events = add_meta(text_frame(nested), file, nested_lines)
    return table


def _other_separator(frame: pd.DataFrame) -> str | None:
    """'semicolons' or 'tabs' when the header is one column holding them (European Excel writes ';')."""
    if len(frame.columns) != 1:
        return None
    header = frame.columns[0]
    return next((name for mark, name in ((";", "semicolons"), ("\t", "tabs")) if mark in header), None)


def _stripped_header(names: list[str]) -> tuple[list[str], list[str]]:
    """Names without surrounding spaces, kept distinct as pandas does ('channel' and ' channel' give
    'channel' and 'channel.1'), and the names that were written twice that way."""
    taken: set[str] = set()
    written = {name.strip() for name in names}
    stripped, repeated = [], []
    for name in names:
        clean = name.strip()
        if clean in taken:
            repeated.append(clean)
            clean = next(f"{clean}.{k}" for k in range(1, len(names) + 1)
                         if f"{clean}.{k}" not in taken | written)
        taken.add(clean)
        stripped.append(clean)
    return stripped, repeated


def _json_object(raw: bytes, number: int, file: str) -> dict[str, object] | Problem | None:
    """One JSONL line -> its object, None for a blank line, or the Problem that says why not."""
    try:
        text = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
    except UnicodeDecodeError:
        return Problem(file, "malformed line; not UTF-8 text, re-export as UTF-8", number)
    if not text:
        return None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"malformed line; not JSON: {exc.msg} at column {exc.colno}"
        return Problem(file, message, number, None, text[:80])
    if not isinstance(record, dict):
        return Problem(file, "malformed line; expected a JSON object", number, None, text[:80])
    return record


def _read_parquet(path: Path) -> Table:
    try:
        # nullable dtypes: an INT64 column with nulls (a warehouse's ids) stays whole, not 7.0
        frame = pd.read_parquet(path, dtype_backend="numpy_nullable")
    except (OSError, ValueError, pa.ArrowException) as exc:  # a damaged or non-Parquet file
        return Table(_empty(), [Problem(str(path), f"unreadable Parquet file; {exc}")])
    frame = frame.reset_index(drop=True)
    for name in frame.columns:
        if not isinstance(frame[name].dtype, pd.DatetimeTZDtype) and frame[name].dtype.kind != "M":
            frame[name] = _as_text(frame[name])
    return Table(add_meta(frame, str(path), range(len(frame))), [])


def text_frame(records: list[dict[str, object]]) -> pd.DataFrame:
    # dtype=object: otherwise an id 1001 in a column with gaps becomes the float 1001.0
    frame = pd.DataFrame(records, dtype=object) if records else _empty()
    for name in frame.columns:
        if name != "__parent__":
            frame[name] = _as_text(frame[name])
    return frame


def _as_text(series: pd.Series) -> pd.Series:
    if pd.api.types.infer_dtype(series, skipna=False) != "string":  # only mixed columns pay per value
        series = series.map(_text)
    return series.astype("str")


def _text(value: object) -> str:
    if isinstance(value, np.ndarray):
        value = value.tolist()  # a Parquet list column: one array a row
    elif hasattr(value, "item") and not isinstance(value, str | list | dict):
        value = value.item()  # numpy scalars from Parquet: bool_ is not a bool, int64 not an int
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=_plain)
    return str(value)


def _plain(value: object) -> object:
    """What json.dumps cannot write itself: a Parquet struct's lists (arrays) and numpy scalars."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value.item() if hasattr(value, "item") else str(value)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(index=pd.RangeIndex(0))
