"""The routes of a watched store: its sources as the store holds them, the newest events by the
time they were stored (and only those stored since a cursor), bad parameters refused."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from realpolitik.server import create_app
from realpolitik.server.watching import MAX_NEWEST, newest_events
from realpolitik.store import Store
from realpolitik.watch.state import source_statuses

from .conftest import TESTSERVER

NOW = dt.datetime(2024, 5, 6, 12, 0, 0)
FIRST = [
    {"id": "w-1", "date": "2024-05-02", "text": "Egypt and Sudan signed a water sharing agreement in Cairo on Thursday."},
    {"id": "w-2", "date": "2024-05-03", "text": "Turkey accused Greece of violating its airspace on Friday."},
]
LATER = [
    {"id": "w-3", "date": "2024-05-06", "text": "Japan pledged emergency aid to the Philippines after the storm on Monday."},
    {"id": "w-4", "date": "2024-05-06", "text": "Iran threatened Israel with retaliation on Monday."},
]
def sources(now: dt.datetime) -> list[tuple]:
    """Three watched sources as of ``now``: one well, one failing, one never fetched. Each is url,
    kind, outlet, interval, last fetch, last ok, status, last error, errors in a row, all errors,
    next poll."""
    return [
        ("http://127.0.0.1:9/good.xml", "feed", "Good Wire", 300, now - dt.timedelta(minutes=1), now - dt.timedelta(minutes=1),
         200, None, 0, 1, now + dt.timedelta(minutes=4)),
        ("http://127.0.0.1:9/broken.xml", "feed", None, 600, now - dt.timedelta(minutes=3), now - dt.timedelta(hours=2), 503,
         "503 Service Unavailable from 127.0.0.1 <retry later>", 3, 7, now + dt.timedelta(minutes=17)),
        ("http://127.0.0.1:9/sitemap.xml", None, "Maps & Co", 900, None, None, None, None, 0, 0, None),
    ]


SOURCES = sources(NOW)
ENTRIES = [  # url, source, state, last error
    ("http://127.0.0.1:9/a/1.html", "http://127.0.0.1:9/good.xml", "done", None),
    ("http://127.0.0.1:9/a/2.html", "http://127.0.0.1:9/good.xml", "done", None),
    ("http://127.0.0.1:9/a/3.html", "http://127.0.0.1:9/good.xml", "pending", None),
    ("http://127.0.0.1:9/b/1.html", "http://127.0.0.1:9/broken.xml", "failed", "404 Not Found"),
]


def plant_sources(store: Store, rows=SOURCES, entries=ENTRIES, now=NOW) -> None:
    """Watched sources and their article links written straight into the store's tables."""
    with store.db.write() as con:
        for n, row in enumerate(rows):
            con.execute("INSERT INTO watch_sources (url, kind, outlet, interval_seconds, last_fetch, last_ok, "
                        "last_status, last_error, errors, total_errors, next_poll, added_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [*row, now + dt.timedelta(seconds=n)])
        for url, source, state, error in entries:
            con.execute("INSERT INTO watch_entries (url, source_url, state, last_error, first_seen) "
                        "VALUES (?, ?, ?, ?, ?)", [url, source, state, error, NOW])


@pytest.fixture()
def watched(tmp_path) -> Store:
    store = Store(tmp_path / "watched.duckdb")
    plant_sources(store)
    return store


def test_sources_lists_each_source_as_the_store_holds_it(watched):
    client = TestClient(create_app(watched.path, settings=TESTSERVER))
    got = client.get("/api/sources")
    assert got.status_code == 200, got.text
    items = got.json()["items"]
    assert [r["url"] for r in items] == [s[0] for s in SOURCES]  # the order they were added in
    good, broken, sitemap = items
    assert (good["entries"], good["stored"], good["pending"], good["failed"]) == (3, 2, 1, 0)
    assert (broken["entries"], broken["failed"], broken["errors"], broken["total_errors"]) == (1, 1, 3, 7)
    assert broken["last_error"] == SOURCES[1][7] and broken["last_status"] == 503 and good["last_error"] is None
    assert sitemap["kind"] is None and sitemap["last_fetch"] is None and sitemap["outlet"] == "Maps & Co"
    assert dt.datetime.fromisoformat(good["next_poll"]).replace(tzinfo=None) == SOURCES[0][10]
    assert good["interval_seconds"] == 300 and set(good) == set(source_statuses(watched)[0].__dict__)


def test_sources_of_a_store_without_any_is_empty_and_a_new_source_shows(tmp_path):
    store = Store(tmp_path / "plain.duckdb")
    client = TestClient(create_app(store.path, settings=TESTSERVER))
    assert client.get("/api/sources").json() == {"items": []}
    plant_sources(store, SOURCES[:1], [])
    assert [r["url"] for r in client.get("/api/sources").json()["items"]] == [SOURCES[0][0]]  # not a kept answer


def test_newest_events_then_only_those_stored_since(tmp_path, coder):
    store = Store(tmp_path / "live.duckdb")
    assert store.ingest_records(FIRST, source="first").events >= 2
    client = TestClient(create_app(store.path, settings=TESTSERVER))  # with the in-memory index (the default)
    first = client.get("/api/events/newest", params={"limit": 50})
    assert first.status_code == 200, first.text
    body = first.json()
    old_ids = {r["event_id"] for r in body["items"]}
    assert old_ids == set(store.events().event_id) and body["more"] is False
    assert client.get("/api/events/newest", params={"after": body["cursor"]}).json() == {
        "items": [], "cursor": body["cursor"], "more": False}  # nothing new: the same cursor

    assert store.ingest_records(LATER, source="later").events >= 2
    new = client.get("/api/events/newest", params={"after": body["cursor"]}).json()
    new_ids = [r["event_id"] for r in new["items"]]
    assert new_ids and not set(new_ids) & old_ids
    assert set(new_ids) == set(store.events().event_id) - old_ids  # every one, at once (no index to wait for)
    assert {r["doc_id"] for r in new["items"]} == set(store.query(
        "SELECT id FROM documents WHERE external_id IN ('w-3', 'w-4')").id)
    stamps = [r["ingested_at"] for r in new["items"]]
    assert stamps == sorted(stamps, reverse=True) and new["cursor"] != body["cursor"]
    again = client.get("/api/events/newest", params={"after": new["cursor"]}).json()
    assert again["items"] == [] and again["cursor"] == new["cursor"]

    everything = client.get("/api/events/newest").json()["items"]
    assert [r["event_id"] for r in everything][:len(new_ids)] == new_ids  # the later ones first
    one = client.get("/api/events/newest", params={"after": body["cursor"], "limit": 1}).json()
    assert [r["event_id"] for r in one["items"]] == new_ids[:1] and one["more"] is (len(new_ids) > 1)
    assert one["cursor"] == new["cursor"]  # the newest seen: the left-out older ones are not asked for again


def test_newest_events_take_the_events_filters(tmp_path, coder):
    store = Store(tmp_path / "filtered.duckdb")
    store.ingest_records(FIRST + LATER, source="all")
    got = newest_events(store, where=None, limit=MAX_NEWEST)
    client = TestClient(create_app(store.path, settings=TESTSERVER))
    tur = client.get("/api/events/newest", params={"actor": "TUR"}).json()
    assert tur["items"] and all("TUR" in (r["source_country"], r["target_country"]) for r in tur["items"])
    assert len(tur["items"]) < len(got.items)
    later = client.get("/api/events/newest", params={"actor": "TUR", "after": tur["cursor"]}).json()
    assert later["items"] == []


def test_events_without_a_stored_time_are_never_new(tmp_path, coder):
    store = Store(tmp_path / "untimed.duckdb")
    store.ingest_records(FIRST, source="first")
    with store.db.write() as con:
        con.execute("UPDATE events SET ingested_at = NULL")
    first = newest_events(store, limit=10)
    assert len(first.items) == len(store.events()) and first.items  # listed, after any with a time
    assert newest_events(store, after=first.cursor).items == []
    store.ingest_records(LATER, source="later")
    later = newest_events(store, after=first.cursor).items
    assert later and all(r["ingested_at"] is not None for r in later)


@pytest.mark.parametrize(("params", "status"), [
    ({"limit": 0}, 422), ({"limit": MAX_NEWEST + 1}, 422), ({"limit": "many"}, 422),
    ({"after": "x" * 401}, 422), ({"type": "NOPE"}, 422), ({"actor": "IRQ;DROP"}, 422),
    ({"after": "not-a-cursor"}, 400),
])
def test_bad_parameters_are_refused(watched, params, status):
    client = TestClient(create_app(watched.path, settings=TESTSERVER))
    got = client.get("/api/events/newest", params=params)
    assert got.status_code == status, got.text
    assert got.json()["detail"]


def test_a_cursor_of_other_filters_or_of_a_page_is_refused(watched):
    client = TestClient(create_app(watched.path, settings=TESTSERVER))
    cursor = client.get("/api/events/newest", params={"actor": "IRQ"}).json()["cursor"]
    other = client.get("/api/events/newest", params={"after": cursor})
    assert other.status_code == 400 and "another query" in other.json()["detail"]
    forged = client.get("/api/events/newest", params={"after": "WyJ4IiwieSIsInoiXQ"})  # ["x","y","z"]
    assert forged.status_code == 400 and "start again" in forged.json()["detail"]


def test_the_event_route_still_answers_beside_newest(watched):
    client = TestClient(create_app(watched.path, settings=TESTSERVER))
    assert client.get("/api/events/no-such-event").status_code == 404
    assert client.get("/api/events/newest").status_code == 200
