"""Writing a generated history: tickets.csv + events.jsonl (the sample), or CSV / Parquet pairs for large
runs. Byte-identical for the same input: fixed column orders, fixed number formats, UTC timestamps,
and files appear only when complete (written under a temporary name, then renamed)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

TICKET_COLUMNS = (
    "ticket_id",
    "created_at",
    "channel",
    "priority",
    "customer_id",
    "customer_tier",
    "customer_value",
    "product",
    "category",
    "team",
    "language",
    "subject",
    "assignee",
    "sla_breached",
    "bad_csat",
    "region",
)
EVENT_COLUMNS = (
    "event_id",
    "ticket_id",
    "at",
    "type",
    "author_role",
    "author_id",
    "body",
    "status",
    "priority",
    "assignee",
    "team",
    "level",
    "escalation_type",
    "reason",
    "csat",
)
FORMATS = ("jsonl", "csv", "parquet")
PARQUET_BATCH = 100_000  # events per row group: bounded memory for 1M+ event histories


def iso(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def ticket_record(row: dict[str, Any]) -> list[str]:
    out = []
    for col in TICKET_COLUMNS:
        v = row[col]
        if col == "created_at":
            out.append(iso(v))
        elif isinstance(v, bool):
            out.append("true" if v else "false")
        elif isinstance(v, float):
            out.append(f"{v:.2f}")
        else:
            out.append("" if v is None else str(v))
    return out


def event_record(event: dict[str, Any]) -> dict[str, Any]:
    """Fields in EVENT_COLUMNS order, nulls left out."""
    return {c: (iso(event[c]) if c == "at" else event[c]) for c in EVENT_COLUMNS if event.get(c) is not None}


def write_history(
    history: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]],
    out: Path,
    fmt: str = "jsonl",
    *,
    gzip_events: bool = False,
) -> dict[str, int]:
    """Write (ticket row, events with ids) pairs under `out`; returns counts of tickets and events.

    `gzip_events` compresses the events file (`events.jsonl.gz`): the committed sample stays a few MB
    and the loader reads it as it is."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        from synthetic.parquet import write_parquet  # pyarrow only when asked for

        return write_parquet(history, out)
    names = {
        "tickets": out / "tickets.csv",
        "events": out / ("events.jsonl" if fmt == "jsonl" else "events.csv"),
    }
    if gzip_events:
        names["events"] = names["events"].with_name(names["events"].name + ".gz")
    tmp = {k: p.with_name(p.name + ".tmp") for k, p in names.items()}
    counts = {"tickets": 0, "events": 0}
    with (
        open(tmp["tickets"], "w", encoding="utf-8", newline="") as tf,
        _open_text(tmp["events"], gzip_events) as ef,
    ):
        tickets = csv.writer(tf, lineterminator="\n")
        tickets.writerow(TICKET_COLUMNS)
        events = csv.writer(ef, lineterminator="\n") if fmt == "csv" else None
        if events is not None:
            events.writerow(EVENT_COLUMNS)
        for row, evs in history:
            tickets.writerow(ticket_record(row))
            counts["tickets"] += 1
            counts["events"] += len(evs)
            for e in evs:
                rec = event_record(e)
                if events is None:
                    ef.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
                else:
                    events.writerow(["" if rec.get(c) is None else rec[c] for c in EVENT_COLUMNS])
    for k in names:
        os.replace(tmp[k], names[k])
    return counts


@contextmanager
def _open_text(path: Path, compress: bool) -> Iterator[IO[str]]:
    if not compress:
        with open(path, "w", encoding="utf-8", newline="") as plain:
            yield plain
        return
    # mtime=0 and no file name in the header: the same history gives the same bytes.
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed,
        io.TextIOWrapper(packed, encoding="utf-8", newline="") as text,
    ):
        yield text
