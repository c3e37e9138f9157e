"""Security on real servers: Kafka SASL/SCRAM-SHA-512, the search engine behind TLS + basic auth.

The broker's SCRAM listener is the local stack's optional SASL_PLAINTEXT listener; the user is
created through the admin API. The search engine is reached through nginx (TLS with a self-signed
certificate made here with openssl, basic auth) proxying to the stack's search node (each engine). A worker
runs through both, and neither password may show up in its log, its metrics, the dead letters,
the enriched documents or `khabar config`.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import ScramMechanism, UserScramCredentialUpsertion
from opensearchpy import OpenSearch

from streams.devtools.stack import Stack
from tests.attacks import (
    FIGURE,
    FORGED_LINE,
    STORIES,
    Receiver,
    attack_articles,
    endless_or_redirect,
    enrich_budget,
    flat,
    limit_alert_topics,
)
from tests.support import PROJECT, Worker, consume_all, free_port, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.search]


@dataclass(frozen=True)
class ScramUser:
    bootstrap: str
    username: str
    password: str


@dataclass(frozen=True)
class TlsProxy:
    url: str
    ca_file: Path
    username: str
    password: str
    access_log: Path


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def scram_user(stack: Stack) -> ScramUser:
    """A SCRAM-SHA-512 user on the broker's SASL_PLAINTEXT listener (restarting Kafka once if the
    running broker predates the listener)."""
    port = stack.config.sasl_port
    if port is None:
        pytest.skip("the stack's SCRAM listener is off (KHABAR_STACK_SASL_PORT=off)")
    if not _listening(port):
        stack.stop_service("kafka")
        stack.start_service("kafka")
    user = ScramUser(f"127.0.0.1:{port}", f"khabar-{uuid.uuid4().hex[:6]}", f"scram-{uuid.uuid4().hex}")
    admin = KafkaAdminClient(bootstrap_servers=stack.config.kafka_bootstrap)
    try:
        errors = admin.alter_user_scram_credentials(
            [UserScramCredentialUpsertion(user.username, ScramMechanism.SCRAM_SHA_512, user.password)])
    finally:
        admin.close()
    assert errors == {user.username: None}, errors
    return user


def _scram_producer(user: ScramUser, password: str | None = None, timeout_ms: int = 10000) -> KafkaProducer:
    return KafkaProducer(bootstrap_servers=user.bootstrap, security_protocol="SASL_PLAINTEXT",
                         sasl_mechanism="SCRAM-SHA-512", sasl_plain_username=user.username,
                         sasl_plain_password=password or user.password, acks="all", request_timeout_ms=timeout_ms,
                         max_block_ms=timeout_ms, bootstrap_timeout_ms=timeout_ms)


@pytest.fixture(scope="module")
def tls_proxy(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsProxy]:
    """nginx on 127.0.0.1: TLS (self-signed, made with openssl) and basic auth, proxying to the search node."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/run does)")
    home = tmp_path_factory.mktemp("nginx")
    cert, key = home / "cert.pem", home / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(key),
                    "-out", str(cert), "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    username, password = "khabar-writer", f"basic-{uuid.uuid4().hex}"
    hashed = subprocess.run(["openssl", "passwd", "-apr1", "-stdin"], input=password, text=True, check=True,
                            capture_output=True).stdout.strip()
    (home / "htpasswd").write_text(f"{username}:{hashed}\n")
    port = free_port()
    conf = home / "nginx.conf"
    conf.write_text(f"""
daemon off;
master_process off;
worker_processes 1;
error_log {home}/error.log warn;
pid {home}/nginx.pid;
events {{ worker_connections 256; }}
http {{
  log_format who '$remote_user "$request" $status';
  access_log {home}/access.log who;
  client_body_temp_path {home}/body;
  proxy_temp_path {home}/proxy;
  fastcgi_temp_path {home}/fastcgi;
  uwsgi_temp_path {home}/uwsgi;
  scgi_temp_path {home}/scgi;
  client_max_body_size 200m;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    location / {{
      auth_basic "khabar";
      auth_basic_user_file {home}/htpasswd;
      proxy_set_header Authorization "";
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://127.0.0.1:{stack.config.search_port};
    }}
  }}
}}
""")
    proc = subprocess.Popen([nginx, "-p", str(home), "-c", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: _listening(port) or proc.poll() is not None, 20, "nginx to listen")
        assert proc.poll() is None, (home / "error.log").read_text()
        yield TlsProxy(f"https://127.0.0.1:{port}", cert, username, password, home / "access.log")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _get(proxy: TlsProxy, path: str, user: str | None, password: str | None) -> int:
    request = urllib.request.Request(proxy.url + path)
    if user is not None:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    ctx = ssl.create_default_context(cafile=str(proxy.ca_file))
    try:
        with urllib.request.urlopen(request, timeout=10, context=ctx) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _secure_env(user: ScramUser, proxy: TlsProxy, search_password: str | None = None) -> dict[str, str]:
    return {
        "KHABAR_KAFKA_BOOTSTRAP": user.bootstrap,
        "KHABAR_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "KHABAR_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "KHABAR_KAFKA_SASL_USERNAME": user.username,
        "KHABAR_KAFKA_SASL_PASSWORD": user.password,
        "KHABAR_SEARCH_URL": proxy.url,
        "KHABAR_SEARCH_USER": proxy.username,
        "KHABAR_SEARCH_PASSWORD": search_password or proxy.password,
        "KHABAR_SEARCH_CA_CERTS": str(proxy.ca_file),
    }


ARTICLES = [
    {"id": "sec-1", "agency": "IRNA", "title": "نشست امنیت شبکه در تهران برگزار شد",
     "lead": "کارشناسان امنیت شبکه روز دوشنبه در تهران گرد هم آمدند.",
     "body": "به گزارش ایرنا، در این نشست درباره حفاظت از داده‌های خبرگزاری‌ها و رمزنگاری ارتباطات گفت‌وگو شد.",
     "published_at": "2024-05-01T10:00:00Z", "language": "fa"},
    {"id": "sec-2", "agency": "IRNA", "title": "<b>خبر</b> با نشانه‌گذاری",
     "lead": "<i>لید</i> خبر.", "body": "<p>متن خبر درباره بودجه سال آینده است.</p><script>steal()</script>",
     "published_at": "2024-05-01T11:00:00Z", "language": "fa"},
]


@pytest.fixture(scope="module")
def secured(scram_user: ScramUser, tls_proxy: TlsProxy, worker_factory: Callable[..., Worker],
            run_id: str, search_client: OpenSearch) -> Worker:
    """A worker reading Kafka over SCRAM and writing through TLS + basic auth, with articles through it."""
    prefix = f"sec{run_id}"
    worker = worker_factory(prefix=prefix, alias=f"{prefix}-articles", **_secure_env(scram_user, tls_proxy))
    worker.start()
    producer = _scram_producer(scram_user)
    try:
        for article in ARTICLES:
            producer.send(f"{prefix}.raw", key=f"irna-{article['id']}".encode(), value=orjson.dumps(article))
        producer.send(f"{prefix}.raw", value=b'{"body": "not persian at all", "language": "en"}')
        producer.flush(timeout=30)
    finally:
        producer.close()
    alias = worker.settings.index_alias

    def indexed() -> int:
        if not search_client.indices.exists_alias(name=alias):
            return 0
        search_client.indices.refresh(index=alias)
        return int(search_client.count(index=alias)["count"])

    wait_for(lambda: indexed() == len(ARTICLES), 120, "the articles indexed through SCRAM and TLS", worker)
    return worker


def test_scram_listener_authenticates(scram_user: ScramUser) -> None:
    """The SCRAM-SHA-512 listener takes the right password and refuses a wrong one."""
    good = _scram_producer(scram_user)
    try:
        good.send("scram-probe", b"ok").get(timeout=30)
    finally:
        good.close()
    with pytest.raises(Exception):  # noqa: B017 -- the client's error type differs across phases
        bad = _scram_producer(scram_user, password="wrong-password", timeout_ms=4000)
        try:
            bad.send("scram-probe", b"no").get(timeout=5)
        finally:
            bad.close()


def test_proxy_demands_tls_and_basic_auth(tls_proxy: TlsProxy) -> None:
    """Without credentials, or with wrong ones, nginx refuses; with them it proxies to the search node."""
    health = "/_cluster/health"  # every engine has it (the local Elasticsearch has no root endpoint)
    assert _get(tls_proxy, health, None, None) == 401
    assert _get(tls_proxy, health, tls_proxy.username, "wrong") == 401
    assert _get(tls_proxy, health, tls_proxy.username, tls_proxy.password) == 200


def test_worker_runs_over_scram_and_tls_basic_auth(secured: Worker, tls_proxy: TlsProxy,
                                                   search_client: OpenSearch) -> None:
    """Articles consumed over SCRAM are indexed through nginx (TLS + basic auth), HTML stripped."""
    who = tls_proxy.access_log.read_text()
    # OpenSearch's client POSTs a bulk request, Elasticsearch's PUTs it
    assert re.search(rf'{tls_proxy.username} "(POST|PUT) /_bulk ', who), who[-2000:]
    hits = search_client.search(index=secured.settings.index_alias, body={"query": {"ids": {"values": ["irna-sec-2"]}}})
    doc = hits["hits"]["hits"][0]["_source"]
    for text in (doc["title"], doc["lead"], doc["body"], *doc["original"].values()):
        assert "<" not in text and "steal" not in text, text


def test_dlq_tool_reads_over_scram(secured: Worker, scram_user: ScramUser, tls_proxy: TlsProxy) -> None:
    """`khabar dlq list` reads the dead letters with the same SCRAM settings as the worker."""
    env = {**os.environ, **secured.env}
    out = wait_for(lambda: (r := subprocess.run([sys.executable, "-m", "streams", "dlq", "list"], env=env,
                                                cwd=PROJECT, capture_output=True, text=True, timeout=120))
                   .returncode == 0 and "InvalidArticle" in r.stdout and r.stdout, 60,
                   "the dead letter listed over SCRAM")
    assert "validate" in out


def test_secrets_never_leak(secured: Worker, scram_user: ScramUser, tls_proxy: TlsProxy,
                            worker_factory: Callable[..., Worker], run_id: str) -> None:
    """Neither password (nor the basic-auth token) appears in logs, metrics, dead letters, documents
    or `khabar config`, including when the search engine refuses a wrong password."""
    wrong = f"wrong-{uuid.uuid4().hex}"
    refused = worker_factory(prefix=f"sec{run_id}x", alias=f"sec{run_id}x-articles",
                             **_secure_env(scram_user, tls_proxy, search_password=wrong))
    refused.start()
    try:
        wait_for(lambda: "refused the credentials" in refused.log.read_text(errors="replace"), 60,
                 "the search engine to refuse the wrong password", refused)
        port = refused.env["KHABAR_WEB_PORT"]
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10)
            ready_status = 200
        except urllib.error.HTTPError as exc:
            ready_status = exc.code
        assert ready_status == 503
    finally:
        refused.stop()
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{secured.env['KHABAR_WEB_PORT']}/metrics",
                                     timeout=10).read()
    config = subprocess.run([sys.executable, "-m", "streams", "config"], env={**os.environ, **secured.env},
                            cwd=PROJECT, capture_output=True, timeout=60).stdout
    dead = b"".join(m.value for m in consume_all(f"{secured.settings.dlq_topic}", 5))
    enriched = b"".join(m.value for m in consume_all(f"{secured.settings.enriched_topic}", 5))
    assert dead and enriched
    places = {"worker log": secured.log.read_bytes(), "refused worker log": refused.log.read_bytes(),
              "metrics": metrics, "khabar config": config, "dead letters": dead, "enriched documents": enriched}
    secrets = {
        "SCRAM password": scram_user.password.encode(),
        "search password": tls_proxy.password.encode(),
        "wrong search password": wrong.encode(),
        "basic-auth token": base64.b64encode(f"{tls_proxy.username}:{tls_proxy.password}".encode()),
        "wrong basic-auth token": base64.b64encode(f"{tls_proxy.username}:{wrong}".encode()),
    }
    leaks = [f"{name} in {where}" for name, secret in secrets.items() for where, data in places.items()
             if secret in data]
    assert not leaks, leaks
    assert b"***" in config


