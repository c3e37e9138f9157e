"""Table tests for markup (``markup.strip_html``, ``strip_markup``)."""

from __future__ import annotations

import pytest

from streams.enrich.persian import normalize_text, strip_html, strip_markup


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("<p>سلام</p><p>دنیا</p>", "سلام\n\nدنیا"),
        ("خط اول<br>خط دوم", "خط اول\n\nخط دوم"),
        ("<script>var a = '<p>';</script>خبر", "خبر"),
        ("<STYLE>p {color: red}</STYLE>خبر", "خبر"),
        ("<p class=\"lead\">روسیه &amp; ارمنستان&nbsp;امروز</p>", "روسیه & ارمنستان امروز"),
        ("خبر <!-- یادداشت --> مهم", "خبر مهم"),
        ("۳ &lt; ۵", "۳ < ۵"),
        ("a < b و c > d", "a < b و c > d"),
        ("<b>خبر</b> <i>فوری</i>", "خبر فوری"),
    ],
)
def test_html_is_stripped(text_in: str, text_out: str) -> None:
    """Tags go, script/style contents go, entities are unescaped, <p>/<br> break lines."""
    assert normalize_text(text_in) == text_out


def test_strip_html_on_its_own() -> None:
    """strip_html drops script bodies and comments, maps <br> and <p> to breaks."""
    assert strip_html("a<br/>b<p>c</p><script>x<y</script><!--z-->d&amp;") == "a\nb\n\nc\n\nd&"


def test_strip_html_unclosed_pieces() -> None:
    """An unclosed tag is text, an unclosed script or comment hides the rest."""
    assert strip_html("a <b") == "a <b"
    assert strip_html("a<script>alert(1)") == "a"
    assert strip_html("a<!-- b") == "a"


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("<b>خبر</b> فوری", "خبر فوری"),
        ("روسیه &amp; ارمنستان", "روسیه & ارمنستان"),
        ("a < b و c > d", "a < b و c > d"),  # no tag: nothing stripped
        ("خبر <!-- یادداشت --> مهم", "خبر  مهم"),
        ("متن ساده", "متن ساده"),
        ("&lt;a&gt;", ""),  # an entity that decodes to a tag: the tag goes too
        ("&lt;b&gt;خبر&amp;amp;lt;/b&amp;amp;gt;", "خبر"),  # escaped again and again
        ("&#38;lt;i&#38;gt;x", "x"),
        ("۳ &amp;lt; ۵", "۳ < ۵"),
    ],
)
def test_strip_markup(text_in: str, text_out: str) -> None:
    """Tags are stripped only when the text holds a tag; entities are unescaped either way."""
    assert strip_markup(text_in) == text_out
    assert strip_markup(text_out) == text_out
