"""The phrase banks of the generator's languages, by ISO 639-1 code (one module per language)."""

from __future__ import annotations

from synthetic.phrasebank import PhraseBank
from synthetic.phrases import de, en, no

BANKS: dict[str, PhraseBank] = {"en": en.BANK, "de": de.BANK, "no": no.BANK}
