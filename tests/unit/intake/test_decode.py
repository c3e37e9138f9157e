"""Decoding raw payloads in the three accepted forms, and the reasons bad ones are refused."""

import orjson
import pytest

from streams.errors import InvalidArticle
from streams.intake.decode import decode_article, parse_article, stable_id

BODY = "وزیر امور خارجه روسیه روز سه‌شنبه در نشست خبری درباره تحولات منطقه سخن گفت."
MAX = 2 * 1024 * 1024
FLAT = {"id": "7", "agency": "IRNA", "title": "عنوان", "body": BODY, "language": "fa"}


def _decode(doc: object) -> object:
    return decode_article(orjson.dumps(doc), max_bytes=MAX)


def test_flat_form() -> None:
    """The flat agency form keeps its fields and gets an agency + id document id."""
    a = _decode({"id": "123", "agency": "IRNA", "url": "https://x/1", "title": "عنوان", "kicker": "",
                 "lead": "لید", "body": BODY, "published_at": "2021-11-09T10:00:00+03:30", "language": "fa"})
    assert a.doc_id == "irna-123" and a.source_format == "flat" and a.title == "عنوان"
    assert a.published_at is not None and a.published_at.utcoffset() is not None


def test_ninjs_form() -> None:
    """IPTC ninjs: uri, headlines, body_text and versioncreated."""
    a = _decode({"uri": "urn:newsml:irna:1", "versioncreated": "2021-11-09T10:00:00Z", "language": "fa",
                 "headlines": [{"value": "عنوان"}], "body_text": BODY, "copyrightholder": "IRNA"})
    assert a.source_format == "ninjs" and a.title == "عنوان" and a.agency == "IRNA"
    assert a.updated_at is not None and a.updated_at.year == 2021


def test_body_only_form() -> None:
    """A body-only article is the text form; its id is a content hash."""
    a = _decode({"body": BODY})
    assert a.source_format == "text" and a.doc_id.startswith("h-")


def test_ids_are_stable() -> None:
    """The same article always gets the same id; URL is the fallback before content."""
    assert stable_id("Mehr", "9", None, "x") == stable_id("Mehr", "9", "u", "y") == "mehr-9"
    assert stable_id(None, None, "https://a/b", "x") == stable_id(None, None, "https://a/b", "z")
    assert stable_id(None, None, None, "x") != stable_id(None, None, None, "z")


@pytest.mark.parametrize("payload,reason", [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00", "not valid UTF-8"),
    (b"[1, 2]", "must be a JSON object"),
    (orjson.dumps({"title": "x"}), "schema"),
    (orjson.dumps({"body": 5}), "schema"),
    (orjson.dumps({"body": "   "}), "body is empty"),
    (orjson.dumps({"title": "عنوان فارسی خبر", "body": "\u0000\u200c\u202e \n..."}), "body is empty: no letters"),
    (orjson.dumps({"body": "This is an English article about nothing in particular at all."}), "not Persian"),
    (orjson.dumps({"body": BODY, "language": "en"}), "not Persian"),
    (orjson.dumps({"title": "سخنرانی وزیر خارجه روسیه در نشست امنیتی مونیخ درباره امنیت اروپا و آینده روابط",
                   "body": "The minister spoke at length about European security and the war. " * 4}),
     "body is not Persian"),
    (orjson.dumps({"body": BODY, "published_at": "2021-02-30T00:00:00Z"}), "ISO 8601"),
    (orjson.dumps({"body": BODY, "published_at": "3021-01-01T00:00:00Z"}), "out of range"),
])
def test_bad_payloads_have_reasons(payload: bytes, reason: str) -> None:
    """Every refusal names its reason."""
    with pytest.raises(InvalidArticle, match=reason):
        decode_article(payload, max_bytes=MAX)


def test_oversize_payload() -> None:
    """Payloads over the limit are refused before decoding."""
    with pytest.raises(InvalidArticle, match="over the"):
        decode_article(b"x" * 5000, max_bytes=4096)


def test_deeply_nested_json() -> None:
    """Deep nesting is refused without recursion trouble."""
    doc: object = {"body": BODY}
    for _ in range(100):
        doc = {"x": doc}
    with pytest.raises(InvalidArticle, match="nested"):
        parse_article(doc)


def test_non_persian_accepted_by_policy() -> None:
    """With the accept policy, language is not checked."""
    a = parse_article({"body": "An English body.", "language": "en"}, require_persian=False)
    assert a.body == "An English body."


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,x",
                                 "vbscript:x", "//evil.example/a", "https://", "https:///path",
                                 "https://irna.ir/a b", "https://irna.ir/\r\nSet-Cookie: x", "file:///etc/passwd"])
def test_url_fields_take_only_web_urls(url: str) -> None:
    """An article whose url is not an absolute http(s) URL is refused with the reason (dead-lettered),
    so no javascript: link reaches the index, an alert or a webhook."""
    with pytest.raises(InvalidArticle, match="url must be an absolute http"):
        decode_article(orjson.dumps({**FLAT, "url": url}), max_bytes=MAX)


def test_web_urls_pass_and_a_ninjs_urn_is_no_url() -> None:
    """http(s) URLs are kept as they are; a ninjs uri that is a URN identifies the article but is no url."""
    assert decode_article(orjson.dumps({**FLAT, "url": "HTTPS://www.irna.ir/news/85/خبر?x=1#p"}),
                          max_bytes=MAX).url == "HTTPS://www.irna.ir/news/85/خبر?x=1#p"
    ninjs = {"uri": "urn:newsml:irna.ir:2024:1", "body_text": FLAT["body"], "language": "fa",
             "headlines": [{"value": FLAT["title"]}]}
    assert decode_article(orjson.dumps(ninjs), max_bytes=MAX).url is None
