"""Early warnings: dyads and actors whose latest period breaks with what came before.

Example::

    >>> from realpolitik.store import Store
    >>> from realpolitik.analytics.alerts import alerts
    >>> store = Store(":memory:")
    >>> _ = store.import_file("tests/fixtures/datasets/polecat_sample.txt")
    >>> alerts(store)
    []

Three kinds, ranked together by ``score`` (larger is more urgent):

- ``breakout``: a dyad (country pair with at least ``min_events`` events) whose index in the
  store's latest period lies outside the 90% interval of the forecast made without that period
  (the ``auto`` model of :mod:`realpolitik.analytics.forecast`); the score is the distance from
  the forecast in predictive standard deviations (over 1.64 to be flagged). Only dyads with
  events in the latest period are considered, so each alert has its evidence.
- ``change_point``: a dyad whose mean intensity starts a new level (PELT, as in
  :func:`realpolitik.analytics.dyads.dyad_series`'s ``change`` column) at one of its last two
  observed periods, the latest of them being one of the store's last two periods; the score is
  the size of the change in noise standard deviations.
- ``bloc_flip``: an actor whose bloc in the latest window of ``every`` differs from its bloc in
  the window before (blocs matched across windows by
  :func:`realpolitik.analytics.network.networks`); the score is 2 times its tie strength over the
  median actor's, so that an actor of typical weight flipping ranks like a 2-sigma breakout.

The evidence is the ids of the events of the latest period (the new segment for a change point,
the actor's ties in the latest window for a flip), at most ``EVIDENCE`` of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from .changepoints import change_points, noise_level
from .forecast import _plain
from .models import Z90, choose, predict_chosen
from .panel import read_panel

__all__ = ["Alert", "alerts", "EVIDENCE"]

EVIDENCE = 50
"""Most event ids kept as one alert's evidence."""


