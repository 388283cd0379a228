"""The HTTP API over the planted store: pages, filters, analytics, limits, errors and headers."""

from __future__ import annotations

import datetime as dt
import json
import re

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from realpolitik.analytics.dyads import dyad_series
from realpolitik.analytics.network import network, networks
from realpolitik.analytics.shifts import shifts
from realpolitik.cli import app as cli
from realpolitik.server import create_app
from realpolitik.server.app import MAX_PAGE, STATIC

from .conftest import TESTSERVER, TOKEN


@pytest.fixture()
def client(planted):
    return TestClient(create_app(planted.path, settings=TESTSERVER))


def all_pages(client, **params):
    ids, cursor, pages = [], None, 0
    while True:
        got = client.get("/api/events", params={**params, **({"cursor": cursor} if cursor else {})})
        assert got.status_code == 200, got.text
        body = got.json()
        ids += [r["event_id"] for r in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages


def test_cursor_pages_give_every_event_once_in_the_store_order(client, planted):
    ids, pages = all_pages(client, limit=7)
    expected = list(planted.events().event_id)
    assert ids == expected and len(ids) == 150
    assert pages == 150 // 7 + 1
    _, exact = all_pages(client, limit=50)
    assert exact == 3  # no empty page after the last full one
    first = client.get("/api/events", params={"limit": 5}).json()["next_cursor"]
    wrong = client.get("/api/events", params={"limit": 5, "order": "newest", "cursor": first})
    assert wrong.status_code == 400 and "another query" in wrong.json()["detail"]
    newest, _ = all_pages(client, limit=40, order="newest")
    days = [planted.event(i).row["day"] for i in newest]
    assert sorted(newest) == sorted(expected) and days == sorted(days, reverse=True)


def test_pages_hold_while_events_are_added(client, planted, tmp_path):
    first = client.get("/api/events", params={"limit": 10}).json()
    later = tmp_path / "later.export.CSV"
    row = ["" for _ in range(61)]
    row[0], row[1], row[5], row[7], row[15], row[17] = "999001", "20100101", "IRQ", "IRQ", "RUS", "RUS"
    row[26], row[27], row[28], row[31] = "036", "036", "03", "1"
    later.write_text("\t".join(row) + "\n")
    planted.import_file(later)  # an event dated before every other: it sorts onto page one
    rest, _ = all_pages(client, limit=10, cursor=first["next_cursor"])
    assert not set(rest) & {r["event_id"] for r in first["items"]}
    assert len(rest) == 140 and "gdelt-999001" not in rest


@pytest.mark.parametrize("params", [{"actor": "RUS"}, {"dyad": "IRQ,RUS"}, {"type": "ASSAULT"},
                                    {"since": "2018-01-01", "until": "2018-06-30"},
                                    {"dyad": "RUS,IRQ", "directed": "true", "since": "2018-01-01"}])
def test_filters_select_what_the_store_counts(client, planted, params):
    ids, _ = all_pages(client, limit=MAX_PAGE, **params)
    where = {"actor": params.get("actor"), "event_type": params.get("type"), "since": params.get("since"),
             "until": params.get("until"), "directed": params.get("directed") == "true",
             "dyad": tuple(params["dyad"].split(",")) if "dyad" in params else None}
    assert len(ids) == planted.count(**{k: v for k, v in where.items() if v}) > 0


@pytest.mark.parametrize(("path", "status", "words"), [
    ("/api/events?limit=0", 422, "greater than or equal"),
    (f"/api/events?limit={MAX_PAGE + 1}", 422, "less than or equal"),
    ("/api/events?cursor=bm9wZQ", 400, "cursor"),
    ("/api/events?dyad=IRQ", 422, "String should match pattern"),
    ("/api/events?type=BOMBARD", 422, "'ASSAULT'"),
    ("/api/dyads/IRQ/RUS%20GOV%20MIL", 422, "String should match pattern"),
    ("/api/events?since=2018-02-30", 422, "date"),
    ("/api/events?since=1066-10-14", 422, "greater than or equal"),
    ("/api/events/no-such-event", 404, "no event"),
    ("/api/documents/no-such-document", 404, "no document"),
    ("/api/actors/ATL", 404, "no dated events"),
    ("/api/dyads/IRQ/RUS?freq=day&since=2000-01-01&until=2018-12-31", 400, "over the limit"),
    ("/api/dyads/IRQ/RUS?freq=fortnight", 422, "Input should be"),
    ("/api/networks?every=month&since=1900-01-01&until=2018-12-31", 400, "windows"),
    ("/api/shifts?since=2018-01-01", 422, "Field required"),
])
def test_bad_requests_get_a_clear_4xx(client, path, status, words):
    got = client.get(path)
    assert got.status_code == status, got.text
    assert words in json.dumps(got.json())


def test_one_event_carries_its_provenance(client, planted):
    event_id = planted.events(dyad=("IRQ", "RUS")).event_id[0]
    got = client.get(f"/api/events/{event_id}").json()
    assert got["event"]["event_id"] == event_id and got["record"] is None and got["marks"] == []
    labels = [p["what"] for p in got["provenance"]]
    assert labels[0] == "event" and "date" in labels and got["cluster"]["num_mentions"] >= 1


def test_dyad_series_is_the_library_s(client, planted):
    body = client.get("/api/dyads/IRQ/RUS", params={"freq": "quarter"}).json()
    frame = dyad_series(planted, "IRQ", "RUS", freq="quarter")
    assert [p["period"] for p in body["periods"]] == [str(p) for p in frame.period]
    assert [p["events"] for p in body["periods"]] == list(frame.events)
    assert [p["mean_intensity"] for p in body["periods"]] == pytest.approx(list(frame.mean_intensity))
    assert [p["change"] for p in body["periods"]] == list(frame.change) and any(frame.change)
    total = sum(p["by_type"].get(t, 0) for p in body["periods"] for t in p["by_type"])
    assert total == sum(p["events"] for p in body["periods"]) == 50


def test_network_and_windows_are_the_library_s(client, planted):
    body = client.get("/api/network", params={"since": "2017-01-01", "until": "2017-12-31"}).json()
    g = network(planted, dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    assert {(e["a"], e["b"]): e["weight"] for e in body["edges"]} == pytest.approx(
        {(u, v): d["weight"] for u, v, d in g.edges(data=True)})
    assert {n["id"]: n["bloc"] for n in body["nodes"]} == {n: d["bloc"] for n, d in g.nodes(data=True)}
    seq = client.get("/api/networks", params={"every": "year"}).json()
    graphs = networks(planted, dt.date(2017, 1, 1), dt.date(2018, 12, 31), "year")
    assert [len(w["edges"]) for w in seq["windows"]] == [g.number_of_edges() for g in graphs] == [3, 3]
    irq = [next(n for n in w["nodes"] if n["id"] == "IRQ") for w in seq["windows"]]
    assert (irq[0]["x"], irq[0]["y"]) == (irq[1]["x"], irq[1]["y"])  # one layout through the windows
    blocs = [{n["id"]: n["bloc"] for n in w["nodes"]} for w in seq["windows"]]
    assert blocs[0]["IRQ"] == blocs[0]["RUS"] and blocs[1]["IRQ"] != blocs[1]["RUS"]


def test_shifts_and_actor_profile(client, planted):
    body = client.get("/api/shifts", params={"since": "2018-01-01", "until": "2018-12-31"}).json()
    frame = shifts(planted, dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert [(r["a"], r["b"]) for r in body["items"]] == list(zip(frame.a, frame.b, strict=True))
    top = body["items"][0]
    assert (top["a"], top["b"], top["significant"]) == ("IRQ", "RUS", True) and top["difference"] < -5
    irq = client.get("/api/actors/irq", params={"since": "2018-01-01", "until": "2018-12-31"}).json()
    assert irq["name"] == "Iraq" and irq["events"] == 50
    assert [t["partner"] for t in irq["partners"]] == ["IRN"] and [t["partner"] for t in irq["adversaries"]] == ["RUS"]
    assert irq["drift"][-1]["partner"] == "RUS" and irq["drift"][-1]["direction"] == "away"
    assert irq["drift"][-1]["significant"] and irq["drift_windows"][1][0] == "2018-01-01"
    found = client.get("/api/actors", params={"q": "syr"}).json()["items"]
    assert [a["code"] for a in found] == ["SYR"] and found[0]["events"] == 50


def test_read_only_unless_started_with_a_token(planted):
    docs = {"documents": [{"text": "Iraq thanked Russia for its support."}]}
    closed = TestClient(create_app(planted.path, settings=TESTSERVER))
    assert closed.post("/api/documents", json=docs).status_code == 403
    guarded = TestClient(create_app(planted.path, token=TOKEN, settings=TESTSERVER))
    assert guarded.post("/api/documents", json=docs).status_code == 401
    wrong = guarded.post("/api/documents", json=docs, headers={"Authorization": "Bearer " + "x" * len(TOKEN)})
    assert wrong.status_code == 401 and "Bearer" in wrong.headers["www-authenticate"]
    assert planted.count_documents() == 0


def test_request_bodies_are_limited(planted):
    client = TestClient(create_app(planted.path, settings=TESTSERVER, max_body=4096, max_chars=100))
    big = client.post("/api/code", content=b'{"text": "' + b"a" * 5000 + b'"}',
                      headers={"content-type": "application/json"})
    assert big.status_code == 413 and "4,096 bytes" in big.json()["detail"]
    long = client.post("/api/code", json={"text": "Iraq " * 30})
    assert long.status_code == 413 and "over the limit of 100" in long.json()["detail"]
    assert client.post("/api/code", json={"text": ""}).status_code == 422
    assert client.post("/api/code", content=b"{not json", headers={"content-type": "application/json"}
                       ).status_code == 422
    binary = client.post("/api/code", content=b"\x89PNG\x00\xff" * 50, headers={"content-type": "application/json"})
    assert binary.status_code == 400 and "error parsing the body" in binary.json()["detail"]


def test_dashboard_is_served_from_the_package_with_a_strict_policy(client):
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    for name in ("app.js", "app.css"):
        got = client.get(f"/static/{name}")
        assert got.status_code == 200 and len(got.text) > 1000
    for f in STATIC.iterdir():  # nothing is fetched from elsewhere
        assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", f.read_text(encoding="utf-8")), f.name
    assert "innerHTML" not in (STATIC / "app.js").read_text(encoding="utf-8")


def test_python_cli_and_http_give_the_same_numbers(client, planted):
    """The same question through the library, the command line and the API."""
    runner = CliRunner()
    out = runner.invoke(cli, ["events", "--db", planted.path, "--dyad", "IRQ,RUS", "--since", "2018-01-01",
                              "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    by_cli = [json.loads(line)["event_id"] for line in out.output.splitlines()]
    by_http, _ = all_pages(client, dyad="IRQ,RUS", since="2018-01-01", limit=9)
    by_python = list(planted.events(dyad=("IRQ", "RUS"), since=dt.date(2018, 1, 1)).event_id)
    assert by_cli == by_http == by_python and len(by_python) == 25

    out = runner.invoke(cli, ["relations", "IRQ", "RUS", "--db", planted.path, "--freq", "year"])
    assert out.exit_code == 0, out.output
    rows = re.findall(r"(\d{4}-01-01)\s*│\s*(\d+)\s*│.*?│\s*([+-]\d+\.\d)\s*│", out.output)
    http = client.get("/api/dyads/IRQ/RUS", params={"freq": "year"}).json()["periods"]
    python = dyad_series(planted, "IRQ", "RUS", freq="year")
    assert [(p, int(n), float(m)) for p, n, m in rows] == [
        (p["period"], p["events"], round(p["mean_intensity"], 1)) for p in http] == [
        (str(r.period), int(r.events), round(r.mean_intensity, 1)) for r in python.itertuples()]

    gexf = planted.path.replace(".duckdb", ".gexf")
    out = runner.invoke(cli, ["network", "--db", planted.path, "--from", "2018-01-01", "--to", "2018-12-31",
                              "--gexf", gexf])
    assert out.exit_code == 0, out.output
    import networkx as nx

    by_cli_g = nx.read_gexf(gexf)
    by_http_g = client.get("/api/network", params={"since": "2018-01-01", "until": "2018-12-31"}).json()
    assert {frozenset((u, v)): round(d["weight"], 9) for u, v, d in by_cli_g.edges(data=True)} == {
        frozenset((e["a"], e["b"])): round(e["weight"], 9) for e in by_http_g["edges"]}


def test_concurrent_code_requests_get_the_events_of_sequential_ones(live):
    """POST /api/code codes without a lock (the pipeline keeps no per-document state): requests
    sent at once, from many threads, get exactly what they get one by one (issue 13)."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        ("Russia delivered four helicopters to the Iraqi army on Tuesday.", "2019-01-10"),
        ("Turkish jets bombed PKK positions near Dohuk, the army said.", "2018-06-12"),
        ("Iraqi lawmakers called for the withdrawal of U.S. troops.", "2020-01-05"),
        ("Iran condemned the Israeli strike on Damascus and warned of retaliation.", "2019-01-21"),
        ("The two foreign ministers met in Ankara and agreed to reopen the border crossing.", "2017-03-02"),
        ("Police in Basra arrested twelve protesters outside the Iranian consulate.", "2018-09-08"),
    ]

    def code(item):
        text, date = item
        r = httpx.post(f"{live.url}/api/code", json={"text": text, "date": date}, timeout=60)
        assert r.status_code == 200, r.text
        return r.json()["events"]

    sequential = [code(t) for t in texts]
    assert all(sequential), "every text has events"
    with ThreadPoolExecutor(max_workers=12) as pool:
        for _ in range(2):
            concurrent = list(pool.map(code, texts * 4))
            assert concurrent == sequential * 4


@pytest.mark.slow
def test_documents_are_ingested_over_http_into_a_parquet_folder_store(tmp_path):
    from realpolitik.store import Store
    from realpolitik.store.dataset import create_dataset

    root = create_dataset(tmp_path / "news.parquet")
    client = TestClient(create_app(root, token=TOKEN, settings=TESTSERVER))
    docs = {"documents": [{"text": "Iraq thanked Russia for its support.", "date": "2019-01-10"}]}
    got = client.post("/api/documents", json=docs, headers={"Authorization": f"Bearer {TOKEN}"})
    assert got.status_code == 200, got.text
    assert got.json()["documents"] == 1, got.json()
    assert Store(root).count_documents() == 1
