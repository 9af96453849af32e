"""`escalation generate-sample`: make a seeded synthetic ticket history (the committed sample or a large
benchmark history)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from core.options import SEED
from synthetic.output import FORMATS

# A million tickets (~12 M events, ~6 minutes, ~400 MB of Parquet) is past any benchmark here; unbounded, a
# few zeros too many ran for days, filling the disk, before anything said so. Event ids keep 8 digits.
COUNT_MAX = 1_000_000
_DEFAULTS = {"tickets": 3000, "seed": 20261030, "start": "2026-05-01", "end": "2026-10-30"}


@click.command("generate-sample")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write into (created if missing), e.g. data/sample.",
)
@click.option(
    "--tickets",
    type=click.IntRange(1, COUNT_MAX),
    default=_DEFAULTS["tickets"],
    show_default=True,
    help=f"Number of tickets, at most {COUNT_MAX:,}; about 7 events each (150000 → ~1M events).",
)
@click.option(
    "--customers",
    type=click.IntRange(1, COUNT_MAX),
    default=None,
    help=f"Number of customers, at most {COUNT_MAX:,}  [default: 2 per 5 tickets]",
)
@click.option(
    "--seed",
    type=SEED,
    default=_DEFAULTS["seed"],
    show_default=True,
    help="Random seed: the same seed and options give byte-identical files.",
)
@click.option(
    "--start",
    type=click.DateTime(["%Y-%m-%d"]),
    default=_DEFAULTS["start"],
    show_default=True,
    help="First day tickets arrive (UTC).",
)
@click.option(
    "--end",
    type=click.DateTime(["%Y-%m-%d"]),
    default=_DEFAULTS["end"],
    show_default=True,
    help="Day the history ends, at 16:00 UTC; tickets still open then stay open.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="jsonl",
    show_default=True,
    help="jsonl: tickets.csv + events.jsonl (the sample); csv: tickets.csv + events.csv; "
    "parquet: tickets.parquet + events.parquet (large runs).",
)
@click.option(
    "--gzip/--no-gzip",
    "gzip_events",
    default=False,
    show_default=True,
    help="Compress the events file (events.jsonl.gz / events.csv.gz), as the committed sample is.",
)
@click.option("--progress/--no-progress", default=True, show_default=True, help="Progress bar on stderr.")
def generate_sample(
    out: Path,
    tickets: int,
    customers: int | None,
    seed: int,
    start: dt.datetime,
    end: dt.datetime,
    fmt: str,
    gzip_events: bool,
    progress: bool,
) -> None:
    """Generate a synthetic helpdesk history of the fictional company Nimbus.

    Customers write in English, German and Norwegian over email, web, phone, chat, Twitter and
    Facebook; agents reply, ask, reassign, solve; tickets reopen, wait, get rated — and some escalate
    (hierarchical, functional, automatic) for noisy, learnable reasons. The generating story and
    what the sample does not show: data/sample/README.md.

    \b
    Examples:
      escalation generate-sample --out data/sample --gzip
      escalation generate-sample --out /tmp/big --tickets 150000 --format parquet
    """
    from synthetic.generate import GenerationConfig, generate
    from synthetic.output import write_history
    from synthetic.phrases import BANKS

    if end.date() <= start.date():
        raise click.BadParameter(
            f"--end {end:%Y-%m-%d} must be after --start {start:%Y-%m-%d}", param_hint="--end"
        )
    config = GenerationConfig(
        tickets=tickets, customers=customers, seed=seed, start=start.date(), end=end.date()
    )
    began = time.perf_counter()
    counts = write_history(generate(config, BANKS, progress=progress), out, fmt, gzip_events=gzip_events)
    took = time.perf_counter() - began
    click.echo(
        f"wrote {counts['tickets']:,} tickets and {counts['events']:,} events to {out} "
        f"({fmt}) in {took:.1f} s"
    )
