"""Forecasts of a dyad's relations: where the cooperation-conflict index and the event counts
are heading, with 50% and 90% intervals.

Example::

    >>> from realpolitik.store import Store
    >>> from realpolitik.analytics.forecast import forecast
    >>> store = Store(":memory:")
    >>> _ = store.import_file("tests/fixtures/datasets/polecat_sample.txt")
    >>> fc = forecast(store, "IRQ", "RUS", horizon=2)
    >>> fc.model, sorted(set(fc.frame["measure"]))[:2], len(fc.frame)
    ('no_change', ['index_per_1k', 'material_conflict'], 10)
    >>> fc.notes[0]
    'only 1 period of history: the no-change forecast, too short to judge any model'

The series is :func:`realpolitik.analytics.dyads.dyad_series` from the pair's first event to the
store's last period (a period without events counts as zero): ``index_per_1k`` (summed
intensity per thousand events reported that period, so it does not rise with the news volume)
and the four quad-class counts. The models are those of :mod:`realpolitik.analytics.models`;
counts are forecast on the log(1 + x) scale and brought back (the mean is then the median
of the count, and no bound falls below zero). ``model="auto"`` chooses, per dyad, the model
with the least error on the dyad's own rolling-origin backtest of the index, or keeps no
change when none beats it or the history is too short; ``notes`` says which.
``pooled`` learns from the other dyads of the two actors (read with
:func:`realpolitik.analytics.panel.read_panel`). :func:`forecast_all` does every country pair
with enough events at once, a million-event store in seconds.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import NotFoundError, StoreError
from ..store.queries import check_frequency
from ..store.rows import plain
from .dyads import _period_end, dyad_series, parse_actor
from .models import (
    MIN_CHOOSE,
    MIN_FIT,
    Z50,
    Z90,
    Prediction,
    choose,
    inner_origins,
    predict,
    predict_chosen,
    rolling,
)
from .panel import QUADS, last_day, read_panel

__all__ = ["MODELS", "MEASURES", "Forecast", "forecast", "forecast_all", "plot_forecast", "ahead"]

MODELS = ("no_change", "local_level", "local_trend", "pooled")
MEASURES = ("index_per_1k", *QUADS)


def _plain(value: Any) -> Any:
    """A JSON-ready value (:func:`realpolitik.store.rows.plain`), with an infinite number as None too."""
    value = plain(value)
    return None if isinstance(value, float) and not math.isfinite(value) else value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as JSON-ready dicts."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


@dataclass(frozen=True)
class Forecast:
    """A dyad's forecast (see the module docstring): ``history`` the observed periods, ``frame``
    one row per (period, measure) ahead with ``mean`` and the 50%/90% bounds, ``skill``
    1 - MAE/MAE(no change) on the dyad's own backtest (None when too short to judge)."""

    a: str
    b: str
    freq: str
    horizon: int
    model: str
    history: pd.DataFrame
    frame: pd.DataFrame
    skill: float | None
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"a", "b", "freq", "horizon", "model", "skill", "notes", "history", "frame"}``."""
        return {"a": self.a, "b": self.b, "freq": self.freq, "horizon": self.horizon, "model": self.model,
                "skill": _plain(self.skill), "notes": list(self.notes), "history": records(self.history),
                "frame": records(self.frame)}


def ahead(last: dt.date, freq: str, horizon: int) -> list[dt.date]:
    """The ``horizon`` periods of ``freq`` after the period starting on ``last``."""
    out = [last]
    for _ in range(horizon):
        out.append(_period_end(out[-1], freq) + dt.timedelta(days=1))
    return out[1:]


def _rows(pred: Prediction, row: int, measure: str, periods: list[dt.date], counts: bool) -> pd.DataFrame:
    mean, sd = pred.mean[row], pred.sd[row]
    bounds = {"lo50": mean - Z50 * sd, "hi50": mean + Z50 * sd, "lo90": mean - Z90 * sd, "hi90": mean + Z90 * sd}
    if counts:
        mean = np.maximum(np.expm1(mean), 0.0)
        bounds = {k: np.maximum(np.expm1(v), 0.0) for k, v in bounds.items()}
    return pd.DataFrame({"period": periods, "step": np.arange(1, len(periods) + 1), "measure": measure,
                         "mean": mean, **bounds})


def _check(freq: str, horizon: int, model: str) -> None:
    check_frequency(freq)
    if horizon < 1 or horizon > 120:
        raise StoreError(f"horizon {horizon} is out of range; forecast 1 to 120 periods ahead")
    if model not in (*MODELS, "auto"):
        raise StoreError(f"unknown model {model!r}; use auto or one of {', '.join(MODELS)}")


def _missing(store: Any, a: str, b: str) -> NotFoundError:
    for spec in (a, b):
        code, _ = parse_actor(spec)
        n = store.query("SELECT count(*) AS n FROM events WHERE source_country = ? OR target_country = ? "
                        "OR source_code = ? OR target_code = ?", [code] * 4).n[0]
        if not n:
            return NotFoundError(f"no events of actor {spec!r} in the store; check the code "
                                 "(`realpolitik summary` lists the most frequent actors)")
    return NotFoundError(f"no events between {a} and {b} in the store (in that span); nothing to forecast")


def forecast(store: Any, a: str, b: str, *, freq: str = "month", horizon: int = 6, model: str = "auto",
             since: dt.date | None = None, until: dt.date | None = None) -> Forecast:
    """The dyad's forecast ``horizon`` periods past the store's last period (or ``until``)."""
    _check(freq, horizon, model)
    end = until or last_day(store, since, until)
    series = dyad_series(store, a, b, freq=freq, since=since, until=end, boot=0)
    if series.empty or not series["events"].sum():
        raise _missing(store, a, b)
    history = series[["period", "index_per_1k", "events", *QUADS]].reset_index(drop=True)
    (ca, sa), (cb, sb) = parse_actor(a), parse_actor(b)
    measures = {"index_per_1k": history["index_per_1k"].to_numpy(float),
                **{q: np.log1p(history[q].to_numpy(float)) for q in QUADS}}
    batch, groups = {m: v[None, :] for m, v in measures.items()}, None
    if model in ("pooled", "auto") and len(history) >= MIN_FIT:
        batch, groups = _with_partners(store, measures, (ca, sa), (cb, sb), freq, since, end)
    n_obs = len(history)
    notes: list[str] = []
    skill: float | None = None
    chosen = model
    if model == "auto":
        picked, skills = choose(batch["index_per_1k"], horizon, groups)
        chosen = str(picked[0])
        skill = None if np.isnan(skills[0]) else float(skills[0])
        if n_obs < MIN_FIT:
            notes.append(f"only {n_obs} period{'s' if n_obs != 1 else ''} of history: the no-change forecast, "
                         "too short to judge any model")
        elif n_obs < MIN_CHOOSE:
            notes.append(f"only {n_obs} periods of history, under the {MIN_CHOOSE} needed to choose a model by "
                         "backtest: the no-change forecast")
        elif chosen == "no_change":
            notes.append("no model beats no change on this dyad's own backtest: the no-change forecast")
        else:
            notes.append(f"{chosen} chosen: its error on this dyad's own backtest is {skill:.0%} below no change's")
    else:
        skill = _own_skill(batch["index_per_1k"], horizon, model, groups)
        if model != "no_change" and n_obs < MIN_FIT:
            notes.append(f"only {n_obs} period{'s' if n_obs != 1 else ''} of history, under the {MIN_FIT} a "
                         f"{model} model needs: the no-change forecast instead")
            chosen = "no_change"
        elif skill is not None and skill <= 0:
            notes.append(f"{model} does not beat no change on this dyad's own backtest (skill {skill:+.0%})")
    if model in ("pooled", "auto") and chosen == "pooled" and groups is None:
        notes.append("no other dyads of these actors to pool with: the local trend alone")
    if n_obs < 3:
        notes.append("too few periods to estimate the spread of changes: no intervals")
    quiet = int((history["events"] > 0).sum())
    if quiet < 0.5 * n_obs:
        notes.append(f"events in only {quiet} of {n_obs} periods: a mostly-zero series, so intervals that assume "
                     "smooth Gaussian errors are rough")
    periods = ahead(history["period"].iloc[-1], freq, horizon)
    parts = []
    for m, y in batch.items():
        pred = predict(y, horizon, chosen, groups)
        parts.append(_rows(pred, 0, m, periods, m != "index_per_1k"))
    return Forecast(a, b, freq, horizon, chosen, history, pd.concat(parts, ignore_index=True), skill, tuple(notes))


def _own_skill(y: np.ndarray, horizon: int, model: str, groups: np.ndarray | None) -> float | None:
    """1 - MAE(model)/MAE(no change) on the first row's rolling-origin backtest; None if too short."""
    if (~np.isnan(y[0])).sum() < MIN_CHOOSE:
        return None
    origins = inner_origins(y.shape[1], horizon)
    mean, _, outcome = rolling(y, origins, horizon, model, groups)
    base, _, _ = rolling(y[:1], origins, horizon, "no_change")
    mae, mae0 = np.nanmean(np.abs(mean[0] - outcome[0])), np.nanmean(np.abs(base[0] - outcome[0]))
    return float(1 - mae / mae0) if mae0 > 0 else None


