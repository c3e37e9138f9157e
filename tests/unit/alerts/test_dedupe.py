"""One alert per story: shingle sketches, the per-figure ledger, the alert record."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import orjson
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from streams.alerts.dedupe import MAX_LEDGER_BYTES, Ledger, Mention, Sketch, story_text
from streams.resources import load_schema

FEED = Path(__file__).resolve().parents[3] / "streams" / "data" / "samples" / "agency-feed.jsonl"
HOUR = 3600.0


@pytest.fixture(scope="module")
def feed() -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in FEED.read_bytes().splitlines() if line.strip()]


def _mention(doc_id: str, text: str, *, agency: str = "ایرنا", at: float = 1000.0, kind: str = "mention",
             quote: str | None = None) -> Mention:
    return Mention(figure_id="person/sergey-lavrov", figure_name="سرگئی لاوروف", figure_type="person",
                   doc_id=doc_id, title=f"عنوان {doc_id}", url=f"https://news.example/{doc_id}", agency=agency,
                   published_at="2024-05-01T10:00:00Z", kind=kind, surface="لاوروف", quote=quote,  # type: ignore[arg-type]
                   sketch=Sketch.of(text), seen_at=at)


def _observe(ledger: Ledger, m: Mention, now: float | None = None, wait: float = 10.0) -> str:
    return ledger.observe(m, now=m.seen_at if now is None else now, window_s=6 * HOUR, group_wait_s=wait,
                          similarity=0.5)


def test_copies_with_another_source_line_are_near_identical(feed: list[dict[str, Any]]) -> None:
    """A republished story (other source line, a dropped paragraph, a few words edited) scores above 0.8."""
    for doc in feed:
        text = story_text(doc)
        words = text.split()
        copies = [
            "به گزارش خبرگزاری مهر به نقل از ایرنا، " + text,
            text.replace("به گزارش", "به نقل از", 1) + "\nانتهای پیام/",
            " ".join(w for i, w in enumerate(words) if i % 15 != 5),
            "\n\n".join(text.split("\n\n")[:-1]) or text,
        ]
        for copy in copies:
            assert Sketch.of(text).containment(Sketch.of(copy)) > 0.75, doc["id"]


def test_different_stories_are_far_apart(feed: list[dict[str, Any]]) -> None:
    """Distinct stories of the sample feed, even on one subject, score below 0.5 (the default threshold)."""
    sketches = {d["id"]: Sketch.of(story_text(d)) for d in feed}
    same_story = {frozenset(("85901233", "6531208"))}  # ایرنا's report republished by مهر
    for (a, sa), (b, sb) in itertools.combinations(sketches.items(), 2):
        if frozenset((a, b)) in same_story:
            assert sa.containment(sb) > 0.5
        else:
            assert sa.containment(sb) < 0.5, (a, b)


def test_sketch_round_trips_and_empty_text_matches_nothing() -> None:
    """A sketch survives encode/decode; an empty text is never a copy of anything."""
    sketch = Sketch.of("وزیر خارجه روسیه درباره قره‌باغ سخن گفت و بر ثبات منطقه تأکید کرد")
    assert Sketch.decode(sketch.encode()) == sketch
    assert Sketch.of("").containment(Sketch.of("")) == 0.0
    assert sketch.containment(sketch) == 1.0


def test_copies_within_the_wait_make_one_alert_listing_every_agency(feed: list[dict[str, Any]]) -> None:
    """Three agencies' copies inside the group wait: one group, due once, listing the three agencies."""
    text = story_text(feed[0])
    ledger = Ledger()
    assert _observe(ledger, _mention("a1", text, agency="ایرنا", at=1000)) == "opened"
    assert _observe(ledger, _mention("a2", "به گزارش مهر، " + text, agency="مهر", at=1003)) == "joined"
    assert _observe(ledger, _mention("a3", text + "\nانتهای پیام", agency="ایسنا", at=1006)) == "joined"
    assert ledger.due(1009.9) == []
    (group,) = ledger.due(1010.0)
    alert = group.alert(1010.0)
    assert alert["agencies"] == ["ایرنا", "مهر", "ایسنا"]
    assert [a["id"] for a in alert["articles"]] == ["a1", "a2", "a3"]
    assert alert["article_id"] == "a1" and alert["figure_id"] == "person/sergey-lavrov"


def test_late_copy_and_redelivery_do_not_alert_again(feed: list[dict[str, Any]]) -> None:
    """After the alert, another copy is 'late' and the same article again is a 'repeat'; nothing is due."""
    text = story_text(feed[0])
    ledger = Ledger()
    _observe(ledger, _mention("a1", text, at=1000))
    for group in ledger.due(1010):
        group.emitted = True
    assert _observe(ledger, _mention("a2", text, agency="مهر", at=2000)) == "late"
    assert _observe(ledger, _mention("a1", text, at=2001)) == "repeat"
    assert ledger.due(9999) == []


