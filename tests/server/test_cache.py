"""Answers of read routes are kept until the store changes, by this process or another."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from realpolitik.server import create_app

from .conftest import TESTSERVER


def later_row() -> str:
    """One more GDELT event, IRQ to RUS in 2025, later than every planted one."""
    row = [""] * 61
    row[0], row[1], row[5], row[7], row[15], row[17] = "888001", "20250101", "IRQ", "IRQ", "RUS", "RUS"
    row[26], row[27], row[28], row[31] = "036", "036", "03", "1"
    return "\t".join(row)


ROUTES = ["/api/summary", "/api/events?limit=5&order=newest", "/api/actors/IRQ", "/api/dyads/IRQ/RUS?freq=year",
          "/api/networks?every=year"]


@pytest.mark.parametrize(("route", "writer"), [*((r, "this process") for r in ROUTES),
                                               ("/api/events?limit=5&order=newest", "another process")])
def test_an_answer_is_kept_until_a_write_changes_the_store(planted, tmp_path, route, writer):
    app = create_app(planted.path, settings=TESTSERVER)
    client = TestClient(app)
    first = client.get(route)
    assert first.status_code == 200
    hits = app.state.cache.hits
    again = client.get(route)
    assert again.content == first.content and app.state.cache.hits == hits + 1
    later = tmp_path / "later.export.CSV"
    later.write_text(later_row() + "\n")
    if writer == "this process":
        planted.import_file(later)
    else:
        planted.db.close()
        app.state.store.db.close()
        code = f"from realpolitik.store import Store; Store({str(planted.path)!r}).import_file({str(later)!r})"
        subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    after = client.get(route)
    assert after.status_code == 200 and after.content != first.content  # the new event shows
    assert "2025" in after.text or '"events":151' in after.text


def test_the_cache_is_bounded(planted):
    app = create_app(planted.path, settings=TESTSERVER.model_copy(update={"cache_entries": 3}))
    client = TestClient(app)
    for limit in range(1, 9):
        assert client.get("/api/events", params={"limit": limit}).status_code == 200
    assert len(app.state.cache) == 3
    assert client.get("/api/health").status_code == 200 and len(app.state.cache) == 3  # health is never kept
