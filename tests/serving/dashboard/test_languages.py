"""The pages in German and Norwegian, chosen by the browser's Accept-Language: the board, the KPI page and a
snoozed ticket's page carry no English words of the page's own (serving/wording/labels.py), and the snooze
words and its history read in the manager's language. The server is shared: every snooze is undone."""

from __future__ import annotations

import re
from html import unescape

import pytest

from serving.dashboard.board import BANDS, CHANNELS, PRIORITIES
from serving.wording.history import band_word
from serving.wording.labels import LABELS, label
from serving.wording.phrases import TARGETS
from serving.wording.timeline import code_words
from tests.serving.conftest import Server
from tests.serving.dashboard.conftest import HOT, MANAGER_KEY

PAGES = ("/dashboard", "/dashboard/kpis", f"/dashboard/tickets/{HOT}")
# English words of the pages that read differently in both other languages (phrases without fields, longer
# than "1 h", which "1 hierarchisch" holds)
ENGLISH = sorted(
    v for k, v in LABELS["en"].items()
    if "{" not in v and " " in v and len(v) > 4 and v != LABELS["de"][k] and v != LABELS["no"][k]
)


@pytest.mark.parametrize(("header", "lang"), [("de-DE,de;q=0.9,en;q=0.5", "de"), ("nb-NO,nb;q=0.9", "no")])
def test_german_and_norwegian_pages_have_no_english_left(
    board_server: Server, header: str, lang: str
) -> None:
    with board_server.client() as c:
        c.headers["Accept-Language"] = header
        assert c.post("/dashboard/login", data={"api_key": MANAGER_KEY}).status_code == 303
        assert c.post(f"/dashboard/tickets/{HOT}/snooze", data={"for": "4h"}).status_code == 303
        try:
            for path in PAGES:
                html = c.get(path).text
                assert f'<html lang="{lang}">' in html
                text = unescape(html)
                assert [words for words in ENGLISH if words in text] == [], path
            board = unescape(c.get("/dashboard").text)
            assert label("board_title", lang) in board and label("snoozed_count", lang, n=1) in board
            assert label("snoozed_by_until", lang, who="dev-manager", until="").strip() in board
            assert all(label(f"snooze_{choice}", lang) in board for choice in ("1h", "4h", "tomorrow"))
            kpis = unescape(c.get("/dashboard/kpis").text)
            assert label("rate_escalation", lang) in kpis and label("causes_title", lang) in kpis
            page = unescape(c.get(f"/dashboard/tickets/{HOT}").text)
            assert label("snooze_state", lang, who="dev-manager", until="").strip() in page
            assert label("snooze_history", lang) in page and label("snooze_in_force", lang) in page
        finally:
            c.post(f"/dashboard/tickets/{HOT}/unsnooze")
        page = unescape(c.get(f"/dashboard/tickets/{HOT}").text)
        latest = page.split('id="snooze-history"')[1].split("</li>")[0]
        assert label("end_unsnoozed", lang, by="dev-manager", at="").strip() in latest


def test_the_configured_language_serves_a_browser_without_one_of_ours(board_server: Server) -> None:
    with board_server.client() as c:
        c.headers["Accept-Language"] = "fr-FR,fr"
        c.post("/dashboard/login", data={"api_key": MANAGER_KEY})
        board = c.get("/dashboard").text
    assert '<html lang="en">' in board and label("board_title", "en") in board

@pytest.mark.parametrize(("header", "lang"), [("de-DE,de;q=0.9", "de"), ("nb-NO,nb;q=0.9", "no")])
def test_the_boards_filter_choices_are_in_the_pages_language(
    board_server: Server, header: str, lang: str
) -> None:
    """A German manager choosing a channel, priority or band reads 'E-Mail', 'dringend', 'kritisch', not the
    codes; the links and the query keep the codes."""
    with board_server.client() as c:
        c.headers["Accept-Language"] = header
        c.post("/dashboard/login", data={"api_key": MANAGER_KEY})
        board = unescape(c.get("/dashboard").text)
    words = {"channel": lambda code: code_words("channel", code, lang),
             "priority": lambda code: code_words("priority", code, lang),
             "band": lambda code: band_word(code, lang)}
    for name, codes in (("channel", CHANNELS), ("priority", PRIORITIES), ("band", BANDS)):
        menu = board.split(f'<select name="{name}"')[1].split("</select>")[0]
        shown = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', menu))
        assert shown == {code: words[name](code) for code in codes}, name
        assert any(code != words[name](code) for code in codes), name  # a translation, not the codes


