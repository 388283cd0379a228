"""Rolling-origin backtests of the forecasting models over every dyad of a store.

Example::

    >>> from realpolitik.store import Store
    >>> from realpolitik.analytics.backtest import backtest
    >>> store = Store(":memory:")
    >>> _ = store.import_file("tests/fixtures/datasets/polecat_sample.txt")
    >>> bt = backtest(store, min_events=1)
    >>> bt.dyads, bt.notes[0]
    (0, 'no dyad has the 1+ events and 20+ periods a backtest needs')

For each origin among the last ``origins`` periods, each model is fitted on the periods before
it (its weights chosen again, nothing from the future) and forecasts the next ``max(horizons)``
periods of each dyad's ``index_per_1k`` (country pairs with at least ``min_events`` events,
read with :func:`realpolitik.analytics.panel.read_panel`). Per model and horizon: the mean
absolute error, the interval score of the 90% interval (Gneiting and Raftery 2007: its width
plus 20 times how far an outcome falls outside it; lower is better), the CRPS of the Gaussian
forecast (closed form), the share of outcomes inside the 50% and 90% intervals, and the skill
``1 - MAE / MAE(no change)`` (above zero: better than assuming nothing changes).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from ..errors import StoreError
from ..store.queries import check_frequency
from .forecast import MODELS, records
from .models import MIN_FIT, Z50, Z90, choose, predict_chosen, rolling
from .panel import read_panel

__all__ = ["Backtest", "backtest", "plot_backtest", "score", "MIN_PERIODS"]

MIN_PERIODS = 20
"""Least periods in the store's span for a backtest."""


@dataclass(frozen=True)
class Backtest:
    """A backtest's scores: ``frame`` one row per (model, horizon) with model, horizon, dyads,
    forecasts, mae, interval_score, crps, coverage50, coverage90, skill."""

    freq: str
    frame: pd.DataFrame
    dyads: int
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"freq", "dyads", "notes", "frame"}``."""
        return {"freq": self.freq, "dyads": self.dyads, "notes": list(self.notes), "frame": records(self.frame)}


def score(mean: np.ndarray, sd: np.ndarray, outcome: np.ndarray) -> dict[str, float]:
    """Scores of Gaussian forecasts against outcomes (flat arrays; NaN outcomes left out):
    mae, interval_score (90%), crps, coverage50, coverage90, forecasts."""
    ok = ~np.isnan(outcome) & ~np.isnan(mean)
    m, s, y = mean[ok], sd[ok], outcome[ok]
    spread = ~np.isnan(s)
    s0 = np.where(spread, s, 0.0)
    lo, hi = m - Z90 * s0, m + Z90 * s0
    interval = (hi - lo) + 20 * np.clip(lo - y, 0, None) + 20 * np.clip(y - hi, 0, None)
    z = np.where(s0 > 0, (y - m) / np.where(s0 > 0, s0, 1.0), 0.0)
    crps = np.where(s0 > 0, s0 * (z * (2 * norm.cdf(z) - 1) + 2 * norm.pdf(z) - 1 / math.sqrt(math.pi)),
                    np.abs(y - m))
    err = np.abs(y - m)

    def mean_of(x: np.ndarray) -> float:
        return float(x.mean()) if len(x) else float("nan")

    return {"forecasts": int(ok.sum()), "mae": mean_of(err), "interval_score": mean_of(interval[spread]),
            "crps": mean_of(crps[spread]), "coverage50": mean_of((err <= Z50 * s0)[spread]),
            "coverage90": mean_of((err <= Z90 * s0)[spread])}


def backtest(store: Any, *, freq: str = "month", horizons: tuple[int, ...] = (1, 3, 6), min_events: int = 20,
             models: tuple[str, ...] = MODELS, origins: int = 24, since: dt.date | None = None,
             until: dt.date | None = None) -> Backtest:
    """The rolling-origin backtest of ``models`` (``"auto"`` too) over the store's dyads (see the
    module docstring); no_change is always scored, as the yardstick."""
    check_frequency(freq)
    horizons = tuple(sorted(set(int(h) for h in horizons)))
    if not horizons or horizons[0] < 1:
        raise StoreError("horizons must be whole numbers of periods, 1 or more (e.g. 1,3,6)")
    unknown = [m for m in models if m not in (*MODELS, "auto")]
    if unknown:
        raise StoreError(f"unknown model {unknown[0]!r}; use auto or one of {', '.join(MODELS)}")
    cols = ["model", "horizon", "dyads", "forecasts", "mae", "interval_score", "crps", "coverage50", "coverage90",
            "skill"]
    panel = read_panel(store, freq=freq, min_events=min_events, since=since, until=until)
    t_len, top = len(panel.periods), max(horizons)
    if not panel.pairs or t_len < MIN_PERIODS:
        return Backtest(freq, pd.DataFrame(columns=cols), 0, (
            f"no dyad has the {min_events}+ events and {MIN_PERIODS}+ periods a backtest needs",))
    points = list(range(max(MIN_FIT + 4, t_len - origins - top + 1), t_len))
    y, groups = panel.index, panel.groups
    wanted = ("no_change", *[m for m in models if m != "no_change"])
    rows = []
    for m in wanted:
        if m == "auto":
            means, sds, outcome = _auto(y, points, top, groups)
        else:
            means, sds, outcome = rolling(y, points, top, m, groups)
        for h in horizons:
            got = score(means[:, :, h - 1].ravel(), sds[:, :, h - 1].ravel(), outcome[:, :, h - 1].ravel())
            dyads = int((~np.isnan(outcome[:, :, h - 1])).any(axis=1).sum())
            rows.append({"model": m, "horizon": h, "dyads": dyads, **got})
    frame = pd.DataFrame(rows)
    base = frame[frame["model"] == "no_change"].set_index("horizon")["mae"]
    frame["skill"] = 1 - frame["mae"] / frame["horizon"].map(base)
    frame = frame[frame["model"].isin(models)].reset_index(drop=True)[cols]
    return Backtest(freq, frame, len(panel.pairs), tuple(_notes(frame, panel, points)))


def _auto(y: np.ndarray, points: list[int], horizon: int, groups: np.ndarray) -> tuple[np.ndarray, ...]:
    """Rolling-origin forecasts of the model each dyad's own backtest chooses at each origin."""
    means = np.full((len(y), len(points), horizon), np.nan)
    sds, outcome = means.copy(), means.copy()
    for k, t in enumerate(points):
        chosen, _ = choose(y[:, :t], horizon, groups)
        p = predict_chosen(y[:, :t], horizon, chosen, groups)
        means[:, k], sds[:, k] = p.mean, p.sd
        got = y[:, t:t + horizon]
        outcome[:, k, :got.shape[1]] = got
    return means, sds, outcome


