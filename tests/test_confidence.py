"""The confidence: a calibrated map from the rules' score, a floor, and the calibration error."""

from __future__ import annotations

import json

import numpy as np
import pytest

from realpolitik import Coder, Settings
from realpolitik.errors import DataFileError
from realpolitik.evaluation import Report
from realpolitik.learn import model as learned
from realpolitik.learn.calibrate import fit_knots
from realpolitik.learn.features import FEATURES
from realpolitik.learn.model import load_score_map


def test_shipped_map_rises_and_stays_a_probability():
    m = load_score_map()
    assert list(m.score) == sorted(m.score) and list(m.confidence) == sorted(m.confidence)
    assert m.names == FEATURES and len(m.weights) == len(FEATURES)
    assert m.meta["fitted_on"] and all("training/corpus" in f for f in m.meta["fitted_on"])
    low, high = [0.0] * len(FEATURES), [0.0] * len(FEATURES)
    low[0], high[0] = -2.0, 3.0  # the rules' score, as log-odds
    assert 0.0 < m(low) < m(high) < 1.0


def test_the_main_act_outranks_what_a_phrase_mentions():
    """The expulsion is the news; the bombing it answers is named in a prepositional phrase (and
    left out of the default output, which keeps only the main act: ``background`` keeps both)."""
    text = "Kenya expelled two Somali diplomats on Friday over a bombing at a market in Nairobi."
    assert [e.event_type for e in Coder.shared(Settings()).code(text)] == ["SANCTION"]
    events = Coder.shared(Settings(background=True)).code(text)
    conf = {e.event_type: e.confidence for e in events}
    assert conf["SANCTION"] > conf["ASSAULT"] + 0.2


def test_fit_knots_follow_the_share_right():
    scores = [0.2] * 10 + [0.6] * 10 + [0.9] * 10
    right = [True] * 2 + [False] * 8 + [True] * 6 + [False] * 4 + [True] * 9 + [False]
    xs, ys = fit_knots(scores, right)

    def curve(x: float) -> float:
        return float(np.interp(x, xs, ys))

    assert curve(0.2) == pytest.approx(0.2) and curve(0.6) == pytest.approx(0.6) and curve(0.9) == pytest.approx(0.9)
    assert curve(0.0) < curve(0.2) and curve(0.9) < curve(1.0) <= 0.98  # rises everywhere: rankings are kept


def test_fit_knots_pool_what_does_not_rise():
    xs, ys = fit_knots([0.3] * 4 + [0.7] * 4, [True, True, True, False, True, False, False, True])
    assert ys == sorted(ys) and len(set(ys[1:-1])) == 1  # 0.75 then 0.5 pools into one block


def test_a_broken_map_is_a_data_file_error(monkeypatch):
    good = json.loads(learned._read("confidence.json"))
    bad = [{**good, "confidence": good["confidence"][::-1]}, {**good, "features": ["score"]},
           {k: v for k, v in good.items() if k != "bias"}]
    try:
        for broken, why in zip(bad, ("rise", "other features", "bias"), strict=True):
            load_score_map.cache_clear()
            monkeypatch.setattr(learned, "_read", lambda name, b=broken: json.dumps(b))
            with pytest.raises(DataFileError, match=why):
                load_score_map()
    finally:
        monkeypatch.undo()
        load_score_map.cache_clear()


def test_confidence_is_calibrated_and_raw_on_request():
    text = "Turkey shot down a Russian jet near the Syrian border on Tuesday."
    cal = Coder.shared().code(text)[0].confidence
    raw = Coder.shared(Settings(calibrate=False)).code(text)[0].confidence
    assert cal != raw and 0.5 < cal < raw <= 0.99  # the raw score of a sure event is near its cap


def test_the_floor_drops_unlikely_events_and_zero_keeps_them(tmp_path):
    """A word whose lexicon weight says it seldom means the event, in a relative clause, gives an
    event under a floor of 0.5; the default floor is lower (0.25)."""
    assert Settings().min_confidence == 0.25
    lex = tmp_path / "weak.yaml"
    lex.write_text("entries:\n  - {verb: jostle, type: ASSAULT, weight: 0.0}\n", encoding="utf-8")
    text = "Greek officials complained to Ankara about Turkish soldiers who had jostled border guards near Kastanies."
    every = Coder.shared(Settings(lexicon_files=(lex,), min_confidence=0.0, background=True)).code(text)
    kept = Coder.shared(Settings(lexicon_files=(lex,), min_confidence=0.5, background=True)).code(text)
    assert any(e.event_type == "ASSAULT" and e.confidence < 0.5 for e in every)
    assert kept == [e for e in every if e.confidence >= 0.5] and kept


def test_expected_calibration_error():
    rep = Report(reliability=[(0.95, True)] * 19 + [(0.95, False)] + [(0.55, True)] * 2 + [(0.55, False)] * 2)
    # band 0.9: 0.95 vs 0.95 right; band 0.5: 0.55 vs 0.5 right -> 4/24 of 0.05
    assert rep.calibration_error == pytest.approx(4 / 24 * 0.05)
    assert Report(reliability=[(0.9, True)]).calibration_error == pytest.approx(0.1)
    assert Report().calibration_error == 0.0
    assert "calibration_error" in rep.summary()