STEPS_WORDS = {"de": "eskalieren", "no": "Eskaler"}  # an escalation, as the history words it

# what the rules engine writes in English for logs, a target's or recipient's code, a raw instant
ENGINE = re.compile(r"breached at|of open time left|immediate trigger|ticket entered|first_response|"
                    r"team_lead|\d{4}-\d\d-\d\dT\d\d:\d\d")


@pytest.mark.parametrize(("header", "lang"), [("de-DE,de;q=0.9", "de"), ("nb-NO,nb;q=0.9", "no")])
def test_the_ticket_pages_escalations_are_worded_in_the_pages_language(
    board_server: Server, header: str, lang: str
) -> None:
    """The hot ticket's first reply is breached and escalated: its history names the target and the
    recipient in words and its instants in the manager's time zone, with no English engine text."""
    with board_server.client() as c:
        c.headers["Accept-Language"] = header
        c.post("/dashboard/login", data={"api_key": MANAGER_KEY})
        text = unescape(c.get(f"/dashboard/tickets/{HOT}").text)
        board = unescape(c.get("/dashboard").text)
    escalations = text.split('id="h-esc"')[1].split("</section>")[0]
    assert ENGINE.findall(escalations) == [] and ENGINE.findall(board) == []
    assert TARGETS[lang]["first_response"] in escalations
    assert STEPS_WORDS[lang] in escalations
    shown = re.sub(r"<[^>]*>", " ", text)  # the words a manager sees, without attributes
    assert ENGINE.findall(shown) == []


# a code as the engine and the settings write it (missing_knowledge), and numbers written the English way:
# "12%", "0.812" (a German thousands point, "1.200", is no English decimal)
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")
ENGLISH_NUMBER = re.compile(r"\d%|\b0\.\d")
MONTH = {"de": r"(?:[A-Z][a-zä]{2}\.|Mai) \d{4}", "no": r"(?:[a-z]{3}\.|mai) \d{4}"}


@pytest.mark.parametrize(("header", "lang"), [("de-DE,de;q=0.9", "de"), ("nb-NO,nb;q=0.9", "no")])
def test_the_kpi_page_says_its_numbers_months_and_causes_in_the_pages_language(
    board_server: Server, header: str, lang: str
) -> None:
    """The KPI page with a root cause recorded: its cause in words, percentages and decimals with the
    language's comma, months as the language abbreviates them, the model table in the language."""
    with board_server.client() as c:
        c.headers["Accept-Language"] = header
        c.post("/dashboard/login", data={"api_key": MANAGER_KEY})
        recorded = c.post(f"/dashboard/tickets/{HOT}/root-cause",
                          data={"cause": "missing_knowledge", "owning_team": "billing"})
        assert recorded.status_code == 303 and "cause_recorded=" in recorded.headers["location"]
        ticket = unescape(c.get(f"/dashboard/tickets/{HOT}").text)
        pages = {p: unescape(c.get("/dashboard/kpis", params={"period": p}).text) for p in ("day", "month")}
    assert f"<strong>{label('rc_missing_knowledge', lang)}</strong>" in ticket
    for period, html in pages.items():
        main = html.split("<main", 1)[1]
        shown = re.sub(r"<[^>]*>", " ", main.replace(status_versions(main), ""))  # words, no attributes
        assert CODE.findall(shown) == [] and ENGLISH_NUMBER.findall(shown) == [], period
        assert f"{label('rc_missing_knowledge', lang)}: 1" in shown
        assert re.search(r"\d,\d\u00a0%", shown)  # the totals' rates: 12,5 %
        assert label("m_roc_means", lang) in shown and label("this_model", lang) in shown
        assert re.search(r"<td>0,\d{3}</td>", main)  # ROC-AUC with a decimal comma
    assert re.search(rf'text-anchor="middle">{MONTH[lang]}</text>', pages["month"])


def status_versions(main: str) -> str:
    """The model's version as the page names it (an identifier, the same in every language)."""
    found = re.search(r'<strong id="model-version">([^<]*)</strong>', main)
    return found.group(1) if found else ""
