"""The forecast, backtest, scenario and alerts routes over the planted store: the library's
answers, bad parameters refused with a short 4xx, answers kept per store generation, a time budget."""

from __future__ import annotations

import json
import threading

import pytest
from fastapi.testclient import TestClient

from realpolitik.server import create_app

from .conftest import TESTSERVER
from .test_cache import later_row


@pytest.fixture()
def client(planted):
    return TestClient(create_app(planted.path, settings=TESTSERVER))


def test_forecast_is_the_library_s_with_nested_intervals(client, planted):
    from realpolitik.analytics.forecast import forecast

    got = client.get("/api/forecast/IRQ/RUS", params={"freq": "month", "horizon": 3})
    assert got.status_code == 200, got.text
    body = got.json()
    assert body == json.loads(json.dumps(forecast(planted, "IRQ", "RUS", freq="month", horizon=3).to_dict(),
                                         default=str))
    ahead = [r for r in body["frame"] if r["measure"] == "index_per_1k"]
    assert [r["step"] for r in ahead] == [1, 2, 3] and ahead[0]["period"] > body["history"][-1]["period"]
    for r in ahead:
        assert r["lo90"] <= r["lo50"] <= r["mean"] <= r["hi50"] <= r["hi90"]
    assert body["model"] in ("no_change", "local_level", "local_trend", "pooled")


def test_backtest_is_computed_once_per_store_generation(client, planted, monkeypatch, tmp_path):
    import realpolitik.analytics.backtest as bt

    calls: list[dict] = []
    real = bt.backtest

    def counted(store, **kwargs):
        calls.append(kwargs)
        return real(store, **kwargs)

    monkeypatch.setattr(bt, "backtest", counted)
    first = client.get("/api/backtest", params={"freq": "month"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert {r["model"] for r in body["frame"]} >= {"no_change"} and {r["horizon"] for r in body["frame"]} == {1, 3, 6}
    assert calls == [{"freq": "month", "horizons": (1, 3, 6), "min_events": 20}]  # the route's bounded cost
    again = client.get("/api/backtest?freq=month&again=1")  # not the same request: the kept backtest
    assert again.json() == body and len(calls) == 1
    later = tmp_path / "later.export.CSV"
    later.write_text(later_row() + "\n")
    planted.import_file(later)
    assert client.get("/api/backtest", params={"freq": "month"}).status_code == 200 and len(calls) == 2


def test_scenario_is_the_library_s_with_one_layout_for_both_networks(client, planted):
    from realpolitik.analytics.scenario import scenario

    got = client.get("/api/scenario", params=[("hostile", "IRQ:IRN"), ("remove", "TUR:SYR"), ("draws", "50")])
    assert got.status_code == 200, got.text
    body = got.json()
    sc = scenario(planted, hostile=[("IRQ", "IRN")], remove=[("TUR", "SYR")], draws=50)
    assert sorted((c["a"], c["b"], c["kind"]) for c in body["changes"]) == sorted(sc.changes)
    assert [m["actor"] for m in body["moves"]] == list(sc.moves.actor)
    assert {n["id"] for n in body["before"]["nodes"]} == set(sc.before.nodes)
    where = {n["id"]: (n["x"], n["y"]) for n in body["before"]["nodes"]}
    assert where == {n["id"]: (n["x"], n["y"]) for n in body["after"]["nodes"] if n["id"] in where}
    assert body["assumptions"] and all(0 <= m["probability"] <= 1 for m in body["moves"])


def test_alerts_are_the_library_s_most_urgent_first(client, planted):
    from realpolitik.analytics.alerts import alerts

    got = client.get("/api/alerts", params={"top": 5})
    assert got.status_code == 200, got.text
    items = got.json()["alerts"]
    mine = alerts(planted, freq="month", top=5)
    assert [(a["kind"], a["subject"], a["period"]) for a in items] == [
        (a.kind, a.subject, a.period.isoformat()) for a in mine]
    assert len(items) <= 5 and [a["score"] for a in items] == sorted((a["score"] for a in items), reverse=True)


@pytest.mark.parametrize(("path", "status", "words"), [
    ("/api/forecast/IRQ/RUS?horizon=0", 422, "greater than or equal"),
    ("/api/forecast/IRQ/RUS?horizon=25", 422, "less than or equal"),
    ("/api/forecast/IRQ/RUS?freq=year", 422, "Input should be"),
    ("/api/forecast/IRQ/ATL", 404, "ATL"),
    ("/api/backtest?freq=week", 422, "Input should be"),
    ("/api/scenario", 400, "no change given"),
    ("/api/scenario?remove=IRQ:ATL", 404, "ATL has no tie"),
    ("/api/scenario?remove=IRQ-RUS", 422, "String should match pattern"),
    ("/api/scenario?hostile=IRQ:RUS&draws=0", 422, "greater than or equal"),
    ("/api/scenario?" + "&".join(f"remove=A{i}:B{i}" for i in range(9)), 422, "at most 8"),
    ("/api/alerts?top=0", 422, "greater than or equal"),
    ("/api/alerts?freq=day", 422, "Input should be"),
])
def test_bad_parameters_get_a_short_4xx(client, path, status, words):
    got = client.get(path)
    assert got.status_code == status, got.text
    assert words in json.dumps(got.json()) and len(got.text) < 600


def test_an_analysis_over_its_time_budget_answers_503(planted, monkeypatch):
    import realpolitik.analytics.alerts as module

    release = threading.Event()

    def slow(store, **kwargs):
        release.wait(10)
        return []

    monkeypatch.setattr(module, "alerts", slow)
    client = TestClient(create_app(planted.path, settings=TESTSERVER.model_copy(update={"request_seconds": 0.2})))
    try:
        got = client.get("/api/alerts")
    finally:
        release.set()
    assert got.status_code == 503 and got.headers["retry-after"] and "longer than" in got.json()["detail"]
