"""Kibana / OpenSearch Dashboards saved objects: the import request, and fields that exist in the index."""

from __future__ import annotations

import email.parser
import email.policy
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import orjson
import pytest

from streams.commands.dashboards import (
    DEFAULT_TRACKED_QUERY,
    DashboardsError,
    build_import_request,
    detect_flavor,
    load_objects,
    prepare_objects,
    send_import,
    tracked_include,
    tracked_query,
)
from streams.resources import load_schema

FLAVORS = ("kibana", "opensearch")
# field type in the index template → what a visualization may do with it
_AGGREGATABLE = {"keyword", "date", "long", "integer", "boolean"}
_KQL_FIELD = re.compile(r"(?<![\w.\"])([A-Za-z_][\w.]*)\s*:")


def _mapping_types() -> dict[str, str]:
    """Flattened field → type of schemas/index_template.json (sub-fields as title.keyword; nested marked)."""
    out: dict[str, str] = {}

    def walk(props: dict[str, Any], prefix: str) -> None:
        for name, spec in props.items():
            path = prefix + name
            out[path] = spec.get("type", "object")
            for sub, sub_spec in (spec.get("fields") or {}).items():
                out[f"{path}.{sub}"] = sub_spec["type"]
            if "properties" in spec:
                walk(spec["properties"], path + ".")

    walk(load_schema("index_template.json")["template"]["mappings"]["properties"], "")
    return out


