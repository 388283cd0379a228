"""Scenarios: what if one actor's ties with another went to zero, or turned hostile? Who would
the pull of structural balance realign, and with whom?

Example::

    >>> import numpy as np
    >>> from realpolitik.analytics.synthetic import planted_withdrawal, withdrawal_store
    >>> from realpolitik.analytics.scenario import scenario
    >>> case = planted_withdrawal(np.random.default_rng(4), kind="remove")
    >>> sc = scenario(withdrawal_store(case, np.random.default_rng(4)), remove=[case.pair], draws=20)
    >>> case.pair, sc.movers
    (('GBR', 'LBN'), ['LBN'])

``scenario(store, remove=[("USA", "SYR")])`` builds the alignment network of the window
(:func:`~realpolitik.analytics.network.network`), applies the changes (a removed tie is held
at zero, a hostile one at minus its strength, and at least -5) and lets the other ties evolve
under the bounded balance dynamics of :mod:`~realpolitik.analytics.balance_dynamics` until the
unbalanced triads resolve (ties start at the Huber mean of their events' intensity, shrunk
toward zero by their evidence: n / (n + k) for n events, k from the window's events). The
blocs of that projection are set against the blocs of the same projection without the change,
so that what the network would do anyway (its own unbalanced triads) is not laid on the
change. Each tie's events are resampled ``draws`` times (a bootstrap of the events, so each
tie's weight varies as much as its evidence allows) and projected again; an actor's
probability of moving is the share of draws in which its bloc changes. A mover moves in at
least a third of the draws (``MOVER``: bootstrap shares understate a discrete outcome's
probability); actors moving in ``threshold`` (20%) or more are listed too. Without ``since``
and ``until`` the window is the store's last five years, reaching further back when a changed
pair has no tie in them. This is a model of one force, not a forecast.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import NotFoundError, StoreError
from .balance_dynamics import align_labels, apply_changes, project, projected_blocs, unbalanced_triads
from .network import network

__all__ = ["Scenario", "scenario", "plot_scenario", "THRESHOLD", "MOVER"]

THRESHOLD = 0.2  # actors moving in at least this share of draws are listed
MOVER = 1 / 3  # actors moving in at least this share of draws are movers (see the module docstring)
_HUBER = 1.345  # Huber's constant: 95% of the mean's efficiency on normal events
_RECENT_YEARS = 5
_COLUMNS = ["actor", "projected_move", "from_bloc", "to_bloc", "probability", "mover", "triads", "event_ids"]


@dataclass(frozen=True)
class Scenario:
    """A projected realignment. ``sc.movers`` are the actors moving in a third of the draws or more.

    ``moves`` has one row per actor moving in at least ``threshold`` of the draws: ``actor``,
    ``projected_move`` (plain text), ``from_bloc`` and ``to_bloc`` (each bloc named by its most
    central member other than the actor, "alone" for none), ``probability``, ``mover``,
    ``triads`` (the triads that drive the move, "A-B-C") and ``event_ids`` (the events of their
    ties). ``before`` is the observed network, ``after`` the projection with the change (node
    ``bloc`` numbers matched to ``before``'s), ``baseline`` the projection without it, and
    ``probabilities`` every actor's share of draws in which it moves.
    """

    changes: tuple[tuple[str, str, str], ...]
    since: dt.date | None
    moves: pd.DataFrame
    before: nx.Graph
    after: nx.Graph
    blocs_before: list[list[str]]
    blocs_after: list[list[str]]
    assumptions: tuple[str, ...]
    window: tuple[dt.date, dt.date] | None = None
    until: dt.date | None = None
    draws: int = 0
    threshold: float = THRESHOLD
    baseline: nx.Graph = field(default_factory=nx.Graph)
    probabilities: dict[str, float] = field(default_factory=dict)

    @property
    def movers(self) -> list[str]:
        """The actors that move in at least a third of the draws (``MOVER``)."""
        return [str(a) for a in self.moves.loc[self.moves["mover"], "actor"]] if len(self.moves) else []

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: changes, window, moves, blocs, both networks (nodes with bloc and a shared
        position, edges with weight and sign) and the assumptions."""
        from .network import layout

        pos = layout([self.before, self.after])

        def graph(g: nx.Graph) -> dict[str, Any]:
            return {"nodes": [{"id": n, "bloc": int(d.get("bloc", -1)), "x": pos.get(n, (0.0, 0.0))[0],
                               "y": pos.get(n, (0.0, 0.0))[1], "mover": n in self.movers}
                              for n, d in sorted(g.nodes(data=True))],
                    "edges": [{"source": u, "target": v, "weight": round(float(d["weight"]), 3),
                               "sign": int(np.sign(d["weight"])), "events": int(d.get("events", 0)),
                               "flipped": bool(d.get("flipped", False))} for u, v, d in sorted(g.edges(data=True))]}

        moves = [{k: (list(v) if isinstance(v, list | tuple) else v.item() if isinstance(v, np.generic) else v)
                  for k, v in row.items()} for row in self.moves.to_dict(orient="records")]
        return {"changes": [{"a": a, "b": b, "kind": k} for a, b, k in self.changes],
                "since": None if self.since is None else self.since.isoformat(),
                "until": None if self.until is None else self.until.isoformat(),
                "window": None if self.window is None else [d.isoformat() for d in self.window],
                "draws": self.draws, "threshold": self.threshold, "movers": self.movers, "moves": moves,
                "blocs_before": self.blocs_before, "blocs_after": self.blocs_after,
                "before": graph(self.before), "after": graph(self.after), "assumptions": list(self.assumptions)}


def scenario(store: Any, *, remove: Any = (), hostile: Any = (), since: dt.date | None = None,
             until: dt.date | None = None, draws: int = 200, seed: int = 0, min_events: int = 2,
             threshold: float = THRESHOLD) -> Scenario:
    """The projected realignment if the ties in ``remove`` (pairs of country codes) went to zero and
    those in ``hostile`` turned to conflict, from ``since`` (see the module docstring).

    NotFoundError when an actor or a tie is not in the window's network; StoreError for a bad
    pair or no change at all."""
    pairs_r = [_pair(p) for p in remove]
    pairs_h = [_pair(p) for p in hostile]
    if not pairs_r and not pairs_h:
        raise StoreError("no change given; name a tie to remove or turn hostile, e.g. USA:SYR")
    if len({frozenset(p) for p in pairs_r + pairs_h}) < len(pairs_r + pairs_h):
        raise StoreError("a pair is named twice; remove a tie or turn it hostile, not both")
    if draws < 1:
        raise StoreError(f"draws must be at least 1, not {draws}")
    window = _window(store, pairs_r + pairs_h, since, until, min_events)
    g = network(store, window[0], window[1], min_events=min_events)
    for a, b in pairs_r + pairs_h:
        for x in (a, b):
            if x not in g:
                raise NotFoundError(f"{x} has no tie with {min_events}+ events from {window[0]} to {window[1]}; "
                                    "check the code (realpolitik network lists the actors) or widen the window")
        if not g.has_edge(a, b):
            raise NotFoundError(f"{a} and {b} have no tie ({min_events}+ events) from {window[0]} to {window[1]}; "
                                "choose a window that holds their events (--since/--until)")
    before_labels = {n: int(d["bloc"]) for n, d in g.nodes(data=True)}
    xs = _intensities(store, g, window)
    shrink, scale = _shrinkage(xs), _scale(xs)
    point = {k: float(_huber(v, scale)) * shrink(len(v)) for k, v in xs.items()}
    base = project(g, weights=point)
    base_labels = align_labels(before_labels, projected_blocs(base))
    after = project(g, pairs_r, pairs_h, weights=point)
    after_labels = align_labels(base_labels, projected_blocs(after))
    for n in after:
        after.nodes[n]["bloc"] = after_labels[n]
        base.nodes[n]["bloc"] = base_labels[n]
    counts, joined, left = _draws(g, xs, shrink, scale, pairs_r, pairs_h, draws, seed)
    start, _ = apply_changes(g, pairs_r, pairs_h)
    rows = []
    for n in sorted(g.nodes, key=lambda n: (-counts.get(n, 0), n)):
        p = counts.get(n, 0) / draws
        if p < threshold:
            continue
        rows.append(_row(n, p, g, base, after, start, joined.get(n, {}), left.get(n, {}), counts.get(n, 0),
                         pairs_r + pairs_h))
    moves = pd.DataFrame(rows, columns=_COLUMNS)
    changes = tuple((a, b, "remove") for a, b in pairs_r) + tuple((a, b, "hostile") for a, b in pairs_h)
    return Scenario(changes=changes, since=since, moves=moves, before=g, after=after,
                    blocs_before=_groups(before_labels), blocs_after=_groups(after_labels),
                    assumptions=_assumptions(changes, window, since, min_events, draws, seed, threshold),
                    window=window, until=until, draws=draws, threshold=threshold, baseline=base,
                    probabilities={n: counts.get(n, 0) / draws for n in sorted(g.nodes)})


def _pair(p: Any) -> tuple[str, str]:
    if isinstance(p, str):
        p = p.replace(":", " ").replace("-", " ").split()
    items = [str(x).strip().upper() for x in p]
    if len(items) != 2 or not all(items) or items[0] == items[1]:
        raise StoreError(f"{p!r} is not a pair of two actors; write X:Y, e.g. USA:SYR")
    return items[0], items[1]


def _window(store: Any, pairs: list[tuple[str, str]], since: dt.date | None, until: dt.date | None,
            min_events: int) -> tuple[dt.date, dt.date]:
    """The window asked for, bounds not given taken from the store: the last day of its events,
    and the last five years, or further back to take in ``min_events`` of each changed pair."""
    from ..store.rows import to_date

    span = store.query("SELECT min(day) AS lo, max(day) AS hi FROM events WHERE day IS NOT NULL "
                       "AND source_country IS NOT NULL AND target_country IS NOT NULL")
    if span.empty or span.hi[0] is None or pd.isna(span.hi[0]):
        raise NotFoundError("the store holds no dated events between countries; ingest or import some first")
    lo, hi = to_date(span.lo[0]), to_date(span.hi[0])
    assert lo is not None and hi is not None
    end = until or hi
    if since is not None:
        return since, end
    start = max(lo, dt.date(end.year - _RECENT_YEARS + 1, 1, 1))
    for a, b in pairs:
        days = store.query("SELECT day FROM events WHERE ((source_country = ? AND target_country = ?) OR "
                           "(source_country = ? AND target_country = ?)) AND day <= ? AND intensity IS NOT NULL "
                           "ORDER BY day DESC LIMIT ?", [a, b, b, a, end, min_events])
        if len(days) >= min_events:
            first = to_date(days.day.iloc[-1])
            if first is not None and first < start:
                start = dt.date(first.year, 1, 1)
    return start, end


def _intensities(store: Any, g: nx.Graph, window: tuple[dt.date, dt.date]) -> dict[tuple[str, str], np.ndarray]:
    """The intensity of every event behind each tie of ``g`` (as network() selects them)."""
    frame = store.query(
        """SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b,
                  list(intensity ORDER BY day, event_id) AS xs
           FROM events WHERE source_country IS NOT NULL AND target_country IS NOT NULL
             AND source_country <> target_country AND intensity IS NOT NULL AND day IS NOT NULL
             AND day >= ? AND day <= ? GROUP BY 1, 2 ORDER BY 1, 2""", [window[0], window[1]])
    return {(r.a, r.b): np.asarray(r.xs, dtype=float) for r in frame.itertuples() if g.has_edge(r.a, r.b)}


def _shrinkage(xs: dict[tuple[str, str], np.ndarray]) -> Any:
    """The factor n / (n + k) that shrinks a tie's mean of n events toward zero, k the events'
    variance within ties over the variance of the ties' true means (empirical Bayes, from the
    window's own events): a tie of few, scattered events counts for less than its mean says."""
    many = [v for v in xs.values() if len(v) > 1]
    if not many:
        return lambda n: 1.0
    within = float(np.mean([v.var(ddof=1) for v in many]))
    means = np.array([v.mean() for v in xs.values()])
    between = float(np.mean(means ** 2)) - within * float(np.mean([1 / len(v) for v in xs.values()]))
    k = within / between if between > 0 else within
    return lambda n: n / (n + k)


def _scale(xs: dict[tuple[str, str], np.ndarray]) -> float:
    """The events' spread within ties: the pooled median absolute deviation (as a standard deviation), at least 1."""
    res = [np.abs(v - np.median(v)) for v in xs.values() if len(v) > 2]
    return max(1.4826 * float(np.median(np.concatenate(res))) if res else 0.0, 1.0)


def _huber(x: np.ndarray, scale: float, steps: int = 20) -> np.ndarray:
    """Huber's M-estimate of location along the last axis: events within ``_HUBER`` spreads count fully,
    those further out (miscoded, wrong-signed) less, so that one cannot drag a tie of few events across zero."""
    mu = np.median(x, axis=-1, keepdims=True)
    for _ in range(steps):
        w = np.minimum(1.0, _HUBER * scale / np.maximum(np.abs(x - mu), 1e-12))
        mu = (w * x).sum(axis=-1, keepdims=True) / w.sum(axis=-1, keepdims=True)
    return mu[..., 0]


def _draws(g: nx.Graph, xs: dict[tuple[str, str], np.ndarray], shrink: Any, scale: float,
           remove: list[tuple[str, str]], hostile: list[tuple[str, str]], draws: int,
           seed: int) -> tuple[dict[str, int], dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """How many draws each actor moves in, and how often each other actor it joins and leaves when it does."""
    rng = np.random.default_rng(seed)
    means = {k: _huber(v[rng.integers(0, len(v), (draws, len(v)))], scale) * shrink(len(v)) for k, v in xs.items()}
    counts: dict[str, int] = {}
    joined: dict[str, dict[str, int]] = {}
    left: dict[str, dict[str, int]] = {}
    cache: dict[Any, list[set[str]]] = {}
    for i in range(draws):
        weights = {k: float(m[i]) for k, m in means.items()}
        base = {n: k for k, c in enumerate(projected_blocs(project(g, weights=weights), cache)) for n in c}
        after = align_labels(base, projected_blocs(project(g, remove, hostile, weights=weights), cache))
        for n in g.nodes:
            if after[n] != base[n]:
                counts[n] = counts.get(n, 0) + 1
                tally, gone = joined.setdefault(n, {}), left.setdefault(n, {})
                for m in g.nodes:
                    if m != n and after[m] == after[n] and base[m] != base[n]:
                        tally[m] = tally.get(m, 0) + 1
                    if m != n and after[m] != after[n] and base[m] == base[n]:
                        gone[m] = gone.get(m, 0) + 1
    return counts, joined, left


def _name(members: list[str], g: nx.Graph, actor: str) -> str:
    others = [m for m in members if m != actor]
    return max(others, key=lambda m: (g.nodes[m].get("strength", 0.0), m)) if others else "alone"


def _row(n: str, p: float, g: nx.Graph, base: nx.Graph, after: nx.Graph, start: nx.Graph, joined: dict[str, int],
         left: dict[str, int], moved: int, changed: list[tuple[str, str]]) -> dict[str, Any]:
    """One actor's line of the table; its partners are those it joins (leaves) in half its moves or more."""
    partners = sorted((m for m, c in joined.items() if c >= moved / 2), key=lambda m: (-joined[m], m))
    former = [m for m, c in left.items() if c >= moved / 2]
    if not moved:  # moves in the projection of the observed ties only
        partners = [m for m in after if after.nodes[m]["bloc"] == after.nodes[n]["bloc"] and m != n]
        former = [m for m in base if base.nodes[m]["bloc"] == base.nodes[n]["bloc"] and m != n]
    former = [m for m in former if m not in partners]
    from_bloc = _name(former, g, n)
    to_bloc = _name(partners, g, n)
    text = (f"from the {from_bloc} bloc toward the {to_bloc} bloc (joins {', '.join(partners[:4])}"
            f"{'…' if len(partners) > 4 else ''})" if partners else f"breaks away from the {from_bloc} bloc, alone")
    if not former and partners:
        text = f"from standing alone toward the {to_bloc} bloc (joins {', '.join(partners[:4])})"
    triads = _drivers(n, g, start, after, changed)
    ids: set[str] = set()
    for t in triads:
        for u, v in ((t[0], t[1]), (t[1], t[2]), (t[0], t[2])):
            if g.has_edge(u, v):
                ids.update(g[u][v].get("event_ids", []))
    if not triads:  # in no triad: moved by the re-drawn blocs; the evidence is its own ties
        for _, _, d in g.edges(n, data=True):
            ids.update(d.get("event_ids", []))
    return {"actor": n, "projected_move": text, "from_bloc": from_bloc, "to_bloc": to_bloc, "probability": p,
            "mover": p >= MOVER, "triads": ["-".join(t) for t in triads], "event_ids": sorted(ids)}


def _drivers(n: str, g: nx.Graph, start: nx.Graph, after: nx.Graph, changed: list[tuple[str, str]],
             top: int = 4) -> list[tuple[str, str, str]]:
    """The triads behind a move: those the change breaks or turns that hold the actor, then the
    actor's triads left unbalanced after the change, then those whose ties flip in the projection;
    failing all, the actor's strongest triads."""
    found: list[tuple[str, str, str]] = []
    for a, b in changed:
        thirds = sorted(set(g[a]) & set(g[b]), key=lambda k: -abs(g[a][k]["weight"] * g[b][k]["weight"]))
        found += [(a, b, k) for k in thirds if n in (a, b, k)]
    found += [t for t in unbalanced_triads(start, n) if n in t]
    if len(found) < top:
        for u, v in sorted(after.edges(n)):
            for k in sorted(set(after[u]) & set(after[v])):
                if after[u][v].get("flipped") or after[u][k].get("flipped") or after[v][k].get("flipped"):
                    found.append((n, v if u == n else u, k))
    if not found:  # moved by the re-drawn blocs: its triads, those with the changed actors first
        ends = {x for pair in changed for x in pair}
        found += sorted(((n, u, v) for u, v in itertools.combinations(sorted(start[n]), 2) if start.has_edge(u, v)),
                        key=lambda t: (not {t[1], t[2]} & ends, -abs(start[n][t[1]]["weight"] * start[n][t[2]]["weight"]
                                                                     * start[t[1]][t[2]]["weight"])))
    seen: list[tuple[str, str, str]] = []
    for t in found:
        if frozenset(t) not in {frozenset(s) for s in seen}:
            seen.append(t)
    return seen[:top]


def _groups(labels: dict[str, int]) -> list[list[str]]:
    return [sorted(n for n in labels if labels[n] == k) for k in sorted(set(labels.values()))]


def _assumptions(changes: tuple[tuple[str, str, str], ...], window: tuple[dt.date, dt.date], since: dt.date | None,
                 min_events: int, draws: int, seed: int, threshold: float) -> tuple[str, ...]:
    told = ", ".join(f"{a}-{b} " + ("removed (held at zero)" if k == "remove" else
                                    "turned hostile (held at minus its strength, at least -5)") for a, b, k in changes)
    return (
        "A model of one force, not a forecast: where the pull of structural balance alone would take the "
        "network if nothing else changed.",
        f"Network: events between countries from {window[0]} to {window[1]}"
        + ("" if since else " (no --since: the store's last five years, or back to the changed ties' events)")
        + f"; a tie needs {min_events}+ events; its weight is their robust (Huber) mean PLOVER intensity "
          "(-10 conflict .. +10 cooperation).",
        f"Change: {told}" + (f", from {since}." if since else "."),
        "Dynamics: bounded continuous balance dynamics (Kulakowski et al. 2005; Marvel et al. 2011's dX/dt = X^2 "
        "kept within +-10): each tie is pushed toward the sign that balances the triads it closes; only observed "
        "ties evolve, no new tie forms, a tie in no triad keeps its weight; the enemy of an enemy exerts no pull "
        "(weak balance), so that three or more blocs can stand; ties start at their Huber mean intensity shrunk toward "
        "zero by their number of events (empirical Bayes).",
        "Moves: the blocs of the projection with the change against those of the same projection without it, so "
        "that what the network would do anyway is not laid on the change.",
        f"Uncertainty: {draws} bootstrap draws of the events behind each tie (seed {seed}); a mover moves in at "
        f"least a third of them (bootstrap shares understate a discrete outcome), actors moving in {threshold:.0%} or more are listed. This covers the sampling of "
        "events, not the model's own error.",
    )


def plot_scenario(sc: Scenario, path: str | Path) -> Path:
    """The network before (observed) and after (projected) side by side, on one layout: nodes
    coloured by bloc, movers ringed in black, ties green for cooperation and red for conflict,
    the changed ties dashed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .network import layout
    from .plots import _save

    path = Path(path)
    pos = layout([sc.before, sc.after])
    movers = set(sc.movers)
    fig, axes = plt.subplots(1, 2, figsize=(15, 7))
    changed = {frozenset((a, b)) for a, b, _ in sc.changes}
    for ax, g, title in ((axes[0], sc.before, "before (observed)"), (axes[1], sc.after, "after (projected)")):
        if g.number_of_nodes():
            edges = list(g.edges(data=True))
            nx.draw_networkx_edges(g, pos, ax=ax, edgelist=[(u, v) for u, v, _ in edges],
                                   edge_color=[d["weight"] for _, _, d in edges], edge_cmap=plt.get_cmap("RdYlGn"),
                                   edge_vmin=-10, edge_vmax=10,
                                   style=["dashed" if frozenset((u, v)) in changed else "solid" for u, v, _ in edges],
                                   width=[0.5 + min(d.get("events", 1), 20) / 5 for _, _, d in edges])
            nodes = sorted(g.nodes)
            nx.draw_networkx_nodes(g, pos, ax=ax, nodelist=nodes,
                                   node_color=[g.nodes[n].get("bloc", 0) % 10 for n in nodes],
                                   cmap=plt.get_cmap("tab10"), vmin=0, vmax=9, node_size=420,
                                   edgecolors=["black" if n in movers else "white" for n in nodes],
                                   linewidths=[3.0 if n in movers else 1.0 for n in nodes])
            nx.draw_networkx_labels(g, pos, ax=ax, font_size=9)
        ax.set_title(title)
        ax.axis("off")
    what = ", ".join(f"{a}-{b} {k}" for a, b, k in sc.changes)
    fig.suptitle(f"Scenario: {what}. Colour = bloc; ringed: movers (in a third of the draws or more); "
                 "ties green for cooperation, red for conflict")
    return _save(fig, path)
