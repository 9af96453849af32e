# ruff: noqa: E501  (exact error messages read best whole, one per line)
"""Signal phrase files: the shipped ones load, the syntax means what docs/signals.md says, a team file
named in the settings adds phrases, and every mistake in a file is reported with file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.text import SignalName
from features.text.lexicon import load_lexicon, shipped_phrase_files
from features.text.phrase_files import read_phrase_file
from features.text.phrase_syntax import index_keys, phrase_to_regex
from features.text.signals import detect_signals


def test_shipped_files_cover_every_signal_but_shouting_in_each_language() -> None:
    files = {f.language: f for f in map(read_phrase_file, shipped_phrase_files())}
    assert set(files) == {"en", "de", "no"}
    for f in files.values():
        assert set(f.signals) == set(SignalName) - {SignalName.SHOUTING}, f.path
        assert f.negation.cues and f.negation.window, f.path


def test_no_shipped_phrase_repeats_a_word_as_an_alternative_at_another_position() -> None:
    """`|` separates alternatives for one word, so "no one|nobody ...3 answer*" means "no" then one of "one",
    "nobody" — never "nobody answers". Written so, an entry meant as two-word alternatives usually repeats a
    word at two positions ("miss|missing|gonna miss|going to miss": "miss" at the first and the fourth); such
    entries matched nothing or less than they were written for, in all three files, until 2026-12-05. The
    cues of the negation and context rules are written the same way and checked too."""
    slips = []
    for path in shipped_phrase_files():
        phrases = read_phrase_file(path)
        written = [(str(signal), entry) for signal, entries in phrases.signals.items() for entry in entries]
        written += [("negation", entry) for entry in phrases.negation.cues]
        written += [(f"context.{name}", entry) for name, rules in phrases.context.items() for entry in rules.cues]
        for where, entry in written:
            if entry.is_regex:
                continue
            words = [set(w.split("|")) for w in entry.source.split() if not w.startswith("...")]
            if any(len(a) > 1 and a & b for i, a in enumerate(words) for b in words[i + 1 :] + words[:i]):
                slips.append(f"{path.name}:{entry.line} {where}: {entry.source}")
    assert not slips, "\n".join(slips)


@pytest.mark.parametrize(
    ("phrase", "matches", "misses"),
    [
        ("cancel* ... subscription|contract", ["cancelling my whole contract", "cancel subscription"],
         ["cancel. My subscription", "cancel the order"]),
        ("speak to ...1 manager", ["speak to a manager", "speak to manager"], ["speak to the area manager"]),
        ("don't want", ["don't want", "don’t want", "DON'T WANT"], ["dont want"]),
        ("one-star", ["one-star", "one star", "onestar"], ["one-stars"]),
        ("kündig*", ["Kündigung", "kündige"], ["gekündigt"]),
        ("bereits ...3 geschrieben", ["bereits am 3. März geschrieben"], ["bereits. Geschrieben"]),
        ("mal, dass", ["Mal, dass"], ["Mal dass"]),
    ],
)  # fmt: skip
def test_phrase_syntax(phrase: str, matches: list[str], misses: list[str]) -> None:
    regex = re.compile(phrase_to_regex(phrase), re.IGNORECASE)
    assert [t for t in matches if regex.search(t)] == matches
    assert [t for t in misses if regex.search(t)] == []


def test_index_keys() -> None:
    assert [(k.text, k.is_prefix) for k in index_keys("Cancel*|end my") or []] == [
        ("cancel", True),
        ("end", False),
    ]
    assert [(k.text, k.is_prefix) for k in index_keys("e-mail") or []] == [("e", True)]
    assert [(k.text, k.is_prefix) for k in index_keys("don't") or []] == [("don", False)]
    assert index_keys("*zeitung") is None


TEAM_FILE = """\
language: en
signals:
  churn_threat:
    - jump* ship
  legal_threat:
    phrases:
      - regex: '\\bclass[- ]action\\b'
