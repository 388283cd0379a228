"""The alignment network: a signed, weighted graph of actors for a window, its blocs, its
structural balance and who is central.

Example::

    >>> import networkx as nx
    >>> from realpolitik.analytics.network import blocs, balance
    >>> g = nx.Graph()
    >>> g.add_weighted_edges_from([("A", "B", 5), ("C", "D", 4), ("A", "C", -6), ("B", "D", -3),
    ...                            ("A", "D", -2), ("B", "C", -5)])
    >>> sorted(sorted(b) for b in blocs(g))
    [['A', 'B'], ['C', 'D']]
    >>> balance(g)
    1.0

``network(store, since, until)`` builds the graph from the store: one node per country (or
international organisation), one edge per pair with at least ``min_events`` events in the
window (either direction), its ``weight`` the mean PLOVER intensity of those events (+
cooperation, - conflict), with ``events``, ``cooperation`` and ``conflict`` counts and the
``event_ids``. Nodes carry ``bloc``, ``strength`` (sum of absolute weights), ``friends`` and
``foes`` (positive and negative edges).

Blocs are found by spectral clustering of the signed Laplacian (Kunegis et al. 2010): the
eigenvectors of its smallest eigenvalues place allies together and adversaries apart; the
embedding of the first k of them is cut by k-means (seeded, so results repeat) for each k up to
``max_blocs``, and the k kept is the one with the least frustration: the weight of
cooperation between blocs plus conflict within them, plus twice the mean tie weight times the
graph's density for each bloc beyond the first (so that a few contrary ties do not split off blocs of one). A sweep of
single-node moves then lowers that cost further. Structural balance is the share of closed
triads whose sign product is positive (a friend of a friend is a friend, an enemy of an enemy
a friend).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import networkx as nx
import numpy as np

from ..errors import StoreError

__all__ = ["network", "networks", "windows", "blocs", "balance", "adjusted_rand_index", "layout"]


def network(store: Any, since: dt.date | None = None, until: dt.date | None = None, *, min_events: int = 2,
            region: str | None = None, max_blocs: int = 8, evidence: int | None = None) -> nx.Graph:
    """The signed alignment graph of the window, with blocs and centrality on its nodes.

    ``evidence`` caps the ``event_ids`` kept on each tie (the earliest first): None keeps them
    all, 0 none (what a store of a hundred million events needs)."""
    from .dyads import span_sql

    params: list[Any] = []
    span = span_sql(since, until, params)
    if evidence is None:
        ids = "list(event_id ORDER BY day, event_id)"
    elif evidence > 0:
        ids = f"min_by(event_id, day, {int(evidence)})"
    else:
        ids = "[]::VARCHAR[]"
    pairs = store.query(
        f"""SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b,
                   count(*) AS events, avg(intensity) AS weight,
                   count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
                   count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict,
                   {ids} AS event_ids
            FROM events
            WHERE source_country IS NOT NULL AND target_country IS NOT NULL AND source_country <> target_country
              AND intensity IS NOT NULL AND day IS NOT NULL{span}
            GROUP BY 1, 2 HAVING count(*) >= ? ORDER BY 1, 2""", [*params, min_events])
    g = nx.Graph(since=str(since or ""), until=str(until or ""))
    keep = _region_filter(region)
    for r in pairs.itertuples():
        if keep(r.a) and keep(r.b):
            g.add_edge(r.a, r.b, weight=float(r.weight), events=int(r.events), cooperation=int(r.cooperation),
                       conflict=int(r.conflict), event_ids=list(r.event_ids))
    for k, members in enumerate(blocs(g, max_blocs=max_blocs)):
        for n in members:
            g.nodes[n]["bloc"] = k
    for n in g.nodes:
        ws = [d["weight"] for _, _, d in g.edges(n, data=True)]
        g.nodes[n]["strength"] = float(sum(abs(w) for w in ws))
        g.nodes[n]["friends"] = sum(1 for w in ws if w > 0)
        g.nodes[n]["foes"] = sum(1 for w in ws if w < 0)
    g.graph["balance"] = balance(g)
    return g


def layout(graphs: nx.Graph | list[nx.Graph], seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1]² for every node of ``graphs``, allies drawn together (a spring layout on
    the positive part of the ties, seeded). Given several windows' graphs, one layout serves them
    all, so that a node stays put while the slider moves through time."""
    union = nx.Graph()
    for g in graphs if isinstance(graphs, list) else [graphs]:
        union.add_nodes_from(g.nodes)
        for u, v, d in g.edges(data=True):
            w = max(d["weight"], 0.1)
            if union.has_edge(u, v):
                union[u][v]["weight"] = max(union[u][v]["weight"], w)
            else:
                union.add_edge(u, v, weight=w)
    if not union.number_of_nodes():
        return {}
    pos = nx.spring_layout(union, seed=seed, weight="weight")
    return {str(n): (float(x), float(y)) for n, (x, y) in pos.items()}


