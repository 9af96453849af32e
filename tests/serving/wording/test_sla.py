"""A ticket's SLA urgency in words at the instant the page is made: a running deadline counts down from that
instant, and once the page's clock is past it the column says it is overdue (as the next step does), never
"due in 1 min" for a deadline already gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.assessment import TargetOut
from core.sla import TargetKind, TargetState
from serving.wording.sla import sla_words

ASSESSED = datetime(2026, 11, 27, 9, 20, tzinfo=UTC)
DUE = ASSESSED + timedelta(minutes=40)  # 10:00 UTC, 11:00 in Oslo
RUNNING = TargetOut(target=TargetKind.FIRST_RESPONSE, state=TargetState.RUNNING, due_at=DUE,
                    remaining_s=2400.0, breached=False, breached_by_s=None, escalation_level=0)


@pytest.mark.parametrize(
    ("later", "lang", "expected"),
    [
        (timedelta(0), "en", ("first reply due in 40 min", "at Fri 27 Nov 2026 11:00")),
        (timedelta(minutes=30), "en", ("first reply due in 10 min", "at Fri 27 Nov 2026 11:00")),
        (timedelta(minutes=40, seconds=30), "en",
         ("first reply overdue since just now", "was due Fri 27 Nov 2026 11:00")),
        (timedelta(hours=2, minutes=5), "en",
         ("first reply overdue by 1 h 25 min", "was due Fri 27 Nov 2026 11:00")),
        (timedelta(hours=2, minutes=5), "de", ("Erstantwort seit 1 Std. 25 Min. überfällig",
                                               "war fällig Fr 27 Nov 2026 11:00")),
        (timedelta(minutes=50), "no",
         ("første svar forfalt for 10 min siden", "forfalt fre 27 nov 2026 11:00")),
    ],
)
def test_a_running_deadline_counts_from_the_pages_instant(
    later: timedelta, lang: str, expected: tuple[str, str]
) -> None:
    assert sla_words([RUNNING], ASSESSED + later, "Europe/Oslo", lang) == expected