def _with_partners(store: Any, measures: dict[str, np.ndarray], a: tuple[str, str | None], b: tuple[str, str | None],
                   freq: str, since: dt.date | None, end: dt.date) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    """The dyad's measures as row 0 of a batch with the other country pairs of its two actors."""
    panel = read_panel(store, freq=freq, min_events=2, since=since, until=end, countries=(a[0], b[0]))
    same = (min(a[0], b[0]), max(a[0], b[0]))
    keep = [k for k, p in enumerate(panel.pairs) if not (p == same and a[1] is None and b[1] is None)]
    if not keep:
        return {m: v[None, :] for m, v in measures.items()}, None
    t_len = max(len(panel.periods), len(measures["index_per_1k"]))

    def right(rows: np.ndarray) -> np.ndarray:
        out = np.full((rows.shape[0], t_len), np.nan)
        out[:, t_len - rows.shape[1]:] = rows
        return out

    sources = {"index_per_1k": panel.index, **{q: np.log1p(panel.quads[k]) for k, q in enumerate(QUADS)}}
    batch = {m: np.vstack([right(v[None, :]), right(sources[m][keep])]) for m, v in measures.items()}
    number = {c: k for k, c in enumerate(panel.actors)}
    for code in (a[0], b[0]):
        number.setdefault(code, len(number))
    groups = np.vstack([[number[a[0]], number[b[0]]], panel.groups[keep]])
    return batch, groups


