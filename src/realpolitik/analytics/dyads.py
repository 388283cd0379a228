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
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from ..errors import StoreError
from ..model import EVENT_TYPES
from ..store.queries import FREQUENCIES, check_frequency
from .changepoints import change_points

__all__ = ["dyad_series", "parse_actor", "span_sql", "FREQUENCIES"]

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
    periods = _periods(events["period"], freq, since, until)
    if not fill:
        periods = sorted(set(events["period"]))
    if not len(periods):
        return _empty()
    if max_periods is not None and len(periods) > max_periods:
        raise StoreError(f"{len(periods):,} periods of a {freq} from {periods[0]} to {periods[-1]}, over the "
                         f"limit of {max_periods:,}; choose a longer period or a shorter span")
    lo, hi = periods[0], periods[-1]
    volume = store.query(
        f"SELECT date_trunc('{freq}', day)::DATE AS period, count(*) AS volume FROM events "
        "WHERE day >= ? AND day < ? + INTERVAL 1 DAY GROUP BY 1", [lo, _period_end(hi, freq)])
    vol = dict(zip(pd.to_datetime(volume["period"]).dt.date, volume["volume"], strict=True))
    rng = np.random.default_rng(seed)
    rows = []
    at: dict[dt.date, list[int]] = {}
    for i, p in enumerate(events["period"]):
        at.setdefault(p, []).append(i)
    intensity = events["intensity"].to_numpy(dtype=float)
    goldstein = events["goldstein"].to_numpy(dtype=float)
    mentions = events["mentions"].fillna(1).to_numpy(dtype=np.int64)
    forward = events["forward"].to_numpy(dtype=bool)
    ids = events["event_id"].tolist()
    quads = Counter(zip(events["period"], events["quad_class"].tolist(), strict=True))
    kinds = Counter(zip(events["period"], events["event_type"], strict=True))
    for p in periods:
        row: dict[str, Any] = {"period": p, "events": 0, "a_to_b": 0, "b_to_a": 0,
                               **{q: quads.get((p, k), 0) for k, q in _QUADS.items()},
                               **{t: kinds.get((p, t), 0) for t in EVENT_TYPES},
                               "mentions": 0, "mean_goldstein": np.nan,
                               "mean_intensity": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                               "volume": int(vol.get(p, 0)), "index_per_1k": 0.0, "event_ids": []}
        members = at.get(p)
        if members:
            x = intensity[members]
            row["events"] = len(members)
            row["a_to_b"] = int(forward[members].sum())
            row["b_to_a"] = len(members) - row["a_to_b"]
            row["mean_intensity"] = float(x.mean())
            row["mentions"] = int(mentions[members].sum())
            g = goldstein[members]
            row["mean_goldstein"] = float(np.nanmean(g)) if not np.isnan(g).all() else np.nan
            if boot and len(x) > 1:
                means = x[rng.integers(0, len(x), size=(boot, len(x)))].mean(axis=1)
                row["ci_low"], row["ci_high"] = (float(v) for v in np.quantile(means, [(1 - level) / 2, (1 + level) / 2]))
            else:
                row["ci_low"] = row["ci_high"] = float(x.mean())
            row["index_per_1k"] = float(x.sum() / max(1, row["volume"]) * 1000)
            row["event_ids"] = [ids[i] for i in members]
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["change"] = False
    observed = frame.index[frame["events"] > 0]
    if len(observed) >= 4:
        for k in change_points(frame.loc[observed, "mean_intensity"].to_numpy()):
            frame.loc[observed[k], "change"] = True
    return frame


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
    while out[-1] < end:
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
    """The last day of the period that begins on ``start``."""
    if freq == "day":
        return start
    if freq == "week":
        return start + dt.timedelta(days=6)
    months = {"month": 1, "quarter": 3, "year": 12}[freq]
    y, m = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + y, m + 1, 1) - dt.timedelta(days=1)
