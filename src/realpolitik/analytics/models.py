"""Forecasting estimators run over many series at once: no change, local level, local trend, pooled.

Example::

    >>> import numpy as np
    >>> from realpolitik.analytics.models import predict
    >>> y = np.arange(40, dtype=float)[None, :] + np.random.default_rng(0).normal(0, 0.1, (1, 40))
    >>> p = predict(y, 3, "local_trend")
    >>> np.round(p.mean[0]).tolist(), bool((p.sd[0] > 0).all())
    ([40.0, 41.0, 42.0], True)
    >>> predict(y, 2, "no_change").mean[0].round().tolist()
    [39.0, 39.0]

Series are the rows of a 2-D array (series x periods) that share their last period; a series
that starts later is padded with NaN on the left. Every model gives, for each series and each
step ahead, a Gaussian predictive mean and standard deviation:

- ``no_change``: the last value (a random walk); the spread of step ``h`` is the root mean
  square of the series' own past ``h``-period changes;
- ``local_level``: exponential smoothing of the level (ETS(A,N,N), the local level model);
- ``local_trend``: damped Holt smoothing of level and trend (ETS(A,Ad,N), the local linear
  trend model);
- ``pooled``: the local trend model whose trend is shrunk halfway toward the mean trend, in
  units of each series' own noise, of the other series that share one of its two actors
  (``groups``): an actor turning hostile to many partners moves all of its dyads.

The smoothing weights are chosen per series from a small grid (``ALPHAS``, ``BETAS``,
``PHIS``) by the least one-step squared error, the whole grid in one vectorised pass (closed
form, no optimiser: thousands of series take a fraction of a second; the recursions agree with
``statsmodels.tsa.holtwinters.ExponentialSmoothing`` given the same weights, which the tests
check). The spread of step ``h`` of every smoothing model is the root mean square of its own
in-sample ``h``-step errors (after a burn-in), so an interval widens as the model's real errors
do. A series with fewer than ``MIN_FIT`` observed periods gets the no-change forecast instead
(``Prediction.fallback``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Prediction", "predict", "rolling", "choose", "predict_chosen", "inner_origins", "CHOICES",
           "MIN_CHOOSE", "MIN_FIT", "ALPHAS", "BETAS", "PHIS", "POOL_WEIGHT", "Z50", "Z90"]

ALPHAS = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9])
"""Level smoothing weights tried."""
BETAS = np.array([0.02, 0.05, 0.1, 0.2, 0.4])
"""Trend smoothing weights tried (as a share of the level's)."""
PHIS = np.array([0.9, 0.98])
"""Trend damping factors tried."""
POOL_WEIGHT = 0.5
"""Weight of a dyad's own trend in ``pooled`` (the rest is its actors' other dyads' mean)."""
MIN_FIT = 8
"""Least observed periods for a smoothing model; shorter series get the no-change forecast."""
BURN = 3
"""Periods after a series' start left out of its fit and its error spread (the start-up)."""
Z50, Z90 = 0.6744897501960817, 1.6448536269514722
"""Standard normal quantiles of the 50% and 90% central intervals."""


@dataclass(frozen=True)
class Prediction:
    """Forecasts of ``n`` series ``h`` steps ahead: ``mean`` and ``sd`` are (n, h) arrays;
    ``fallback`` (n,) marks series that got the no-change forecast because they were too short."""

    mean: np.ndarray
    sd: np.ndarray
    fallback: np.ndarray

    def interval(self, z: float) -> tuple[np.ndarray, np.ndarray]:
        """The central interval ``mean -/+ z sd`` (``Z50``, ``Z90``)."""
        return self.mean - z * self.sd, self.mean + z * self.sd


def _starts(y: np.ndarray) -> np.ndarray:
    """Index of each row's first observed value (the row's length if none)."""
    seen = ~np.isnan(y)
    return np.where(seen.any(axis=1), seen.argmax(axis=1), y.shape[1])


def _filter(y: np.ndarray, alpha: np.ndarray, beta: np.ndarray, phi: np.ndarray, keep: bool = False
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Damped Holt recursions over the rows of ``y`` for the weights given (broadcast against a
    trailing grid axis: ``alpha`` etc. are (n, g) or (g,)). Returns the one-step squared error
    after the burn-in, the final level and trend (n, g), and with ``keep`` the level and trend
    after each period (n, T) for g == 1."""
    n, t_len = y.shape
    start = _starts(y)
    first = y[np.arange(n), np.minimum(start, t_len - 1)]
    ahead = y[np.arange(n), np.minimum(start + 3, t_len - 1)]
    slope = np.where(start + 3 < t_len, (ahead - first) / 3, 0.0)
    shape = np.broadcast_shapes((n, 1), np.shape(alpha), np.shape(beta), np.shape(phi))
    level = np.full(shape, np.nan)
    trend = np.zeros(shape)
    sse = np.zeros(shape)
    ab = alpha * beta
    levels = np.full((n, t_len), np.nan) if keep else None
    trends = np.zeros((n, t_len)) if keep else None
    for t in range(t_len):
        yt = y[:, t, None]
        fc = level + phi * trend
        e = yt - fc
        ok = ~np.isnan(e)
        counted = ok & (t >= start + BURN)[:, None]
        sse += np.where(counted, e * e, 0.0)
        new = np.isnan(level) & ~np.isnan(yt)
        level = np.where(ok, fc + alpha * e, np.where(new, yt, level))
        trend = np.where(ok, phi * trend + ab * e, np.where(new, slope[:, None], trend))
        if keep:
            assert levels is not None and trends is not None
            levels[:, t], trends[:, t] = level[:, 0], trend[:, 0]
    return sse, level, trend, levels, trends


def _spread(y: np.ndarray, levels: np.ndarray, trends: np.ndarray, phi: np.ndarray, horizon: int,
            burn: int, params: int) -> np.ndarray:
    """Root mean square in-sample ``h``-step error of each row for h = 1..horizon (n, horizon),
    inflated for the ``params`` fitted; where too few errors exist, the one-step spread times sqrt(h)."""
    n, t_len = y.shape
    start = _starts(y)
    out = np.full((n, horizon), np.nan)
    when = np.arange(t_len)[None, :]
    for h in range(1, horizon + 1):
        if h >= t_len:
            break
        damp = np.sum([phi ** j for j in range(1, h + 1)], axis=0)
        fc = levels[:, :-h] + damp[:, None] * trends[:, :-h]
        err = y[:, h:] - fc
        valid = ~np.isnan(err) & (when[:, :-h] >= (start + burn)[:, None])
        m = valid.sum(axis=1)
        mse = np.where(valid, err * err, 0.0).sum(axis=1) / np.maximum(m, 1)
        inflate = m / np.maximum(m - params, 1)
        out[:, h - 1] = np.where(m >= max(3, params + 2), np.sqrt(mse * inflate), np.nan)
    one = out[:, 0]
    steps = np.sqrt(np.arange(1, horizon + 1))[None, :]
    return np.where(np.isnan(out), one[:, None] * steps, out)


def _no_change(y: np.ndarray, horizon: int) -> Prediction:
    n, t_len = y.shape
    last = y[:, -1]
    levels = y.copy()
    sd = _spread(y, levels, np.zeros_like(y), np.zeros(n), horizon, 0, 0)
    return Prediction(np.repeat(last[:, None], horizon, axis=1), sd, np.zeros(n, dtype=bool))


def _smooth(y: np.ndarray, horizon: int, trend: bool) -> tuple[Prediction, np.ndarray, np.ndarray, np.ndarray]:
    """The level or damped-trend model with its weights chosen per row; also the final level,
    trend and damping of each row (for pooling)."""
    if trend:
        grid = np.array([(a, b, p) for a in ALPHAS for b in BETAS for p in PHIS])
    else:
        grid = np.array([(a, 0.0, 0.0) for a in ALPHAS])
    sse, *_ = _filter(y, grid[:, 0], grid[:, 1], grid[:, 2])
    best = grid[np.argmin(sse, axis=1)]
    alpha, beta, phi = (best[:, k:k + 1] for k in range(3))
    _, level, slope, levels, trends = _filter(y, alpha, beta, phi, keep=True)
    assert levels is not None and trends is not None
    phi1 = phi[:, 0]
    steps = np.arange(1, horizon + 1)[None, :]
    damp = np.where(phi1[:, None] > 0, phi1[:, None] * (1 - phi1[:, None] ** steps) / (1 - phi1[:, None]), 0.0)
    mean = level + damp * slope
    sd = _spread(y, levels, trends, phi1, horizon, BURN, 4 if trend else 2)
    return Prediction(mean, sd, np.zeros(len(y), dtype=bool)), level[:, 0], slope[:, 0], damp


def _pool(pred: Prediction, level: np.ndarray, slope: np.ndarray, damp: np.ndarray,
          groups: np.ndarray | None, usable: np.ndarray) -> Prediction:
    """Shrink each row's trend toward its actors' other rows' mean trend (in noise units)."""
    if groups is None or not len(slope):
        return pred
    noise = pred.sd[:, 0]
    z = np.where(usable & (noise > 0), slope / np.where(noise > 0, noise, 1.0), 0.0)
    used = (usable & (noise > 0)).astype(float)
    k = int(groups.max()) + 1
    total = np.bincount(groups[:, 0], z, k) + np.bincount(groups[:, 1], z, k)
    count = np.bincount(groups[:, 0], used, k) + np.bincount(groups[:, 1], used, k)
    other_n = count[groups[:, 0]] + count[groups[:, 1]] - 2 * used
    other = (total[groups[:, 0]] + total[groups[:, 1]] - 2 * z) / np.maximum(other_n, 1)
    pooled = np.where(other_n > 0, POOL_WEIGHT * z + (1 - POOL_WEIGHT) * other, z) * noise
    pooled = np.where(noise > 0, pooled, slope)
    return Prediction(level[:, None] + damp * pooled[:, None], pred.sd, pred.fallback)


def predict(y: np.ndarray, horizon: int, model: str, groups: np.ndarray | None = None) -> Prediction:
    """Forecasts of every row of ``y`` (series x periods, NaN before a series starts)
    ``horizon`` steps past its last period with ``model`` (see the module docstring).
    ``groups`` (n, 2) numbers the two actors of each row, for ``pooled``."""
    y = np.asarray(y, dtype=float)
    if y.ndim != 2 or y.shape[1] == 0:
        raise ValueError("predict needs a 2-D array of series with at least one period")
    base = _no_change(y, horizon)
    if model == "no_change":
        return base
    if model not in ("local_level", "local_trend", "pooled"):
        raise ValueError(f"unknown model {model!r}")
    short = (~np.isnan(y)).sum(axis=1) < MIN_FIT
    pred, level, slope, damp = _smooth(y, horizon, model != "local_level")
    if model == "pooled":
        pred = _pool(pred, level, slope, damp, groups, ~short)
    bad = short | np.isnan(pred.mean).any(axis=1) | np.isnan(pred.sd).any(axis=1)
    mean = np.where(bad[:, None], base.mean, pred.mean)
    sd = np.where(bad[:, None], base.sd, pred.sd)
    return Prediction(mean, sd, bad)


CHOICES = ("no_change", "local_level", "local_trend", "pooled")
"""The models ``choose`` weighs against each other."""
MIN_CHOOSE = 24
"""Least observed periods for choosing a model by backtest; shorter series keep no change."""


def rolling(y: np.ndarray, origins: list[int], horizon: int, model: str, groups: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rolling-origin forecasts: for each origin ``t``, ``model`` fitted on periods before ``t``
    forecasts periods ``t .. t+horizon-1``. Returns mean, sd and the outcome, each
    (n, origins, horizon), the outcome NaN past the last period."""
    n, t_len = y.shape
    means = np.full((n, len(origins), horizon), np.nan)
    sds, outcome = means.copy(), means.copy()
    for k, t in enumerate(origins):
        p = predict(y[:, :t], horizon, model, groups)
        means[:, k], sds[:, k] = p.mean, p.sd
        got = y[:, t:t + horizon]
        outcome[:, k, :got.shape[1]] = got
    return means, sds, outcome


def inner_origins(length: int, horizon: int, count: int = 10) -> list[int]:
    """The origins of a series' own backtest: up to ``count`` of the last periods that leave at
    least ``MIN_FIT`` + 4 periods to fit on."""
    first = max(MIN_FIT + 4, length - count - min(horizon, 3) + 1)
    return list(range(first, length))


def choose(y: np.ndarray, horizon: int, groups: np.ndarray | None = None, models: tuple[str, ...] = CHOICES
           ) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the model with the least mean absolute error on its own rolling-origin
    backtest (steps 1..``horizon``, parameters refitted at each origin) and that model's skill
    (1 - MAE / MAE of no change; NaN where the series is too short to judge, where it keeps
    no change). A model must beat no change to be chosen."""
    n, t_len = y.shape
    origins = inner_origins(t_len, horizon)
    observed = (~np.isnan(y)).sum(axis=1)
    judged = observed >= MIN_CHOOSE
    if not origins or not judged.any():
        return np.array(["no_change"] * n, dtype=object), np.full(n, np.nan)
    rows = np.flatnonzero(judged)
    sub = y[rows]
    sub_groups = groups[rows] if groups is not None else None
    maes = []
    for m in models:
        mean, _, outcome = rolling(sub, origins, horizon, m, sub_groups)
        maes.append(np.nanmean(np.abs(mean - outcome), axis=(1, 2)))
    table = np.array(maes)  # models x rows
    base = table[models.index("no_change")] if "no_change" in models else np.full(len(rows), np.inf)
    best = np.argmin(np.where(np.isnan(table), np.inf, table), axis=0)
    best_mae = table[best, np.arange(len(rows))]
    beats = best_mae < base
    chosen = np.array(["no_change"] * n, dtype=object)
    chosen[rows] = np.where(beats, np.array(models, dtype=object)[best], "no_change")
    skill = np.full(n, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        skill[rows] = np.where(base > 0, 1 - np.where(beats, best_mae, base) / base, 0.0)
    return chosen, skill


def predict_chosen(y: np.ndarray, horizon: int, chosen: np.ndarray, groups: np.ndarray | None = None
                   ) -> Prediction:
    """Each row forecast with its own model (``chosen`` names one per row)."""
    n = len(y)
    mean = np.full((n, horizon), np.nan)
    sd, fallback = mean.copy(), np.zeros(n, dtype=bool)
    for m in set(chosen.tolist()):
        p = predict(y, horizon, m, groups)
        rows = chosen == m
        mean[rows], sd[rows], fallback[rows] = p.mean[rows], p.sd[rows], p.fallback[rows]
    return Prediction(mean, sd, fallback)