def forecast_all(store: Any, *, freq: str = "month", horizon: int = 6, min_events: int = 20, model: str = "auto",
                 since: dt.date | None = None, until: dt.date | None = None) -> pd.DataFrame:
    """Forecasts of every country pair with at least ``min_events`` events, in one frame: a, b,
    model, skill, events, period, step, measure, mean, lo50, hi50, lo90, hi90."""
    _check(freq, horizon, model)
    panel = read_panel(store, freq=freq, min_events=min_events, since=since, until=until)
    cols = ["a", "b", "model", "skill", "events", "period", "step", "measure", "mean", "lo50", "hi50", "lo90", "hi90"]
    if not panel.pairs:
        return pd.DataFrame(columns=cols)
    n = len(panel.pairs)
    if model == "auto":
        chosen, skill = choose(panel.index, horizon, panel.groups)
    else:
        chosen, skill = np.array([model] * n, dtype=object), np.full(n, np.nan)
    periods = ahead(panel.periods[-1], freq, horizon)
    parts = []
    for m, y in (("index_per_1k", panel.index), *((q, np.log1p(panel.quads[k])) for k, q in enumerate(QUADS))):
        pred = predict_chosen(y, horizon, chosen, panel.groups)
        mean, sd = pred.mean, pred.sd
        bounds = [mean - Z50 * sd, mean + Z50 * sd, mean - Z90 * sd, mean + Z90 * sd]
        if m != "index_per_1k":
            mean, bounds = np.maximum(np.expm1(mean), 0.0), [np.maximum(np.expm1(v), 0.0) for v in bounds]
        parts.append(pd.DataFrame({
            "a": np.repeat([p[0] for p in panel.pairs], horizon), "b": np.repeat([p[1] for p in panel.pairs], horizon),
            "model": np.repeat(chosen, horizon), "skill": np.repeat(skill, horizon),
            "events": np.repeat(np.nansum(panel.events, axis=1).astype(np.int64), horizon),
            "period": periods * n, "step": np.tile(np.arange(1, horizon + 1), n), "measure": m,
            "mean": mean.ravel(), "lo50": bounds[0].ravel(), "hi50": bounds[1].ravel(), "lo90": bounds[2].ravel(),
            "hi90": bounds[3].ravel()}))
    return pd.concat(parts, ignore_index=True)[cols]


def plot_forecast(fc: Forecast, path: str | Path) -> Path:
    """A two-panel PNG: the index with its forecast fan (50% dark, 90% light); events by quad
    class with their forecast means."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plots import _QUAD_COLOURS, _save

    hist = fc.history.tail(120)
    x = pd.to_datetime(pd.Series(hist["period"]))
    ahead_rows = fc.frame[fc.frame["measure"] == "index_per_1k"]
    xf = pd.to_datetime(pd.Series(ahead_rows["period"]))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    top.axhline(0, color="#888888", linewidth=0.8)
    top.plot(x, hist["index_per_1k"].astype(float), color="#333333", label="observed")
    top.fill_between(xf, ahead_rows["lo90"].astype(float), ahead_rows["hi90"].astype(float), color="#9ecae1",
                     label="90%")
    top.fill_between(xf, ahead_rows["lo50"].astype(float), ahead_rows["hi50"].astype(float), color="#3182bd",
                     label="50%")
    top.plot(xf, ahead_rows["mean"].astype(float), color="#08306b", linestyle="--", label=f"forecast ({fc.model})")
    top.set_ylabel("index per 1,000 events")
    top.set_title(f"{fc.a} – {fc.b}: cooperation (+) / conflict (-), {fc.horizon} {fc.freq}s ahead")
    top.legend(loc="lower left", fontsize=8)
    for q, colour in _QUAD_COLOURS.items():
        bottom.plot(x, hist[q].astype(float), color=colour, label=q.replace("_", " "))
        rows = fc.frame[fc.frame["measure"] == q]
        bottom.plot(pd.to_datetime(pd.Series(rows["period"])), rows["mean"].astype(float), color=colour,
                    linestyle="--")
    bottom.set_ylabel("events")
    bottom.legend(loc="upper left", fontsize=8, ncol=2)
    return _save(fig, Path(path))
