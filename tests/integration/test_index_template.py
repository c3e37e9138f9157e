"""The index template on each engine: its Persian analysis run by the engine itself (`_analyze`), the same
tokens everywhere, and the dashboards' fields checked against the real mapping (`_field_caps`).

The template is put by Khabar's own writer (``ensure_index``), byte for byte what production gets;
on the local Elasticsearch node the ``mapping``, ``decimal_digit``, ``arabic_normalization`` and
``persian_normalization`` components come from the khabar-analysis plugin, elsewhere from the engine.
Lucene's Persian normalization folds Persian yeh (ی) and keheh (ک) to their Arabic forms (ي, ك): the
expected tokens spell those out as escapes.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from opensearchpy import OpenSearch

from streams.commands.dashboards import load_objects
from streams.config import load_settings
from streams.devtools.stack import Stack
from streams.resources import load_schema
from streams.sink.search import open_writer
from tests.support import drop_index
from tests.unit.commands.test_dashboards import _field_uses

pytestmark = [pytest.mark.integration, pytest.mark.search]

ZWNJ, ZWJ, TATWEEL = "\u200c", "\u200d", "\u0640"
QAREH, BAGH = "\u0642\u0631\u0647", "\u0628\u0627\u063a"  # قره, باغ
KETAB = "\u0643\u062a\u0627\u0628"  # كتاب, Arabic keheh
ALI = "\u0639\u0644\u064a"  # علي, Arabic yeh


@pytest.fixture(scope="module")
def index(stack: Stack, search_client: OpenSearch) -> Iterator[str]:
    """An index made from the template by Khabar's writer."""
    alias = f"an{uuid.uuid4().hex[:8]}-articles"
    settings = load_settings({"KHABAR_SEARCH_URL": stack.config.search_url, "KHABAR_INDEX_ALIAS": alias})

    async def make() -> None:
        writer = await asyncio.to_thread(open_writer, settings)
        try:
            await writer.ensure_index()
        finally:
            await writer.close()

    asyncio.run(make())
    try:
        yield f"{alias}-v1"
    finally:
        drop_index(search_client, alias)


def _tokens(client: OpenSearch, index: str, text: str, **how: str) -> list[str]:
    body: dict[str, Any] = {"text": text, **(how or {"analyzer": "khabar_fa"})}
    return [t["token"] for t in client.indices.analyze(index=index, body=body)["tokens"]]


def test_the_template_reaches_the_engine_unchanged(index: str, search_client: OpenSearch) -> None:
    """The index carries the template file's analysis settings as they are: nothing forked per engine."""
    analysis = search_client.indices.get_settings(index=index)[index]["settings"]["index"]["analysis"]
    assert analysis == load_schema("index_template.json")["template"]["settings"]["analysis"]


@pytest.mark.parametrize(("text", "tokens"), [
    (f"قره{ZWNJ}باغ", [QAREH, BAGH]),  # ZWNJ: two words, as with a space
    ("قره باغ", [QAREH, BAGH]),
    ("قرهباغ", [QAREH + BAGH]),  # run together: one word (found through entity keys, not the analyzer)
    (f"{TATWEEL}خبر{ZWJ}گزاری{TATWEEL}", ["\u062e\u0628\u0631\u06af\u0632\u0627\u0631\u064a"]),  # ZWJ, tatweel gone
    ("كتاب", [KETAB]),  # Arabic kaf
    ("کتاب", [KETAB]),  # Persian keheh
    ("علي", [ALI]),  # Arabic yeh
    ("علی", [ALI]),  # Persian yeh
    ("۱۴۰۲", ["1402"]),  # Persian digits
    ("١٤٠٢", ["1402"]),  # Arabic-Indic digits
    ("1402", ["1402"]),
    ("از این به که", []),  # stop words
    ("Lavrov و KARABAKH", ["lavrov", "karabakh"]),
])
def test_khabar_fa_analyzer(index: str, search_client: OpenSearch, text: str, tokens: list[str]) -> None:
    """ZWNJ, Arabic letters, digits and stop words give the same tokens on every engine."""
    assert _tokens(search_client, index, text) == tokens


def test_keyword_normalizer(index: str, search_client: OpenSearch) -> None:
    """The keyword normalizer folds letters, digits and case of a whole value into one term."""
    for text in ("كتاب ۱۲۳ ABC", "کتاب 123 abc"):
        assert _tokens(search_client, index, text, normalizer="khabar_keyword") == [f"{KETAB} 123 abc"]


def test_dashboard_fields_exist_in_the_real_mapping(index: str, search_client: OpenSearch, engine: str) -> None:
    """Every field the engine's dashboards use is in the index the engine built, searchable where queried,
    aggregatable where counted, sorted or put on a time axis (Kibana's objects on Elasticsearch)."""
    caps = search_client.field_caps(index=index, params={"fields": "*"})["fields"]
    problems = []
    for obj in load_objects("kibana" if engine == "elasticsearch" else "opensearch"):
        for field, use in _field_uses(obj):
            found = caps.get(field)
            if not found:
                problems.append(f"{obj['id']}: {field} is not in the index")
                continue
            (kind, cap), = found.items()
            if use in ("query", "column") and not cap["searchable"] and kind not in ("object", "nested"):
                problems.append(f"{obj['id']}: {field} ({kind}) is not searchable")
            if use in ("terms", "sort", "date", "date_histogram", "count", "unique_count") and not cap["aggregatable"]:
                problems.append(f"{obj['id']}: {field} ({kind}) is not aggregatable, {use} needs it")
            if use in ("date", "date_histogram") and kind != "date":
                problems.append(f"{obj['id']}: {field} is {kind}, {use} needs a date")
    assert not problems, problems
