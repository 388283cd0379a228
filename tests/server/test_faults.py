"""A store that breaks under a running server: 5xx with a short message, never its path or SQL,
and a health check that says so."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from realpolitik.server import create_app

from .conftest import TESTSERVER

ROUTES = ["/api/summary", "/api/events?limit=5", "/api/events/nope", "/api/documents", "/api/actors",
          "/api/actors/IRQ", "/api/dyads/IRQ/RUS", "/api/network", "/api/shifts?since=2018-01-01&until=2018-12-31"]
LEAKS = re.compile(r"(/tmp/|/home/|/root/|\.duckdb|SELECT |FROM |WHERE |LINE \d|Catalog Error|IO Error)")


def breakage(kind: str, path, tmp_path):
    """Break the store at ``path`` the way ``kind`` says; returns what undoes it, if anything."""
    if kind == "deleted":
        path.unlink()
    elif kind == "corrupted":
        data = bytearray(path.read_bytes())
        data[: 64 * 1024] = b"\x5a" * min(len(data), 64 * 1024)
        path.write_bytes(bytes(data))
    elif kind == "not a store":
        path.unlink()
        path.write_text("these are not the events you are looking for\n")
    elif kind == "locked":  # another process holds the write lock
        holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, sys; con = duckdb.connect({str(path)!r}); "
                                   "print('held', flush=True); sys.stdin.read()"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        return holder
    return None


@pytest.fixture()
def copy(planted, tmp_path):
    """A copy of the planted store that may be broken."""
    planted.db.close()
    target = tmp_path / "broken.duckdb"
    shutil.copy(planted.path, target)
    return target


@pytest.mark.parametrize("kind", ["deleted", "corrupted", "not a store", "locked"])
def test_a_broken_store_answers_5xx_without_paths_or_sql_and_health_says_so(copy, tmp_path, kind):
    app = create_app(copy, settings=TESTSERVER.model_copy(update={"busy_seconds": 0.3, "cache_entries": 0}))
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/api/summary").json()["events"] == 150
    app.state.store.db.close()  # the server's kept connection ends (it does every two seconds)
    holder = breakage(kind, copy, tmp_path)
    try:
        health = client.get("/api/health")
        assert health.status_code == 503, health.text
        state = health.json()["store"]
        assert health.json()["status"] == "error" and state["error"]
        assert not state["readable"] or not state["reachable"]
        assert not LEAKS.search(health.text), health.text
        for route in ROUTES:
            got = client.get(route)
            assert got.status_code in (500, 503), (route, got.status_code, got.text)
            assert not LEAKS.search(got.text), (route, got.text)
            assert len(got.json()["detail"]) < 200
    finally:
        if holder is not None:
            holder.communicate("", timeout=30)


@pytest.mark.parametrize(("route", "status"), [("/api/events/nope", 404), ("/api/documents/nope", 404),
                                               ("/api/events?cursor=bm9wZQ", 400)])
def test_client_errors_stay_4xx_and_name_no_path(planted, route, status):
    client = TestClient(create_app(planted.path, settings=TESTSERVER))
    got = client.get(route)
    assert got.status_code == status and got.json()["detail"]
    assert str(planted.path) not in got.text and not LEAKS.search(got.text), got.text


def test_health_reports_the_store(planted):
    body = TestClient(create_app(planted.path, settings=TESTSERVER)).get("/api/health").json()
    assert body["status"] == "ok" and body["store"] == {"reachable": True, "readable": True, "events": 150,
                                                         "error": None}
