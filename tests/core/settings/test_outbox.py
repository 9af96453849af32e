"""The outbox's e-mail settings (core/settings/outbox.py): addresses and host an SMTP server can take."""

from __future__ import annotations

import pytest

from core.settings import get_settings
from tests.core.refusals import refusal

ADDRESS = "is not an e-mail address: give one as name@domain, without spaces or a display name"


@pytest.mark.parametrize(("variables", "said"), [
    # each started, and every e-mail failed at the SMTP server, attempt after attempt
    ({"RECIPIENTS": '["ops@acme.example", "not an address"]'},
     f"ESCALATION_OUTBOX__EMAIL__RECIPIENTS ([1]): the address {ADDRESS}"),
    ({"RECIPIENTS": '[""]'}, f"ESCALATION_OUTBOX__EMAIL__RECIPIENTS ([0]): the address {ADDRESS}"),
    ({"RECIPIENTS": '["Ops <ops@acme.example>"]'},
     f"ESCALATION_OUTBOX__EMAIL__RECIPIENTS ([0]): the address {ADDRESS}"),
    ({"RECIPIENTS": '["ops@acme.example"]', "SENDER": "escalation"},
     f"ESCALATION_OUTBOX__EMAIL__SENDER: the address {ADDRESS}"),
    ({"RECIPIENTS": '["ops@acme.example"]', "HOST": "smtp://mail.acme.example"},
     "ESCALATION_OUTBOX__EMAIL__HOST: the host is a URL; give the SMTP server's host name alone (the port "
     "is ESCALATION_OUTBOX__EMAIL__PORT), e.g. mail.acme.example"),
])
def test_an_address_or_host_smtp_cannot_take_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], said: str
) -> None:
    env = {"ESCALATION_OUTBOX__EMAIL__HOST": "mail.acme.example"}
    env |= {f"ESCALATION_OUTBOX__EMAIL__{name}": value for name, value in variables.items()}
    assert refusal(monkeypatch, **env) == f"settings: {said}"


def test_plain_addresses_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_OUTBOX__EMAIL__HOST", "mail.acme.example")
    addresses = '["ops+alerts@acme.example", "lead@localhost"]'
    monkeypatch.setenv("ESCALATION_OUTBOX__EMAIL__RECIPIENTS", addresses)
    get_settings.cache_clear()
    try:
        email = get_settings().outbox.email
    finally:
        get_settings.cache_clear()
    assert email.recipients == ["ops+alerts@acme.example", "lead@localhost"]
    assert email.sender == "escalation@localhost"