def test_another_story_opens_its_own_group(feed: list[dict[str, Any]]) -> None:
    """A different story about the same figure is a second alert."""
    ledger = Ledger()
    _observe(ledger, _mention("a1", story_text(feed[0]), at=1000))
    assert _observe(ledger, _mention("b1", story_text(feed[3]), at=1001)) == "opened"
    assert len(ledger.due(2000)) == 2


def test_the_window_expires(feed: list[dict[str, Any]]) -> None:
    """A copy arriving after the dedup window is a new story again."""
    text = story_text(feed[0])
    ledger = Ledger()
    _observe(ledger, _mention("a1", text, at=1000))
    for group in ledger.due(1010):
        group.emitted = True
    assert _observe(ledger, _mention("a2", text, at=1000 + 6 * HOUR + 1)) == "opened"


def test_a_quoting_copy_turns_the_alert_into_a_quote(feed: list[dict[str, Any]]) -> None:
    """If any copy gathered before the alert quotes the figure, the alert is a quote with the words."""
    text = story_text(feed[0])
    ledger = Ledger()
    _observe(ledger, _mention("a1", text, at=1000))
    _observe(ledger, _mention("a2", text, agency="مهر", at=1001, kind="quote", quote="ثبات برقرار شد"))
    (group,) = ledger.due(1010)
    alert = group.alert(1010)
    assert alert["kind"] == "quote" and alert["quote"] == "ثبات برقرار شد"


def test_zero_wait_alerts_at_once_and_state_round_trips(feed: list[dict[str, Any]]) -> None:
    """With no group wait the first copy is due immediately; the ledger survives to_dict/from_dict."""
    ledger = Ledger()
    _observe(ledger, _mention("a1", story_text(feed[0]), at=1000), wait=0)
    assert len(ledger.due(1000)) == 1
    again = Ledger.from_dict(orjson.loads(orjson.dumps(ledger.to_dict())))
    assert again.to_dict() == ledger.to_dict()
    assert _observe(again, _mention("a2", story_text(feed[0]), at=1001), wait=0) == "joined"


def test_alert_matches_the_schema(feed: list[dict[str, Any]]) -> None:
    """The alert record validates against schemas/alert.schema.json, with and without optional values."""
    validator = Draft202012Validator(load_schema("alert.schema.json"), format_checker=FormatChecker())
    ledger = Ledger()
    _observe(ledger, _mention("a1", story_text(feed[0]), at=1000, kind="quote", quote="سخن"))
    m = _mention("b1", story_text(feed[3]), at=1000)
    bare = Mention(**{**{f: getattr(m, f) for f in m.__slots__}, "agency": None, "url": None,  # type: ignore[arg-type]
                      "published_at": None})
    _observe(ledger, bare)
    for group in ledger.due(1100):
        errors = [e.message for e in validator.iter_errors(group.alert(1100))]
        assert not errors, errors
    assert [g.alert(1100)["agencies"] for g in ledger.groups][1] == ["unknown"]


def test_a_ledger_stays_under_its_size_bound() -> None:
    """However many stories with long URLs a figure collects, its stored ledger (one changelog
    record) keeps under MAX_LEDGER_BYTES, the newest stories kept."""
    ledger = Ledger()
    for n in range(60):
        for copy in range(20):
            m = Mention("f", "F", "person", f"d{n}-{copy}", "t", "https://x.example/" + "a" * 2000, "A" * 500, None,
                        "mention", "F", None, Sketch.of(f"story {n} " * 10), 1000.0 + n)
            ledger.observe(m, now=1000.0 + n, window_s=10**6, group_wait_s=0, similarity=0.5)
    for g in ledger.groups:
        g.emitted = True
    body = ledger.encode()
    assert len(body) <= MAX_LEDGER_BYTES
    assert Ledger.from_dict(orjson.loads(body)).groups[-1].first["article"]["id"] == "d59-0"


@pytest.mark.parametrize(("url", "kept"), [
    ("https://irna.ir/news/1", True), ("http://x.example/a?b=c#d", True), ("javascript:alert(1)", False),
    ("JAVASCRIPT://x", False), ("data:text/html,<b>", False), ("//x.example", False), ("https:///x", False),
    ("https://x.example/\nSet-Cookie: a", False), ("https://x.example/" + "a" * 3000, False),
])
def test_mentions_keep_only_web_urls(url: str, kept: bool) -> None:
    """A mention hands on an absolute http(s) URL and nothing else (no javascript:, data:, controls)."""
    m = Mention("f", "F", "person", "d", "t", url, None, None, "mention", "F", None, Sketch((), 0), 0.0)
    assert (m.url == url) is kept and (m.url is None) is not kept
