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

import orjson
import pytest
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import ScramMechanism, UserScramCredentialUpsertion
from opensearchpy import OpenSearch

from streams.devtools.stack import Stack
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
