"""Reading vendor JSON with paths: every value that cannot be used is named where it sits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpdesks.payload import Node, PayloadError, parse_json

DOC = Node({"ticket": {"id": 7, "via": {"channel": "email"}, "tags": ["a", "b"], "public": "true",
                       "at": "2019-05-25T01:23:45.465719851Z", "blank": "  "}})


def test_paths_follow_keys_and_indexes() -> None:
    assert DOC["ticket"]["via"]["channel"].path == "ticket.via.channel"
    assert [n.path for n in DOC["ticket"]["tags"].items()] == ["ticket.tags[0]", "ticket.tags[1]"]
    assert DOC["ticket"]["tags"][5].value is None and DOC["nothing"]["deeper"].missing


def test_typed_reads() -> None:
    t = DOC["ticket"]
    assert t["id"].ident() == "7" and t["public"].flag() is True and t["blank"].optional_text() is None
    assert t["at"].instant() == datetime(2019, 5, 25, 1, 23, 45, 465719, tzinfo=UTC)
    assert Node("2026-05-04T09:00:00+02:00").instant().utcoffset() is not None


@pytest.mark.parametrize(("read", "message"), [
    (lambda: DOC["ticket"]["blank"].text(), "ticket.blank: is missing; the payload must carry it"),
    (lambda: DOC["ticket"]["via"].text(), "ticket.via: expected text, got {'channel': 'email'}"),
    (lambda: DOC["ticket"]["tags"][0].flag(), "ticket.tags[0]: expected true or false, got 'a'"),
    (lambda: DOC["ticket"]["via"]["channel"].instant(),
     "ticket.via.channel: 'email' is not an ISO 8601 instant such as 2026-05-04T09:13:27Z"),
    (lambda: list(DOC["ticket"]["id"].items()), "ticket.id: expected a list, got 7"),
    (lambda: parse_json(b'{"a": '),
     "body: is not JSON (line 1 column 7); send the helpdesk's JSON payload as documented"),
    (lambda: parse_json(b"\x80abc"), "body: is not JSON; send the helpdesk's JSON payload as documented"),
    (lambda: parse_json(b"[" * 100_000),
     "body: nests too deeply to read; send the helpdesk's JSON payload as documented"),
    (lambda: parse_json(b'{"id": ' + b"1" * 5_000 + b"}"),  # Python's int limit: a ValueError, was a 500
     "body: holds a number of more than 4300 digits; send the helpdesk's JSON payload as documented"),
])
def test_errors_name_the_path(read: object, message: str) -> None:
    with pytest.raises(PayloadError) as caught:
        read()  # type: ignore[operator]
    assert str(caught.value) == message


@pytest.mark.parametrize(("value", "read"), [
    (35436, "35436"), ("35436", "35436"), (" 81 ", "81"), ("007", "7")])
def test_a_ticket_number_is_a_positive_whole_number(value: object, read: str) -> None:
    assert Node(value, "detail.id").ticket_number() == read


@pytest.mark.parametrize("value", [
    float("nan"), 1.5, 12.0, -5, 0, "-5", "0", "1.5", "nan", "1e3", "35 436", "٣", True, [1], {"id": 1}])
def test_anything_else_is_not_a_ticket_number(value: object) -> None:
    """A NaN, 1.5 or -5 became the ticket freshdesk-nan, freshdesk-1.5 or freshdesk--5."""
    with pytest.raises(PayloadError) as caught:
        Node(value, "detail.id").ticket_number()
    assert caught.value.path == "detail.id", str(caught.value)
    assert "is not an id; a ticket id is a positive whole number" in str(caught.value)