def windows(since: dt.date, until: dt.date, every: str) -> list[tuple[dt.date, dt.date]]:
    """Consecutive windows of ``every`` (month, quarter or year) covering since..until."""
    from .dyads import _period_end, _truncate

    if every not in ("month", "quarter", "year"):
        raise StoreError(f"unknown window {every!r}; use month, quarter or year")
    out = []
    start = _truncate(since, every)
    while start <= until:
        end = _period_end(start, every)
        out.append((max(start, since), min(end, until)))
        if end == dt.date.max:
            break
        start = end + dt.timedelta(days=1)
    return out


def networks(store: Any, since: dt.date | None = None, until: dt.date | None = None, every: str = "year", *,
             max_windows: int | None = None, **options: Any) -> list[nx.Graph]:
    """The network of each window in turn, so that blocs and ties can be watched as they move.

    The windows cover ``since`` to ``until``, a bound not given being the store's first or last
    dated event; a StoreError if there would be more than ``max_windows`` of them. Bloc numbers
    are matched across windows: each window's blocs are renumbered to agree most with the
    previous window's (by shared members), so a bloc keeps its number while it lasts.
    """
    if since is None or until is None:
        from ..store.rows import to_date

        span = store.query("SELECT min(day) AS lo, max(day) AS hi FROM events WHERE day IS NOT NULL")
        since, until = since or to_date(span.lo[0]), until or to_date(span.hi[0])
    if since is None or until is None:
        return []
    spans = windows(since, until, every)
    if max_windows is not None and len(spans) > max_windows:
        raise StoreError(f"over {max_windows} windows of a {every} from {since} to {until}; "
                         "choose a longer window or a shorter span")
    graphs = [network(store, a, b, **options) for a, b in spans]
    for prev, cur in zip(graphs, graphs[1:], strict=False):
        _align_blocs(prev, cur)
    return graphs


def _align_blocs(prev: nx.Graph, cur: nx.Graph) -> None:
    before = {n: d["bloc"] for n, d in prev.nodes(data=True)}
    groups: dict[int, list[str]] = {}
    for n, d in cur.nodes(data=True):
        groups.setdefault(d["bloc"], []).append(n)
    taken: set[int] = set()
    mapping: dict[int, int] = {}
    for b, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        votes: dict[int, int] = {}
        for n in members:
            if n in before and before[n] not in taken:
                votes[before[n]] = votes.get(before[n], 0) + 1
        if votes:
            mapping[b] = max(votes.items(), key=lambda kv: (kv[1], -kv[0]))[0]
            taken.add(mapping[b])
    fresh = max([*before.values(), *mapping.values(), -1]) + 1
    for b in sorted(groups):
        if b not in mapping:
            mapping[b] = fresh
            fresh += 1
    for n in cur.nodes:
        cur.nodes[n]["bloc"] = mapping[cur.nodes[n]["bloc"]]


def _region_filter(region: str | None) -> Any:
    if not region:
        return lambda code: True
    from ..actors import load_actor_dictionary

    d = load_actor_dictionary()
    wanted = region.lower()
    return lambda code: code in d.countries and any(r.lower() == wanted for r in d.countries[code].regions)


def blocs(g: nx.Graph, max_blocs: int = 8, seed: int = 0) -> list[set[str]]:
    """Groups of nodes tied by cooperation and split by conflict, largest first."""
    nodes = sorted(g.nodes)
    n = len(nodes)
    if n == 0:
        return []
    if n <= 2:
        if n == 2 and g[nodes[0]][nodes[1]]["weight"] > 0:
            return [set(nodes)]
        return [{x} for x in nodes]
    a = nx.to_numpy_array(g, nodelist=nodes, weight="weight")
    lap = np.diag(np.abs(a).sum(axis=1)) - a
    _values, vectors = np.linalg.eigh(lap)
    ties = np.abs(a[np.triu_indices(n, 1)])
    # the price of one more bloc: twice the mean tie, scaled by density (in a sparse graph each tie says more)
    density = float(np.count_nonzero(ties)) / max(1, len(ties))
    penalty = 2 * density * float(ties[ties > 0].mean()) if np.any(ties > 0) else 0.0
    best: tuple[float, np.ndarray] = (_frustration(a, np.zeros(n, dtype=int)), np.zeros(n, dtype=int))
    for k in range(2, min(max_blocs, n) + 1):
        embedding = vectors[:, :k]
        norms = np.linalg.norm(embedding, axis=1, keepdims=True)
        labels = _refine(a, _kmeans(embedding / np.where(norms > 0, norms, 1), k, seed), penalty)
        cost = _frustration(a, labels) + penalty * (len(set(labels.tolist())) - 1)
        if cost < best[0] - 1e-9:
            best = (cost, labels)
    labels = best[1]
    groups: dict[int, set[str]] = {}
    for node, label in zip(nodes, labels, strict=True):
        groups.setdefault(int(label), set()).add(node)
    return sorted(groups.values(), key=lambda s: (-len(s), sorted(s)))


