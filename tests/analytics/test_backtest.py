"""Backtests: the scores on hand-made forecasts, and a rolling-origin run over a generated store."""

from __future__ import annotations

import json

import numpy as np
import pytest

from realpolitik.analytics.backtest import backtest, plot_backtest, score
from realpolitik.errors import StoreError

from .outlook_data import build


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build(tmp_path_factory.mktemp("backtest"))


def test_scores_of_known_forecasts():
    got = score(np.array([0.0, 0.0]), np.array([1.0, 1.0]), np.array([0.5, 3.0]))
    assert got["mae"] == pytest.approx(1.75)
    assert got["coverage50"] == 0.5 and got["coverage90"] == 0.5
    width = 2 * 1.6448536269514722
    assert got["interval_score"] == pytest.approx(width + 20 * (3.0 - width / 2) / 2)
    # the Gaussian CRPS of a perfect centre is sigma * (2 phi(0) - 1/sqrt(pi))
    assert score(np.zeros(1), np.ones(1), np.zeros(1))["crps"] == pytest.approx(0.2336949, abs=1e-6)


def test_backtest_scores_every_model_and_horizon(store):
    bt = backtest(store, horizons=(1, 3), min_events=10, origins=12)
    assert bt.dyads == 5
    assert set(zip(bt.frame["model"], bt.frame["horizon"], strict=True)) == {
        (m, h) for m in ("no_change", "local_level", "local_trend", "pooled") for h in (1, 3)}
    assert (bt.frame[bt.frame["model"] == "no_change"]["skill"] == 0).all()
    assert bt.frame["coverage90"].between(0, 1).all() and (bt.frame["coverage90"] >= bt.frame["coverage50"]).all()
    # stable dyads: smoothing the noise must beat carrying the last noisy value forward
    assert bt.frame[(bt.frame["model"] == "local_level") & (bt.frame["horizon"] == 1)]["skill"].iloc[0] > 0
    json.dumps(bt.to_dict(), allow_nan=False)
    assert any("too few to judge skill" in n for n in bt.notes)


def test_bad_options_are_clear_errors(store):
    with pytest.raises(StoreError, match="unknown model"):
        backtest(store, models=("oracle",))
    with pytest.raises(StoreError, match="horizons"):
        backtest(store, horizons=(0,))


def test_plot_backtest_writes_a_png(store, tmp_path):
    bt = backtest(store, horizons=(1, 2), min_events=10, origins=6)
    assert plot_backtest(bt, tmp_path / "bt.png").read_bytes()[:4] == b"\x89PNG"
