"""Dyad series: how two actors' relations move, period by period, with uncertainty.

Example::

    >>> from realpolitik.store import Store
    >>> from realpolitik.analytics.dyads import dyad_series, parse_actor
    >>> parse_actor("IRQ GOV"), parse_actor("rus")
    (('IRQ', 'GOV'), ('RUS', None))
    >>> store = Store(":memory:")
    >>> _ = store.import_file("tests/fixtures/datasets/polecat_sample.txt")
    >>> frame = dyad_series(store, "IRQ", "RUS", freq="month")
    >>> frame[["period", "events", "verbal_cooperation", "mean_intensity"]].to_dict("records")
    [{'period': datetime.date(2023, 1, 1), 'events': 1, 'verbal_cooperation': 1, 'mean_intensity': 1.0}]

For each period of ``freq`` (day, week, month, quarter, year) between the first and last
event (or ``since``/``until``), one row with:

- ``events``: events between the two actors (either direction unless ``directed``), and
  ``a_to_b``/``b_to_a`` for each direction;
- counts by quad class (``verbal_cooperation`` ... ``material_conflict``) and by PLOVER type
  (``AGREE`` ... ``ASSAULT``);
- ``mentions``: the reports behind those events, and ``mean_goldstein``: their mean Goldstein
  weight;
- ``mean_intensity``: the mean PLOVER intensity of those events (-10 most conflictual to +10
  most cooperative), with a bootstrap interval ``ci_low``/``ci_high`` (``level``, default 90%,
  from ``boot`` resamples of the period's events);
- ``volume``: all events in the store in that period, and ``index_per_1k``: the summed
  intensity of the dyad's events per thousand events reported that period (a
  cooperation-conflict index that does not rise just because more news was coded);
- ``change``: True where the mean-intensity series changes level (PELT change points over the
  periods that have events; see :mod:`realpolitik.analytics.changepoints`);
- ``event_ids``: the events behind the row, so every number can be traced to its evidence.

An actor is a country or actor code, optionally with a sector: ``"IRQ"``, ``"IRQ GOV"``,
``"IRQ:GOV"``. With ``fill=False`` only periods with events are kept; ``boot=0`` skips the
bootstrap (the interval is then the mean). :meth:`realpolitik.store.Store.dyad_series` is this
function, in pandas or polars.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import StoreError
from ..model import EVENT_TYPES
from ..store.queries import FREQUENCIES, check_frequency
from .changepoints import change_points

__all__ = ["dyad_series", "parse_actor", "span_sql", "warm_series", "FREQUENCIES"]

_QUADS = {1: "verbal_cooperation", 2: "material_cooperation", 3: "verbal_conflict", 4: "material_conflict"}


def parse_actor(spec: str) -> tuple[str, str | None]:
    """``"IRQ"`` -> ('IRQ', None); ``"IRQ GOV"`` or ``"IRQ:GOV"`` -> ('IRQ', 'GOV')."""
    parts = [p for p in re.split(r"[\s:/]+", spec.strip().upper()) if p]
    if not parts or len(parts) > 2:
        raise StoreError(f"{spec!r} is not an actor; write a country or code, optionally a sector: IRQ, IRQ GOV")
    return parts[0], parts[1] if len(parts) == 2 else None


def span_sql(since: dt.date | None, until: dt.date | None, params: list[Any]) -> str:
    """`` AND day >= ? AND day <= ?`` for the bounds given, their values appended to ``params``."""
    sql = ""
    for op, bound in ((">=", since), ("<=", until)):
        if bound is not None:
            sql += f" AND day {op} ?"
            params.append(bound)
    return sql


def _side_sql(side: str, actor: tuple[str, str | None], params: list[Any]) -> str:
    code, sector = actor
    params += [code, code]
    sql = f"({side}_country = ? OR {side}_code = ?)"
    if sector:
        params.append(sector)
        sql += f" AND {side}_sector = ?"
    return f"({sql})"


def dyad_series(store: Any, a: str, b: str, *, freq: str = "month", directed: bool = False,
                since: dt.date | None = None, until: dt.date | None = None, boot: int = 500,
                level: float = 0.9, seed: int = 0, max_periods: int | None = None, fill: bool = True) -> pd.DataFrame:
    """The dyad's series (see the module docstring) as a pandas frame, one row per period;
    a StoreError if it would have more than ``max_periods`` periods."""
    check_frequency(freq)
    actor_a, actor_b = parse_actor(a), parse_actor(b)
    index = store.event_index() if hasattr(store, "event_index") else None
    if index is None:
        return _series(store, None, actor_a, actor_b, freq, directed, since, until, boot, level, seed,
                       max_periods, fill)
    # kept while the store is unchanged; a pair's series either way round differs only in its
    # two direction counts, so both ways share one
    flip = not directed and (actor_b[0], actor_b[1] or "") < (actor_a[0], actor_a[1] or "")
    first, second = (actor_b, actor_a) if flip else (actor_a, actor_b)
    frame = index.remember(("dyad", first, second, freq, directed, since, until, boot, level, seed, max_periods,
                            fill), lambda: _series(store, index, first, second, freq, directed, since, until,
                                                   boot, level, seed, max_periods, fill), _frame_bytes).copy()
    if flip:
        frame[["a_to_b", "b_to_a"]] = frame[["b_to_a", "a_to_b"]].to_numpy()
    return frame


def warm_series(store: Any, index: Any, *, pairs: int, freqs: tuple[str, ...] = ("month", "quarter", "year"),
                **options: Any) -> int:
    """Work out ahead the series of ``index``'s ``pairs`` busiest pairs of countries at each of
    ``freqs`` (``options`` as :func:`dyad_series` takes them), so that they are answered from
    memory when asked; the number worked out. Stops when the store changes or the kept answers
    fill three quarters of the room the index gives them (the rest is for what is asked)."""
    done = 0
    for a, b in index.busiest_pairs(pairs):
        for freq in freqs:
            kept, room = index.remembered
            if kept > room * 3 // 4 or store.event_index() is not index:
                return done
            try:
                dyad_series(store, a, b, freq=freq, **options)
            except StoreError:  # over the period limit: worked out (and refused) when asked
                continue
            done += 1
    return done


def _frame_bytes(frame: pd.DataFrame) -> int:
    """About what a series frame holds in memory: its columns, and a reference to each of its
    events' ids (the strings themselves are the index's)."""
    ids = frame["event_ids"].tolist()
    return 8 * frame.shape[0] * frame.shape[1] + 8 * sum(map(len, ids)) + 64 * len(ids)


def _series(store: Any, index: Any, actor_a: tuple[str, str | None], actor_b: tuple[str, str | None], freq: str,
            directed: bool, since: dt.date | None, until: dt.date | None, boot: int, level: float, seed: int,
            max_periods: int | None, fill: bool) -> pd.DataFrame:
    if index is not None:
        events = index.pair_events(actor_a, actor_b, directed, since, until, freq)
    else:
        events = _pair_events(store, actor_a, actor_b, directed, since, until, freq)
    periods = _periods(events["period"], freq, since, until)
    if not fill:
        periods = sorted(set(events["period"]))
    if not len(periods):
        return _empty()
    if max_periods is not None and len(periods) > max_periods:
        raise StoreError(f"{len(periods):,} periods of a {freq} from {periods[0]} to {periods[-1]}, over the "
                         f"limit of {max_periods:,}; choose a longer period or a shorter span")
    lo, hi = periods[0], periods[-1]
    if index is not None:
        vol = index.volume(freq)
    else:
        volume = store.query(
            f"SELECT date_trunc('{freq}', day)::DATE AS period, count(*) AS volume FROM events "
            "WHERE day >= ? AND day < ? + INTERVAL 1 DAY GROUP BY 1", [lo, _period_end(hi, freq)])
        vol = dict(zip(pd.to_datetime(volume["period"]).dt.date, volume["volume"], strict=True))
    return _rows(events, periods, vol, boot=boot, level=level, seed=seed)


def _rows(events: Any, periods: list[dt.date], vol: dict[dt.date, int], *, boot: int, level: float,
          seed: int) -> pd.DataFrame:
    """One row per period (see the module docstring), every sum and mean taken for all periods at
    once. ``events`` maps each column to its values (a frame, or plain arrays)."""
    slot = {p: k for k, p in enumerate(periods)}
    at = np.array([slot.get(p, -1) for p in events["period"]], dtype=np.int64)
    keep = at >= 0
    at = at[keep]
    n_periods = len(periods)
    intensity = np.asarray(events["intensity"], dtype=float)[keep]
    goldstein = np.asarray(events["goldstein"], dtype=float)[keep]
    mentions = np.asarray(events["mentions"], dtype=float)[keep]
    mentions[np.isnan(mentions)] = 1
    forward = np.asarray(events["forward"], dtype=bool)[keep]
    ids = list(events["event_id"])
    if not keep.all():
        ids = [i for i, k in zip(ids, keep.tolist(), strict=True) if k]

    def per(weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(at, weights=weights, minlength=n_periods)

    def by_value(values: np.ndarray, names: Any) -> dict[Any, np.ndarray]:
        """For each of ``names``, the count of each period's events that have it."""
        codes = {v: k for k, v in enumerate(names)}
        code = np.array([codes.get(v, len(codes)) for v in values.tolist()], dtype=np.int64)
        table = np.bincount(at * (len(codes) + 1) + code, minlength=n_periods * (len(codes) + 1))
        table = table.reshape(n_periods, len(codes) + 1)
        return {v: table[:, k] for v, k in codes.items()}

    count = per().astype(np.int64)
    total = per(intensity)
    rated = ~np.isnan(goldstein)
    g_count = np.bincount(at[rated], minlength=n_periods)
    g_total = np.bincount(at[rated], weights=goldstein[rated], minlength=n_periods)
    quad = by_value(np.asarray(events["quad_class"], dtype=float)[keep], list(_QUADS))
    quads = {q: quad[k] for k, q in _QUADS.items()}
    kinds = by_value(np.asarray(events["event_type"], dtype=object)[keep], EVENT_TYPES)
    a_to_b, reports = per(forward.astype(float)), per(mentions)
    low, high = _intervals(intensity, at, count, boot, level, seed)
    members: list[list[str]] = [[] for _ in periods]
    for i, k in zip(ids, at.tolist(), strict=True):
        members[k].append(i)
    some = count > 0
    volume = np.array([vol.get(p, 0) for p in periods], dtype=np.int64)
    change = np.zeros(n_periods, dtype=bool)  # where the mean intensity of the observed periods changes level
    observed = np.flatnonzero(some)
    if len(observed) >= 4:
        change[observed[list(change_points(total[observed] / count[observed]))]] = True
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.DataFrame({
            "period": periods, "events": count, "a_to_b": a_to_b.astype(np.int64),
            "b_to_a": count - a_to_b.astype(np.int64), **{q: v.astype(np.int64) for q, v in quads.items()},
            **{t: v.astype(np.int64) for t, v in kinds.items()}, "mentions": reports.astype(np.int64),
            "mean_goldstein": np.where(g_count > 0, g_total / g_count, np.nan),
            "mean_intensity": np.where(some, total / count, np.nan),
            "ci_low": np.where(some, low, np.nan), "ci_high": np.where(some, high, np.nan), "volume": volume,
            "index_per_1k": np.where(some, total / np.maximum(1, volume) * 1000, 0.0), "event_ids": members,
            "change": change})


