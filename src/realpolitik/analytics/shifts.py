"""Shifts between two windows: which dyads changed, and whom an actor drifts toward or away from.

Example::

    >>> import numpy as np
    >>> from realpolitik.analytics.shifts import compare
    >>> rng = np.random.default_rng(0)
    >>> before, after = rng.normal(-4, 2, 30), rng.normal(3, 2, 30)
    >>> r = compare(before, after, seed=1)
    >>> r.difference > 5, r.p_value < 0.01, r.ci_low > 0
    (True, True, True)

For each pair of countries with at least ``min_events`` events in both windows, the change
is the difference of mean PLOVER intensity (later minus earlier; + towards cooperation).
The test is a two-sided permutation test of that difference (``permutations`` random
relabellings of the pair's events between the windows), with the Benjamini-Hochberg false
discovery rate over all pairs tested (``q_value``); the interval is a percentile bootstrap
of the difference (``level``, default 90%); the effect size is Cohen's d (difference over the
pooled standard deviation). The earlier window, unless given, is the span of the same length
just before the later one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import StoreError

__all__ = ["compare", "Comparison", "shifts", "drift"]


@dataclass(frozen=True)
class Comparison:
    """The change of mean intensity between two samples of events."""

    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    effect_size: float


def compare(before: np.ndarray, after: np.ndarray, *, permutations: int = 2000, boot: int = 1000,
            level: float = 0.9, seed: int = 0) -> Comparison:
    """Permutation test, bootstrap interval and Cohen's d for ``mean(after) - mean(before)``."""
    x, y = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if len(x) == 0 or len(y) == 0:
        raise StoreError("each window needs at least one event to compare")
    rng = np.random.default_rng(seed)
    observed = float(y.mean() - x.mean())
    pooled = np.concatenate([x, y])
    perms = np.argsort(rng.random((permutations, len(pooled))), axis=1)
    shuffled = pooled[perms]
    diffs = shuffled[:, len(x):].mean(axis=1) - shuffled[:, :len(x)].mean(axis=1)
    p = float((np.sum(np.abs(diffs) >= abs(observed) - 1e-12) + 1) / (permutations + 1))
    bx = x[rng.integers(0, len(x), (boot, len(x)))].mean(axis=1)
    by = y[rng.integers(0, len(y), (boot, len(y)))].mean(axis=1)
    lo, hi = np.quantile(by - bx, [(1 - level) / 2, (1 + level) / 2])
    sd = float(np.sqrt(((len(x) - 1) * x.var(ddof=1 if len(x) > 1 else 0) +
                        (len(y) - 1) * y.var(ddof=1 if len(y) > 1 else 0)) / max(1, len(x) + len(y) - 2)))
    return Comparison(observed, float(lo), float(hi), p, observed / sd if sd > 0 else float("inf") * np.sign(observed))


Windows = tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]


def default_windows(store: Any) -> tuple[Windows, int]:
    """The windows compared when none are given: the store's span of dated events between two
    countries (with an intensity), cut at the median day so that each half holds as many events;
    returns ``((earlier_from, earlier_to), (later_from, later_to))`` and the events counted. A
    StoreError if there are none. ``realpolitik report`` and ``realpolitik shifts`` both use it."""
    from ..store.rows import to_date

    span = store.query("""SELECT min(day) AS lo, max(day) AS hi, count(*) AS n, quantile_disc(day, 0.5) AS middle
                          FROM events WHERE day IS NOT NULL AND source_country IS NOT NULL
                            AND target_country IS NOT NULL AND source_country <> target_country
                            AND intensity IS NOT NULL""")
    n = int(span.n[0])
    lo, hi, middle = to_date(span.lo[0]), to_date(span.hi[0]), to_date(span.middle[0])
    if n == 0 or lo is None or hi is None or middle is None:
        raise StoreError("the store has no dated events between two countries to compare; "
                         "give the windows with --from and --to")
    if middle >= hi:  # every event on one day, or the later half would be empty
        middle = hi - dt.timedelta(days=1)
    return ((lo, middle), (middle + dt.timedelta(days=1), hi)), n


