"""Freshdesk's write-back client against the fake Freshdesk API, which validates an update as Freshdesk
does: each tag at most 32 characters — the band tag (TAG_PREFIX and the band) included."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.enums import Band
from core.settings import WritebackSettings
from helpdesks.writeback import Writeback, clients_from, write_back
from tests.helpdesks.fake_helpdesk import serve, writeback_config

LONGEST_BAND = max(len(b.value) for b in Band)


def test_the_longest_tag_prefix_allowed_makes_tags_freshdesk_takes() -> None:
    prefix = "p" * (32 - LONGEST_BAND - 1) + "-"
    with serve("freshdesk") as fake:
        client = clients_from(WritebackSettings.model_validate(
            writeback_config("freshdesk", fake.url, tag_prefix=prefix)))["freshdesk"]
        for band in Band:
            write_back(client, Writeback(ticket=7, assessment_id=1, risk_percent=90, band=band,
                                         tag_prefix=prefix, note="rose"))
        client.close()
    assert fake.answered(400) == [] and fake.tags[7] == [f"{prefix}{Band.CRITICAL.value}"]
    assert len(fake.private_notes(7)) == 1


def test_a_tag_prefix_making_a_tag_freshdesk_refuses_is_refused_at_start_up() -> None:
    """A TAG_PREFIX of 25 characters made 'critical' a 33-character tag: Freshdesk answered every update of
    a critical ticket 400 (`tags`: at most 32 characters), and the write-back failed for good — the critical
    tickets, of all, never got their risk or tag."""
    prefix = "p" * (32 - LONGEST_BAND) + "-"
    with pytest.raises(ValidationError) as refused:
        WritebackSettings.model_validate(writeback_config("freshdesk", "https://acme.freshdesk.com",
                                                          tag_prefix=prefix))
    assert (f"makes the band tag '{prefix}critical' 33 characters, and Freshdesk refuses a tag over 32 "
            "(every update of a critical ticket would be refused): give a prefix of at most 24 characters"
            ) in str(refused.value)
