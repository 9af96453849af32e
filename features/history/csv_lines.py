"""Physical line numbers of CSV records, and a byte-counting file opener with a progress bar.

pandas numbers records, not lines: a quoted field with a line break, a blank line or a skipped
malformed line shifts every later record. Problems must name the line an editor shows.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

PROGRESS_MIN_BYTES = 16_000_000  # about 100k events: below this a bar only flickers
CSV_FIELD_MAX = 2**31 - 1  # pandas reads fields of any length; csv's default stops at 131,072 characters


class TooLarge(Exception):
    """A file read through open_counted went past its byte limit (a .gz, whose size shows only once read)."""


class CountingReader(io.RawIOBase):
    """Counts line breaks while pandas (or a loop) reads, so a second pass is not needed; raises TooLarge
    past `limit` bytes, before they are all in memory."""

    def __init__(self, raw: Any, bar: tqdm | None, limit: int | None = None) -> None:
        self._raw, self._bar, self._limit = raw, bar, limit
        self.newlines, self._last, self._read = 0, b"\n", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        if size:
            self._read += size
            if self._limit is not None and self._read > self._limit:
                raise TooLarge(self._limit)
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
def open_counted(path: Path, progress: bool, limit: int | None = None) -> Iterator[_Counted]:
    """Open a (possibly gzipped) file as bytes; show a bar on stderr for big files when asked. Reading more
    than `limit` bytes (uncompressed) raises TooLarge."""
    size = path.stat().st_size
    # Only for people watching: in logs (CI, pipes) a bar is a line of carriage returns.
    show = progress and size >= PROGRESS_MIN_BYTES and sys.stderr.isatty()
    gz = path.name.lower().endswith(".gz")
    bar = tqdm(total=None if gz else size, unit="B", unit_scale=True, desc=path.name, leave=False) \
        if show else None
    with gzip.open(path, "rb") if gz else path.open("rb") as raw:
        try:
            yield _Counted(CountingReader(raw, bar, limit), buffer_size=1 << 20)
        finally:
            if bar is not None:
                bar.close()


def csv_line_numbers(path: Path, width: int) -> tuple[list[int], list[tuple[int, str]]]:
    """The first physical line of every record pandas keeps, and the lines it skips as malformed."""
    records = csv_records(path, width)
    return records.starts, records.malformed


@dataclass
class Records:
    starts: list[int] = field(default_factory=list)  # first line of every record pandas keeps
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (line, why) of rows not kept
    swallowing: list[int] = field(default_factory=list)  # indexes in `starts` of rows a stray quote ran on


# A value in quotes where a field starts (line start or after a comma), "" inside it a quote; possessive, as
# the csv module reads it: '"a"",b' is a quote and more of the value, never the value 'a' then junk.
_QUOTED = re.compile(r'(?<![^,\r\n])"(?:[^"]|"")*+("|\Z)')
STRAY_QUOTE_HINT = 'double a quote inside a value ("") or close the value'


def csv_records(path: Path, width: int) -> Records:
    """Mirrors pandas' choices: blank lines are skipped, a record with more fields than the header
    is skipped (and reported), a shorter one is kept with blanks. A record over several lines whose
    quoted value ends in a quote followed by text, not a comma, is a stray quote that ran on over the
    following rows (well-formed CSV never has it): reported at the line it opened, and not kept."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    records = Records()
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_MAX))  # process-wide; only ever raised
    with opener(path, "rt", encoding="utf-8-sig", newline="") as text:
        read: list[str] = []
        reader = csv.reader(_kept(text, read))
        next(reader, None)  # header
        end = reader.line_num
        for record in reader:
            start, end = end + 1, reader.line_num
            lines = "".join(read) if end > start else ""
            read.clear()
            if not record:
                continue
            if len(record) > width:
                found = f"expected {width} fields, found {len(record)}; the row was skipped"
                records.malformed.append((start, found))
                continue
            stray = stray_quote(lines, start) if lines else None
            if stray is not None:
                records.swallowing.append(len(records.starts))
                records.malformed.append(stray)
            records.starts.append(start)
    return records


def _kept(lines: Iterable[str], read: list[str]) -> Iterator[str]:
    """The lines, each also put in `read`: the text of the record the csv reader is reading."""
    for line in lines:
        read.append(line)
        yield line


def stray_quote(text: str, first: int) -> tuple[int, str] | None:
    """(line, why) of a quoted value in `text` (a record from line `first`) that spans a line break and
    ends in a quote not followed by a comma or the line's end; None when there is none."""
    for match in _QUOTED.finditer(text):
        spans = "\n" in match.group() or "\r" in match.group()
        after = text[match.end():match.end() + 1]
        if not spans or (match.group(1) and after in ("", ",", "\r", "\n")):
            continue
        opened = first + text.count("\n", 0, match.start())
        if not match.group(1):
            return opened, f"the quoted value opened on line {opened} is never closed"
        closed = first + text.count("\n", 0, match.end())
        return opened, (f"the quoted value opened on line {opened} runs to line {closed}, where its "
                        f"closing quote is followed by {after!r}, not a comma: lines {opened} to {closed} "
                        f"were read as one row and skipped; {STRAY_QUOTE_HINT}")
    return None


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