_CELLS = 4_000_000
"""Resampled values held at once (about 50 MB however many events a pair has)."""


def _intervals(x: np.ndarray, at: np.ndarray, count: np.ndarray, boot: int, level: float,
               seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The bootstrap interval of each period's mean (``boot`` resamples of its own events); a
    period of one event (or ``boot=0``) has its mean as both ends. Periods are resampled together,
    as many at a time as ``_CELLS`` allows (a huge period's resamples a share at a time)."""
    mean = np.bincount(at, weights=x, minlength=len(count)) / np.maximum(count, 1)
    if not boot or not len(x):
        return mean, mean
    order = np.argsort(at, kind="stable") if (np.diff(at) < 0).any() else np.arange(len(at))  # by period
    xs, starts = x[order].astype(np.float32), np.concatenate([[0], np.cumsum(count)[:-1]])
    nonempty = np.flatnonzero(count)
    means = np.empty((len(nonempty), boot))  # a row per period: its resamples side by side
    k = 0
    while k < len(nonempty):
        j, total = k + 1, int(count[nonempty[k]])
        while j < len(nonempty) and (total + int(count[nonempty[j]])) * boot <= _CELLS:
            total += int(count[nonempty[j]])
            j += 1
        group = nonempty[k:j]
        first = int(starts[group[0]])
        sizes = count[group]
        n = np.repeat(sizes, sizes).astype(np.float32)[:, None]
        offsets = np.repeat(starts[group] - first, sizes).astype(np.int32)[:, None]
        step = max(1, _CELLS // total)
        for b0 in range(0, boot, step):
            b1 = min(boot, b0 + step)
            u = (_draws(seed, boot, total) if k == 0 and total * boot <= _CELLS  # the usual case: one draw
                 else np.random.default_rng([seed, k, b0]).random((total, b1 - b0), dtype=np.float32))
            picks = (u * n).astype(np.int32)  # a row per event, a column per resample
            np.minimum(picks, (n - 1).astype(np.int32), out=picks)  # float32 may round a draw up to n
            picks += offsets
            sums = np.add.reduceat(np.take(xs[first:first + total], picks), starts[group] - first, axis=0,
                                   dtype=np.float64)
            means[k:j, b0:b1] = sums / sizes[:, None]
        k = j
    bounds = _quantiles(means, ((1 - level) / 2, (1 + level) / 2))
    low, high = mean.copy(), mean.copy()
    several = count[nonempty] > 1
    low[nonempty[several]], high[nonempty[several]] = bounds[0][several], bounds[1][several]
    low[np.isnan(mean)] = high[np.isnan(mean)] = np.nan
    return low, high


_DRAWS: dict[tuple[int, int], np.ndarray] = {}


def _draws(seed: int, boot: int, n: int) -> np.ndarray:
    """``default_rng(seed).random((n, boot))`` in single precision, the first 8,192 rows kept: the
    same draws come first whatever ``n``, so a shorter series reads them again."""
    got = _DRAWS.get((seed, boot))
    if got is not None and len(got) >= n:
        return got[:n]
    draws = np.random.default_rng(seed).random((max(n, 1024), boot), dtype=np.float32)
    if len(draws) <= 8192 and len(_DRAWS) < 16:
        _DRAWS[(seed, boot)] = draws
    return draws[:n]


def _quantiles(values: np.ndarray, qs: tuple[float, ...]) -> list[np.ndarray]:
    """Each row's quantiles ``qs`` (numpy's default, linear, rule), partitioning only around them."""
    last = values.shape[1] - 1
    h = [last * q for q in qs]
    ks = sorted({k for x in h for k in (int(np.floor(x)), min(last, int(np.floor(x)) + 1))})
    part = np.partition(values, ks, axis=1)
    return [part[:, int(np.floor(x))] + (x - np.floor(x)) * (part[:, min(last, int(np.floor(x)) + 1)]
                                                               - part[:, int(np.floor(x))]) for x in h]


def _pair_events(store: Any, actor_a: tuple[str, str | None], actor_b: tuple[str, str | None], directed: bool,
                 since: dt.date | None, until: dt.date | None, freq: str) -> pd.DataFrame:
    """The pair's dated events, oldest first, with their period (SQL over the store)."""
    params: list[Any] = []
    where = f"({_side_sql('source', actor_a, params)} AND {_side_sql('target', actor_b, params)})"
    if not directed:
        where = f"({where} OR ({_side_sql('source', actor_b, params)} AND {_side_sql('target', actor_a, params)}))"
    span = span_sql(since, until, params)
    # the direction flag repeats the a->b test, so its parameters come first
    dir_params: list[Any] = []
    direction = _side_sql("source", actor_a, dir_params)
    events = store.query(
        f"""SELECT date_trunc('{freq}', day)::DATE AS period, event_id, event_type, quad_class, intensity,
                   goldstein, mentions, {direction} AS forward
            FROM events WHERE {where} AND day IS NOT NULL{span} ORDER BY day, event_id""",
        dir_params + params)
    events["period"] = pd.to_datetime(events["period"]).dt.date
    return events


def _empty() -> pd.DataFrame:
    cols = ["period", "events", "a_to_b", "b_to_a", *_QUADS.values(), *EVENT_TYPES, "mentions", "mean_goldstein",
            "mean_intensity", "ci_low",
            "ci_high", "volume", "index_per_1k", "event_ids", "change"]
    return pd.DataFrame(columns=cols)


def _periods(observed: pd.Series, freq: str, since: dt.date | None, until: dt.date | None) -> list[dt.date]:
    days = [d for d in observed if d is not None and d == d]
    start = _truncate(since, freq) if since else (min(days) if days else None)
    end = _truncate(until, freq) if until else (max(days) if days else None)
    if start is None or end is None or start > end:
        return []
    out = [start]
    while out[-1] < end and _period_end(out[-1], freq) < dt.date.max:
        out.append(_period_end(out[-1], freq) + dt.timedelta(days=1))
    return out


def _truncate(day: dt.date, freq: str) -> dt.date:
    if freq == "day":
        return day
    if freq == "week":
        return day - dt.timedelta(days=day.weekday())
    if freq == "month":
        return day.replace(day=1)
    if freq == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def _period_end(start: dt.date, freq: str) -> dt.date:
    """The last day of the period that begins on ``start`` (at most 9999-12-31, the last day a
    date can hold)."""
    if freq == "day":
        return start
    if freq == "week":
        return start + dt.timedelta(days=6) if start <= dt.date.max - dt.timedelta(days=6) else dt.date.max
    months = {"month": 1, "quarter": 3, "year": 12}[freq]
    y, m = divmod(start.month - 1 + months, 12)
    if start.year + y > dt.MAXYEAR:
        return dt.date.max
    return dt.date(start.year + y, m + 1, 1) - dt.timedelta(days=1)
