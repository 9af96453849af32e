"""Validate the tickets and events frames: every column, per-type fields, duplicates, cross-file rules.

Returns typed frames (still carrying where each row came from), a bad-row mask per frame and
every problem found. Nothing stops at the first problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core.bounds import EXTRA_TEXT_MAX, EXTRA_VALUES, NAME_MAX, text_bound
from core.enums import ONE_OF_EVENT_FIELDS, REQUIRED_EVENT_FIELDS
from core.errors import Problem
from features.history.checks import blank, check_column, cut, out_of_bounds
from features.history.invalid import Fix
from features.history.mapping import FileMapping
from features.history.problems import FILE, META, ROW, row_problems
from features.history.schema import COLUMNS, FileKind

EXTRA_TEXT = text_bound(EXTRA_TEXT_MAX)  # core.bounds.extras_problem's bound of a text in extra fields
EXTRA_NAME = text_bound(NAME_MAX, 1)  # ... and of an extra field's name


@dataclass
class Checked:
    frame: pd.DataFrame  # typed contract columns + extra columns (still text) + meta columns
    bad: pd.Series  # bool per row
    problems: list[Problem]
    fixes: list[Fix] = field(default_factory=list)  # clamp: values changed, rows kept


def check_frame(frame: pd.DataFrame, kind: FileKind, fm: FileMapping, *, clamp: bool = False) -> Checked:
    shown = {column.name: fm.columns.get(column.name, column.name) for column in COLUMNS[kind]}
    typed = frame.copy()
    bad = pd.Series(False, index=frame.index)
    problems: list[Problem] = []
    fixes: list[Fix] = []
    if kind == "events" and "type" in frame.columns:
        _ignore_unused_fields(frame)
    for column in COLUMNS[kind]:
        if column.name not in frame.columns:
            if column.required:  # reported once for the file by missing_columns
                typed[column.name] = pd.NA
                continue
            frame[column.name] = typed[column.name] = ""
        checked = check_column(frame, column, shown[column.name], timezone=fm.timezone,
                               fmt=fm.timestamp_format, clamp=clamp)
        typed[column.name] = checked.values
        bad |= checked.bad
        problems += checked.problems
        fixes += checked.fixes
    extras = [name for name in frame.columns
              if name not in shown and name not in META and name != "__parent__"]
    for name in extras:  # extra columns travel as the models' extra fields: within their bounds too
        if frame[name].dtype == "str":
            outside, why = out_of_bounds(frame[name], blank(frame[name]), EXTRA_TEXT, name)
            problems += row_problems(frame, outside, why, name, cut(frame[name]))
            bad |= outside
    problems += _extras_problems(frame, extras, bad)
    if kind == "events" and "type" in frame.columns:
        for mask, message, where in _type_fields(frame, typed, shown):
            problems += row_problems(frame, mask, message, where)
            bad |= mask
    id_column = "ticket_id" if kind == "tickets" else "event_id"
    duplicated = _duplicates(typed, id_column)
    problems += row_problems(frame, duplicated.notna(), duplicated, shown[id_column], frame.get(id_column))
    bad |= duplicated.notna()
    return Checked(typed, bad, problems, fixes)


def _extras_problems(frame: pd.DataFrame, extras: list[str], bad: pd.Series) -> list[Problem]:
    """What core.bounds.extras_problem would refuse when the rows are built into tickets and events (train):
    a name out of bounds, of a column holding a value (a blank cell is no extra field), is a problem of the
    file, as a header is; more than EXTRA_VALUES values in one row is a problem of that row (`bad`, in place).
    """
    problems: list[Problem] = []
    filled = pd.DataFrame({name: ~blank(frame[name]) for name in extras}, index=frame.index)
    for name in extras:
        why = EXTRA_NAME.check(name) if filled[name].any() else None
        if why is not None:
            kind = "extra column name too long" if len(name) > NAME_MAX else "bad extra column name"
            message = f"{kind}; {why}: rename it in the file, or leave the column out"
            problems += [Problem(file, message, None, name[:40])
                         for file in dict.fromkeys(frame.loc[filled[name], FILE])]
    counts = filled.sum(axis=1) if extras else pd.Series(0, index=frame.index)
    many = counts.gt(EXTRA_VALUES)
    if many.any():
        said = pd.Series("", index=frame.index, dtype="object")  # each row's own count
        said[many] = ("too many extra values; " + counts[many].astype(str) + " extra columns hold a "
                      f"value in this row, at most {EXTRA_VALUES} are accepted: leave out the columns you "
                      "do not need")
        problems += row_problems(frame, many, said, None)
        bad |= many
    return problems


def _ignore_unused_fields(frame: pd.DataFrame) -> None:
    """Blank a type-specific field on the rows of other types, in place: exports often carry the current
    status or priority on every row (or one value column for all types), which says nothing about a
    message and must not fail its check."""
    types = frame["type"].str.strip().str.lower()
    for column in COLUMNS["events"]:
        if column.used_by and column.name in frame.columns and frame[column.name].dtype == "str":
            frame[column.name] = frame[column.name].where(types.isin(column.used_by), "")


def _type_fields(
    frame: pd.DataFrame, typed: pd.DataFrame, shown: dict[str, str]
) -> list[tuple[pd.Series, str, str]]:
    """Fields each event type must carry (core.enums: the table the pydantic Event reads too)."""
    found = []
    for event_type, fields in REQUIRED_EVENT_FIELDS.items():
        of_type = typed["type"] == event_type.value
        if not of_type.any():
            continue
        for name in fields:
            message = f"missing field for event type; {_a(event_type.value)} event needs {name}"
            found.append((of_type & blank(frame[name]), message, shown[name]))
        one_of = ONE_OF_EVENT_FIELDS.get(event_type, ())
        if one_of:
            none = of_type & pd.concat([blank(frame[name]) for name in one_of], axis=1).all(axis=1)
            found.append((none, f"missing field for event type; {_a(event_type.value)} event needs "
                          f"{' or '.join(one_of)}", "/".join(shown[name] for name in one_of)))
    return found


def _duplicates(typed: pd.DataFrame, id_column: str) -> pd.Series:
    """Per row: NA, or the message naming where the id was first seen."""
    ids = typed[id_column]
    repeat = ids.notna() & ids.duplicated(keep="first")
    message = pd.Series(pd.NA, index=typed.index, dtype="object")
    if repeat.any():
        first = typed.loc[ids.notna() & ~ids.duplicated(keep="first"), [id_column, FILE, ROW]]
        where = first[FILE] + ":" + first[ROW].astype(str)
        seen = ids[repeat].map(pd.Series(where.to_numpy(), index=first[id_column].to_numpy()))
        message[repeat] = f"duplicate {id_column}; first seen at " + seen
    return message


def check_links(tickets: Checked, events: Checked, shown: dict[str, str], *, clamp: bool = False) -> None:
    """Events must belong to a known ticket and not happen before it was created; with `clamp` an early
    event moves to its ticket's creation instant (a clock skew between systems, not a wrong event)."""
    ids = tickets.frame["ticket_id"]
    first = tickets.frame.loc[ids.notna() & ~ids.duplicated(keep="first")]
    created = pd.Series(first["created_at"].array, index=first["ticket_id"].to_numpy())  # keeps the tz
    frame, event_ticket = events.frame, events.frame["ticket_id"]
    unknown = event_ticket.notna() & ~event_ticket.isin(created.index)
    files = ", ".join(sorted(set(tickets.frame[FILE]))) or "the tickets file"
    events.problems += row_problems(frame, unknown, f"unknown ticket; no ticket with this id in {files}",
                                    shown["ticket_id"], frame["ticket_id"])
    # reindex, not map: map on an empty (no tickets) datetime Series fails to cast its NaNs
    opened = pd.Series(created.reindex(event_ticket.to_numpy()).array, index=frame.index)
    early = frame["at"].notna() & opened.notna() & (frame["at"] < opened)
    if early.any():
        message = pd.Series("", index=frame.index, dtype="object")
        message[early] = "event before ticket creation; the ticket was created at " + opened[early].map(_iso)
        shown_at = frame["at"].map(_iso, na_action="ignore")
        found = row_problems(frame, early, message, shown["at"], shown_at)
        if clamp:
            events.fixes += [Fix(problem, _iso(at)) for problem, at in zip(found, opened[early], strict=True)]
            frame.loc[early, "at"] = opened[early]
        else:
            events.problems += found
            events.bad |= early
    events.bad |= unknown


def drop_orphans(tickets: Checked, events: Checked) -> list[Problem]:
    """strict=False: events of a dropped ticket go too, each reported, so nothing vanishes silently."""
    good_ids = tickets.frame.loc[~tickets.bad, "ticket_id"]
    dropped = tickets.frame.loc[tickets.bad & ~tickets.frame["ticket_id"].isin(good_ids)]
    if dropped.empty:
        return []
    where = dropped[FILE] + ":" + dropped[ROW].astype(str)
    at = pd.Series(where.to_numpy(), index=dropped["ticket_id"].to_numpy())
    at = at[~at.index.duplicated()]
    orphan = ~events.bad & events.frame["ticket_id"].isin(at.index)
    message = pd.Series("", index=events.frame.index, dtype="object")
    message[orphan] = "event of a dropped ticket; its ticket has problems, see " + events.frame.loc[
        orphan, "ticket_id"].map(at)
    events.bad |= orphan
    return row_problems(events.frame, orphan, message, None)


def strip_meta(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[name for name in (*META, "__parent__") if name in frame.columns])


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _iso(value: pd.Timestamp) -> str:
    return value.isoformat()
