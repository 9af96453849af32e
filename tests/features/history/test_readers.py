"""Reading files as text with the line numbers an editor shows."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from features.history.problems import FILE, ROW
from features.history.readers import read_table


def _csv(tmp_path: Path, text: str, name: str = "tickets.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_quoted_line_breaks_and_blank_lines_keep_real_line_numbers(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'id,body\n1,"two\nlines"\n\n2,plain\n3,"a ""quoted""\r\nword"\n4,x')
    table = read_table(path)
    assert table.frame["id"].tolist() == ["1", "2", "3", "4"]
    assert table.frame[ROW].tolist() == [2, 5, 6, 8]
    assert table.frame["body"].tolist()[2] == 'a "quoted"\r\nword'
    assert table.problems == [] and set(table.frame[FILE]) == {str(path)}


def test_a_field_longer_than_the_csv_modules_limit_keeps_its_line(tmp_path: Path) -> None:
    long = "x" * 200_000  # a long e-mail thread; Python's csv module stops at 131,072 characters by default
    table = read_table(_csv(tmp_path, f'id,body\n1,"two\nlines"\n2,{long}\n3,y\n'))
    assert table.frame["id"].tolist() == ["1", "2", "3"] and table.frame[ROW].tolist() == [2, 4, 5]
    assert table.frame["body"].str.len().tolist() == [9, 200_000, 1] and table.problems == []


def test_a_stray_quote_that_swallows_lines_is_reported_where_it_opened(tmp_path: Path) -> None:
    """A body starting with an unmatched quote runs on to the next quote in the file: lines 3 to 6 become one
    row and the events on 4 and 5 vanish. The closing quote it ends on is followed by text, not a comma,
    which well-formed CSV never has: the row is skipped and the problem names the line the quote opened."""
    text = ('id,ticket,body,x\n1,T,hello,a\n2,T,"Refund now,b\n3,T,fine,c\n4,T,fine,d\n'
            '5,T,"size 12"" screen",e\n6,T,"two\nlines",f\n')
    table = read_table(_csv(tmp_path, text, name="events.csv"))
    assert table.frame["id"].tolist() == ["1", "6"] and table.frame[ROW].tolist() == [2, 7]
    [problem] = table.problems
    assert (problem.row, problem.column) == (3, None)
    assert problem.message == (
        "malformed line; the quoted value opened on line 3 runs to line 6, where its closing quote is "
        "followed by 's', not a comma: lines 3 to 6 were read as one row and skipped; double a quote "
        'inside a value ("") or close the value')


def test_a_stray_quote_that_runs_to_the_end_names_the_line_it_opened(tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path, 'id,body\n1,ok\n2,"Refund now\n3,fine\n4,fine\n'))
    [problem] = table.problems
    assert (problem.row, problem.message) == (None, (
        "unreadable CSV; the quoted value opened on line 3 is never closed, so the rest of the file would be "
        'one value: double a quote inside a value ("") or close the value'))


def test_well_formed_multi_line_values_with_quotes_are_no_problem(tmp_path: Path) -> None:
    text = 'id,body\n1,"He said ""hi"",\nthen, ""bye""\n"\n2,"a\r\nb"\n3,plain "inch\n'
    table = read_table(_csv(tmp_path, text))
    assert table.problems == [] and table.frame[ROW].tolist() == [2, 5, 7]


def test_values_stay_text(tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path, "id,value,flag,missing\n007,1e3,TRUE,\n"))
    assert table.frame.iloc[0][["id", "value", "flag", "missing"]].tolist() == ["007", "1e3", "TRUE", ""]


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path, "id,name\n1,x\n", encoding="utf-8-sig"))
    assert list(table.frame.columns[:2]) == ["id", "name"]


def test_a_line_with_too_many_fields_is_reported_with_its_line(tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path, 'id,body\n1,"a\nb"\n2,x,extra\n3,y\n'))
    assert table.frame["id"].tolist() == ["1", "3"] and table.frame[ROW].tolist() == [2, 5]
    [problem] = table.problems
    assert problem.row == 4
    assert problem.message == "malformed line; expected 2 fields, found 3; the row was skipped"


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty file; a CSV needs a header line"),
    ("id,id\n1,2\n", "duplicate column; 'id' appears twice in the header"),
])
def test_unusable_csv(tmp_path: Path, text: str, message: str) -> None:
    assert [p.message for p in read_table(_csv(tmp_path, text)).problems] == [message]


def test_a_csv_saved_by_excel_on_windows_names_its_first_line_not_in_utf8(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,name\n1,Bob\n2,\"Zoe\nBjørn\"\n3,Åse\n", encoding="cp1252")
    [problem] = read_table(path).problems
    assert (problem.file, problem.row) == (str(path), None)  # no row of it is usable
    assert problem.message == (
        "not UTF-8 text; line 4 is the first that is not: re-export the file as UTF-8 (Excel: CSV UTF-8)")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_csv_is_one_problem_that_says_so(tmp_path: Path, encoding: str) -> None:
    """Excel's "Unicode Text" (and Windows PowerShell 5's `>`) write UTF-16 with a byte order mark: the
    problem said line 1 was not UTF-8, as if one character were wrong."""
    path = _csv(tmp_path, "\ufeffticket_id,channel\nT-1,web\n" if encoding.endswith("be") else
                "ticket_id,channel\nT-1,web\n", encoding=encoding)
    [problem] = read_table(path).problems
    assert problem.message == "not UTF-8 text; the file is UTF-16: re-export it as UTF-8 (Excel: CSV UTF-8)"


@pytest.mark.parametrize(("separator", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_csv_separated_otherwise_is_one_problem_that_says_so(tmp_path: Path, separator: str,
                                                               name: str) -> None:
    # European Excel separates with ';' (the list separator of the locale)
    path = _csv(tmp_path, separator.join(["ticket_id", "created_at", "channel"]) + "\nT-1;2024-03-04;web\n")
    table = read_table(path)
    assert [p.message for p in table.problems] == [
        f"not comma-separated; the header is separated by {name}: save the file with commas as separator"]
    assert table.problems[0].row is None and table.frame.empty


def test_not_utf8_and_not_gzip(tmp_path: Path) -> None:
    latin = read_table(_csv(tmp_path, "id,name\n1,Bjørn\n", encoding="latin-1"))
    assert latin.problems[0].message.startswith("not UTF-8 text")
    fake = tmp_path / "tickets.csv.gz"
    fake.write_text("id\n1\n")
    assert read_table(fake).problems[0].message.startswith("unreadable file")


@pytest.mark.parametrize("name", ["tickets.csv", "tickets.csv.gz", "tickets.jsonl"])
def test_a_file_that_cannot_be_opened_is_a_problem_naming_it(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.mkdir()  # a folder where the file should be: open() fails as for a file without read permission
    [problem] = read_table(path).problems
    assert problem.file == str(path) and problem.row is None
    assert problem.message.startswith("unreadable file; ") and "Is a directory" in problem.message


def test_a_csv_without_read_permission_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _csv(tmp_path, "id\n1\n")

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)  # tests run as root, for whom chmod 000 changes nothing
    [problem] = read_table(path).problems
    assert problem.file == str(path) and problem.message.startswith("unreadable file; [Errno 13] Permission")


def test_gzipped_jsonl_with_nested_events(tmp_path: Path) -> None:
    path = tmp_path / "tickets.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write('{"ticket_id": "T-1", "value": 3.5, "vip": true, "tags": ["a"], "note": null,'
                     ' "events": [{"event_id": "E-1"}, {"event_id": "E-2", "csat": 4}]}\n'
                     '\n{"ticket_id": "T-2"}\n')
    table = read_table(path)
    assert table.frame[["ticket_id", "value", "vip", "tags", "note"]].iloc[0].tolist() == [
        "T-1", "3.5", "true", '["a"]', ""]
    assert table.frame[ROW].tolist() == [1, 3]
    nested = table.nested_events
    assert nested is not None and nested["__parent__"].tolist() == [0, 0]
    assert nested["csat"].tolist() == ["", "4"]  # an integer with gaps stays "4", not "4.0"


def test_nested_events_null_is_a_ticket_without_events(tmp_path: Path) -> None:
    lines = '{"ticket_id": "T-1", "events": null}\n{"ticket_id": "T-2", "events": [{"event_id": "E-1"}]}\n'
    path = _csv(tmp_path, lines, name="tickets.jsonl")
    table = read_table(path)
    assert table.problems == [] and table.frame["ticket_id"].tolist() == ["T-1", "T-2"]
    assert table.nested_events is not None and table.nested_events["__parent__"].tolist() == [1]


def test_a_utf16_jsonl_is_one_problem(tmp_path: Path) -> None:
    # what Windows PowerShell 5 writes with `>`: not 21 lines of "not JSON"
    lines = '{"ticket_id": "T-1"}\n{"ticket_id": "T-2"}\n'
    path = _csv(tmp_path, lines, name="tickets.jsonl", encoding="utf-16")
    table = read_table(path)
    assert [(p.message, p.row) for p in table.problems] == [
        ("not UTF-8 text; the file is UTF-16: re-export it as UTF-8", None)]
    assert table.frame.empty


def test_a_damaged_parquet_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "tickets.parquet"
    path.write_bytes(b"PAR1 but not really")
    [problem] = read_table(path).problems
    assert problem.file == str(path) and problem.message.startswith("unreadable Parquet file")


def test_parquet_lists_structs_and_dates_become_text(tmp_path: Path) -> None:
    path = tmp_path / "tickets.parquet"
    pd.DataFrame({
        "ticket_id": ["T-1", "T-2", "T-3"],
        "tags": [["vip", "refund"], [], None],  # a warehouse's array column
        "sla": [{"policy": "gold", "hours": [4, 8]}, {"policy": None, "hours": []}, None],
        "day": [date(2024, 3, 4), date(2024, 3, 5), None],
    }).to_parquet(path, index=False)
    table = read_table(path)
    assert table.problems == []
    assert table.frame["tags"].tolist() == ['["vip", "refund"]', "[]", ""]
    assert table.frame["sla"].tolist() == [
        '{"policy": "gold", "hours": [4, 8]}', '{"policy": null, "hours": []}', ""]
    assert table.frame["day"].tolist() == ["2024-03-04", "2024-03-05", ""]


def test_spaces_around_header_names_are_dropped(tmp_path: Path) -> None:
    assert list(read_table(_csv(tmp_path, "ticket_id , channel\nT-1,web\n")).frame.columns[:2]) == [
        "ticket_id", "channel"]


def test_a_nullable_parquet_integer_stays_whole(tmp_path: Path) -> None:
    # a warehouse's INT64 with nulls: pandas would make it float, and the id 7 the text '7.0'
    path = tmp_path / "events.parquet"
    table = pa.table({"ticket_id": pa.array([1001, None], pa.int64()), "csat": pa.array([None, 4], pa.int8()),
                      "author_id": pa.array([7, 12345678901], pa.int64())})
    pq.write_table(table, path)  # as a warehouse writes it: no pandas metadata
    frame = read_table(path).frame
    assert frame[["ticket_id", "csat", "author_id"]].to_dict("list") == {
        "ticket_id": ["1001", ""], "csat": ["", "4"], "author_id": ["7", "12345678901"]}


def test_names_the_same_but_for_spaces_are_a_duplicate_column(tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path, "ticket_id,channel, channel\nT-1,web,email\n"))
    [problem] = table.problems
    assert (problem.row, problem.column) == (None, "channel")
    assert problem.message == "duplicate column; 'channel' appears twice in the header"
    assert table.frame.columns.is_unique and table.frame["channel"].tolist() == ["web"]


@pytest.mark.parametrize("name", ["events.csv", "events.jsonl"])
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, name: str) -> None:
    """A 2 GiB export was read whole into pandas (about ten times its size in memory) until the machine
    swapped or the process was killed; now it is one problem naming its size and the limit. The file here
    is sparse: 2 GiB on paper, no disk used."""
    from core.bounds import HISTORY_FILE_MAX_BYTES

    path = tmp_path / name
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)
    table = read_table(path)
    assert [(p.file, p.message) for p in table.problems] == [(str(path), (
        f"file too large; 2.0 GiB, at most {HISTORY_FILE_MAX_BYTES / 1024**2:,.0f} MiB are read "
        "(loading takes about ten times a file's size in memory): train on a shorter period, e.g. the "
        "newest months, or split the export by period"))]
    assert table.frame.empty


@pytest.mark.parametrize("name", ["events.csv.gz", "events.jsonl.gz"])
def test_a_gzipped_file_over_the_size_limit_is_stopped_where_it_passes_it(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .gz says nothing reliable of its size before it is read: reading stops at the limit."""
    monkeypatch.setattr("features.history.readers.HISTORY_FILE_MAX_BYTES", 1024**2)
    path = tmp_path / name
    row = b'{"event_id": "E-1"}\n' if "jsonl" in name else b"E-1,T-1\n"
    with gzip.open(path, "wb") as handle:
        handle.write(b"event_id,ticket_id\n" if "csv" in name else b"")
        handle.write(row * (2 * 1024**2 // len(row)))
    [problem] = read_table(path).problems
    assert problem.message.startswith("file too large; over 1.0 MiB uncompressed, at most 1 MiB are read")


def test_a_parquet_file_over_the_size_limit_is_refused_by_its_uncompressed_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("features.history.readers.HISTORY_FILE_MAX_BYTES", 1024**2)
    path = tmp_path / "events.parquet"
    pd.DataFrame({"event_id": [f"E-{i}" for i in range(200_000)]}).to_parquet(path, index=False)
    [problem] = read_table(path).problems
    assert problem.message.startswith("file too large; ") and "uncompressed, at most 1 MiB are read" in \
        problem.message
