"""The confidence: a calibrated map from the rules' score, a floor, and the calibration error."""

from __future__ import annotations

import json

import pytest

from realpolitik import Coder, Settings
from realpolitik.errors import DataFileError
from realpolitik.evaluation import Report
from realpolitik.learn import model as learned
from realpolitik.learn.calibrate import fit_knots
from realpolitik.learn.model import ScoreMap, load_score_map


def test_shipped_map_rises_and_stays_a_probability():
    m = load_score_map()
    assert list(m.score) == sorted(m.score) and list(m.confidence) == sorted(m.confidence)
    assert 0.0 < m(0.05) < m(0.5) < m(0.95) < 1.0
    assert m.meta["fitted_on"] and all("training/corpus" in f for f in m.meta["fitted_on"])


def test_fit_knots_follow_the_share_right():
    scores = [0.2] * 10 + [0.6] * 10 + [0.9] * 10
    right = [True] * 2 + [False] * 8 + [True] * 6 + [False] * 4 + [True] * 9 + [False]
    xs, ys = fit_knots(scores, right)
    m = ScoreMap(tuple(xs), tuple(ys), {})
    assert m(0.2) == pytest.approx(0.2) and m(0.6) == pytest.approx(0.6) and m(0.9) == pytest.approx(0.9)
    assert m(0.0) < m(0.2) and m(0.9) < m(1.0) <= 0.98  # rises everywhere, so rankings are kept


def test_fit_knots_pool_what_does_not_rise():
    xs, ys = fit_knots([0.3] * 4 + [0.7] * 4, [True, True, True, False, True, False, False, True])
    assert ys == sorted(ys) and len(set(ys[1:-1])) == 1  # 0.75 then 0.5 pools into one block


def test_a_broken_map_is_a_data_file_error(monkeypatch):
    load_score_map.cache_clear()
    monkeypatch.setattr(learned, "_read", lambda name: json.dumps({"score": [0.1, 0.9], "confidence": [0.9, 0.1]}))
    try:
        with pytest.raises(DataFileError, match="rise"):
            load_score_map()
    finally:
        load_score_map.cache_clear()


def test_confidence_is_calibrated_and_raw_on_request():
    text = "Turkey shot down a Russian jet near the Syrian border on Tuesday."
    cal = Coder.shared().code(text)[0].confidence
    raw = Coder.shared(Settings(calibrate=False)).code(text)[0].confidence
    assert cal == pytest.approx(load_score_map()(raw), abs=1e-3) and cal != raw


def test_the_floor_drops_unlikely_events_and_zero_keeps_them(tmp_path):
    """A word whose lexicon weight says it seldom means the event gives an event under the floor."""
    lex = tmp_path / "weak.yaml"
    lex.write_text("entries:\n  - {verb: jostle, type: ASSAULT, weight: 0.0}\n", encoding="utf-8")
    text = "Turkish soldiers jostled Greek border guards near Kastanies on Monday."
    every = Coder.shared(Settings(lexicon_files=(lex,), min_confidence=0.0)).code(text)
    kept = Coder.shared(Settings(lexicon_files=(lex,))).code(text)
    floor = Settings().min_confidence
    assert floor == 0.5
    assert any(e.event_type == "ASSAULT" and e.confidence < floor for e in every)
    assert kept == [e for e in every if e.confidence >= floor]


def test_expected_calibration_error():
    rep = Report(reliability=[(0.95, True)] * 19 + [(0.95, False)] + [(0.55, True)] * 2 + [(0.55, False)] * 2)
    # band 0.9: 0.95 vs 0.95 right; band 0.5: 0.55 vs 0.5 right -> 4/24 of 0.05
    assert rep.calibration_error == pytest.approx(4 / 24 * 0.05)
    assert Report(reliability=[(0.9, True)]).calibration_error == pytest.approx(0.1)
    assert Report().calibration_error == 0.0
    assert "calibration_error" in rep.summary()
