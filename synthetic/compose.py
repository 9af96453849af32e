"""Composing message bodies from a phrase bank: greeting + content slots + sign-off, then realism.

Threats, manager demands, insults and "third time I write" sentences are inserted with probabilities
that rise with anger but are never zero at low anger (nor one at high anger): the words alone must
not give a ticket's outcome away. What a customer message contained is returned alongside its text,
because the simulated agents read it (and may escalate on it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.enums import Channel
from synthetic import realism
from synthetic.dice import Dice
from synthetic.phrasebank import PhraseBank
from synthetic.templates import fill

# Per anger level 0..3: chance that a customer message carries each kind of sentence.
P_THREAT = (0.015, 0.06, 0.18, 0.38)
P_MANAGER = (0.01, 0.04, 0.13, 0.28)
P_OFFENSIVE = (0.004, 0.02, 0.08, 0.24)
P_EMOTION = (0.3, 0.5, 0.65, 0.8)
P_SHOUT = (0.005, 0.02, 0.1, 0.35)
P_EXCLAIM = (0.02, 0.08, 0.35, 0.6)
TYPO_RATE = {
    Channel.EMAIL: 0.012,
    Channel.WEB: 0.015,
    Channel.PHONE: 0.004,
    Channel.CHAT: 0.03,
    Channel.TWITTER: 0.03,
    Channel.FACEBOOK: 0.025,
}
LIVE = (Channel.CHAT, Channel.PHONE)
SOCIAL = (Channel.TWITTER, Channel.FACEBOOK)


@dataclass(frozen=True, slots=True)
class Said:
    body: str
    threat: str = ""  # "", "leave", "legal" or "review"
    manager: bool = False
    offensive: bool = False
    repeat: bool = False


class Composer:
    def __init__(self, banks: Mapping[str, PhraseBank], dice: Dice) -> None:
        self.banks = banks
        self.dice = dice

    def customer(
        self,
        kind: str,
        lang: str,
        category: str,
        level: int,
        channel: Channel,
        values: Mapping[str, str],
        *,
        repeat: bool = False,
        quoted: str = "",
        signature: str = "",
        earlier_ticket: str = "",
        details: float = 0.0,
    ) -> Said:
        """kind: opening, chaser, info_reply, not_fixed, reopen, thanks, social. `earlier_ticket`: the
        id a "I wrote about this before" sentence refers to (default: this ticket); `details`: extra
        detail sentences expected in an opening (hard problems get described at length)."""
        b, d = self.banks[lang], self.dice
        live, social = channel in LIVE, channel in SOCIAL
        parts: list[str] = []

        def add(text: str, at: int | None = None, fill_with: Mapping[str, str] = values) -> None:
            parts.insert(len(parts) if at is None else at, fill(text, fill_with))

        if repeat:
            add(
                d.pick(b.repeat_contact),
                fill_with={**values, "ticket": earlier_ticket} if earlier_ticket else values,
            )
        if kind == "opening":
            add(d.pick(b.problem[category]))
            for _ in range(d.poisson((0.35 if live or social else 0.6) + details)):
                add(d.pick(b.detail[category]))
        elif kind == "social":
            add(d.pick(b.social_post[level]))
        elif kind == "info_reply":
            add(d.pick(b.info_reply[category]))
        elif kind == "thanks":
            add(d.pick(b.thanks))
            if d.chance(0.3):
                add(d.pick(b.praise))
        else:
            add(d.pick(getattr(b, kind)[level]))
            if kind == "reopen" and d.chance(0.4):
                add(d.pick(b.detail[category]))
        threat, manager, offensive = "", False, False
        if kind != "thanks":
            if d.chance(P_EMOTION[level] * (0.5 if live else 1.0)):
                add(d.pick(b.emotion[level]), at=d.index(len(parts)) + 1)
            if d.chance(P_THREAT[level]):
                threat = d.pick(("leave", "leave", "legal", "review"))
                add(d.pick(getattr(b, f"threat_{threat}")))
            if d.chance(P_MANAGER[level]):
                manager = True
                add(d.pick(b.demand_manager))
            if d.chance(P_OFFENSIVE[level]):
                offensive = True
                add(d.pick(b.offensive), at=d.index(len(parts) + 1))
        if d.chance(P_SHOUT[level]):  # on the content, not on greeting and sign-off
            i = d.index(len(parts))
            parts[i] = realism.shout(parts[i], d)
        if d.chance(P_EXCLAIM[level]):
            parts[-1] = realism.exclaim(parts[-1], d)
        text = self._layout(parts, b.customer_greeting, b.customer_signoff, values, channel, kind)
        text = realism.add_typos(text, TYPO_RATE[channel] * (1 + 0.5 * level), d)
        if (live or social) and d.chance(0.2):
            text = realism.lower_case(text)
        if signature:
            text += "\n\n" + signature
        if quoted:
            text += "\n\n" + quoted
        return Said(text, threat, manager, offensive, repeat)

    def agent(
        self, kinds: list[str], lang: str, category: str, channel: Channel, values: Mapping[str, str]
    ) -> str:
        """kinds, in order, from: apology, deescalate, first_response, ask_info, update, solution,
        escalation_notice."""
        b, d = self.banks[lang], self.dice
        parts = []
        for kind in kinds:
            slot = getattr(b, f"agent_{kind}")
            parts.append(fill(d.pick(slot[category] if isinstance(slot, dict) else slot), values))
        return self._layout(parts, b.agent_greeting, b.agent_signoff, values, channel, "agent")

    def pick(self, lang: str, slot: str, values: Mapping[str, str], key: str | int | None = None) -> str:
        """One filled variant of a slot (bot auto-replies, internal notes, escalation reasons …)."""
        items = getattr(self.banks[lang], slot)
        return fill(self.dice.pick(items if key is None else items[key]), values)

    def _layout(
        self,
        parts: list[str],
        greetings: list[str],
        signoffs: list[str],
        values: Mapping[str, str],
        channel: Channel,
        kind: str,
    ) -> str:
        """Greeting, paragraphs of the (filled) parts, sign-off; live and public messages stay on one line."""
        d = self.dice
        body = parts
        if channel in LIVE or channel in SOCIAL or kind == "social":
            text = " ".join(body)
            if kind != "social" and d.chance(0.3):
                text = fill(d.pick(greetings), values) + " " + text
            return text.strip()
        paragraphs = [body[0]]
        for p in body[1:]:
            if d.chance(0.45):
                paragraphs.append(p)
            else:
                paragraphs[-1] += " " + p
        greeting = fill(d.pick(greetings), values) if d.chance(0.85) else ""
        signoff = fill(d.pick(signoffs), values) if d.chance(0.8) else ""
        return "\n\n".join(x for x in (greeting, *paragraphs, signoff) if x).strip()
