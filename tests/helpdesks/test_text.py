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


def test_a_blockquote_becomes_quoted_lines_that_the_analysis_leaves_out() -> None:
    """Freshdesk, Zammad and mail clients quote the earlier mail in a <blockquote>: its lines come out as
    "> …", as plain-text mail quotes, so neither the phrases nor the encoder read them as the customer's."""
    from core.text import SignalName
    from features.text.quotes import own_words
    from features.text.signals import detect_signals

    html = ('<div>Danke, jetzt klappt es!</div><div class="gmail_quote"><blockquote type="cite">'
            "<p>Ihr seid ein Saftladen.</p><p>Ich will mein Geld zurück!<br>Sofort.</p>"
            "<blockquote>ältere Mail</blockquote></blockquote></div><p>Gesendet vom Handy</p>")
    text = plain_text(html, True)
    assert text == ("Danke, jetzt klappt es!\n\n> Ihr seid ein Saftladen.\n\n> Ich will mein Geld zurück!\n"
                    "> Sofort.\n\n> ältere Mail\n\nGesendet vom Handy")
    assert " ".join(own_words(text).split()) == "Danke, jetzt klappt es! Gesendet vom Handy"
    assert not {SignalName.INSULT, SignalName.FINANCIAL_HARM} & {s.name for s in detect_signals(text, "de")}
    assert plain_text("<blockquote> </blockquote><p>Hi</p>", True) == "Hi"  # an empty quote leaves nothing


def test_words_of_adjacent_cells_and_blocks_do_not_run_together() -> None:
    """An order table or a list of sections in an e-mail: each cell or block is its own word, never glued to
    the next one ("Order12345")."""
    table = ("<table><tr><th>Order</th><th>Status</th></tr>"
             "<tr><td>Order</td><td>12345</td><td><b>late</b></td></tr></table>")
    assert plain_text(table, True) == "Order Status\n\nOrder 12345 late"
    blocks = ("<section>one</section><section>two</section><ul><li>a</li><li>b</li></ul>"
              "<dl><dt>term</dt><dd>meaning</dd></dl><p>x</p><div>y</div>z<br>w<hr>v")
    assert plain_text(blocks, True).split() == ["one", "two", "a", "b", "term", "meaning", "x", "y", "z", "w",
                                                "v"]
    assert plain_text("<p>Hel<b>lo</b> wor<span>ld</span></p>", True) == "Hello world"  # inline tags join


def test_an_escaped_entity_is_decoded_once() -> None:
    """`&amp;lt;` is the text "&lt;" (a customer quoting HTML), not "<"."""
    assert plain_text("<p>write &amp;lt;br&amp;gt; or a &lt; b &amp; c</p>", True) == \
        "write &lt;br&gt; or a < b & c"


def test_a_body_that_is_only_a_quote_is_html() -> None:
    """A reply that starts with the quoted earlier mail is read as HTML, so the quote is left out of the
    customer's own words rather than kept with its tags as theirs."""
    from features.text.quotes import own_words

    body = "<blockquote>Ihr seid ein Saftladen.</blockquote>Danke, erledigt."
    assert looks_like_html(body) and looks_like_html("<BLOCKQUOTE type=cite>x</BLOCKQUOTE>")
    assert looks_like_html("<h2>Refund</h2>") and looks_like_html("<td>Order</td><td>12345</td>")
    assert not looks_like_html("<blockquotes> are <header files>")
    text = plain_text(body, looks_like_html(body))
    assert text == "> Ihr seid ein Saftladen.\nDanke, erledigt."
    assert own_words(text).strip() == "Danke, erledigt."
