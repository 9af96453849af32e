"""The model's reasons as a manager says them: 'enterprise customer', '3 messages unanswered', 'angrier
with each message', 'resolution overdue by 4 business hours'. One feature value in, one phrase out (or
None: a value that says nothing, such as 'insults in 0 messages'); the number stays in the API's `value`
and in the page's hover text."""

from __future__ import annotations

import math

from serving.wording.clock import business_time, number, percent, span
from serving.wording.phrases import (
    CUSTOMERS,
    LANGUAGE_NAMES,
    PHRASES,
    SIGNALS,
    STATUSES,
    TARGETS,
    TIERS,
    WEEKDAYS,
)

# a sentiment trend or drop smaller than this (polarity, -1..1) is no change a manager would notice
MOOD_STEP = 0.05


def reason_words(feature: str, value: float | str | None, lang: str = "en") -> str | None:
    """`feature`'s `value` in words, in `lang`; None when there is nothing to say."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    p = PHRASES[lang]
    if isinstance(value, str):
        return _category(feature, value, lang)
    v = float(value)
    n = round(v)
    if feature.startswith("sla_") and feature != "sla_escalation_level":
        return _sla(feature, v, lang)
    if feature.startswith("signal_"):
        name, last = feature.removeprefix("signal_"), feature.endswith("_last")
        name = name.removesuffix("_last") if last else name
        words = SIGNALS[lang].get(name, name.replace("_", " "))
        if n <= 0:
            return None
        return p["signal_last"].format(what=words) if last else _count(p, "signal_in", n, what=words)
    match feature:
        case "age_hours" | "hours_since_last_event":
            return p[feature].format(t=span(v * 3600, lang))
        case ("age_business_hours" | "wait_business_hours" | "wait_run_business_hours"
              | "first_response_business_hours" | "pending_business_hours" | "on_hold_business_hours"):
            return p[feature].format(t=business_time(v, lang)) if v > 0 else None
        case "first_response_given" | "in_business_hours":
            return p[f"{feature}_{'yes' if n else 'no'}"]
        case "customer_value":
            key = "customer_value_high" if v >= 50_000 else "customer_value"
            return p[key].format(v=number(v, lang)) if v > 0 else None
        case "hour_of_day":
            return p["hour_of_day"].format(h=f"{n:02d}:00")
        case "weekday":
            return p["weekday"].format(day=WEEKDAYS[lang][n % 7])
        case "priority_rank":
            name = ("low", "normal", "high", "urgent")[min(max(n, 0), 3)]
            return p["priority"].format(v=TIERS[lang][name])
        case "priority_raised":
            return p["priority_raised"] if n > 0 else None
        case "customer_prior_escalation_rate" | "negative_share":
            return p[feature].format(pct=percent(v, lang)) if v > 0 else None
        case "customer_last_csat":
            return p[feature].format(n=n)
        case "messages_vs_customer_median":
            return p[feature].format(x=number(v, lang, 0 if v.is_integer() else 1)) if v > 0 else None
        case "sentiment_last" | "sentiment_min" | "sentiment_mean":
            return _mood(feature, v, p)
        case "sentiment_trend":
            if abs(v) < MOOD_STEP:
                return p["trend_steady"]
            return p["trend_angrier"] if v < 0 else p["trend_calmer"]
        case "sentiment_drop":
            return p["drop"] if v >= MOOD_STEP else None
        case "sla_escalation_level" | "max_escalation_level":
            return p["level"].format(n=n) if n > 0 else p["level_none"]
        case _:
            return _count(p, feature, n) if f"{feature}_many" in p and n > 0 else (
                None if f"{feature}_many" in p else p.get("unknown", "{f}: {v}").format(
                    f=feature.replace("_", " "), v=number(v, lang, 0 if v.is_integer() else 2))
            )


def _count(p: dict[str, str], key: str, n: int, **kw: str) -> str:
    return (p[f"{key}_one"] if n == 1 else p[f"{key}_many"]).format(n=n, **kw)


def _sla(feature: str, v: float, lang: str) -> str | None:
    p = PHRASES[lang]
    for target, words in TARGETS[lang].items():
        prefix = f"sla_{target}_"
        if not feature.startswith(prefix):
            continue
        what = feature.removeprefix(prefix)
        if what == "remaining_business_hours":
            key = "overdue_by" if v < 0 else "due_in"
            return p[key].format(target=words, t=business_time(v, lang))
        if what == "used_share":
            return p["used_share"].format(target=words, pct=percent(min(v, 9.99), lang))
        if what == "breached":
            return p["breached"].format(target=words) if v >= 1 else None
    return None


def _mood(feature: str, v: float, p: dict[str, str]) -> str | None:
    if v <= -0.5:
        mood = p["mood_angry"]
    elif v < -0.1:
        mood = p["mood_unhappy"]
    elif v <= 0.1:
        mood = p["mood_neutral"]
    else:
        mood = p["mood_positive"]
    return p[feature].format(mood=mood)


def _category(feature: str, value: str, lang: str) -> str | None:
    p = PHRASES[lang]
    match feature:
        case "status":
            return STATUSES[lang].get(value, value)
        case "customer_tier":
            return CUSTOMERS[lang].get(value) or p["tier"].format(v=value)
        case "priority":
            return p["priority"].format(v=TIERS[lang].get(value, value))
        case "language":
            return p["language"].format(v=LANGUAGE_NAMES[lang].get(value, value))
        case "channel" | "category" | "product" | "team" | "sla_policy":
            return p[feature].format(v=value.replace("_", " "))
    return f"{feature.replace('_', ' ')}: {value}"
