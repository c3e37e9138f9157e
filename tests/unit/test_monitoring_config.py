"""Prometheus config, alert rules and their promtool unit tests; the Grafana dashboard's queries.

Needs promtool (Debian package `prometheus`; .ci/run installs it), no server.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from prometheus_client import CollectorRegistry

from streams.app.metrics import Metrics

ROOT = Path(__file__).resolve().parents[2]
PROM = ROOT / "deploy" / "prometheus"
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "khabar.json"
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool not installed (apt-get install prometheus)")

# Grafana's own variables, replaced by what Grafana would put there.
_GRAFANA_VARS = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h", "$instance": ".*"}
_NAME = re.compile(r"\b(khabar_[a-z0-9_]+)")


def _promtool(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run([PROMTOOL, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def _exported_names() -> set[str]:
    """Every sample name the worker's registry can produce (counters' _total, histograms' _bucket...)."""
    names: set[str] = set()
    for family in Metrics(CollectorRegistry()).registry.collect():
        if family.type == "counter":
            names |= {family.name + "_total", family.name + "_created"}
        elif family.type == "histogram":
            names |= {family.name + s for s in ("_bucket", "_count", "_sum", "_created")}
        else:
            names.add(family.name)
    return names


def _dashboard_exprs() -> list[tuple[str, str]]:
    dashboard = orjson.loads(DASHBOARD.read_bytes())
    out = []
    for panel in dashboard["panels"]:
        for target in panel.get("targets", ()):
            expr = target["expr"]
            for var, value in _GRAFANA_VARS.items():
                expr = expr.replace(var, value)
            out.append((panel["title"], expr))
    return out


def _rule_exprs() -> list[tuple[str, str]]:
    rules = yaml.safe_load((PROM / "rules" / "khabar.yml").read_text(encoding="utf-8"))
    return [(r.get("alert") or r["record"], r["expr"]) for g in rules["groups"] for r in g["rules"]]


@needs_promtool
@pytest.mark.parametrize("config", ["prometheus.yml", "prometheus.local.yml"])
def test_scrape_configs_are_valid(config: str) -> None:
    """`promtool check config` accepts both scrape configs (and the rule files they load)."""
    result = _promtool("check", "config", config, cwd=PROM)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 rule files found" in result.stdout


@needs_promtool
def test_rules_are_valid() -> None:
    """`promtool check rules` accepts deploy/prometheus/rules/khabar.yml."""
    result = _promtool("check", "rules", str(PROM / "rules" / "khabar.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_rule_unit_tests_pass() -> None:
    """`promtool test rules` runs every test in deploy/prometheus/tests/."""
    tests = sorted(str(p) for p in (PROM / "tests").glob("*.yml"))
    assert tests
    result = _promtool("test", "rules", *tests)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_has_a_unit_test() -> None:
    """Each alerting rule is exercised by at least one promtool test case."""
    alerts = {name for name, _ in _rule_exprs() if not name.startswith("khabar:")}
    tested: set[str] = set()
    for path in (PROM / "tests").glob("*.yml"):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]:
            tested |= {t["alertname"] for t in case.get("alert_rule_test", ()) if t.get("exp_alerts")}
    assert alerts <= tested, f"alerts without a firing test: {sorted(alerts - tested)}"
    assert {"KhabarWorkerDown", "KhabarConsumerLagGrowing", "KhabarDeadLettersHigh", "KhabarSearchErrors",
            "KhabarEndToEndLatencyHigh", "KhabarTrackedFigureSpike"} <= alerts


@needs_promtool
def test_dashboard_queries_parse(tmp_path: Path) -> None:
    """Every Grafana panel query is valid PromQL: each becomes a recording rule `promtool check rules` parses."""
    exprs = _dashboard_exprs()
    assert len(exprs) >= 20
    rules: dict[str, Any] = {"groups": [{"name": "grafana", "rules": [
        {"record": f"khabar:grafana_panel:{n}", "expr": expr} for n, (_, expr) in enumerate(exprs)]}]}
    path = tmp_path / "grafana_rules.yml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    result = _promtool("check", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(exprs)} rules found" in result.stdout


@pytest.mark.parametrize("source", ["grafana", "rules"])
def test_queries_name_metrics_the_worker_exports(source: str) -> None:
    """Every khabar_* name in the dashboard and the rules is one the worker's registry produces."""
    exprs = _dashboard_exprs() if source == "grafana" else _rule_exprs()
    exported = _exported_names()
    missing = {(title, name) for title, expr in exprs for name in _NAME.findall(expr) if name not in exported}
    assert not missing, sorted(missing)


def test_dashboard_covers_the_pipeline() -> None:
    """The dashboard shows throughput, stage/bulk/end-to-end latency, DLQ, retries, lag, mentions and alerts."""
    text = " ".join(expr for _, expr in _dashboard_exprs())
    for name in ("khabar_articles_in_total", "khabar_articles_out_total", "khabar_stage_seconds_bucket",
                 "khabar_bulk_seconds_bucket", "khabar_end_to_end_seconds_bucket", "khabar_dlq_total",
                 "khabar_retries_total", "khabar_search_errors_total", "khabar_consumer_lag",
                 "khabar_tracked_mentions_total", "khabar_alerts_total", "khabar_alert_webhook_total"):
        assert name in text, name
    dashboard = orjson.loads(DASHBOARD.read_bytes())
    assert dashboard["uid"] == "khabar-pipeline"
    datasources = {t["datasource"]["uid"] for p in dashboard["panels"] for t in p.get("targets", ())}
    assert datasources == {"prometheus"}  # the uid provisioned in deploy/grafana/provisioning/datasources