def _windows(since: dt.date, until: dt.date, base_since: dt.date | None, base_until: dt.date | None
             ) -> tuple[dt.date, dt.date]:
    if until < since:
        raise StoreError(f"the window ends ({until}) before it starts ({since})")
    if base_since is None or base_until is None:
        length = until - since
        base_until = since - dt.timedelta(days=1)
        base_since = base_until - length
    return base_since, base_until


def _pairs(store: Any, actor: str | None, spans: list[tuple[dt.date, dt.date]]) -> pd.DataFrame:
    params: list[Any] = []
    cases = []
    for k, (a, b) in enumerate(spans):
        cases.append(f"WHEN day BETWEEN ? AND ? THEN {k}")
        params += [a, b]
    who = ""
    if actor:
        who = " AND (source_country = ? OR target_country = ?)"
        params += [actor.upper(), actor.upper()]
    lo = min(a for a, _ in spans)
    hi = max(b for _, b in spans)
    return store.query(
        f"""SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b,
                   CASE {' '.join(cases)} END AS window, intensity, event_id, day, event_type, sentence
            FROM events
            WHERE source_country IS NOT NULL AND target_country IS NOT NULL AND source_country <> target_country
              AND intensity IS NOT NULL AND day BETWEEN ? AND ?{who}""",
        params[: 2 * len(spans)] + [lo, hi] + params[2 * len(spans):])


def shifts(store: Any, since: dt.date, until: dt.date, *, base_since: dt.date | None = None,
           base_until: dt.date | None = None, actor: str | None = None, min_events: int = 3,
           alpha: float = 0.05, seed: int = 0) -> pd.DataFrame:
    """Every pair tested, most significant first, with ``significant`` set where ``q_value <= alpha``."""
    base_since, base_until = _windows(since, until, base_since, base_until)
    ev = _pairs(store, actor, [(base_since, base_until), (since, until)])
    rows = []
    for (a, b), g in ev.groupby(["a", "b"]):
        before = g.loc[g.window == 0, "intensity"].to_numpy(dtype=float)
        after = g.loc[g.window == 1, "intensity"].to_numpy(dtype=float)
        if len(before) < min_events or len(after) < min_events:
            continue
        c = compare(before, after, seed=seed)
        rows.append({"a": a, "b": b, "before_events": len(before), "after_events": len(after),
                     "before_mean": float(before.mean()), "after_mean": float(after.mean()),
                     "difference": c.difference, "ci_low": c.ci_low, "ci_high": c.ci_high,
                     "effect_size": c.effect_size, "p_value": c.p_value,
                     "event_ids": list(g.loc[g.window == 1].sort_values("intensity", key=abs,
                                                                        ascending=False).event_id[:5])})
    frame = pd.DataFrame(rows, columns=["a", "b", "before_events", "after_events", "before_mean", "after_mean",
                                        "difference", "ci_low", "ci_high", "effect_size", "p_value", "event_ids"])
    frame["q_value"] = _benjamini_hochberg(frame["p_value"].to_numpy(dtype=float))
    frame["significant"] = frame["q_value"] <= alpha
    frame.attrs.update(before=(base_since, base_until), after=(since, until))
    return frame.sort_values(["q_value", "difference"], key=lambda s: s if s.name == "q_value" else -s.abs()
                             ).reset_index(drop=True)


def drift(store: Any, actor: str, since: dt.date, until: dt.date, **options: Any) -> pd.DataFrame:
    """One actor's partners ranked from most drifted toward (cooperation rose) to most away."""
    frame = shifts(store, since, until, actor=actor, **options)
    me = actor.upper()
    frame.insert(0, "partner", [b if a == me else a for a, b in zip(frame.a, frame.b, strict=True)])
    frame["direction"] = np.where(frame.difference > 0, "toward", "away")
    return frame.sort_values("difference", ascending=False).reset_index(drop=True)


def _benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out
