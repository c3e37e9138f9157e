"""Generated agency-style Persian articles for load and fault tests.

Templates filled with names from the gazetteer (people with their roles, organizations, places),
so every article is varied, Persian, at least 1 KB of body, and has a distinct id and a known
external version (its update time in milliseconds).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any

import orjson
import yaml

from streams.intake.decode import stable_id
from streams.resources import data_path

__all__ = ["Generated", "generate", "persian_digits"]

AGENCIES = ("IRNA", "ISNA", "Mehr", "Tasnim", "Fars", "ILNA", "YJC")
_AGENCY_NAMES = {"IRNA": "ایرنا", "ISNA": "ایسنا", "Mehr": "خبرگزاری مهر", "Tasnim": "تسنیم", "Fars": "فارس",
                 "ILNA": "ایلنا", "YJC": "باشگاه خبرنگاران جوان"}
_KICKERS = ("در نشست خبری", "گزارش ویژه", "واکنش‌ها ادامه دارد", "در پی دیدار", "بررسی تحولات منطقه", "")
_TITLES = (
    "{person} در {place} با مقام‌های {org} دیدار کرد",
    "سفر {person} به {place} و گفت‌وگو درباره همکاری‌های دوجانبه",
    "{org} نشست فوق‌العاده درباره {place} برگزار می‌کند",
    "هشدار {person} درباره وضعیت اقتصادی {place}",
    "بیانیه {org} درباره تحولات تازه در {place}",
)
_LEADS = (
    "{role}، {person}، روز {weekday} در {place} درباره آینده همکاری‌ها و مسائل منطقه‌ای با خبرنگاران گفت‌وگو کرد.",
    "{org} روز {weekday} اعلام کرد نشست تازه‌ای درباره وضعیت {place} با حضور نمایندگان کشورهای عضو برگزار می‌شود.",
)
_PARAGRAPHS = (
    "به گزارش {agency}، {person}، {role}، در این دیدار گفت: «ما آماده‌ایم همکاری‌های خود را در زمینه‌های "
    "اقتصادی، فرهنگی و علمی گسترش دهیم و مسیر گفت‌وگو را ادامه خواهیم داد.»",
    "وی افزود: «مردم {place} انتظار دارند نتیجه این گفت‌وگوها را در زندگی روزمره خود ببینند و ما "
    "برای رسیدن به این هدف تلاش می‌کنیم.»",
    "این دیدار در حالی انجام شد که {org} هفته گذشته در گزارشی از افزایش {number} درصدی قیمت کالاهای اساسی "
    "در {place} و کشورهای همسایه خبر داده بود.",
    "کارشناسان معتقدند تحولات اخیر در {place} بر بازارهای انرژی و مسیرهای تجاری منطقه اثر می‌گذارد و "
    "دولت‌ها باید برای مدیریت پیامدهای آن برنامه‌ریزی کنند.",
    "{person2}، {role2}، نیز در واکنش به این موضوع در بیانیه‌ای نوشت: «حل مسائل منطقه تنها از راه "
    "دیپلماسی و احترام متقابل ممکن است.»",
    "بر اساس این گزارش، قرار است نشست بعدی {org} در ماه آینده در {place2} برگزار شود و موضوعاتی مانند "
    "امنیت غذایی، انرژی و گردشگری در دستور کار آن قرار دارد.",
    "مقام‌های {place2} نیز اعلام کردند از هر ابتکاری که به کاهش تنش‌ها و افزایش همکاری‌های اقتصادی "
    "بینجامد حمایت می‌کنند و آماده میزبانی دور تازه مذاکرات هستند.",
    "گفتنی است حجم مبادلات تجاری دو طرف در سال گذشته به حدود {number} میلیون دلار رسید که نسبت به سال "
    "پیش از آن افزایش چشمگیری داشته است.",
)
_WEEKDAYS = ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنج‌شنبه", "جمعه")
_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def persian_digits(n: int) -> str:
    return str(n).translate(_DIGITS)


@cache
def _names() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]]:
    entries = yaml.safe_load(data_path("gazetteer.yaml").read_text(encoding="utf-8"))
    people = tuple((e["name"], e.get("role") or "سخنگوی دولت") for e in entries if e["type"] == "person")
    orgs = tuple(e["name"] for e in entries if e["type"] == "organization")
    places = tuple(e["name"] for e in entries if e["type"] == "location")
    return people, orgs, places


@dataclass(frozen=True)
class Generated:
    """One produced article: what to send and what the index must hold afterwards."""

    doc_id: str
    key: bytes
    value: bytes
    version: int


def _article(rng: random.Random, run: str, n: int, base: datetime) -> tuple[dict[str, Any], datetime]:
    people, orgs, places = _names()
    (person, role), (person2, role2) = rng.sample(people, 2)
    place, place2 = rng.sample(places, 2)
    org = rng.choice(orgs)
    agency = AGENCIES[n % len(AGENCIES)]
    fill = {"person": person, "role": role, "person2": person2, "role2": role2, "place": place, "place2": place2,
            "org": org, "agency": _AGENCY_NAMES[agency], "weekday": rng.choice(_WEEKDAYS),
            "number": persian_digits(rng.randint(3, 900))}
    paragraphs = [p.format(**fill) for p in rng.sample(_PARAGRAPHS, 5)]
    body = "\n\n".join(paragraphs)
    while len(body.encode("utf-8")) < 1024:
        body += "\n\n" + rng.choice(_PARAGRAPHS).format(**fill)
    published = base + timedelta(seconds=n)
    updated = published + timedelta(minutes=rng.randint(0, 90))
    doc = {
        "id": f"{run}-{n:06d}",
        "agency": agency,
        "url": f"https://{agency.lower()}.example/news/{run}/{n}",
        "kicker": rng.choice(_KICKERS),
        "title": rng.choice(_TITLES).format(**fill),
        "lead": rng.choice(_LEADS).format(**fill),
        "body": body,
        "published_at": published.isoformat().replace("+00:00", "Z"),
        "updated_at": updated.isoformat().replace("+00:00", "Z"),
        "language": "fa",
    }
    return doc, updated


def generate(count: int, run: str, *, seed: int = 7, start: int = 0) -> Iterator[Generated]:
    """``count`` distinct valid articles for ``run`` (ids ``<agency>-<run>-<n>``), deterministic per seed."""
    rng = random.Random(f"{seed}-{run}-{start}")
    base = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)
    for n in range(start, start + count):
        doc, updated = _article(rng, run, n, base)
        doc_id = stable_id(doc["agency"], doc["id"], doc["url"], doc["title"] + "\n" + doc["body"])
        yield Generated(doc_id, doc_id.encode(), orjson.dumps(doc), int(updated.timestamp() * 1000))
