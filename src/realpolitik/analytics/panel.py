"""Every country pair's series at once, read with one grouped query: what forecasts, backtests
and alerts over a whole store are made from.

Example::

    >>> from realpolitik.store import Store
    >>> from realpolitik.analytics.panel import read_panel
    >>> store = Store(":memory:")
    >>> _ = store.import_file("tests/fixtures/datasets/polecat_sample.txt")
    >>> p = read_panel(store, freq="month", min_events=1)
    >>> p.pairs[:1], p.index.shape[0] == len(p.pairs)
    ([('IRQ', 'RUS')], True)

For each pair of countries (either direction) with at least ``min_events`` events, and each
period of ``freq`` from the pair's first event to the store's last period (or ``until``): the
pair's events, their counts by quad class and ``index_per_1k``, the summed intensity per
thousand events the store holds that period, as :func:`realpolitik.analytics.dyads.dyad_series`
computes them. Periods before a pair's first event are NaN, so that every row ends on the same
period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import NotFoundError
from ..store.queries import check_frequency
from .dyads import _periods, span_sql

__all__ = ["Panel", "read_panel", "QUADS", "last_day"]

QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")


@dataclass(frozen=True)
class Panel:
    """Pairs (``a`` < ``b``) x periods arrays: ``index`` (index_per_1k), ``events``, ``quads``
    (4 x pairs x periods, in ``QUADS`` order) and ``total`` (summed intensity); ``groups``
    numbers each pair's two countries (as in ``actors``)."""

    freq: str
    pairs: list[tuple[str, str]]
    periods: list[dt.date]
    index: np.ndarray
    events: np.ndarray
    quads: np.ndarray
    total: np.ndarray
    actors: list[str]
    groups: np.ndarray


def last_day(store: Any, since: dt.date | None = None, until: dt.date | None = None) -> dt.date:
    """The store's last dated event (within the bounds); a NotFoundError if it has none."""
    from ..store.rows import to_date

    params: list[Any] = []
    got = store.query(f"SELECT max(day) AS hi FROM events WHERE day IS NOT NULL{span_sql(since, until, params)}",
                      params)
    day = to_date(got.hi[0]) if len(got) and pd.notna(got.hi[0]) else None
    if day is None:
        raise NotFoundError("no dated events in the store (in that span); import or ingest some first")
    return day


def read_panel(store: Any, *, freq: str = "month", min_events: int = 1, since: dt.date | None = None,
               until: dt.date | None = None, countries: tuple[str, ...] = ()) -> Panel:
    """The panel of the store's country pairs (see the module docstring); with ``countries``,
    only the pairs that include one of them."""
    check_frequency(freq)
    end = until or last_day(store, since, until)
    params: list[Any] = []
    span = span_sql(since, end, params)
    only = ""
    if countries:
        marks = ", ".join("?" for _ in countries)
        only = f" AND (source_country IN ({marks}) OR target_country IN ({marks}))"
        params += [*countries, *countries]
    quads = ", ".join(f"count(*) FILTER (WHERE quad_class = {k + 1}) AS q{k + 1}" for k in range(4))
    rows = store.query(
        f"""SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b,
                   date_trunc('{freq}', day)::DATE AS period, count(*) AS events,
                   coalesce(sum(intensity), 0) AS total, {quads}
            FROM events
            WHERE source_country IS NOT NULL AND target_country IS NOT NULL AND source_country <> target_country
              AND day IS NOT NULL{span}{only}
            GROUP BY 1, 2, 3""", params)
    if len(rows):
        size = rows.groupby(["a", "b"])["events"].transform("sum")
        rows = rows[size >= min_events]
    vparams: list[Any] = []
    volume = store.query(f"SELECT date_trunc('{freq}', day)::DATE AS period, count(*) AS volume FROM events "
                         f"WHERE day IS NOT NULL{span_sql(since, end, vparams)} GROUP BY 1", vparams)
    vol = dict(zip(pd.to_datetime(volume["period"]).dt.date, volume["volume"], strict=True))
    if not len(rows):
        return Panel(freq, [], [], *(np.zeros((0, 0)),) * 2, np.zeros((4, 0, 0)), np.zeros((0, 0)), [],
                     np.zeros((0, 2), dtype=np.int64))
    rows = rows.assign(period=pd.to_datetime(rows["period"]).dt.date)
    periods = _periods(pd.Series([rows["period"].min(), end]), freq, None, end)
    slot = {p: k for k, p in enumerate(periods)}
    pair_codes, pair_keys = pd.factorize(pd.MultiIndex.from_arrays([rows["a"], rows["b"]]), sort=True)
    pairs = [(str(x), str(y)) for x, y in pair_keys]
    at = np.array([slot[p] for p in rows["period"]], dtype=np.int64)
    n, t_len = len(pairs), len(periods)

    def grid(values: Any) -> np.ndarray:
        out = np.zeros((n, t_len))
        out[pair_codes, at] = np.asarray(values, dtype=float)
        return out

    events, total = grid(rows["events"]), grid(rows["total"])
    quad = np.array([grid(rows[f"q{k + 1}"]) for k in range(4)])
    volumes = np.array([vol.get(p, 0) for p in periods], dtype=float)
    index = np.where(events > 0, total / np.maximum(1.0, volumes)[None, :] * 1000, 0.0)
    first = np.full(n, t_len)
    np.minimum.at(first, pair_codes, at)
    before = np.arange(t_len)[None, :] < first[:, None]
    for arr in (index, events, total, *quad):
        arr[before] = np.nan
    actors = sorted({c for p in pairs for c in p})
    number = {c: k for k, c in enumerate(actors)}
    groups = np.array([(number[x], number[y]) for x, y in pairs], dtype=np.int64).reshape(-1, 2)
    return Panel(freq, pairs, periods, index, events, quad, total, actors, groups)