def _notes(frame: pd.DataFrame, panel: Any, points: list[int]) -> list[str]:
    notes = [f"{len(panel.pairs)} dyads, origins {panel.periods[points[0]]} to {panel.periods[points[-1]]} "
             f"({len(points)} {panel.freq}s); the index_per_1k of each dyad is scored"]
    others = frame[frame["model"] != "no_change"]
    if len(others) and not (others["skill"] > 0).any():
        notes.append("no model beats no change at any horizon on this store")
    elif len(others):
        best = others.loc[others["skill"].idxmax()]
        notes.append(f"best: {best['model']} at horizon {best['horizon']}, {best['skill']:.0%} less error than "
                     "no change")
    seen = panel.events[~np.isnan(panel.events)]
    zeros = float(np.mean(seen == 0)) if len(seen) else 0.0
    if zeros > 0.5:
        notes.append(f"{zeros:.0%} of dyad-periods have no events: mostly-zero series, so Gaussian intervals "
                     "misstate the spread (see the coverage)")
    if frame["forecasts"].max() < 200 or len(panel.pairs) < 30:
        notes.append(f"{len(panel.pairs)} dyads, {int(frame['forecasts'].max())} forecasts per horizon: too few to "
                     "judge skill with confidence")
    return notes


def plot_backtest(bt: Backtest, path: str | Path) -> Path:
    """Two panels by horizon: each model's skill against no change, and its 90% coverage."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plots import _save

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for model, rows in bt.frame.groupby("model", sort=False):
        left.plot(rows["horizon"], rows["skill"].astype(float), marker="o", label=str(model))
        right.plot(rows["horizon"], rows["coverage90"].astype(float), marker="o", label=str(model))
    left.axhline(0, color="#888888", linewidth=0.8)
    left.set_xlabel(f"{bt.freq}s ahead")
    left.set_ylabel("skill: 1 - MAE / MAE(no change)")
    left.set_title(f"Skill over {bt.dyads} dyads")
    left.legend(fontsize=8)
    right.axhline(0.9, color="#888888", linestyle="--", linewidth=0.8)
    right.set_ylim(0, 1.02)
    right.set_xlabel(f"{bt.freq}s ahead")
    right.set_ylabel("share inside the 90% interval")
    right.set_title("Coverage (dashed: 90%)")
    return _save(fig, Path(path))
