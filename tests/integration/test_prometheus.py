"""A real Prometheus server scrapes a running worker; khabar metrics come back through its HTTP API."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from kafka import KafkaProducer

from tests.support import Worker, free_port, produce, wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("prometheus") is None or shutil.which("promtool") is None,
                       reason="prometheus/promtool not installed (apt-get install prometheus)"),
]
RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "rules" / "khabar.yml"


def _get(url: str, timeout: float = 5.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return bytes(response.read())


@pytest.fixture(scope="module")
def prometheus(worker: Worker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Debian prometheus binary on a free loopback port, scraping the session worker every second."""
    home = tmp_path_factory.mktemp("prometheus")
    shutil.copy(RULES, home / "khabar.yml")
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": ["khabar.yml"],
        "scrape_configs": [{"job_name": "khabar-worker", "metrics_path": "/metrics",
                            "static_configs": [{"targets": [f"127.0.0.1:{worker.env['KHABAR_WEB_PORT']}"]}]}],
    }
    (home / "prometheus.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    port = free_port()
    log = (home / "prometheus.log").open("wb")
    proc = subprocess.Popen(["prometheus", f"--config.file={home / 'prometheus.yml'}",
                             f"--storage.tsdb.path={home / 'data'}", f"--web.listen-address=127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT, cwd=home)
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return b"Ready" in _get(url + "/-/ready")
        except OSError:
            assert proc.poll() is None, (home / "prometheus.log").read_text()[-2000:]
            return False

    try:
        wait_for(ready, 60, "Prometheus to be ready")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _query(url: str, expr: str) -> list[dict[str, Any]]:
    body = json.loads(_get(f"{url}/api/v1/query?query={urllib.parse.quote(expr)}"))
    assert body["status"] == "success", body
    return list(body["data"]["result"])


def test_prometheus_scrapes_the_worker_and_sees_an_article(prometheus: str, worker: Worker,
                                                           kafka_producer: KafkaProducer) -> None:
    """After one article from an agency no other test uses, Prometheus returns khabar_articles_in_total
    for that agency (a known one: any other is counted as `other`, streams/data/agencies.yaml)."""
    agency = "anadolu"
    produce(kafka_producer, worker.settings.raw_topic, [{
        "id": f"prom-{uuid.uuid4().hex[:6]}", "agency": "Anadolu Agency", "title": "خبر آزمایشی پایش", "language": "fa",
        "body": "این خبر برای آزمودن سامانه پایش منتشر می‌شود و باید در شمارنده‌ها دیده شود."}],
        key=f"{agency}-1".encode())
    expr = f'khabar_articles_in_total{{job="khabar-worker", agency="{agency}"}}'
    result = wait_for(lambda: _query(prometheus, expr), 90, "the article counter in Prometheus", worker)
    assert float(result[0]["value"][1]) == 1.0
    up = _query(prometheus, 'up{job="khabar-worker"}')
    assert [float(r["value"][1]) for r in up] == [1.0]
    lag = wait_for(lambda: _query(prometheus, f'khabar_consumer_lag{{topic="{worker.settings.raw_topic}"}}'), 30,
                   "consumer lag per partition", worker)
    assert len(lag) == worker.settings.partitions
    assert _query(prometheus, "khabar_kafka_up")[0]["value"][1] == "1"
    rules = json.loads(_get(prometheus + "/api/v1/rules"))["data"]["groups"]
    assert {g["name"] for g in rules} == {"khabar-recording", "khabar-pipeline", "khabar-newsroom"}
    assert all(r["health"] == "ok" for g in rules for r in g["rules"]), rules


def test_worker_exposition_passes_promtool_lint(worker: Worker) -> None:
    """`promtool check metrics` finds no problem in what /metrics serves."""
    deadline = time.monotonic() + 30
    text = b""
    while time.monotonic() < deadline and b"khabar_articles_in_total" not in text:
        text = _get(f"http://127.0.0.1:{worker.env['KHABAR_WEB_PORT']}/metrics")
        time.sleep(0.5)
    result = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, timeout=60)
    assert result.returncode == 0, (result.stdout + result.stderr).decode()
