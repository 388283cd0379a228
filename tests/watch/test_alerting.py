"""Alert rules checked against a store: what matches, once per cluster, retries of failed sinks."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from realpolitik.store import Store
from realpolitik.watch.alerting import check_alerts
from realpolitik.watch.rules import AlertRules, parse_rules

BEFORE = dt.datetime(2024, 1, 1)  # when the rules of most tests were loaded
AFTER = dt.datetime(2024, 6, 1)   # when their events arrived


def _put(store: Store, event_id: str, source: tuple[str, str], target: tuple[str, str], *, cluster: str | None = None,
         event_type: str = "ASSAULT", mode: str | None = None, modality: str = "asserted", confidence: float = 0.9,
         quad_class: int = 4, mentions: int = 1, day: dt.date = dt.date(2024, 5, 3),
         ingested_at: dt.datetime = AFTER, intensity: float = -8.0) -> None:
    """One event straight into the store (``source``/``target`` as (code, country))."""
    with store.db.write() as con:
        con.execute("""INSERT INTO events (event_id, origin, doc_id, cluster_id, event_type, mode, modality, confidence,
                           quad_class, intensity, source_code, source_country, target_code, target_country, day, date,
                           sentence, url, mentions, ingested_at)
                       VALUES (?, 'realpolitik', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [event_id, f"doc-{event_id}", cluster or f"cl-{event_id}", event_type, mode, modality, confidence,
                     quad_class, intensity, source[0], source[1], target[0], target[1], day, day.isoformat(),
                     f"Sentence of {event_id}.", f"https://news.example.org/{event_id}", mentions, ingested_at])


def _rules(*rules: dict[str, Any], loaded_at: dt.datetime = BEFORE) -> AlertRules:
    parsed = parse_rules({"rules": list(rules)})
    return AlertRules(rules=parsed.rules, loaded_at=loaded_at)


@pytest.fixture()
def mixed() -> Store:
    """A handful of events, each different from the others in one way."""
    s = Store(":memory:")
    _put(s, "us-iq", ("USA", "USA"), ("IRQ", "IRQ"), event_type="AID", quad_class=2)
    _put(s, "iq-us", ("IRQGOV", "IRQ"), ("USAGOV", "USA"), event_type="CONSULT", mode="visit", quad_class=1)
    _put(s, "ru-ua", ("RUSMIL", "RUS"), ("UKR", "UKR"), mode="aerial")
    _put(s, "ru-ua-maybe", ("RUS", "RUS"), ("UKR", "UKR"), modality="hypothetical")
    _put(s, "tr-sy-weak", ("TUR", "TUR"), ("SYR", "SYR"), confidence=0.3)
    _put(s, "ir-iq-loud", ("IRN", "IRN"), ("IRQMIL", "IRQ"), event_type="THREATEN", quad_class=3, mentions=4)
    return s


@pytest.mark.parametrize(("rule", "expected"), [
    ({"actor": "IRQ"}, {"us-iq", "iq-us", "ir-iq-loud"}),
    ({"actor": "IRQGOV"}, {"iq-us"}),
    ({"actor": ["UKR", "SYR"]}, {"ru-ua", "tr-sy-weak"}),
    ({"dyad": ["IRQ", "USA"]}, {"us-iq", "iq-us"}),
    ({"dyad": ["IRQ", "USA"], "directed": True}, {"iq-us"}),
    ({"dyad": "USAGOV-IRQGOV"}, {"iq-us"}),
    ({"event_type": ["AID", "CONSULT"]}, {"us-iq", "iq-us"}),
    ({"event_type": "CONSULT", "mode": "visit"}, {"iq-us"}),
    ({"mode": "aerial"}, {"ru-ua"}),
    ({"actor": "RUS"}, {"ru-ua"}),
    ({"actor": "RUS", "modality": "any"}, {"ru-ua", "ru-ua-maybe"}),
    ({"actor": "RUS", "modality": ["hypothetical"]}, {"ru-ua-maybe"}),
    ({"min_confidence": 0.5, "quad_class": 4}, {"ru-ua"}),
    ({"quad_class": [4], "modality": "any"}, {"ru-ua", "ru-ua-maybe", "tr-sy-weak"}),
    ({"min_mentions": 3}, {"ir-iq-loud"}),
])
def test_what_a_rule_matches(mixed, rule, expected):
    fired = check_alerts(mixed, _rules({"name": "r", **rule}), out=io.StringIO())
    assert {f.payload["cluster_id"].removeprefix("cl-") for f in fired} == expected
    assert all(f.delivered and f.sinks == ("stdout",) for f in fired)


