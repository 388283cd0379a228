"""Generated series with a planted trend, a planted shock or no change, to validate the forecasts
(``scripts/validate_forecasts.py`` and the tests use the same generator).

Example::

    >>> import numpy as np
    >>> from realpolitik.analytics.synthetic_series import KINDS, planted_series
    >>> y = planted_series(np.random.default_rng(0), "trend", length=60)
    >>> len(y), KINDS
    (60, ('trend', 'shock', 'none'))

Each series is Gaussian noise of unit variance around a level of N(0, 3), plus:

- ``trend``: a slope of 0.15 to 0.4 noise units a period, either sign, all along;
- ``shock``: a level shift of 3 to 6 noise units, either sign, somewhere in the middle third;
- ``none``: nothing (noise around a constant level).
"""

from __future__ import annotations

import numpy as np

__all__ = ["KINDS", "planted_series", "planted_panel", "evaluate_planted"]

KINDS = ("trend", "shock", "none")


def planted_series(rng: np.random.Generator, kind: str, length: int = 72) -> np.ndarray:
    """One series of ``kind`` (see the module docstring)."""
    t = np.arange(length, dtype=float)
    y = rng.normal(0, 3) + rng.normal(0, 1, length)
    sign = rng.choice([-1.0, 1.0])
    if kind == "trend":
        y += sign * rng.uniform(0.15, 0.4) * t
    elif kind == "shock":
        at = int(rng.integers(length // 3, 2 * length // 3))
        y[at:] += sign * rng.uniform(3, 6)
    elif kind != "none":
        raise ValueError(f"unknown kind {kind!r}; use one of {KINDS}")
    return y


def planted_panel(rng: np.random.Generator, per_kind: int, length: int = 72) -> tuple[np.ndarray, list[str]]:
    """``per_kind`` series of each kind as the rows of one array, and the kind of each row."""
    kinds = [k for k in KINDS for _ in range(per_kind)]
    return np.array([planted_series(rng, k, length) for k in kinds]), kinds


def evaluate_planted(rng: np.random.Generator, per_kind: int, length: int = 72, origins: int = 24,
                     horizon: int = 6) -> dict[str, dict[str, dict[str, float]]]:
    """Rolling-origin forecasts of ``auto`` (its model chosen again at each origin, on the data
    before it) and of ``no_change`` over a planted panel: for each kind and model, the mean
    absolute error and the share of outcomes inside the 50% and 90% intervals, steps 1..horizon."""
    from .models import Z50, Z90, choose, predict, predict_chosen

    y, kinds = planted_panel(rng, per_kind, length)
    kind = np.array(kinds)
    errors: dict[str, list[np.ndarray]] = {"auto": [], "no_change": []}
    inside50: dict[str, list[np.ndarray]] = {"auto": [], "no_change": []}
    inside90: dict[str, list[np.ndarray]] = {"auto": [], "no_change": []}
    for t in range(length - origins, length - 1):
        past, outcome = y[:, :t], y[:, t:t + horizon]
        chosen, _ = choose(past, horizon)
        for name, p in (("auto", predict_chosen(past, horizon, chosen)), ("no_change", predict(past, horizon,
                                                                                                "no_change"))):
            err = np.abs(outcome - p.mean[:, :outcome.shape[1]])
            sd = p.sd[:, :outcome.shape[1]]
            errors[name].append(err)
            inside50[name].append(err <= Z50 * sd)
            inside90[name].append(err <= Z90 * sd)
    out: dict[str, dict[str, dict[str, float]]] = {}
    for k in (*KINDS, "all"):
        rows = kind == k if k != "all" else np.ones(len(kind), dtype=bool)
        out[k] = {name: {"mae": float(np.mean(np.concatenate([e[rows].ravel() for e in errors[name]]))),
                         "coverage50": float(np.mean(np.concatenate([c[rows].ravel() for c in inside50[name]]))),
                         "coverage90": float(np.mean(np.concatenate([c[rows].ravel() for c in inside90[name]])))}
                  for name in errors}
    return out
