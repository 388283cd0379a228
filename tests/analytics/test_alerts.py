"""Alerts on a generated store where IRQ-USA clash in the last month after years of cooperation."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from realpolitik.analytics.alerts import alerts

from .outlook_data import build


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    store = build(tmp_path_factory.mktemp("alerts"))
    return store, alerts(store, top=50, min_events=10)


def test_the_planted_clash_breaks_out_with_its_evidence(found):
    store, got = found
    hits = [al for al in got if al.kind == "breakout" and al.subject == "IRQ-USA"]
    assert hits and hits[0].period == dt.date(2019, 12, 1) and "more conflictual" in hits[0].detail
    ids = list(hits[0].event_ids)
    rows = store.query("SELECT day, source_country, target_country FROM events WHERE event_id IN "
                       "(SELECT unnest(?::VARCHAR[]))", [ids])
    assert len(rows) == len(ids) > 5
    assert {min(r.source_country, r.target_country) + max(r.source_country, r.target_country)
            for r in rows.itertuples()} == {"IRQUSA"}
    assert all(str(d)[:7] == "2019-12" for d in rows["day"])


def test_alerts_are_ranked_and_json_ready(found):
    _, got = found
    assert [al.score for al in got] == sorted((al.score for al in got), reverse=True)
    assert {al.kind for al in got} <= {"breakout", "change_point", "bloc_flip"}
    json.dumps([al.to_dict() for al in got], allow_nan=False)
    # the stable pairs do not raise a breakout
    assert not [al for al in got if al.kind == "breakout" and al.subject in ("DEU-FRA", "FRA-DEU")]