def test_an_alert_carries_its_evidence_as_json(mixed):
    out = io.StringIO()
    (fired,) = check_alerts(mixed, _rules({"name": "aid", "dyad": ["USA", "IRQ"], "event_type": "AID"}), out=out)
    assert fired.rule == "aid" and fired.key == "cluster:cl-us-iq" and fired.errors == ()
    alert = json.loads(out.getvalue())
    assert alert == fired.payload
    assert {k: alert[k] for k in ("rule", "kind", "key", "summary", "subject", "period", "mentions",
                                  "evidence_total")} == {
        "rule": "aid", "kind": "events", "key": "cluster:cl-us-iq", "summary": "AID from USA to IRQ on 2024-05-03",
        "subject": "USA-IRQ", "period": "2024-05-03", "mentions": 1, "evidence_total": 1}
    (ev,) = alert["evidence"]
    assert ev["event_id"] == "us-iq" and ev["doc_id"] == "doc-us-iq" and ev["modality"] == "asserted"
    assert ev["source"] == {"code": "USA", "country": "USA", "name": None} and ev["target"]["country"] == "IRQ"
    assert ev["confidence"] == 0.9 and ev["sentence"] == "Sentence of us-iq." and ev["day"] == "2024-05-03"
    assert ev["url"] == "https://news.example.org/us-iq" and ev["ingested_at"].startswith("2024-06-01")
    dt.datetime.fromisoformat(alert["fired_at"])


def test_a_rule_does_not_flood_with_what_was_there_before_it(tmp_path):
    s = Store(":memory:")
    _put(s, "old", ("RUS", "RUS"), ("UKR", "UKR"), ingested_at=dt.datetime(2024, 1, 1))
    rules = _rules({"name": "r", "actor": "UKR"}, loaded_at=dt.datetime(2024, 2, 1))
    assert check_alerts(s, rules, out=io.StringIO()) == []
    _put(s, "new", ("RUS", "RUS"), ("UKR", "UKR"), ingested_at=dt.datetime(2024, 3, 1))
    # a later load of the same rule keeps its first start: what came while it was away still fires
    later = AlertRules(rules=rules.rules, loaded_at=dt.datetime(2024, 4, 1))
    assert [f.key for f in check_alerts(s, later, out=io.StringIO())] == ["cluster:cl-new"]
    # a lookback reaches back before the start; `all` reaches everything
    back = _rules({"name": "back", "actor": "UKR", "lookback": "60d"}, loaded_at=dt.datetime(2024, 2, 15))
    assert [f.key for f in check_alerts(s, back, out=io.StringIO())] == ["cluster:cl-old", "cluster:cl-new"]
    everything = _rules({"name": "all", "actor": "UKR", "lookback": "all"}, loaded_at=dt.datetime(2030, 1, 1))
    assert len(check_alerts(s, everything, out=io.StringIO())) == 2


REPORTS = [
    {"id": "wire-1", "text": "The United States delivered 40 armoured vehicles to Iraq on Tuesday.",
     "date": "2024-05-07", "url": "https://news.example.org/wire-1"},
    {"id": "paper-2", "text": "On Tuesday the United States sent a shipment of armoured vehicles to Iraq, a "
     "spokesman in Baghdad confirmed after the convoy crossed the border.",
     "date": "2024-05-07", "url": "https://paper.example.com/2"},
]
LATER = {"id": "radio-3", "text": "The United States delivered armoured vehicles to Iraq on Tuesday, the radio reported "
         "in its evening bulletin about the border crossing.", "date": "2024-05-08",
         "url": "https://radio.example.net/3"}
OTHER = {"id": "paper-4", "text": "The United States delivered medical supplies to Iraq on Friday.",
         "date": "2024-05-11", "url": "https://paper.example.com/4"}


def test_once_per_cluster_across_calls_processes_and_growth(tmp_path, coder):
    path = tmp_path / "watch.duckdb"
    store = Store(path)
    rules = _rules({"name": "aid", "dyad": ["USA", "IRQ"], "event_type": "AID", "modality": ["asserted", "reported"]},
                   loaded_at=dt.datetime.now())
    store.ingest_records(REPORTS)
    out = io.StringIO()
    (fired,) = check_alerts(store, rules, out=out)
    evidence = fired.payload["evidence"]
    assert fired.payload["evidence_total"] == 2 and {e["doc_id"] for e in evidence} == set(
        store.query("SELECT id FROM documents")["id"])
    assert {e["url"] for e in evidence} == {r["url"] for r in REPORTS}
    assert len({e["cluster_id"] for e in evidence}) == 1
    assert check_alerts(store, rules, out=out) == []
    assert check_alerts(Store(path), rules, out=out) == []  # another process, the same file
    store.ingest_records([LATER])  # a third report of the same act
    assert store.query("SELECT count(DISTINCT cluster_id) AS n FROM events WHERE event_type = 'AID'")["n"][0] == 1
    assert check_alerts(Store(path), rules, out=out) == []
    store.ingest_records([OTHER])
    (again,) = check_alerts(Store(path), rules, out=out)
    assert again.payload["evidence"][0]["url"] == OTHER["url"]
    assert len(out.getvalue().splitlines()) == 2
    sent = Store(path).query("SELECT key, sent_at FROM watch_alerts WHERE rule = 'aid' AND key <> 'start'")
    assert sorted(sent["key"]) == sorted([fired.key, again.key]) and sent["sent_at"].notna().all()


