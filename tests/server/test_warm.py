"""The server works out its busiest pairs' series ahead after the index is read
(``server.warm_dyads``): health says so while it does, and the series then come from memory."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from realpolitik.server import create_app

from .conftest import TESTSERVER


def _ready(client: TestClient) -> list[str]:
    states = []
    for _ in range(400):
        states.append(client.get("/api/health").json()["index"])
        if states[-1] == "ready":
            break
        time.sleep(0.05)
    return states


def test_the_busiest_pairs_are_answered_from_memory(example_db):
    app = create_app(example_db, settings=TESTSERVER.model_copy(update={"warm_dyads": 5}))
    with TestClient(app) as client:
        assert _ready(client)[-1] == "ready"
        index = app.state.store.event_index()
        kept = index.remembered[0]
        assert kept > 0  # five pairs, three frequencies each
        a, b = index.busiest_pairs(1)[0]
        for freq in ("month", "quarter", "year"):
            assert client.get(f"/api/dyads/{b}/{a}", params={"freq": freq}).status_code == 200
        assert index.remembered[0] == kept  # none of them was worked out again


def test_with_none_worked_out_ahead_the_first_request_works_it_out(example_db):
    app = create_app(example_db, settings=TESTSERVER.model_copy(update={"warm_dyads": 0}))
    with TestClient(app) as client:
        assert "warming" not in _ready(client)
        index = app.state.store.event_index()
        assert index.remembered[0] == 0
        a, b = index.busiest_pairs(1)[0]
        assert client.get(f"/api/dyads/{a}/{b}").status_code == 200
        assert index.remembered[0] > 0
