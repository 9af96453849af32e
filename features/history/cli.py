"""`escalation validate-data` and `escalation describe-data`."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import click

from core.errors import DataValidationError, Problem
from core.settings import get_settings
from features.history.history import TicketHistory, load_history
from features.history.invalid import (
    OnInvalid,
    check_report_folder,
    check_report_path,
    summary_lines,
    write_report,
)
from features.history.problems import problem_kind
from features.history.readers import PARQUET_SUFFIXES
from features.history.summary import HistoryFigures, summarize

_PATH = click.Path(exists=True, path_type=Path)
_MAPPING = click.option(
    "--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML column mapping for an export named differently (docs/mapping-example.yaml).",
)

ON_INVALID_OPTION = click.option(
    "--on-invalid", type=click.Choice([mode.value for mode in OnInvalid]), default=OnInvalid.FAIL.value,
    show_default=True,
    help="fail: any invalid row stops; skip: keep every valid row, drop the invalid ones; clamp: as skip, "
         "but move an event stamped before its ticket's creation to that instant and a number to its bound.",
)
INVALID_REPORT_OPTION = click.option(
    "--invalid-report", type=click.Path(dir_okay=False, path_type=Path),
    help="With skip or clamp: the CSV or JSONL report of every dropped or changed row "
         "(default: invalid-rows.csv in the state directory).",
)


def load_checked(path: Path, mapping: Path | None, on_invalid: str, report: Path | None,
                 *, progress: bool = True) -> TicketHistory:
    """load_history for a command: with skip or clamp, print the counts and write the report."""
    state_dir = get_settings().paths.state_dir
    out = report or state_dir / "invalid-rows.csv"
    said = (f"--invalid-report {out}" if report else
            f"ESCALATION_PATHS__STATE_DIR {state_dir}: the invalid rows' report {out}")  # not an option given
    check_report_path(out, said)
    if on_invalid != OnInvalid.FAIL:
        check_report_folder(out, said)
    history = load_history(path, mapping, on_invalid=on_invalid, progress=progress)
    if on_invalid != OnInvalid.FAIL:
        write_report(out, history.problems, history.fixed, said)
        for line in summary_lines(history.problems, history.fixed):
            click.echo(line, err=True)
        click.echo(f"report: {out}", err=True)
    return history


@click.command("validate-data")
@click.argument("path", type=_PATH)
@_MAPPING
@click.option("--max-problems", type=click.IntRange(min=0), default=50, show_default=True,
              help="Print at most this many problems (0: all); the counts per kind always cover all.")
@ON_INVALID_OPTION
@INVALID_REPORT_OPTION
def validate_data(path: Path, mapping: Path | None, max_problems: int, on_invalid: str,
                  invalid_report: Path | None) -> None:
    """Check a ticket history (a directory with tickets and events files, or a tickets file) and report
    every problem with its file, line and column. Exits 1 when there is any problem (with --on-invalid
    skip or clamp: only when a whole file is unusable)."""
    try:
        history = load_checked(path, mapping, on_invalid, invalid_report)
    except DataValidationError as exc:
        click.echo(format_problems(exc.problems, max_problems))
        raise SystemExit(1) from None
    for note in history.notes:
        click.echo(f"note: {note}", err=True)
    figures = summarize(history)
    files = ", ".join((*history.source.tickets_files, *history.source.events_files))
    verdict = "kept" if history.problems or history.fixed else "OK"  # with --on-invalid skip or clamp
    click.echo(f"{verdict}: {figures.tickets:,} tickets, {figures.events:,} events, "
               f"{_day(figures.first)} to {_day(figures.last)} ({files})")


@click.command("describe-data")
@click.argument("path", type=_PATH)
@_MAPPING
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (rates are fractions).")
def describe_data(path: Path, mapping: Path | None, as_json: bool) -> None:
    """Summarise a ticket history: volumes by channel, language, priority and category; escalation rate
    by type and level; reopen and first-contact resolution rates; CSAT. Rows with problems are left out
    (run validate-data to see them)."""
    history = load_history(path, mapping, on_invalid=OnInvalid.SKIP, progress=True)
    if history.problems:
        click.echo(f"warning: {len(history.problems)} problem(s); their rows are left out "
                   f"(run `escalation validate-data {path}` to see them)", err=True)
    figures = summarize(history)
    if as_json:
        click.echo(json.dumps(asdict(figures), indent=2, ensure_ascii=False))
    else:
        click.echo(format_summary(figures, history))


def format_problems(problems: list[Problem], limit: int) -> str:
    shown = problems if limit == 0 else problems[:limit]
    lines: list[str] = []
    current = None
    for problem in shown:
        if problem.file != current:
            current = problem.file
            lines.append(f"{current}:")
        lines.append(f"  {_located(problem)}")
    if len(shown) < len(problems):
        lines.append(f"  … and {len(problems) - len(shown)} more (--max-problems 0 shows all)")
    kinds = Counter((Path(p.file).name, _column(p), problem_kind(p)) for p in problems)
    files = len({p.file for p in problems})
    lines.append(f"{len(problems):,} problem(s) in {files} file(s):")
    lines += [f"  {count:>7,}  {file}{column}: {kind}" for (file, column, kind), count in kinds.most_common()]
    return "\n".join(lines)


def _column(problem: Problem) -> str:
    # events[3].csat -> csat: nested events count together
    return f" [{problem.column.rsplit('.', 1)[-1]}]" if problem.column else ""


def _located(problem: Problem) -> str:
    if problem.row is None:
        where = "file"
    elif problem.file.lower().endswith(PARQUET_SUFFIXES):
        where = f"row {problem.row}"  # Parquet has no lines: 0-based row index
    else:
        where = f"line {problem.row}"
    column = f" [{problem.column}]" if problem.column else ""
    got = f" (got {problem.value!r})" if problem.value is not None else ""
    return f"{where}{column}: {problem.message}{got}"


def format_summary(figures: HistoryFigures, history: TicketHistory) -> str:
    escalation, csat = figures.escalation, figures.csat
    by_type = ", ".join(f"{kind} {_pct(rate)}" for kind, rate in escalation.rate_by_type.items())
    levels = ", ".join(f"L{level}: {count}" for level, count in escalation.tickets_by_max_level.items())
    lines = [
        f"{figures.tickets:,} tickets, {figures.events:,} events, "
        f"{_day(figures.first)} to {_day(figures.last)}",
        *(f"  {name:<9} {_shares(counts, figures.tickets)}" for name, counts in figures.breakdowns.items()),
        f"open at the end      {figures.open_at_end:,}",
        *([f"withdrawn            {figures.withdrawn_tickets:,} (merged, deleted or spam: neither solved "
           "nor open)"] if figures.withdrawn_tickets else []),
        f"escalation rate      {_pct(escalation.rate)} ({escalation.tickets:,} tickets; {by_type})",
        f"  by highest level   {levels or 'none'}",
        f"reopen rate          {_pct(figures.reopen_rate)} of {figures.solved_tickets:,} solved",
        f"first-contact res.   {_pct(figures.first_contact_resolution_rate)} of solved tickets",
        f"CSAT                 mean {'n/a' if csat.mean is None else format(csat.mean, '.2f')} of 5, "
        f"{_pct(csat.share_low)} rated 1-2 ({csat.rated_tickets:,} rated tickets)",
    ]
    lines += [f"note: {note}" for note in history.notes]
    return "\n".join(lines)


def _shares(counts: dict[str, int], total: int, top: int = 6) -> str:
    shown = [f"{key} {count / total:.0%}" for key, count in list(counts.items())[:top]]
    rest = len(counts) - top
    return ", ".join(shown) + (f", +{rest} more" if rest > 0 else "")


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.1%}"


def _day(stamp: str | None) -> str:
    return stamp[:10] if stamp else "n/a"
