"""Message bodies as plain text."""

from __future__ import annotations

from helpdesks.text import looks_like_html, plain_text


def test_html_is_read_as_text() -> None:
    html = ("<html><head><style>p {color: red}</style></head><body><p>Hello&nbsp;there,</p>"
            "<div>line&nbsp;two<br>line three</div><script>alert(1)</script></body></html>")
    assert plain_text(html, True) == "Hello there,\n\nline two\nline three"
    assert plain_text("  <not html> a < b  ", False) == "<not html> a < b"


def test_html_is_told_from_text_with_angle_brackets() -> None:
    assert looks_like_html("<div>Hi</div>") and looks_like_html("line<br>next")
    assert not looks_like_html("if a < b and c > d") and not looks_like_html("<not html>")