def _field_uses(obj: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, use) pairs a saved object relies on: time field, aggregation, column, sort, query."""
    attrs, uses = obj["attributes"], []
    if obj["type"] == "index-pattern":
        uses.append((attrs["timeFieldName"], "date"))
    elif obj["type"] == "lens":
        for layer in attrs["state"]["datasourceStates"]["formBased"]["layers"].values():
            for column in layer["columns"].values():
                if column["sourceField"] != "___records___":
                    uses.append((column["sourceField"], column["operationType"]))
        uses += [(f, "query") for f in _KQL_FIELD.findall(attrs["state"]["query"]["query"])]
    elif obj["type"] == "visualization":
        for agg in orjson.loads(attrs["visState"])["aggs"]:
            if "field" in agg["params"]:
                uses.append((agg["params"]["field"], agg["type"]))
    elif obj["type"] == "search":
        uses += [(c, "column") for c in attrs["columns"]] + [(f, "sort") for f, _ in attrs["sort"]]
    meta = attrs.get("kibanaSavedObjectMeta", {}).get("searchSourceJSON")
    if meta:
        uses += [(f, "query") for f in _KQL_FIELD.findall(orjson.loads(meta).get("query", {}).get("query", ""))]
    return uses


@pytest.mark.parametrize("flavor", FLAVORS)
def test_every_referenced_field_exists_with_a_compatible_type(flavor: str) -> None:
    """Each field a saved object uses is in the index template, with a type that supports the use."""
    types = _mapping_types()
    problems = []
    for obj in load_objects(flavor):  # type: ignore[arg-type]
        for field, use in _field_uses(obj):
            kind = types.get(field)
            if kind is None:
                problems.append(f"{obj['id']}: {field} is not in the index template")
            elif use in ("date", "date_histogram") and kind != "date":
                problems.append(f"{obj['id']}: {field} is {kind}, {use} needs a date")
            elif use in ("terms", "sort") and kind not in _AGGREGATABLE:
                problems.append(f"{obj['id']}: {field} is {kind}, {use} needs a keyword, number or date")
            elif use == "query" and kind in ("object", "nested"):
                problems.append(f"{obj['id']}: {field} is {kind}, not queryable by KQL field:value")
    assert not problems, problems


@pytest.mark.parametrize("flavor", FLAVORS)
def test_the_dashboard_has_the_requested_panels_and_resolves_its_references(flavor: str) -> None:
    """Articles by topic and agency, top persons/organizations/locations, speakers, tracked figures,
    quotes; every reference of every object points at an object in the same file."""
    objects = load_objects(flavor)  # type: ignore[arg-type]
    by_id = {(o["type"], o["id"]): o for o in objects}
    for obj in objects:
        for ref in obj.get("references", ()):
            assert (ref["type"], ref["id"]) in by_id, (obj["id"], ref)
    (dashboard,) = [o for o in objects if o["type"] == "dashboard"]
    panels = orjson.loads(dashboard["attributes"]["panelsJSON"])
    refs = {r["name"]: r["id"] for r in dashboard["references"]}
    shown = {refs[p["panelRefName"]] for p in panels}
    assert shown == {"khabar-articles-by-topic", "khabar-articles-by-agency", "khabar-top-persons",
                     "khabar-top-organizations", "khabar-top-locations", "khabar-most-quoted-speakers",
                     "khabar-tracked-figure-mentions", "khabar-quotes"}
    fields = {f for o in objects for f, _ in _field_uses(o)}
    assert {"topics", "agency", "persons", "organizations", "locations", "speakers", "entity_ids",
            "quotes.text"} <= fields
    (view,) = [o for o in objects if o["type"] == "index-pattern"]
    assert view["attributes"]["title"] == "khabar-articles"


def _multipart_file(body: bytes, content_type: str) -> bytes:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    (part,) = list(message.iter_parts())  # type: ignore[attr-defined]
    assert part.get_param("name", header="content-disposition") == "file"
    return bytes(part.get_payload(decode=True))


def test_kibana_import_request() -> None:
    """POST /s/<space>/api/saved_objects/_import?overwrite=true, kbn-xsrf, multipart file, basic auth."""
    ndjson = b'{"id":"x","type":"index-pattern","attributes":{}}\n'
    req = build_import_request("http://127.0.0.1:5601/", "kibana", ndjson, space="newsroom", user="elastic",
                               password="secret", boundary="b0undary")
    assert req.method == "POST"
    assert req.url == "http://127.0.0.1:5601/s/newsroom/api/saved_objects/_import?overwrite=true"
    assert req.headers["kbn-xsrf"] == "true" and "osd-xsrf" not in req.headers
    assert req.headers["Content-Type"] == "multipart/form-data; boundary=b0undary"
    assert req.headers["Authorization"] == "Basic ZWxhc3RpYzpzZWNyZXQ="
    assert _multipart_file(req.body, req.headers["Content-Type"]).strip() == ndjson.strip()


def test_opensearch_dashboards_import_request() -> None:
    """OpenSearch Dashboards wants osd-xsrf; an API key goes in the Authorization header; no spaces there."""
    req = build_import_request("https://127.0.0.1:5602", "opensearch", b"{}", api_key="abc", overwrite=False)
    assert req.url == "https://127.0.0.1:5602/api/saved_objects/_import"
    assert req.headers["osd-xsrf"] == "true" and "kbn-xsrf" not in req.headers
    assert req.headers["Authorization"] == "ApiKey abc"
    with pytest.raises(DashboardsError, match="spaces"):
        build_import_request("http://127.0.0.1:5602", "opensearch", b"{}", space="newsroom")
    with pytest.raises(DashboardsError):
        build_import_request("ftp://127.0.0.1", "kibana", b"{}")


def test_prepare_sets_the_alias_and_the_tracked_figures() -> None:
    """The data view takes the configured alias; the tracked panel is filtered to the watchlist's figures."""
    figures = [{"id": "person/sergey-lavrov", "name": "سرگئی لاوروف"},
               {"id": "name/هانتر-بایدن", "name": "هانتر بایدن"}]
    assert tracked_query(figures) == 'entity_ids:"person/sergey-lavrov" or "هانتر بایدن"'
    assert tracked_include(figures) == "person/sergey-lavrov"
    assert tracked_query([]) == DEFAULT_TRACKED_QUERY
    for flavor in FLAVORS:
        objects = load_objects(flavor)  # type: ignore[arg-type]
        ndjson = prepare_objects(objects, alias="desk-articles", tracked=figures)
        prepared = [orjson.loads(x) for x in ndjson.splitlines()]
        view = next(o for o in prepared if o["type"] == "index-pattern")
        assert view["attributes"]["title"] == "desk-articles"
        panel = next(o for o in prepared if o["id"] == "khabar-tracked-figure-mentions")
        query, include = _tracked_settings(panel)
        assert query == 'entity_ids:"person/sergey-lavrov" or "هانتر بایدن"' and include == "person/sergey-lavrov"
        assert load_objects(flavor) == objects  # the shipped files are untouched


