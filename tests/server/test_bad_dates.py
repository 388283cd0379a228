"""Documents dated at the edges of the calendar (placeholders such as 0001-01-01 or 9999-12-31)
with relative dates in their text are coded and stored over HTTP, with the rest of the request."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from realpolitik.server import create_app

from .conftest import TESTSERVER, TOKEN

pytestmark = pytest.mark.slow  # codes text with the English model


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_placeholder_dates_are_coded_and_stored(planted, coder, date):
    client = TestClient(create_app(planted.path, token=TOKEN, settings=TESTSERVER))
    coded = client.post("/api/code", json={"text": "Russia delivered helicopters to Iraq yesterday and will "
                                                   "send more next week.", "date": date})
    assert coded.status_code == 200 and [e["event_type"] for e in coded.json()["events"]] == ["AID"]
    docs = {"documents": [{"text": "Iran sent aid to Syria last year.", "date": date},
                          {"text": "Turkey thanked Qatar for its support on Monday.", "date": "2019-05-30"}]}
    stored = client.post("/api/documents", json=docs, headers={"Authorization": f"Bearer {TOKEN}"})
    assert stored.status_code == 200 and (stored.json()["documents"], stored.json()["rejected"]) == (2, 0)
