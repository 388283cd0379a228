"""Forecasts: the estimators on planted series, a dyad's forecast from a store, every dyad at once."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from realpolitik.analytics.forecast import MEASURES, forecast, forecast_all, plot_forecast
from realpolitik.analytics.models import MIN_FIT
from realpolitik.analytics.synthetic_series import evaluate_planted, planted_series
from realpolitik.errors import NotFoundError, StoreError

from .outlook_data import build


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build(tmp_path_factory.mktemp("outlook"))


@pytest.mark.parametrize(("alpha", "beta", "phi"), [(0.3, 0.0, 0.0), (0.5, 0.2, 0.9)])
def test_recursions_match_statsmodels_with_the_same_weights(alpha, beta, phi):
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    from realpolitik.analytics.models import _filter

    y = planted_series(np.random.default_rng(4), "trend", 50)
    _, level, trend, _, _ = _filter(y[None, :], np.array([alpha]), np.array([beta]), np.array([phi]))
    if beta:  # our state after the first period is statsmodels' "known" start; its smoothing_trend is our beta
        fit = ExponentialSmoothing(y[1:], trend="add", damped_trend=True, initialization_method="known",
                                   initial_level=y[0], initial_trend=(y[3] - y[0]) / 3).fit(
            smoothing_level=alpha, smoothing_trend=beta, damping_trend=phi, optimized=False)
        ours = level[0, 0] + phi * trend[0, 0]
    else:
        fit = ExponentialSmoothing(y, initialization_method="known", initial_level=y[0]).fit(
            smoothing_level=alpha, optimized=False)
        ours = level[0, 0]
    assert np.isclose(fit.forecast(1)[0], ours)


def test_validation_figures_on_a_small_planted_sample():
    got = evaluate_planted(np.random.default_rng(8), per_kind=15, length=60, origins=10, horizon=6)
    assert 0.85 <= got["all"]["auto"]["coverage90"] <= 0.95
    assert got["trend"]["auto"]["mae"] <= 0.9 * got["trend"]["no_change"]["mae"]
    assert got["none"]["auto"]["mae"] <= 1.02 * got["none"]["no_change"]["mae"]


def test_counts_are_never_negative_and_intervals_nest(store):
    fc = forecast(store, "IRQ", "RUS", horizon=4, model="local_trend")
    assert set(fc.frame["measure"]) == set(MEASURES)
    counts = fc.frame[fc.frame["measure"] != "index_per_1k"]
    assert (counts[["mean", "lo50", "hi50", "lo90", "hi90"]] >= 0).all().all()
    f = fc.frame
    assert ((f["lo90"] <= f["lo50"]) & (f["lo50"] <= f["mean"]) & (f["mean"] <= f["hi50"])
            & (f["hi50"] <= f["hi90"])).all()
    assert list(fc.frame["period"][:2]) == [dt.date(2020, 1, 1), dt.date(2020, 2, 1)]


def test_the_drift_to_conflict_is_forecast_downward(store):
    fc = forecast(store, "IRQ", "RUS", horizon=3, model="local_trend")
    index = fc.frame[fc.frame["measure"] == "index_per_1k"]
    assert index["mean"].iloc[-1] < fc.history["index_per_1k"].iloc[:12].mean()
    conflict = fc.frame[fc.frame["measure"] == "material_conflict"]["mean"].iloc[0]
    cooperation = fc.frame[fc.frame["measure"] == "material_cooperation"]["mean"].iloc[0]
    assert conflict + fc.frame[fc.frame["measure"] == "verbal_conflict"]["mean"].iloc[0] > cooperation


@pytest.mark.parametrize("model", ["auto", "pooled", "no_change", "local_level"])
def test_every_model_answers_json_ready(store, model):
    fc = forecast(store, "IRQ", "RUS", horizon=2, model=model)
    data = json.loads(json.dumps(fc.to_dict(), allow_nan=False))
    assert data["history"][0]["period"] == "2016-01-01" and len(data["frame"]) == 2 * len(MEASURES)
    assert fc.model in ("no_change", "local_level", "local_trend", "pooled")


def test_auto_says_why_and_skill_is_measured(store):
    fc = forecast(store, "IRQ", "RUS", model="auto")
    assert fc.skill is not None and fc.notes
    assert fc.model in fc.notes[0] or "no change" in fc.notes[0]


def test_short_history_gets_no_change_with_a_note(store):
    fc = forecast(store, "IRQ", "RUS", since=dt.date(2019, 9, 1), model="local_trend")
    assert len(fc.history) < MIN_FIT and fc.model == "no_change"
    assert any("no-change forecast instead" in n for n in fc.notes)


def test_unknown_actor_and_bad_options_are_clear_errors(store):
    with pytest.raises(NotFoundError, match="no events of actor 'XYZ'"):
        forecast(store, "IRQ", "XYZ")
    with pytest.raises(NotFoundError, match="no events between"):
        forecast(store, "TUR", "USA")
    with pytest.raises(StoreError, match="unknown model"):
        forecast(store, "IRQ", "RUS", model="prophet")


def test_forecast_all_covers_every_dyad_and_agrees_with_one(store):
    frame = forecast_all(store, horizon=3, min_events=10, model="local_level")
    assert len(frame) == 5 * 3 * len(MEASURES)
    one = forecast(store, "IRN", "IRQ", horizon=3, model="local_level").frame
    row = frame[(frame.a == "IRN") & (frame.b == "IRQ") & (frame.measure == "index_per_1k")]
    assert np.allclose(row["mean"], one[one.measure == "index_per_1k"]["mean"])


def test_plot_forecast_writes_a_png(store, tmp_path):
    out = plot_forecast(forecast(store, "IRQ", "RUS", horizon=3), tmp_path / "fc.png")
    assert out.read_bytes()[:4] == b"\x89PNG"
