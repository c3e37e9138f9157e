"""Telling the engines apart from their answers, and the Elasticsearch API version Khabar asks for."""

from __future__ import annotations

import pytest

from streams.config import load_settings
from streams.errors import ConfigError
from streams.sink.engine import Engine, compat_major, detect_engine, engine_from_root, version_from_nodes

ES_PRODUCT = {"x-elastic-product": "Elasticsearch"}


def test_opensearch_from_its_root() -> None:
    """OpenSearch names itself in version.distribution (and sends no product header)."""
    body = {"version": {"distribution": "opensearch", "number": "2.19.1"}, "tagline": "The OpenSearch Project"}
    assert engine_from_root({}, body) == Engine("opensearch", "2.19.1")


def test_elasticsearch_from_its_product_header() -> None:
    """Elasticsearch is told by its product header, not by its tagline."""
    body = {"version": {"number": "9.1.5", "build_flavor": "default"}, "tagline": "You Know, for Search"}
    assert engine_from_root(ES_PRODUCT, body) == Engine("elasticsearch", "9.1.5")
    assert engine_from_root({}, body) is None


def test_version_from_the_local_node() -> None:
    """/_nodes/_local gives the version a minimal build's missing root endpoint would have given."""
    assert version_from_nodes({"nodes": {"Xy1": {"version": "8.19.21"}}}) == "8.19.21"
    assert version_from_nodes({"nodes": {}}) is None
    assert version_from_nodes("405") is None


@pytest.mark.parametrize(("version", "major"), [("8.19.21", 8), ("9.1.5", 9), (None, 8)])
def test_api_version_follows_the_server(version: str | None, major: int) -> None:
    """8.x servers get API version 8, 9.x get 9; an unknown version gets 8, which both accept."""
    assert compat_major(Engine("elasticsearch", version)) == major


@pytest.mark.parametrize("version", ["7.17.25", "10.0.0"])
def test_unsupported_elasticsearch_is_a_clear_error(version: str) -> None:
    """A version outside 8.x and 9.x is refused, naming what is served."""
    with pytest.raises(ConfigError, match=rf"Elasticsearch {version} is not supported: .* 8.x and 9.x"):
        compat_major(Engine("elasticsearch", version))


def test_explicit_opensearch_asks_the_server_nothing() -> None:
    """KHABAR_SEARCH_ENGINE=opensearch skips detection (a root blocked by a proxy does not matter)."""
    settings = load_settings({"KHABAR_SEARCH_ENGINE": "opensearch", "KHABAR_SEARCH_URL": "http://127.0.0.1:9"})
    assert detect_engine(settings) == Engine("opensearch")


def test_search_engine_setting_is_validated() -> None:
    """Anything but auto, elasticsearch or opensearch is refused, naming the choices."""
    with pytest.raises(ConfigError, match="KHABAR_SEARCH_ENGINE must be one of auto, elasticsearch, opensearch"):
        load_settings({"KHABAR_SEARCH_ENGINE": "solr"})
