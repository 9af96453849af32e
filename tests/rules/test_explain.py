import json

from sla_helpers import Log, at, policies, ticket

from rules.explain import explain, render_text


def test_timeline_shows_pause_closed_hours_and_due() -> None:
    log = Log().customer("09:00").reply("09:10").status("15:30", "pending").status("2025-03-04 10:00", "open")
    log.note("2025-03-04 10:05")
    report = explain(policies(), ticket(), log.events, at("2025-03-04 10:30"))
    json.dumps(report)  # JSON-able
    res = next(t for t in report["targets"] if t["target"] == "resolution")
    assert [(s["event"], s["at"][:16]) for s in res["timeline"]] == [
        ("started", "2025-03-03T09:00"),
        ("paused", "2025-03-03T15:30"),
        ("resumed", "2025-03-04T10:00"),
        ("ignored", "2025-03-04T10:05"),  # in time order, where it happened
        ("due", "2025-03-04T11:30"),
    ]
    assert res["remaining_text"] == "1h" and res["ignored_events"][0]["event"].startswith("internal note")
    assert report["matched"] == ["always (the rule has no conditions)"]


def test_weekend_and_holiday_are_named() -> None:
    report = explain(
        policies(),
        ticket("2025-04-17 15:00"),
        Log("2025-04-17").customer("15:00").events,
        at("2025-04-22 09:00"),
    )
    res = next(t for t in report["targets"] if t["target"] == "resolution")
    skipped = [s["detail"] for s in res["timeline"] if s["event"] == "skipped"]
    # Thursday 16:00 to Monday 08:00 includes Good Friday; then Monday night up to `now`.
    assert skipped == ["closed: holiday 2025-04-18", "closed: outside opening hours"]
    text = render_text(report)
    assert "Policy: standard" in text and "closed: holiday 2025-04-18" in text and "Next due at:" in text


def test_timeline_of_an_ended_target_stops_at_the_end() -> None:
    # Solved at 09:30 without a reply, explained two days later: the first-response clock stopped at
    # the solve (no nights skipped after it) and resolution was fulfilled then (its deadline never came).
    log = Log().customer("09:00").status("09:30", "solved")
    report = explain(policies(), ticket(), log.events, at("2025-03-05 12:00"))
    first, res = (
        next(t for t in report["targets"] if t["target"] == k) for k in ("first_response", "resolution")
    )
    assert first["state"] == "stopped"
    assert [(s["event"], s["at"][:16]) for s in first["timeline"]] == [
        ("started", "2025-03-03T09:00"),
        ("stopped", "2025-03-03T09:30"),
    ]
    assert [(s["event"], s["at"][:16]) for s in res["timeline"]] == [
        ("started", "2025-03-03T09:00"),
        ("fulfilled", "2025-03-03T09:30"),
    ]


def test_timeline_of_a_target_met_after_a_night_ends_at_the_reply() -> None:
    log = Log().customer("15:30").reply("2025-03-04 08:20")
    report = explain(policies(), ticket("2025-03-03 15:30"), log.events, at("2025-03-06 12:00"))
    first = next(t for t in report["targets"] if t["target"] == "first_response")
    assert [s["event"] for s in first["timeline"]] == ["started", "skipped", "fulfilled"]
    assert first["timeline"][-1]["at"][:16] == "2025-03-04T08:20" and first["state"] == "met"


def test_timeline_of_a_breached_then_stopped_target_keeps_the_breach() -> None:
    log = Log().customer("09:00").status("11:00", "solved")
    report = explain(policies(), ticket(), log.events, at("2025-03-05 12:00"))
    first = next(t for t in report["targets"] if t["target"] == "first_response")
    assert [(s["event"], s["at"][11:16]) for s in first["timeline"]] == [
        ("started", "09:00"),
        ("breached", "10:00"),
        ("stopped", "11:00"),
    ]


def test_a_run_of_ordinary_nights_is_one_step_weekends_stay_visible() -> None:
    # A ten-day resolution target crosses two weekends and many nights.
    ten_days = {"targets": {"resolution": {"normal": "80h"}}}  # 10 office days of 8 h
    log = Log().customer("09:00")
    report = explain(policies(ten_days), ticket(), log.events, at("2025-03-03 09:30"))
    res = next(t for t in report["targets"] if t["target"] == "resolution")
    skipped = [s["detail"] for s in res["timeline"] if s["event"] == "skipped"]
    assert any(d.startswith("closed: outside opening hours (") and d.endswith(" nights)") for d in skipped)
    assert "closed: weekend / closed day" in skipped
    times = [s["at"] for s in res["timeline"]]
    assert times == sorted(times)


def test_timeline_of_a_withdrawn_target_says_so_and_shows_no_breach() -> None:
    log = Log().customer("09:00").status("11:00", "withdrawn")
    report = explain(policies(), ticket(), log.events, at("2025-03-05 12:00"))
    first = next(t for t in report["targets"] if t["target"] == "first_response")
    assert first["state"] == "stopped" and first["breached_at"] is None
    steps = [(s["event"], s["at"][11:16], s["detail"]) for s in first["timeline"]]
    assert [s[:2] for s in steps] == [("started", "09:00"), ("due", "10:00"), ("stopped", "11:00")]
    assert steps[-1][2] == "withdrawn (merged, deleted or spam) before it was fulfilled: no verdict"
