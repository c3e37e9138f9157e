"""Kicker, title, lead, paragraphs, dateline and source."""

from pathlib import Path

import pytest

from streams.enrich.structure import split_head, split_structure

SEED = Path(__file__).resolve().parents[2] / "data" / "seed-article.txt"


def test_seed_head() -> None:
    """The seed's kicker line and title line are found before the wrapped lead."""
    kicker, title, rest = split_head(SEED.read_text(encoding="utf-8"))
    assert kicker == "لاوروف:"
    assert title == "مسائل زیادی در قره باغ باید حل شود"
    assert rest.lstrip().startswith("وزیر خارجه روسیه در زمینه")


def test_title_only_head() -> None:
    """A long first line followed by wrapped text is a title with no kicker."""
    wrapped = "این یک خط طولانی از متن خبر است که در عرض هفتاد نویسه شکسته شده و ادامه دارد\n" * 3
    kicker, title, rest = split_head("رئیس‌جمهور به نیویورک سفر کرد\n" + wrapped)
    assert (kicker, title) == ("", "رئیس‌جمهور به نیویورک سفر کرد")
    assert rest.startswith("این یک خط")


def test_body_starting_with_a_sentence_has_no_head() -> None:
    """A text that starts with a full sentence has no kicker or title."""
    assert split_head("این یک جمله کامل است.\nو ادامه.")[:2] == ("", "")


def test_lead_defaults_to_first_paragraph() -> None:
    """Without a lead field the first paragraph is the lead."""
    s = split_structure("", "عنوان", "", "بند اول.\n\nبند دوم.")
    assert s.lead == "بند اول." and s.paragraphs == ("بند دوم.",)


def test_dateline_and_source() -> None:
    """A «city- agency-» dateline is split off and «به گزارش X،» is the source."""
    s = split_structure("", "عنوان", "تهران- ایرنا- به گزارش خبرگزاری «تاس»، وزیر گفت.", "بند.")
    assert s.dateline == "تهران- ایرنا"
    assert s.lead.startswith("به گزارش")
    assert s.source == "خبرگزاری «تاس»"


@pytest.mark.parametrize("raw,kicker,title", [
    ("لاوروف:\nمسائل زیادی باید حل شود\nمتن خبر ادامه دارد.", "لاوروف:", "مسائل زیادی باید حل شود"),
    ("سطر کوتاه\nعنوان خبر\nمتن خبر.", "سطر کوتاه", "عنوان خبر"),
    ("عنوان کوتاه\nمتن خبر.", "", "عنوان کوتاه"),                           # two lines: no room for a kicker
    ("جمله‌ای کامل.\nعنوان\nمتن", "", ""),                                 # a sentence first: no head
    ("سطر اول کوتاه\nسطر دوم تمام است.\nسطر سوم", "", "سطر اول کوتاه"),    # the second line is a sentence
    ("یک دو سه چهار پنج شش هفت هشت نه\nعنوان\nمتن", "", "یک دو سه چهار پنج شش هفت هشت نه"),  # too long a kicker
    ("", "", ""),
])
def test_head_lines(raw: str, kicker: str, title: str) -> None:
    """A kicker is a short line or one ending in a colon, followed by a title and more text."""
    assert split_head(raw)[:2] == (kicker, title)


@pytest.mark.parametrize("body,title,lead", [
    ("عنوان خبر\n\nبند اول.\n\nبند دوم.", "عنوان خبر", "بند اول."),   # a short first paragraph is the title
    ("بند اول.\n\nبند دوم.", "", "بند اول."),                           # a sentence is not
    ("عنوان خبر", "", "عنوان خبر"),                                       # nothing after it: the lead
])
def test_a_title_set_as_a_paragraph(body: str, title: str, lead: str) -> None:
    """With no title field, a short first paragraph that does not end like a sentence is the title."""
    s = split_structure("", "", "", body)
    assert (s.title, s.lead) == (title, lead)