@dataclass(frozen=True)
class Alert:
    """One warning: ``kind`` (breakout, change_point, bloc_flip), ``subject`` ("IRQ-RUS" or
    "IRQ"), the ``period`` it concerns, ``score``, a one-sentence ``detail`` and ``event_ids``."""

    kind: str
    subject: str
    period: dt.date
    score: float
    detail: str
    event_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (the period as an ISO date)."""
        return {"kind": self.kind, "subject": self.subject, "period": self.period.isoformat(),
                "score": _plain(self.score), "detail": self.detail, "event_ids": list(self.event_ids)}


def _ids(store: Any, pairs: list[tuple[str, str]], since: dt.date, until: dt.date) -> dict[tuple[str, str], list[str]]:
    """The event ids of each pair (either direction) between two days, earliest first."""
    if not pairs:
        return {}
    got = store.query(
        f"""SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b,
                   list(event_id ORDER BY day, event_id)[1:{EVIDENCE}] AS ids
            FROM events WHERE day >= ? AND day <= ? AND source_country <> target_country
              AND least(source_country, target_country) || '-' || greatest(source_country, target_country)
                  IN (SELECT unnest(?::VARCHAR[]))
            GROUP BY 1, 2""", [since, until, [f"{a}-{b}" for a, b in pairs]])
    return {(r.a, r.b): sorted(r.ids) for r in got.itertuples()}


def alerts(store: Any, *, freq: str = "month", top: int = 20, min_events: int = 10,
           every: str = "year") -> list[Alert]:
    """The ``top`` alerts of the store (see the module docstring), most urgent first."""
    from .dyads import _period_end

    panel = read_panel(store, freq=freq, min_events=min_events)
    found: list[tuple[Alert, tuple[str, str] | None, dt.date]] = []
    if panel.pairs and len(panel.periods) >= 3:
        last = panel.periods[-1]
        y = panel.index
        recent = np.nan_to_num(panel.events[:, -1]) > 0
        chosen, _ = choose(y[:, :-1], 1, panel.groups)
        pred = predict_chosen(y[:, :-1], 1, chosen, panel.groups)
        z = (y[:, -1] - pred.mean[:, 0]) / np.where(pred.sd[:, 0] > 0, pred.sd[:, 0], np.nan)
        for k in np.flatnonzero(recent & (np.abs(np.nan_to_num(z)) > Z90)):
            a, b = panel.pairs[k]
            way = "more cooperative" if z[k] > 0 else "more conflictual"
            lo, hi = pred.mean[k, 0] - Z90 * pred.sd[k, 0], pred.mean[k, 0] + Z90 * pred.sd[k, 0]
            found.append((Alert("breakout", f"{a}-{b}", last, float(abs(z[k])),
                                f"{a}-{b} was {way} than forecast in {last}: index {y[k, -1]:+.0f} per 1,000 events "
                                f"against a 90% interval of [{lo:+.0f}, {hi:+.0f}] ({chosen[k]})", ()),
                          (a, b), last))
        for row in range(len(panel.pairs)):
            seen = np.flatnonzero(np.nan_to_num(panel.events[row]) > 0)
            if len(seen) < 4 or seen[-1] < len(panel.periods) - 2:
                continue
            means = panel.total[row, seen] / panel.events[row, seen]
            points = change_points(means)
            if not points or points[-1] < len(seen) - 2:
                continue
            at = points[-1]
            before, after = float(means[:at].mean()), float(means[at:].mean())
            size = abs(after - before) / noise_level(means)
            start = panel.periods[seen[at]]
            a, b = panel.pairs[row]
            found.append((Alert("change_point", f"{a}-{b}", start, float(size),
                                f"{a}-{b} changed level in {start}: mean intensity {before:+.1f} before, "
                                f"{after:+.1f} since", ()), (a, b), start))
        ids = {}
        for since in sorted({s for _, p, s in found if p is not None}):
            wanted = [p for _, p, s in found if p is not None and s == since]
            for pair, got in _ids(store, wanted, since, _period_end(last, freq)).items():
                ids[(pair, since)] = got
        found = [(Alert(al.kind, al.subject, al.period, al.score, al.detail,
                        tuple(ids.get((p, s), [])[:EVIDENCE])), p, s) if p is not None else (al, p, s)
                 for al, p, s in found]
    out = [al for al, _, _ in found] + _flips(store, every)
    return sorted(out, key=lambda al: (-al.score, al.kind, al.subject))[:top]


def _flips(store: Any, every: str) -> list[Alert]:
    """Actors whose bloc differs between the last two windows of ``every``."""
    from .dyads import _truncate
    from .network import networks
    from .panel import last_day

    end = last_day(store)
    start = _truncate(end, every)
    earlier = _truncate(start - dt.timedelta(days=1), every)
    graphs = networks(store, earlier, end, every)
    if len(graphs) < 2:
        return []
    prev, cur = graphs[-2], graphs[-1]
    strength = [d["strength"] for _, d in cur.nodes(data=True)]
    typical = float(np.median(strength)) if strength else 0.0
    out = []
    for n, d in cur.nodes(data=True):
        if n in prev.nodes and prev.nodes[n]["bloc"] != d["bloc"] and typical > 0:
            old = sorted(m for m, e in prev.nodes(data=True) if e["bloc"] == prev.nodes[n]["bloc"] and m != n)
            new = sorted(m for m, e in cur.nodes(data=True) if e["bloc"] == d["bloc"] and m != n)
            ids = sorted({i for _, _, e in cur.edges(n, data=True) for i in e["event_ids"]})[:EVIDENCE]
            out.append(Alert("bloc_flip", str(n), dt.date.fromisoformat(cur.graph["since"]),
                             2 * d["strength"] / typical,
                             f"{n} moved from the bloc of {' '.join(old) or 'no one'} to the bloc of "
                             f"{' '.join(new) or 'its own'} between {prev.graph['since']} and {cur.graph['since']}",
                             tuple(ids)))
    return out
