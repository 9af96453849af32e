"""`escalation analyze-text` end to end with the real packaged encoder and the committed head."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from features.text.cli import analyze_text

ROWS = [
    (
        "I was charged twice and nobody answers. If this isn't fixed today I'm cancelling my subscription.",
        "en",
    ),
    ("Vielen Dank, das Problem ist gelöst. Super Service!", "de"),
    ("", "no"),
    ("Jeg vil snakke med lederen din. Dette er tredje gang jeg skriver om samme faktura!", ""),
]


def write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "lang"])
        writer.writerows(rows)
    return path


def test_one_json_object_per_row_in_input_order(tmp_path: Path) -> None:
    result = CliRunner().invoke(analyze_text, [str(write_csv(tmp_path / "m.csv", ROWS)), "--no-progress"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(ROWS)
    angry, happy, blank, norwegian = out
    assert angry["lang"] == "en" and angry["sentiment"]["label"] == "negative"
    assert {"financial_harm", "churn_threat"} <= {s["name"] for s in angry["signals"]}
    text = ROWS[0][0]
    assert all(text[s["start"] : s["end"]] == s["evidence"] for s in angry["signals"])
    assert abs(sum(angry["sentiment"]["scores"].values()) - 1) < 1e-3
    assert happy["sentiment"]["label"] == "positive" and happy["signals"] == []
    assert blank == {"error": "line 4: column 'text' is empty; nothing to analyse"}
    assert norwegian["lang"] == "no"  # detected: the lang cell was blank
    assert {"manager_request", "repeated_contact"} <= {s["name"] for s in norwegian["signals"]}


def test_a_file_without_a_text_column_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("message,lang\nhello,en\n", encoding="utf-8")
    result = CliRunner().invoke(analyze_text, [str(path)])
    assert result.exit_code == 2
    assert "needs a 'text' column (found 'message', 'lang')" in result.output


def test_a_file_not_in_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("text,lang\nfine,en\nCafé au lait is cold,en\n".encode("cp1252"))  # Excel on Windows
    result = CliRunner().invoke(analyze_text, [str(path)])
    assert result.exit_code == 2
    assert f"{path}: line 3 is not UTF-8 text; save the file as UTF-8" in result.output


def test_a_message_longer_than_the_csv_modules_limit_is_analysed(tmp_path: Path) -> None:
    long = "Where is my refund? " * 8_000  # 160,000 characters: csv's default limit is 131,072
    path = write_csv(tmp_path / "long.csv", [(long, "en"), ("Thanks!", "en")])
    result = CliRunner().invoke(analyze_text, [str(path), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["lang"] for line in result.stdout.splitlines()] == ["en", "en"]


def test_a_lang_the_analysis_does_not_know_is_an_error_naming_the_line_and_the_languages(
    tmp_path: Path,
) -> None:
    """'english' or 'xx' would have been analysed with every language's phrases and echoed back as the
    language; the row is refused instead, naming what to write, and the other rows are analysed."""
    rows = [("Where is my parcel?", "english"), ("Hvor er pakken min?", "NB"), ("Wo ist mein Paket?", "xx"),
            ("Where is my parcel?", "unknown")]
    result = CliRunner().invoke(analyze_text, [str(write_csv(tmp_path / "m.csv", rows)), "--no-progress"])
    assert result.exit_code == 0, result.output
    english, bokmal, unknown_code, marker = [json.loads(line) for line in result.stdout.splitlines()]
    accepted = ("use one of de, en, no (nb, nn and regions such as de-AT are read too) "
                "or leave it blank to detect")
    assert english == {"error": f"line 2: lang 'english' is not a language the analysis knows; {accepted}"}
    assert unknown_code == {"error": f"line 4: lang 'xx' is not a language the analysis knows; {accepted}"}
    assert bokmal["lang"] == "no" and marker["lang"] == "en"  # read as Norwegian; detected
