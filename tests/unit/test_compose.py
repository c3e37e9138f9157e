"""docker-compose.yml: the services users rely on, pinned images, loopback-only ports."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_services_present(compose: dict[str, Any]) -> None:
    """Kafka, Elasticsearch, Kibana, Prometheus, Grafana and the worker are wired together."""
    services = compose["services"]
    assert {"kafka", "elasticsearch", "kibana", "prometheus", "grafana", "worker"} <= set(services)
    env = services["worker"]["environment"]
    env = env if isinstance(env, dict) else dict(e.split("=", 1) for e in env)
    assert "kafka:9092" in str(env["KHABAR_KAFKA_BOOTSTRAP"])
    assert "elasticsearch:9200" in str(env["KHABAR_SEARCH_URL"])


def test_images_are_pinned(compose: dict[str, Any]) -> None:
    """Every image has an explicit version tag, never latest."""
    for name, svc in compose["services"].items():
        if "image" not in svc or "build" in svc:
            continue  # an image built from this repository is tagged by the build
        image = svc["image"]
        assert re.search(r":[0-9v][\w.\-]*$", image), (name, image)
        assert not image.endswith(":latest"), (name, image)


def test_ports_bound_to_loopback(compose: dict[str, Any]) -> None:
    """Published ports listen on 127.0.0.1 only."""
    for name, svc in compose["services"].items():
        for port in svc.get("ports", []):
            text = port if isinstance(port, str) else f"{port.get('host_ip', '')}:{port.get('published')}"
            assert text.startswith("127.0.0.1:"), (name, port)


def test_mounted_files_exist(compose: dict[str, Any]) -> None:
    """Bind-mounted config files and folders are in the repository."""
    for name, svc in compose["services"].items():
        for vol in svc.get("volumes", []):
            source = vol.split(":", 1)[0] if isinstance(vol, str) else vol.get("source", "")
            if source.startswith("./"):
                path = ROOT / source[2:]
                if path.suffix:
                    assert path.exists(), (name, source)


def test_the_image_keeps_the_web_port_on_loopback() -> None:
    """The Dockerfile sets no KHABAR_WEB_HOST: the worker's web port binds 127.0.0.1 unless whoever
    runs the image says otherwise (docker-compose.yml does, for Prometheus on its network)."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    env_lines = [line for line in dockerfile.splitlines() if not line.lstrip().startswith("#")]
    assert not any("KHABAR_WEB_HOST" in line for line in env_lines)
