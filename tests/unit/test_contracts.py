"""The code and the schemas agree: raw forms, enriched documents, the index template."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from typer.testing import CliRunner

from streams.cli import app
from streams.resources import load_schema

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "data" / "samples"
runner = CliRunner()


@pytest.fixture(scope="module")
def enriched_lines() -> list[dict]:
    result = runner.invoke(app, ["enrich", str(SAMPLES), "--json"])
    assert result.exit_code == 0, result.output
    return [orjson.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_enrich_prints_one_valid_document_per_article(enriched_lines: list[dict]) -> None:
    """`khabar enrich --json` prints JSON Lines that validate against the enriched schema."""
    validator = Draft202012Validator(load_schema("enriched_article.schema.json"), format_checker=FormatChecker())
    assert len(enriched_lines) >= 11
    for doc in enriched_lines:
        errors = [e.message for e in validator.iter_errors(doc)]
        assert not errors, (doc["id"], errors[:3])


def test_enrich_contract_fields(enriched_lines: list[dict]) -> None:
    """Each document has the contract's fields with the contract's shapes."""
    for doc in enriched_lines:
        for key in ("title", "kicker", "lead", "body", "entities", "quotes", "topics"):
            assert key in doc
        for e in doc["entities"]:
            assert e["type"] in ("person", "organization", "location", "date") and e["mentions"]
        for q in doc["quotes"]:
            assert q["kind"] in ("direct", "colon", "indirect", "headline") and q["text"] and "verb" in q
            assert q["field"] in ("kicker", "title", "lead", "body")


def test_seed_sample_is_karabakh_with_lavrov_quotes(enriched_lines: list[dict]) -> None:
    """The seed article among the samples carries topic karabakh and Lavrov's quotes."""
    seed = next(d for d in enriched_lines if "لاوروف" in d["kicker"])
    assert "karabakh" in seed["topics"]
    assert any(q["speaker"] and q["speaker"]["name"] == "سرگئی لاوروف" for q in seed["quotes"])
    # the kicker «لاوروف:» over the title is Lavrov's headline speech
    (headline,) = [q for q in seed["quotes"] if q["kind"] == "headline"]
    assert headline["speaker"]["name"] == "سرگئی لاوروف" and headline["text"].startswith("مسائل زیادی")


def _mapping_fields(props: dict, prefix: str = "") -> set[str]:
    out = set()
    for name, spec in props.items():
        out.add(prefix + name)
        if "properties" in spec:
            out |= _mapping_fields(spec["properties"], prefix + name + ".")
    return out


def test_template_maps_every_schema_field() -> None:
    """Every top-level field of the enriched schema is mapped in the index template, and back."""
    schema = load_schema("enriched_article.schema.json")
    mapping = load_schema("index_template.json")["template"]["mappings"]
    assert mapping["dynamic"] == "strict"
    assert set(schema["properties"]) == set(mapping["properties"])
    quotes = mapping["properties"]["quotes"]
    assert quotes["type"] == "nested"
    assert {"text", "verb", "speaker"} <= set(quotes["properties"])


def test_template_text_fields_use_the_pinned_analyzer() -> None:
    """Title, lead and body use the custom Persian analyzer, not the engine's default."""
    tpl = load_schema("index_template.json")["template"]
    props = tpl["mappings"]["properties"]
    for name in ("title", "lead", "body"):
        assert props[name]["analyzer"] == "khabar_fa"
    assert "khabar_fa" in tpl["settings"]["analysis"]["analyzer"]


def test_raw_schema_accepts_every_sample() -> None:
    """The bundled samples are valid raw articles."""
    from streams.intake.files import RawInput, expand_paths, iter_inputs

    validator = Draft202012Validator(load_schema("raw_article.schema.json"))
    items = [x for p in expand_paths([SAMPLES]) for x in iter_inputs(p)]
    assert items and all(isinstance(x, RawInput) for x in items)
    for item in items:
        assert not list(validator.iter_errors(item.doc)), item.where
