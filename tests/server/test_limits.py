"""The server's bounds: text sizes, a worker pool and a time budget for coding, text that is not
Unicode, and the host names it answers for."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from fastapi.testclient import TestClient

from realpolitik.config import ServerSettings
from realpolitik.server import app as app_module
from realpolitik.server import create_app

from .conftest import TESTSERVER, TOKEN, free_port

AUTH = {"Authorization": f"Bearer {TOKEN}"}
DOCS = [{"id": f"d{i}", "date": "2021-05-0" + str(i + 1),
         "text": f"Ministers of Chile and Peru met in Lima on day {i} to discuss trade."} for i in range(3)]


def settings(**values) -> ServerSettings:
    return TESTSERVER.model_copy(update=values)


@pytest.fixture()
def fresh(tmp_path):
    """A new, empty store that takes ingest."""
    return tmp_path / "fresh.duckdb"


@pytest.mark.parametrize(("route", "body", "limits", "says"), [
    ("/api/code", {"text": "Iraq thanked Russia. " * 20}, {"max_chars": 100}, "over the limit of 100"),
    ("/api/documents", {"documents": [{"text": "Iraq thanked Russia. " * 20}]}, {"max_chars": 100},
     "document 1 has 420 characters"),
    ("/api/documents", {"documents": [{"text": "Iraq thanked Russia. " * 4}] * 5},
     {"max_chars": 100, "max_request_chars": 300}, "send fewer documents"),
])
def test_text_over_a_limit_is_refused_with_413_and_nothing_is_stored(fresh, route, body, limits, says):
    client = TestClient(create_app(fresh, token=TOKEN, settings=settings(**limits)))
    got = client.post(route, json=body, headers=AUTH)
    assert got.status_code == 413 and says in got.json()["detail"]
    assert client.get("/api/summary").json()["documents"] == 0


@pytest.mark.parametrize("route", ["/api/code", "/api/documents"])
def test_a_request_over_its_time_budget_answers_503_and_stores_nothing(fresh, coder, monkeypatch, route):
    release = threading.Event()
    real = app_module.ingest_records

    def slow_text(budget, text, date):  # a long document: coding outlasts the budget
        release.wait(30)
        budget.check()
        return []

    def slow_ingest(budget, *args):
        release.wait(30)
        return real(budget, *args)

    monkeypatch.setattr(app_module, "code_text", slow_text)
    monkeypatch.setattr(app_module, "ingest_records", slow_ingest)
    app = create_app(fresh, token=TOKEN, settings=settings(request_seconds=0.3, code_workers=1))
    client = TestClient(app)
    body = {"text": DOCS[0]["text"]} if route == "/api/code" else {"documents": DOCS}
    got = client.post(route, json=body, headers=AUTH)
    assert got.status_code == 503 and "nothing was stored" in got.json()["detail"]
    assert got.headers["retry-after"]
    release.set()
    deadline = time.monotonic() + 30
    while app.state.pool.running and time.monotonic() < deadline:  # the abandoned job stops at its check
        time.sleep(0.02)
    assert app.state.pool.running == 0
    assert client.get("/api/summary").json()["documents"] == 0
    if route == "/api/documents":  # within the budget the same request stores every document
        ok = TestClient(create_app(fresh, token=TOKEN, settings=settings(request_seconds=60)))
        assert ok.post(route, json=body, headers=AUTH).json()["documents"] == 3


def test_reads_answer_while_a_request_codes_and_the_pool_is_bounded(planted, monkeypatch):
    started, release = threading.Event(), threading.Event()

    def blocked(budget, text, date):
        started.set()
        release.wait(30)
        return []

    monkeypatch.setattr(app_module, "code_text", blocked)
    client = TestClient(create_app(planted.path, settings=settings(code_workers=1, request_seconds=1.0)))
    first: list[int] = []
    worker = threading.Thread(target=lambda: first.append(client.post("/api/code", json={"text": "x y z"}).status_code))
    worker.start()
    try:
        assert started.wait(30)
        assert client.get("/api/health").status_code == 200  # the event loop is free
        assert client.get("/api/events", params={"limit": 3}).status_code == 200
        second = client.post("/api/code", json={"text": "a b c"})  # the one worker is busy all its budget
        assert second.status_code == 503 and "no coding worker was free" in second.json()["detail"]
    finally:
        release.set()
        worker.join(30)
    assert first == [503]  # it outlasted its own budget too


@pytest.mark.parametrize(("route", "raw"), [
    ("/api/code", '{"text": "\\ud800 Iran warned Israel."}'),
    ("/api/code", '{"text": "Iran warned Israel. \\udfff"}'),
    ("/api/documents", '{"documents": [{"text": "\\ud83d Iran warned Israel."}]}'),
    ("/api/documents", '{"documents": [{"text": "Iran warned Israel.", "title": "\\udc00"}]}'),
    ("/api/documents", '{"documents": [{"text": "Iran warned Israel.", "\\ud800": 1}]}'),
])
def test_a_lone_surrogate_is_refused_with_422_not_500(fresh, route, raw):
    client = TestClient(create_app(fresh, token=TOKEN, settings=TESTSERVER), raise_server_exceptions=False)
    got = client.post(route, content=raw.encode(), headers={**AUTH, "content-type": "application/json"})
    assert got.status_code == 422, got.text
    assert "unicode" in json.dumps(got.json()["detail"]).lower()
    assert client.get("/api/summary").json()["documents"] == 0


@pytest.mark.parametrize("route", ["/api/documents", "/api/actors"])
@pytest.mark.parametrize("q", ["%ED%A0%80", "Iran%ED%A0%80%FF"])
def test_search_words_that_are_not_unicode_are_no_server_error(planted, route, q):
    client = TestClient(create_app(planted.path, settings=TESTSERVER), raise_server_exceptions=False)
    got = client.get(f"{route}?q={q}")
    assert got.status_code == 200, got.text


@pytest.mark.parametrize(("hosts", "host", "status"), [
    (None, "127.0.0.1:8765", 200),
    (None, "localhost", 200),
    (None, "[::1]:8765", 200),
    (None, "LOCALHOST:80", 200),
    (None, "evil.example:8765", 400),
    (None, "127.0.0.1.evil.example", 400),
    (None, "", 400),
    (("news.example.org",), "news.example.org:443", 200),
    (("news.example.org",), "localhost:8765", 400),
    (("*",), "anything.example", 200),
])
def test_only_configured_host_names_are_answered(planted, hosts, host, status):
    conf = ServerSettings() if hosts is None else ServerSettings(allowed_hosts=hosts)
    client = TestClient(create_app(planted.path, settings=conf))
    got = client.get("/api/summary", headers={"host": host})
    assert got.status_code == status
    if status == 400:
        assert "--allow-host" in got.json()["detail"] and got.headers["x-frame-options"] == "DENY"


def test_sigterm_stops_a_server_busy_coding(planted, tmp_path):
    """A request that codes for ever does not keep the process alive past its shutdown time."""
    port = free_port()
    script = tmp_path / "serve.py"
    script.write_text(f"""
import threading
from realpolitik.config import ServerSettings
from realpolitik.server import app, serve

def forever(budget, text, date):
    print("coding", flush=True)
    threading.Event().wait()  # a document that never ends, deaf to its budget

app.code_text = forever
serve({str(planted.path)!r}, port={port}, settings=ServerSettings(shutdown_seconds=1, request_seconds=600),
      on_listening=lambda url: print(url, flush=True))
""")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == f"http://127.0.0.1:{port}/"
        import http.client

        con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        threading.Thread(target=lambda: _quietly(con), daemon=True).start()
        assert proc.stdout.readline().strip() == "coding"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) is not None  # before: graceful shutdown waited on the request for ever
    finally:
        if proc.poll() is None:
            proc.kill()


def _quietly(con) -> None:
    try:
        con.request("POST", "/api/code", body=json.dumps({"text": "Iraq thanked Russia."}),
                    headers={"content-type": "application/json"})
        con.getresponse().read()
    except OSError:
        pass

