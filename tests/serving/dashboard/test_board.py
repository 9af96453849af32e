"""The board's query from the page's parameters: a page number is ASCII digits; anything else is the first
page (a digit Python's isdigit() knows but int() does not, such as '²', was a 500). A row's band and its
export record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.assessment import RecommendedAction
from core.enums import Band, Channel, Priority, TicketStatus
from serving.dashboard.board import CSV_COLUMNS, BoardQuery, Reader, csv_header, csv_record, risk_text, row
from serving.early_warning import EarlyWarningItem
from serving.wording.history import band_word
from serving.wording.labels import label


@pytest.mark.parametrize(
    ("page", "expected"),
    [("3", 3), ("0", 1), ("", 1), ("-2", 1), ("x", 1), ("²", 1), ("①", 1), ("١٢", 1), ("𝟗", 1),
     ("9" * 13, 1)],
)
def test_a_page_is_ascii_digits_else_the_first(page: str, expected: int) -> None:
    assert BoardQuery.from_params({"page": page}).page == expected


@pytest.mark.parametrize(("risk", "lang", "shown"), [
    (0.81, "en", "81%"), (0.81, "de", "81\u00a0%"), (0.81, "no", "81\u00a0%"),
    (0.004, "en", "< 1%"), (0.004, "de", "< 1\u00a0%"),
])
def test_the_risk_is_a_percentage_as_the_language_writes_it(risk: float, lang: str, shown: str) -> None:
    """As the KPI page writes its rates (serving.wording.clock.percent)."""
    assert risk_text(risk, lang) == shown


def _item(band: Band, model_band: Band | None, sla_band: Band) -> EarlyWarningItem:
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    return EarlyWarningItem(
        ticket_id="T-1", risk=0.02 if model_band else None, band=band, model_band=model_band,
        sla_band=sla_band, status=TicketStatus.OPEN, team="billing", channel=Channel.EMAIL,
        priority=Priority.HIGH, assignee=None, customer_tier=None, breached=True, escalation_level=2,
        next_due_at=None, sla_due_at=None, targets=[],
        recommended_action=RecommendedAction(kind="none", text="no action needed", escalation_type=None,
                                             level=None, to=None, source="none", action_ids=[]),
        reasons=[], signals=[], assessed_at=at, model_version=None, work_step=1, work_step_name="act_now",
        snoozed_until=None, snoozed_by=None,
    )


@pytest.mark.parametrize("lang", ["en", "de", "no"])
def test_a_row_shows_the_band_its_filter_matched_with_the_model_and_sla_parts(lang: str) -> None:
    """The band filter selects by the combined band (the higher of the model's and the SLA's): a ticket the
    model calls low but whose SLA is critical is listed under 'critical', so its row says critical too, and
    its hover text names both parts. The board read 'low' beside a 'critical' filter before."""
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    item = _item(Band.CRITICAL, Band.LOW, Band.CRITICAL)
    r = row(item, now, Reader(lang=lang))
    assert r["band"] == "critical" and r["band_words"] == band_word("critical", lang)
    parts = label("band_parts", lang, model=band_word("low", lang), sla=band_word("critical", lang))
    assert r["band_parts"] == parts
    rules_only = row(_item(Band.HIGH, None, Band.HIGH), now, Reader(lang=lang))
    assert rules_only["band_words"] == band_word("high", lang)
    assert label("rules_only", lang) in rules_only["band_parts"]
    # the export says the same: the combined band, and the model's and the SLA's as columns of their own
    coded = dict(zip(CSV_COLUMNS, csv_record(1, item, now, None), strict=True))
    assert (coded["band"], coded["risk_band"], coded["sla_band"]) == ("critical", "low", "critical")
    reader = Reader(lang=lang)
    worded = dict(zip(csv_header(reader), csv_record(1, item, now, reader), strict=True))
    assert worded[label("band", lang)] == band_word("critical", lang)
    assert worded[label("csv_model_band", lang)] == band_word("low", lang)
    assert worded[label("csv_sla_band", lang)] == band_word("critical", lang)
