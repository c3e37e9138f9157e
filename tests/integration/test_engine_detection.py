"""Engine detection on each real node: product and version, an explicit engine, readiness."""

from __future__ import annotations

import asyncio

import pytest

from streams.config import load_settings
from streams.devtools.stack import Stack
from streams.errors import ConfigError
from streams.sink.engine import Engine, detect_engine
from streams.sink.search import open_writer

pytestmark = [pytest.mark.integration, pytest.mark.search]


def test_detection_names_the_engine_and_its_version(stack: Stack, engine: str) -> None:
    """The node is told apart (Elasticsearch here has no root endpoint) and its version read."""
    found = detect_engine(load_settings({"KHABAR_SEARCH_URL": stack.config.search_url}))
    assert found == Engine(engine, stack.status().service(engine).version)  # type: ignore[arg-type]


def test_an_explicit_engine_is_checked_against_the_server(stack: Stack, engine: str) -> None:
    """KHABAR_SEARCH_ENGINE=elasticsearch on OpenSearch is refused, naming what answered; on Elasticsearch it
    gives the version as detection does."""
    settings = load_settings({"KHABAR_SEARCH_URL": stack.config.search_url, "KHABAR_SEARCH_ENGINE": "elasticsearch"})
    if engine == "opensearch":
        with pytest.raises(ConfigError, match=r"KHABAR_SEARCH_ENGINE=elasticsearch, but .* is OpenSearch 2\."):
            detect_engine(settings)
    else:
        assert detect_engine(settings).version == stack.status().service(engine).version


def test_the_writer_answers_readiness(stack: Stack) -> None:
    """The readiness ping gets an answer from every engine (the root endpoint is not relied on)."""

    async def ping() -> bool:
        writer = open_writer(load_settings({"KHABAR_SEARCH_URL": stack.config.search_url}))
        try:
            return await writer.ping()
        finally:
            await writer.close()

    assert asyncio.run(ping())
