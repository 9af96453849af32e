"""Physical line numbers of CSV records, and a byte-counting file opener with a progress bar.

pandas numbers records, not lines: a quoted field with a line break, a blank line or a skipped
malformed line shifts every later record. Problems must name the line an editor shows.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tqdm import tqdm

PROGRESS_MIN_BYTES = 16_000_000  # about 100k events: below this a bar only flickers
CSV_FIELD_MAX = 2**31 - 1  # pandas reads fields of any length; csv's default stops at 131,072 characters


class CountingReader(io.RawIOBase):
    """Counts line breaks while pandas (or a loop) reads, so a second pass is not needed."""

    def __init__(self, raw: Any, bar: tqdm | None) -> None:
        self._raw, self._bar = raw, bar
        self.newlines, self._last = 0, b"\n"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        if size:
            self.newlines += data.count(b"\n")
            self._last = data[-1:]
            if self._bar is not None:
                self._bar.update(size)
        return size

    @property
    def lines(self) -> int:
        # A last line without a trailing newline is still a line.
        return self.newlines + (0 if self._last == b"\n" else 1)


class _Counted(io.BufferedReader):
    @property
    def lines(self) -> int:
        raw = self.raw
        return raw.lines if isinstance(raw, CountingReader) else 0


@contextmanager
def open_counted(path: Path, progress: bool) -> Iterator[_Counted]:
    """Open a (possibly gzipped) file as bytes; show a bar on stderr for big files when asked."""
    size = path.stat().st_size
    # Only for people watching: in logs (CI, pipes) a bar is a line of carriage returns.
    show = progress and size >= PROGRESS_MIN_BYTES and sys.stderr.isatty()
    gz = path.name.lower().endswith(".gz")
    bar = tqdm(total=None if gz else size, unit="B", unit_scale=True, desc=path.name, leave=False) \
        if show else None
    with gzip.open(path, "rb") if gz else path.open("rb") as raw:
        try:
            yield _Counted(CountingReader(raw, bar), buffer_size=1 << 20)
        finally:
            if bar is not None:
                bar.close()


def csv_line_numbers(path: Path, width: int) -> tuple[list[int], list[tuple[int, str]]]:
    """The first physical line of every record pandas keeps, and the lines it skips as malformed.

    Mirrors pandas' choices: blank lines are skipped, a record with more fields than the header
    is skipped (and reported), a shorter one is kept with blanks.
    """
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    starts: list[int] = []
    malformed: list[tuple[int, str]] = []
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_MAX))  # process-wide; only ever raised
    with opener(path, "rt", encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text)
        next(reader, None)  # header
        end = reader.line_num
        for record in reader:
            start, end = end + 1, reader.line_num
            if not record:
                continue
            if len(record) > width:
                found = f"expected {width} fields, found {len(record)}; the row was skipped"
                malformed.append((start, found))
                continue
            starts.append(start)
    return starts, malformed


def first_line_not_utf8(path: Path) -> int:
    """The first line (1-based) holding bytes that are not UTF-8, e.g. of a file Excel saved as cp1252."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                return number
    return 1  # only asked after a decode error: not reached