def _tracked_settings(obj: dict[str, Any]) -> tuple[str, str]:
    """The query and the entity_ids include pattern of the tracked-figure panel."""
    attrs = obj["attributes"]
    if obj["type"] == "lens":
        columns = [c for layer in attrs["state"]["datasourceStates"]["formBased"]["layers"].values()
                   for c in layer["columns"].values() if c.get("sourceField") == "entity_ids"]
        return attrs["state"]["query"]["query"], columns[0]["params"]["include"][0]
    source = orjson.loads(attrs["kibanaSavedObjectMeta"]["searchSourceJSON"])
    aggs = [a for a in orjson.loads(attrs["visState"])["aggs"] if a["params"].get("field") == "entity_ids"]
    return source["query"]["query"], aggs[0]["params"]["include"]


class _Kibana(BaseHTTPRequestHandler):
    """A stand-in for the saved objects API: records the import, answers like Kibana or OSD."""

    received: ClassVar[list[tuple[str, dict[str, str], bytes]]] = []
    product = "kbn-name"
    success = True

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header(self.product, "khabar-test")
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"version":{"number":"9.2.1"}}')

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        answer = ({"success": True, "successCount": 10} if self.success else
                  {"success": False, "errors": [{"type": "lens", "id": "x", "error": {"type": "conflict"}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(orjson.dumps(answer))

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def stand_in() -> Iterator[tuple[str, type[_Kibana]]]:
    handler = type("Handler", (_Kibana,), {"received": [], "product": "kbn-name", "success": True})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def test_detect_and_import_over_http(stand_in: tuple[str, type[_Kibana]]) -> None:
    """The product is told by its header; the import goes through and the server sees the NDJSON file."""
    url, handler = stand_in
    assert detect_flavor(url) == "kibana"
    handler.product = "osd-name"
    assert detect_flavor(url) == "opensearch"
    ndjson = prepare_objects(load_objects("opensearch"), alias="khabar-articles")
    answer = send_import(build_import_request(url, "opensearch", ndjson))
    assert answer["successCount"] == 10
    ((path, headers, body),) = handler.received
    assert path == "/api/saved_objects/_import?overwrite=true" and headers["osd-xsrf"] == "true"
    assert _multipart_file(body, headers["content-type"]) == ndjson
    handler.success = False
    with pytest.raises(DashboardsError, match="lens/x: conflict"):
        send_import(build_import_request(url, "opensearch", ndjson))


def test_install_command(stand_in: tuple[str, type[_Kibana]]) -> None:
    """`khabar dashboards install URL --no-watchlist` detects Kibana and imports the Lens objects."""
    from typer.testing import CliRunner

    from streams.cli import app

    url, handler = stand_in
    result = CliRunner().invoke(app, ["dashboards", "install", url, "--no-watchlist", "--space", "desk"],
                                env={"KHABAR_INDEX_ALIAS": "desk-articles"})
    assert result.exit_code == 0, result.output
    assert "imported 10 saved object(s) into Kibana" in result.stdout
    ((path, headers, body),) = handler.received
    assert path == "/s/desk/api/saved_objects/_import?overwrite=true" and headers["kbn-xsrf"] == "true"
    objects = [orjson.loads(x) for x in _multipart_file(body, headers["content-type"]).splitlines()]
    assert {o["type"] for o in objects} == {"index-pattern", "lens", "search", "dashboard"}
    assert next(o for o in objects if o["type"] == "index-pattern")["attributes"]["title"] == "desk-articles"