"""


def test_team_file_from_settings_adds_phrases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    team = tmp_path / "team.yaml"
    team.write_text(TEAM_FILE, encoding="utf-8")
    monkeypatch.setenv("ESCALATION_TEXT__SIGNAL_PHRASE_FILES", f'["{team}"]')
    text = "I'll jump ship and join the class action."
    assert [(s.name.value, s.evidence) for s in detect_signals(text, "en")] == [
        ("churn_threat", "jump ship"),
        ("legal_threat", "class action"),
    ]
    assert [s.evidence for s in detect_signals("I want to speak to a manager", "en")] == [
        "speak to a manager"
    ]


def test_team_folder_and_new_language(tmp_path: Path) -> None:
    (tmp_path / "sv.yaml").write_text(
        "language: sv\nnegation: {cues: [inte], window: 2}\nsignals:\n  churn_threat: [säga upp]\n",
        encoding="utf-8",
    )
    lexicon = load_lexicon([tmp_path])
    assert [s.evidence for s in detect_signals("Jag vill säga upp", "sv", lexicon=lexicon)] == ["säga upp"]
    assert detect_signals("Jag vill inte säga upp", "sv", lexicon=lexicon) == ()


def test_team_file_can_turn_off_negation_for_a_signal(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "language: en\nsignals:\n  urgency:\n    negatable: false\n    phrases: [urgent]\n", encoding="utf-8"
    )
    lexicon = load_lexicon([tmp_path / "t.yaml"])
    assert [s.evidence for s in detect_signals("not urgent", "en", lexicon=lexicon)] == ["urgent"]


@pytest.mark.parametrize(
    ("lang", "shipped", "text", "still"),
    [
        ("en", "trash|garbage|joke|jokes", "The garbage truck skipped our street again.",
         "Your staff are idiots."),
        ("de", "idiot*|vollidiot*|trottel*|deppen|versager*|clowns", "Die Clowns beim Kindergeburtstag waren super.",
         "Ihr seid Betrüger!"),
        ("no", "suger|søppel|søppelselskap|svindlere|kjeltringer|bedragere|idioter|tullinger",
         "Søppelselskap Vest henter søppel hver tirsdag.", "Dere er svindlere"),
    ],
)  # fmt: skip
def test_a_team_file_takes_back_a_shipped_phrase(
    tmp_path: Path, lang: str, shipped: str, text: str, still: str
) -> None:
    """A waste collector's customers write "garbage", a party service's "clowns": a team takes the shipped
    phrase back (as written in the shipped file), the other insults stay, and a later file may add it again."""
    assert SignalName.INSULT in {s.name for s in detect_signals(text, lang)}
    (tmp_path / "a.yaml").write_text(
        f'language: "{lang}"\nexclude:\n  insult:\n    - "{shipped.upper()}"\n', encoding="utf-8"
    )  # the language quoted (a bare no is YAML's false); the entry in the team's own case
    lexicon = load_lexicon([tmp_path / "a.yaml"])
    assert SignalName.INSULT not in {s.name for s in detect_signals(text, lang, lexicon=lexicon)}
    assert SignalName.INSULT in {s.name for s in detect_signals(still, lang, lexicon=lexicon)}
    (tmp_path / "b.yaml").write_text(
        f'language: "{lang}"\nsignals:\n  insult: ["{shipped}"]\n', encoding="utf-8"
    )
    again = load_lexicon([tmp_path / "a.yaml", tmp_path / "b.yaml"])
    assert SignalName.INSULT in {s.name for s in detect_signals(text, lang, lexicon=again)}


def test_an_excluded_phrase_vetoes_its_signal_and_changes_the_fingerprint(tmp_path: Path) -> None:
    """The excluded words still tell the learned head that the message does not carry the signal; the
    lexicon's fingerprint (in every analysis version) changes with the team's file."""
    from features.text.signals import detect_signals_and_vetoes

    team = tmp_path / "team.yaml"
    team.write_text("language: en\nexclude:\n  insult: [trash|garbage|joke|jokes]\n", encoding="utf-8")
    lexicon = load_lexicon([team])
    signals, vetoed = detect_signals_and_vetoes("The garbage truck is late.", "en", lexicon=lexicon)
    assert signals == () and vetoed == {SignalName.INSULT}
    signals, vetoed = detect_signals_and_vetoes("Garbage day, and you idiots forgot us.", "en", lexicon=lexicon)
    assert [s.evidence for s in signals] == ["idiots"] and vetoed == frozenset()
    assert lexicon.fingerprint != load_lexicon().fingerprint


def test_a_phrase_taken_back_does_not_hide_a_kept_one_at_the_same_words(tmp_path: Path) -> None:
    """"absolute disgrace" is matched by two shipped insult entries; taking one back leaves the other."""
    team = tmp_path / "team.yaml"
    team.write_text("language: en\nexclude:\n  insult: [a|the|damn|total|absolute disgrace]\n", encoding="utf-8")
    lexicon = load_lexicon([team])
    assert [s.evidence for s in detect_signals("This is an absolute disgrace.", "en", lexicon=lexicon)] == [
        "absolute disgrace"
    ]
    assert detect_signals("It is a disgrace.", "en") and not detect_signals("It is a disgrace.", "en", lexicon=lexicon)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("language: en\nsignals:\n  churn_treat: [x]\n",
         "3: signals.churn_treat: unknown signal 'churn_treat'; did you mean 'churn_threat'? known signals: "
         "manager_request, churn_threat, legal_threat, public_threat, insult, shouting, repeated_contact, "
         "financial_harm, urgency"),
        ("language: en\nsignals:\n  insult:\n    - idiot\n    - regex: '(unclosed'\n",
         "5: signals.insult[1].regex: invalid regular expression '(unclosed': missing ), unterminated subpattern "
         "at position 0; check it with Python's re module"),
        ("language: en\nsignals:\n  insult:\n    - regex: 'x*'\n",
         "4: signals.insult[0].regex: regular expression 'x*' matches the empty text; make it require at least "
         "one character"),
        ("language: en\nsignals:\n  insult: [... idiot]\n",
         "3: signals.insult[0]: phrase '... idiot' starts or ends with a gap ('...'); a gap goes between two words"),
        ("language: en\nsignals:\n  insult: ['idiot|']\n",
         "3: signals.insult[0]: phrase 'idiot|': word 'idiot|' has an empty alternative or only '*'; write e.g. "
         "'manager|supervisor' or 'cancel*'"),
        ("language: english\nsignals: {}\n",
         "1: language: 'english' is not an ISO 639-1 code; write e.g. en, de or no"),
        ("signals: {}\n", "1: (top level): missing field 'language'"),
        ("language: en\nsignal: {}\n",
         "2: signal: unknown field 'signal'; did you mean 'signals'? allowed: language, negation, context, signals, exclude"),
        ("language: en\nsignals:\n  insult:\n    phrase: [x]\n",
         "4: signals.insult.phrase: unknown field 'phrase'; did you mean 'phrases'? allowed: phrases, negatable"),
        ("language: en\nsignals:\n  insult: idiot\n",
         "3: signals.insult: expected a mapping of 'key: value' lines"),
        ("language: en\nnegation:\n  window: many\nsignals: {}\n",
         "3: negation.window: 'many' is not a whole number of words from 0 to 10"),
        ("language: en\nnegation:\n  scope_breaks: [but also]\nsignals: {}\n",
         "3: negation.scope_breaks[0]: 'but also' is not a single word"),
        ("language: en\nsignals:\n  insult: [a]\n  insult: [b]\n",
         "4: signals.insult: given twice; merge the two entries"),
        ("language: en\nsignals:\n  insult: [a\n", "4: not valid YAML: expected ',' or ']', but got '<stream end>'"),
        ("", "1: (top level): the file is empty; it needs 'language' and 'signals'"),
        ("language: en\n", "1: (top level): missing field 'signals' (or 'exclude', to take shipped phrases back)"),
        ("language: en\nexclude:\n  insult: [trash|garbage]\n",
         "3: exclude.insult: 'trash|garbage' is not a phrase of insult in an earlier file of this language; write it "
         "as written there (closest: 'trash|garbage|joke|jokes')"),
        ("language: en\nexclude:\n  insult:\n    - regex: 'idiot'\n",
         "4: exclude.insult: 'idiot' is not a regex of insult in an earlier file of this language; write it as "
         "written there (none is close)"),
        ("language: en\nexclude:\n  insults: [x]\n",
         "3: exclude.insults: unknown signal 'insults'; did you mean 'insult'? known signals: manager_request, "
         "churn_threat, legal_threat, public_threat, insult, shouting, repeated_contact, financial_harm, urgency"),
    ],
)  # fmt: skip
def test_phrase_file_errors_name_file_line_and_field(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_lexicon([path])
    assert str(info.value) == f"signal phrase file {path}:{message}"


def test_missing_phrase_file_says_which_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_lexicon([tmp_path / "nope.yaml"])
    assert str(info.value) == (
        f"signal phrase file {tmp_path / 'nope.yaml'} does not exist; fix the path in text.signal_phrase_files "
        "(ESCALATION_TEXT__SIGNAL_PHRASE_FILES)"
    )


def test_clashing_regex_groups_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "language: en\nsignals:\n  insult:\n    - regex: '(?P<x>a)b'\n    - regex: '(?P<x>c)d'\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"t\.yaml:5: the regex entries of this list do not combine: .*"):
        load_lexicon([path])