def test_a_failing_sink_is_tried_again_at_the_next_check(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    _put(s, "ru-ua", ("RUS", "RUS"), ("UKR", "UKR"))
    _put(s, "ru-ua-2", ("RUS", "RUS"), ("UKR", "UKR"), day=dt.date(2024, 5, 4))
    target = tmp_path / "alerts.jsonl"
    target.mkdir()  # a folder where the file should be: the sink fails
    rules = _rules({"name": "war", "actor": "UKR", "deliver": ["stdout", {"jsonl": str(target)}]})
    out = io.StringIO()
    first = check_alerts(s, rules, out=out)
    assert [f.delivered for f in first] == [False, False] and all(f.sinks == ("stdout",) for f in first)
    assert "alerts.jsonl" in first[0].errors[0] and "not tried" in first[1].errors[0]
    assert check_alerts(s, rules, out=out)[0].errors  # still failing: still owed
    target.rmdir()
    retried = check_alerts(s, rules, out=out)
    assert [f.key for f in retried] == [f.key for f in first]
    assert all(f.delivered and f.sinks == (f"jsonl:{target}",) for f in retried)
    # the same alerts, unchanged, and standard output had each once only
    assert [json.loads(line) for line in target.read_text().splitlines()] == [f.payload for f in first]
    assert len(out.getvalue().splitlines()) == 2
    assert check_alerts(s, rules, out=out) == []


class _Hook(BaseHTTPRequestHandler):
    received: list[Any] = []

    def do_POST(self) -> None:  # noqa: N802  (the name http.server calls)
        self.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def hook_url() -> Iterator[str]:
    _Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/alerts"
    server.shutdown()
    server.server_close()


def test_a_planted_event_reaches_a_webhook_once(hook_url):
    s = Store(":memory:")
    rules = _rules({"name": "hook", "actor": "IRN", "deliver": [{"webhook": hook_url, "backoff": 0.01}]})
    assert check_alerts(s, rules) == []
    _put(s, "planted", ("IRN", "IRN"), ("ISR", "ISR"), event_type="THREATEN", quad_class=3)
    (fired,) = check_alerts(s, rules)
    assert fired.sinks == (f"webhook:{hook_url}",) and fired.delivered
    assert check_alerts(s, rules) == []
    assert len(_Hook.received) == 1
    (body,) = _Hook.received
    assert body["key"] == "cluster:cl-planted" and body["evidence"][0]["event_id"] == "planted"


def test_a_change_point_rule_fires_once_for_its_pair():
    s = Store(":memory:")
    i = 0
    for m in range(12):  # IRQ-RUS cooperate for ten months, then clash; TUR-SYR and DEU-FRA stay as they are
        for (a, b), level in ((("IRQ", "RUS"), 6.0 if m < 10 else -8.0), (("TUR", "SYR"), -4.0), (("DEU", "FRA"), 3.0)):
            for k in range(6):
                value = level + (k % 3 - 1) * 0.5
                x, y = (a, b) if k % 2 else (b, a)
                _put(s, f"e{i}", (x, x), (y, y), day=dt.date(2023, m + 1, 1 + 4 * k), intensity=value,
                     event_type="ASSAULT" if value < 0 else "AID", quad_class=4 if value < 0 else 2)
                i += 1
    rules = _rules({"name": "shift", "kind": "change_point", "actor": "RUS"},
                   {"name": "elsewhere", "kind": "change_point", "dyad": ["TUR", "SYR"]})
    (fired,) = check_alerts(s, rules, out=io.StringIO())
    assert fired.rule == "shift" and fired.key == "change_point:IRQ-RUS:2023-11-01"
    p = fired.payload
    assert p["subject"] == "IRQ-RUS" and p["period"] == "2023-11-01" and p["score"] > 0
    assert p["evidence_total"] == len(p["evidence"]) == 12
    assert {e["day"][:7] for e in p["evidence"]} == {"2023-11", "2023-12"}
    assert check_alerts(s, rules, out=io.StringIO()) == []