# == Attacks from article content, replies and records, on the real stack ============================
# (the hostile articles and the hostile webhook receiver are in tests/attacks.py, shared with the
# chaos scenario that mixes them into 10,000 normal articles)
#
# One worker takes a mix of hostile and normal articles; each test below checks what one attack
# must no longer do. The mentions and alerts topics have Kafka's default 1 MB message limit (what
# docker-compose gives), the enrichment budget lies between what the 1.9 MB articles and the others
# cost here (tests.attacks.enrich_budget), and the webhook goes to a receiver on 127.0.0.1 that
# answers with a redirect, then with an endless body.

def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _http(port: str, path: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as resp:
            return int(resp.status), resp.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()


@dataclass
class Attacked:
    worker: Worker
    health: list[tuple[float, float | None]]
    rss_mib: list[float]
    hook: Receiver
    elsewhere: Receiver
    huge_title_id: str
    big_ids: list[str]


def _khabar_out(worker: Worker, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, **worker.env, "COLUMNS": "250"}  # wide enough that no cell is cut
    return subprocess.run([sys.executable, "-m", "streams", *args], env=env, cwd=PROJECT, capture_output=True,
                          timeout=timeout)


def _status(port: str, path: str) -> int:
    try:
        return _http(port, path)[0]
    except OSError:
        return 0


@pytest.fixture(scope="module")
def attacked(stack: Stack, worker_factory: Callable[..., Worker], run_id: str,
             search_client: OpenSearch) -> Iterator[Attacked]:
    """A worker that took every attack at once, mixed with normal articles; the time its /healthz
    took to answer throughout, and its memory."""
    import threading
    import time

    from streams.alerts.store import put_figure
    from streams.alerts.watchlist import resolve_figure
    from streams.enrich.gazetteer import load_gazetteer
    from streams.sink.kafka import MAX_MESSAGE_BYTES

    elsewhere = Receiver(lambda n, h: (h.send_response(200), h.end_headers()))
    hook = Receiver(endless_or_redirect(elsewhere.url))
    prefix = f"atk{run_id}"
    messages = [flat("story-0", STORIES[0]), *attack_articles(), flat("story-3", STORIES[3])]
    worker = worker_factory(prefix=prefix, alias=f"{prefix}-articles", KHABAR_ENRICH_TIMEOUT_S=enrich_budget(messages),
                            KHABAR_ALERT_GROUP_WAIT_S="1", KHABAR_ALERT_WEBHOOK_URL=hook.url,
                            KHABAR_ALERT_WEBHOOK_MAX_ATTEMPTS="1", KHABAR_ALERT_WEBHOOK_TIMEOUT_S="5",
                            KHABAR_BULK_SIZE="50")
    settings = worker.settings
    limit_alert_topics(stack.config.kafka_bootstrap, settings)  # Kafka's default 1 MB, as docker-compose has
    put_figure(settings, resolve_figure(load_gazetteer(), FIGURE))
    worker.start()
    port = worker.env["KHABAR_WEB_PORT"]
    wait_for(lambda: _status(port, "/readyz") == 200, 180, "the worker ready", worker)

    health: list[tuple[float, float | None]] = []
    rss: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            began = time.monotonic()
            try:
                status, _ = _http(port, "/healthz", timeout=30)
                health.append((began, time.monotonic() - began if status == 200 else None))
            except OSError:
                health.append((began, None))
            if worker.proc is not None:
                rss.append(_rss_mib(worker.proc.pid))
            stop.wait(0.25)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    producer = KafkaProducer(bootstrap_servers=stack.config.kafka_bootstrap, acks="all",
                             max_request_size=MAX_MESSAGE_BYTES)
    try:
        for doc in messages:
            producer.send(settings.raw_topic, value=orjson.dumps(doc))
        producer.flush(timeout=60)
    finally:
        producer.close()

    def alerted() -> set[str]:
        from streams.sink.kafka import read_topic

        return {orjson.loads(r.value)["article_id"] for r in read_topic(settings, settings.alerts_topic, timeout=3)}

    try:
        wanted = {"irna-story-0", "irna-huge-title", "irna-story-3"}
        wait_for(lambda: wanted <= alerted(), 300, "alerts for the stories before and after the attacks", worker)
        wait_for(lambda: len(hook.requests) >= 2, 60, "the webhook called twice", worker)
        time.sleep(2)
    finally:
        stop.set()
        watcher.join(40)
    yield Attacked(worker, health, rss, hook, elsewhere, "irna-huge-title", ["irna-big-0", "irna-big-1"])
    hook.close()
    elsewhere.close()


def _metrics(worker: Worker) -> str:
    return _http(worker.env["KHABAR_WEB_PORT"], "/metrics")[1].decode()


def _sample(text: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{{want}}}" if want else f"{name} "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def _dead(worker: Worker) -> list[dict[str, Any]]:
    from streams.sink.dlq import parse_dead_letter
    from streams.sink.kafka import read_topic

    return [parse_dead_letter(r.value) for r in read_topic(worker.settings, worker.settings.dlq_topic, timeout=3)]


def test_a_huge_article_does_not_stop_alerts(attacked: Attacked) -> None:
    """Finding 1: an article with a 1.1 MB title on a 1 MB mentions topic: its alert goes out with a
    trimmed title and every later alert follows; nothing retries, readiness stays true."""
    from streams.alerts.store import mentions_topic
    from streams.sink.kafka import read_topic

    settings = attacked.worker.settings
    alerts = {orjson.loads(r.value)["article_id"]: orjson.loads(r.value)
              for r in read_topic(settings, settings.alerts_topic, timeout=3)}
    assert len(alerts[attacked.huge_title_id]["title"]) <= 300
    assert "irna-story-3" in alerts
    assert max(len(r.value) for r in read_topic(settings, mentions_topic(settings), timeout=3)) < 8 * 1024
    log = attacked.worker.log.read_text(errors="replace")
    assert "MessageSizeTooLarge" not in log and "alert topic unavailable" not in log
    assert _http(attacked.worker.env["KHABAR_WEB_PORT"], "/readyz")[0] == 200


def test_metric_labels_stay_bounded(attacked: Attacked) -> None:
    """Finding 2: 200 made-up agencies and a 1 MB one add no series: each is counted as `other`."""
    from streams.app.metrics import known_agencies

    text = _metrics(attacked.worker)
    agencies = {line.split('agency="', 1)[1].split('"', 1)[0] for line in text.splitlines()
                if line.startswith("khabar_articles_in_total{")}
    assert agencies <= set(known_agencies().values()) | {"other", "unknown"}, agencies
    assert _sample(text, "khabar_articles_in_total", agency="other") >= 200
    assert len(text) < 100_000


def test_an_overrunning_article_never_stalls_the_worker(attacked: Attacked) -> None:
    """Finding 3: two 1.9 MB articles over the budget are dead-lettered as enrich_timeout, while
    /healthz kept answering (within 2 s, where it took over 20 s) and the timers kept firing."""
    import time

    letters = {d.get("article_id") or orjson.loads(d["original"]).get("id"): d for d in _dead(attacked.worker)
               if d["stage"] == "enrich"}
    for doc_id in ("big-0", "big-1"):
        assert letters[doc_id]["reason"].startswith("enrich_timeout"), letters[doc_id]
        assert letters[doc_id]["error_class"] == "EnrichTimeout"
    answered = [t for _, t in attacked.health]
    assert answered and None not in answered and max(answered) < 2.0, max(t or 99 for t in answered)
    text = _metrics(attacked.worker)
    assert _sample(text, "khabar_enrich_process_restarts_total") >= 2
    assert time.time() - _sample(text, "khabar_consumer_lag_sampled_timestamp_seconds") < 15  # a 5 s timer


def test_the_webhook_follows_no_redirect_and_reads_no_reply(attacked: Attacked) -> None:
    """Finding 4: a 307 from the webhook is not followed (the other address gets nothing) and a
    400 MiB reply is not read: the worker's memory stays where it was."""
    assert attacked.elsewhere.requests == []
    text = _metrics(attacked.worker)
    assert _sample(text, "khabar_alert_webhook_total", outcome="failed") >= 1
    assert _sample(text, "khabar_alert_webhook_total", outcome="delivered") >= 1
    assert max(attacked.rss_mib) < 600, max(attacked.rss_mib)


def test_a_forged_dead_letter_cannot_reach_the_watchlist(attacked: Attacked) -> None:
    """Finding 6: a dead letter naming the watchlist topic is not replayed there (the watchlist is
    unchanged); --dry-run lists the targets with their counts."""
    from streams.alerts.store import read_watchlist, watchlist_topic
    from streams.alerts.watchlist import custom_figure
    from streams.errors import InvalidArticle
    from streams.sink.dlq import dead_letter

    settings = attacked.worker.settings
    intruder = custom_figure("چهره جعلی")
    forged = dead_letter(intruder.to_bytes(), InvalidArticle("forged"), topic=watchlist_topic(settings),
                         partition=0, offset=999_999, key=intruder.id.encode())
    producer = KafkaProducer(bootstrap_servers=attacked.worker.env["KHABAR_KAFKA_BOOTSTRAP"], acks="all")
    try:
        producer.send(settings.dlq_topic, key=b"forged", value=forged.to_bytes()).get(timeout=30)
    finally:
        producer.close()
    dry = _khabar_out(attacked.worker, "dlq", "replay", "--error-class", "InvalidArticle", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    out = dry.stdout.decode()
    assert f"{watchlist_topic(settings)}: 1" in out and f"{settings.raw_topic}:" in out and "--to" in out
    done = _khabar_out(attacked.worker, "dlq", "replay", "--error-class", "InvalidArticle", "--yes")
    assert done.returncode == 0, done.stderr
    assert "not Khabar's topics skipped 1" in done.stdout.decode()
    assert intruder.id not in read_watchlist(settings)


def test_article_text_drives_no_terminal_and_forges_no_log_line(attacked: Attacked) -> None:
    """Finding 7: escape sequences and newlines in an agency, and rich markup in a title or kicker,
    print as text in `khabar search`, `alerts tail`, `dlq list` and `enrich`, and stay inside their
    log record; nothing crashes."""
    worker = attacked.worker
    outputs = {
        "search": _khabar_out(worker, "search", "پنجره‌ای به آسمان"),
        "alerts tail": _khabar_out(worker, "alerts", "tail", "--from-beginning", "--count", "3", "--timeout", "30"),
        "dlq list": _khabar_out(worker, "dlq", "list", "--recent", "50"),
    }
    for name, done in outputs.items():
        assert done.returncode == 0, (name, done.stderr.decode()[-2000:])
        out = done.stdout.decode()
        assert "\x1b" not in out and "\x07" not in out, name
        assert f"\n{FORGED_LINE}" not in out, name
    assert "[link=https://evil.example]" in outputs["search"].stdout.decode()
    assert "[/]" in outputs["dlq list"].stdout.decode()
    log = worker.log.read_text(errors="replace")
    assert f"\n{FORGED_LINE}" not in log and "\x1b[2J" not in log
    assert "\\n[2024-05-01 10:00:00,000]" in log  # the alert's log line, escaped


def test_javascript_urls_reach_neither_index_nor_alerts(attacked: Attacked, search_client: OpenSearch) -> None:
    """Finding 8: an article whose url is javascript: is dead-lettered with the reason; no alert
    or document carries it."""
    from streams.sink.kafka import read_topic

    settings = attacked.worker.settings
    letters = [d for d in _dead(attacked.worker) if b"javascript:" in d["original"]]
    assert letters and all("url must be an absolute http(s) URL" in d["reason"] for d in letters)
    alerts = b"".join(r.value for r in read_topic(settings, settings.alerts_topic, timeout=3))
    assert b"javascript" not in alerts
    hits = search_client.search(index=settings.index_alias, body={"query": {"ids": {"values": ["irna-js-url"]}}})
    assert hits["hits"]["total"]["value"] == 0


def test_faust_pages_are_off_and_the_web_port_is_on_loopback(attacked: Attacked) -> None:
    """Finding 8: faust's /router/ and /table/ pages are not served; the web port listens on 127.0.0.1."""
    port = int(attacked.worker.env["KHABAR_WEB_PORT"])
    for path in ("/router/", "/table/", "/graph/", "/stats/"):
        assert _http(str(port), path)[0] == 404, path
    listening = [line.split()[1] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
                 if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == port]
    assert listening == [f"0100007F:{port:04X}"], listening


def _config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streams", "config"], env={**os.environ, **env}, cwd=PROJECT,
                          capture_output=True, text=True, timeout=60)


def test_settings_attacks_are_refused_or_warned(tmp_path: Path) -> None:
    """Finding 8: SASL with a CA file but no SASL protocol is refused (the worker and the CLI would
    each guess otherwise); a malformed search URL's password never shows; basic auth over http is
    refused off this machine and warned about on it."""
    done = _config({"KHABAR_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512", "KHABAR_KAFKA_SASL_USERNAME": "u",
                    "KHABAR_KAFKA_SASL_PASSWORD": "p", "KHABAR_KAFKA_SSL_CAFILE": str(tmp_path / "ca.pem")})
    assert done.returncode == 2 and "SASL_SSL" in done.stderr
    done = _config({"KHABAR_SEARCH_URL": "http//admin:hunter2-secret@search:9200"})
    assert done.returncode == 2 and "hunter2-secret" not in done.stdout + done.stderr
    done = _config({"KHABAR_SEARCH_URL": "http://search.example:9200", "KHABAR_SEARCH_USER": "u",
                    "KHABAR_SEARCH_PASSWORD": "p"})
    assert done.returncode == 2 and "unencrypted" in done.stderr
    done = _config({"KHABAR_SEARCH_URL": "http://127.0.0.1:9200", "KHABAR_SEARCH_USER": "u",
                    "KHABAR_SEARCH_PASSWORD": "p"})
    assert done.returncode == 0 and "warning: search credentials travel unencrypted" in done.stderr


def test_a_checkpoint_outside_the_state_directory_is_refused(attacked: Attacked, tmp_path: Path) -> None:
    """Finding 8: `backfill --checkpoint X --restart` does not delete X outside the state directory."""
    victim = tmp_path / "precious.conf"
    victim.write_text("keep me")
    archive = tmp_path / "a.jsonl"
    archive.write_bytes(orjson.dumps(flat("ckpt", STORIES[0])) + b"\n")
    done = _khabar_out(attacked.worker, "backfill", str(archive), "--checkpoint", str(victim), "--restart")
    assert done.returncode == 2 and b"outside" in done.stderr
    assert victim.read_text() == "keep me"


def test_an_undated_archive_copy_never_replaces_the_indexed_article(attacked: Attacked, tmp_path: Path,
                                                                     search_client: OpenSearch) -> None:
    """Finding 8: the worker indexed an undated article; `backfill --direct` of an older copy of it
    (same id, other text) leaves the indexed one as it is."""
    worker = attacked.worker
    settings = worker.settings
    newer = {"id": "undated-1", "agency": "IRNA", "title": "نسخه تازه خبر", "body": STORIES[3], "language": "fa"}
    older = {**newer, "title": "نسخه کهنه خبر", "body": STORIES[2]}
    producer = KafkaProducer(bootstrap_servers=worker.env["KHABAR_KAFKA_BOOTSTRAP"], acks="all")
    try:
        producer.send(settings.raw_topic, key=b"irna-undated-1", value=orjson.dumps(newer)).get(timeout=30)
    finally:
        producer.close()

    def title() -> str | None:
        search_client.indices.refresh(index=settings.index_alias)
        hits = search_client.search(index=settings.index_alias, body={"query": {"ids": {"values": ["irna-undated-1"]}}})
        found = hits["hits"]["hits"]
        return str(found[0]["_source"]["title"]) if found else None

    wait_for(title, 120, "the undated article indexed", worker)
    archive = tmp_path / "old.jsonl"
    archive.write_bytes(orjson.dumps(older) + b"\n")
    done = _khabar_out(worker, "backfill", str(archive), "--direct", "--checkpoint", f"undated-{os.getpid()}.json")
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert title() == "نسخه تازه خبر"
