"""Parquet output for large benchmark histories: typed columns (UTC timestamps, small ints), written in
row groups so that memory stays bounded however many events there are."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from synthetic.output import EVENT_COLUMNS, PARQUET_BATCH, TICKET_COLUMNS

_TS = pa.timestamp("s", tz="UTC")
TICKET_SCHEMA = pa.schema(
    [
        (
            c,
            _TS
            if c == "created_at"
            else pa.float64()
            if c == "customer_value"
            else pa.bool_()
            if c in ("sla_breached", "bad_csat")
            else pa.string(),
        )
        for c in TICKET_COLUMNS
    ]
)
EVENT_SCHEMA = pa.schema(
    [(c, _TS if c == "at" else pa.int8() if c in ("level", "csat") else pa.string()) for c in EVENT_COLUMNS]
)


def _table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    return pa.table(
        {f.name: pa.array([r.get(f.name) for r in rows], type=f.type) for f in schema}, schema=schema
    )


def write_parquet(
    history: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]], out: Path
) -> dict[str, int]:
    names = {"tickets": out / "tickets.parquet", "events": out / "events.parquet"}
    tmp = {k: p.with_name(p.name + ".tmp") for k, p in names.items()}
    counts = {"tickets": 0, "events": 0}
    tickets: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    with (
        pq.ParquetWriter(tmp["tickets"], TICKET_SCHEMA, compression="zstd") as tw,
        pq.ParquetWriter(tmp["events"], EVENT_SCHEMA, compression="zstd") as ew,
    ):
        for row, evs in history:
            tickets.append(row)
            events.extend(evs)
            if len(events) >= PARQUET_BATCH:
                tw.write_table(_table(tickets, TICKET_SCHEMA))
                ew.write_table(_table(events, EVENT_SCHEMA))
                counts["tickets"] += len(tickets)
                counts["events"] += len(events)
                tickets, events = [], []
        if tickets:
            tw.write_table(_table(tickets, TICKET_SCHEMA))
            ew.write_table(_table(events, EVENT_SCHEMA))
            counts["tickets"] += len(tickets)
            counts["events"] += len(events)
    for k in names:
        os.replace(tmp[k], names[k])
    return counts