def _frustration(a: np.ndarray, labels: np.ndarray) -> float:
    """Weight of the ties that disagree with the blocs: cooperation across, conflict within."""
    same = labels[:, None] == labels[None, :]
    return float((np.where(same, np.clip(-a, 0, None), np.clip(a, 0, None))).sum() / 2)


def _refine(a: np.ndarray, labels: np.ndarray, penalty: float, sweeps: int = 20) -> np.ndarray:
    """Move single nodes to the bloc (or a bloc of their own) that lowers the frustration most."""
    labels = labels.copy()
    n = len(labels)
    for _ in range(sweeps):
        moved = False
        for i in range(n):
            options = sorted(set(labels.tolist())) + [int(labels.max()) + 1]
            # frustration of node i's ties for each bloc it could sit in
            costs = [float(np.clip(-a[i], 0, None)[labels == b].sum() + np.clip(a[i], 0, None)[labels != b].sum()
                           - np.clip(a[i, i], 0, None)) for b in options]
            costs[-1] += penalty  # a bloc of one must earn its place
            best = options[int(np.argmin(costs))]
            if best != labels[i] and min(costs) < costs[options.index(int(labels[i]))] - 1e-9:
                labels[i] = best
                moved = True
        if not moved:
            break
    _, labels = np.unique(labels, return_inverse=True)
    return labels


def _kmeans(x: np.ndarray, k: int, seed: int, rounds: int = 10, steps: int = 100) -> np.ndarray:
    """Lloyd's k-means with k-means++ starts; the best of ``rounds`` by within-cluster spread."""
    rng = np.random.default_rng(seed)
    best_labels, best_cost = np.zeros(len(x), dtype=int), np.inf
    for _ in range(rounds):
        centres = [x[rng.integers(len(x))]]
        for _ in range(1, k):
            d = np.min([((x - c) ** 2).sum(axis=1) for c in centres], axis=0)
            total = d.sum()
            centres.append(x[rng.choice(len(x), p=d / total)] if total > 0 else x[rng.integers(len(x))])
        c = np.array(centres)
        labels = np.zeros(len(x), dtype=int)
        for _ in range(steps):
            labels = ((x[:, None, :] - c[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
            new = np.array([x[labels == j].mean(axis=0) if np.any(labels == j) else c[j] for j in range(k)])
            if np.allclose(new, c):
                break
            c = new
        cost = float(((x - c[labels]) ** 2).sum())
        if cost < best_cost:
            best_labels, best_cost = labels, cost
    return best_labels


def balance(g: nx.Graph) -> float | None:
    """Share of closed triads with a positive sign product; None when there is no triad."""
    balanced = total = 0
    for u, v, w in (t for t in itertools.combinations(sorted(g.nodes), 3)):
        if g.has_edge(u, v) and g.has_edge(v, w) and g.has_edge(u, w):
            total += 1
            sign = np.sign(g[u][v]["weight"]) * np.sign(g[v][w]["weight"]) * np.sign(g[u][w]["weight"])
            balanced += int(sign > 0)
    return balanced / total if total else None


def adjusted_rand_index(truth: list[int], found: list[int]) -> float:
    """Agreement of two labelings of the same items, 1 for identical partitions, ~0 by chance."""
    from math import comb

    pairs: dict[tuple[int, int], int] = {}
    for t, f in zip(truth, found, strict=True):
        pairs[(t, f)] = pairs.get((t, f), 0) + 1
    rows: dict[int, int] = {}
    cols: dict[int, int] = {}
    for (t, f), c in pairs.items():
        rows[t] = rows.get(t, 0) + c
        cols[f] = cols.get(f, 0) + c
    index = sum(comb(c, 2) for c in pairs.values())
    sum_rows = sum(comb(c, 2) for c in rows.values())
    sum_cols = sum(comb(c, 2) for c in cols.values())
    expected = sum_rows * sum_cols / comb(len(truth), 2) if len(truth) > 1 else 0.0
    top = (sum_rows + sum_cols) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)
