"""The KPI page's totals are GET /v1/kpis's: the reopen rate and SLA compliance of each target beside the
rest, on the dashboard's own seeded server (the same tickets for both: no range given)."""

from __future__ import annotations

from html import unescape

from serving.wording.clock import percent
from serving.wording.labels import label
from tests.serving.conftest import Server
from tests.serving.dashboard.conftest import MANAGER_KEY


def test_the_kpi_page_shows_the_reopen_rate_and_each_targets_compliance(board_server: Server) -> None:
    with board_server.client() as c:
        answer = c.get("/v1/kpis", headers={"X-API-Key": MANAGER_KEY}).json()["totals"]
        assert c.post("/dashboard/login", data={"api_key": MANAGER_KEY}).status_code == 303
        page = unescape(c.get("/dashboard/kpis", params={"period": "week"}).text)
    targets = {k: percent(v["compliance"], "en", 1) for k, v in answer["sla_by_target"].items()}
    sla = label("kpi_sla", "en", pct=percent(answer["sla_compliance"], "en", 1),
                first=targets["first_response"],
                next=targets["next_response"], resolution=targets["resolution"])
    assert " ".join(sla.split()) in " ".join(page.split())
    assert label("kpi_reopen", "en", pct=percent(answer["reopen_rate"], "en", 1)) in page
    assert "Reopen rate by week" in page
