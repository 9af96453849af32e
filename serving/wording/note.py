"""The internal note written back to a helpdesk ticket when its band rises: the band, the risk, the next
step, the reasons in a manager's words and the conflict signals with the customer's own words. Plain text:
each helpdesk client turns it into what its API takes."""

from __future__ import annotations

from core.assessment import TicketAssessment
from core.enums import Band
from serving.wording.clock import percent
from serving.wording.phrases import SIGNALS
from serving.wording.reasons import reason_words

MAX_REASONS = 5
MAX_SIGNALS = 5
MAX_EVIDENCE = 120  # characters of the customer's words quoted for one signal

_HEADINGS = {
    "en": {"rose": "Escalation risk rose to {band} (was {was}).", "first": "Escalation risk: {band}.",
           "risk": "Risk: {pct}.", "step": "Next step: {text}", "reasons": "Why:", "signals": "Signals:"},
    "de": {"rose": "Eskalationsrisiko auf {band} gestiegen (vorher {was}).",
           "first": "Eskalationsrisiko: {band}.",
           "risk": "Risiko: {pct}.", "step": "Nächster Schritt: {text}", "reasons": "Warum:",
           "signals": "Signale:"},
    "no": {"rose": "Eskaleringsrisikoen steg til {band} (var {was}).", "first": "Eskaleringsrisiko: {band}.",
           "risk": "Risiko: {pct}.", "step": "Neste steg: {text}", "reasons": "Hvorfor:",
           "signals": "Signaler:"},
}


def band_rose(band: Band, previous: Band | None) -> bool:
    """A first assessment above low counts as a rise: the ticket had no band before."""
    return band.rank > (previous.rank if previous is not None else Band.LOW.rank)


def risk_percent(risk: float | None) -> int | None:
    """The risk as helpdesks' number fields hold it: a whole percentage (Freshdesk's and Zammad's number
    fields are integers)."""
    return None if risk is None else min(100, max(0, round(risk * 100)))


def band_rise_note(body: TicketAssessment, previous: Band | None, lang: str = "en") -> str:
    h = _HEADINGS[lang]
    band = body.band.value.upper()
    lines = [h["rose"].format(band=band, was=previous.value) if previous else h["first"].format(band=band)]
    if (pct := risk_percent(body.risk)) is not None:
        # the whole percentage the number field holds, written as the board writes it ('81%', '81 %')
        lines.append(h["risk"].format(pct=percent(pct / 100, lang)))
    step = body.recommended_action
    if step.kind != "none":
        lines.append(h["step"].format(text=step.texts.get(lang, step.text)))
    pushing = sorted((r for r in body.reasons if r.contribution > 0), key=lambda r: -r.contribution)
    # a value that says nothing ('insults in 0 messages') has no words and is left out
    reasons = [w for r in pushing if (w := reason_words(r.feature, r.value, lang))][:MAX_REASONS]
    if reasons:
        lines += ["", h["reasons"], *(f"- {r}" for r in reasons)]
    if body.signals:
        lines += ["", h["signals"]]
        for s in body.signals[:MAX_SIGNALS]:
            words = SIGNALS[lang].get(s.name.value, s.name.value)
            evidence = s.evidence if len(s.evidence) <= MAX_EVIDENCE else s.evidence[:MAX_EVIDENCE] + "…"
            lines.append(f'- {words}: "{evidence}"')
    return "\n".join(lines)
