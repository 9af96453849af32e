"""Web addresses in the settings (core/settings/section.py `WebUrl`): a webhook's or a helpdesk's."""

from __future__ import annotations

import pytest

from core.settings import get_settings
from tests.core.refusals import refusal

TOKEN = "t0k3n-in-the-url"  # a webhook URL often carries one: never repeated
SAID = ("is not a web address: give http:// or https://, a host, and no spaces, e.g. "
        "https://hooks.example.com/escalation")


@pytest.mark.parametrize("url", [
    "https://",  # no host: every delivery failed at httpx, attempt after attempt
    f"https://hooks.example.com/{TOKEN} ",  # a space pasted along
    f"https://hooks example.com/{TOKEN}",
    f"https://hooks.example.com:99999/{TOKEN}",  # no port
    f"ftp://hooks.example.com/{TOKEN}",
])
def test_a_webhook_url_that_is_no_web_address_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    said = refusal(monkeypatch, ESCALATION_OUTBOX__WEBHOOKS=f'[{{"name": "ops", "url": "{url}"}}]',
                   ESCALATION_OUTBOX__WEBHOOK_SECRET="s" * 16)
    assert said == f"settings: ESCALATION_OUTBOX__WEBHOOKS ([0].url): the URL {SAID}"


@pytest.mark.parametrize("url", ["https://", "https://acme .zendesk.com"])
def test_a_helpdesk_base_url_that_is_no_web_address_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    said = refusal(monkeypatch, ESCALATION_WRITEBACK__ZAMMAD__BASE_URL=url,
                   ESCALATION_WRITEBACK__ZAMMAD__TOKEN=TOKEN)
    assert said == f"settings: ESCALATION_WRITEBACK__ZAMMAD__BASE_URL: the URL {SAID}"


def test_a_web_address_with_a_port_path_and_query_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:8080/hooks/escalation?token={TOKEN}"
    monkeypatch.setenv("ESCALATION_OUTBOX__WEBHOOKS", f'[{{"url": "{url}"}}]')
    monkeypatch.setenv("ESCALATION_OUTBOX__WEBHOOK_SECRET", "s" * 16)
    get_settings.cache_clear()
    try:
        assert get_settings().outbox.webhooks[0].url == url
    finally:
        get_settings.cache_clear()
