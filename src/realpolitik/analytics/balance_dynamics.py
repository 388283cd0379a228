"""Structural-balance dynamics: how the ties of a signed network would evolve so that its
unbalanced triads resolve, with some ties held where a scenario puts them.

Example::

    >>> import networkx as nx
    >>> from realpolitik.analytics.balance_dynamics import project, projected_blocs
    >>> g = nx.Graph()
    >>> g.add_weighted_edges_from([("A", "B", 6), ("A", "C", 5), ("B", "C", 4), ("C", "D", 2),
    ...                            ("A", "D", -3), ("B", "D", -2)])
    >>> after = project(g)
    >>> after["C"]["D"]["weight"] < 0   # C's enemies' enemy... D's weak tie to C gives way
    True
    >>> sorted(sorted(b) for b in projected_blocs(after))
    [['A', 'B', 'C'], ['D']]

The model is the continuous balance dynamics of Kułakowski, Gawroński & Gronek (2005),
``dx_ij/dt = (1 - x_ij²) Σ_k x_ik x_kj``, the bounded form of Marvel, Kleinberg, Kleinberg &
Strogatz's (2011) ``dX/dt = X²``: each tie is pushed by every triad it closes toward the sign
that balances the triad (a friend of a friend a friend, an enemy of a friend an enemy), the
push weighted by the other two ties' strength, and ties saturate at the ends of the PLOVER
scale instead of running off to infinity. Ties start at their mean intensity divided by 10
(kept inside ±0.95 so that none starts frozen at the bound), only the ties observed evolve
(no new tie forms), ties held by a scenario do not move, and a tie that closes no triad keeps
its weight. The network is integrated until the signs settle and every pushed tie is near
its bound.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["evolve", "apply_changes", "project", "projected_blocs", "unbalanced_triads", "align_labels"]

BOUND = 10.0  # the ends of the PLOVER intensity scale
_START = 0.95  # the largest starting share of the bound


def evolve(x: np.ndarray, held: np.ndarray | None = None, *, max_steps: int = 4000) -> np.ndarray:
    """The settled state of ties ``x`` (symmetric, in [-1, 1], 0 = no tie) under the bounded
    balance dynamics; entries where ``held`` is True do not move. Only nonzero ties evolve."""
    x = np.clip(np.asarray(x, dtype=float), -_START, _START)
    free = (x != 0) & ~(np.zeros_like(x, dtype=bool) if held is None else held)
    np.fill_diagonal(free, False)
    settled = 0
    signs = np.sign(x)
    for _ in range(max_steps):
        friendly = np.clip(x, 0, None)
        push = x @ x - (x - friendly) @ (x - friendly)  # the enemy of an enemy does not pull
        rate = np.where(free, (1 - x * x) * push, 0.0)
        top = float(np.abs(rate).max()) if rate.size else 0.0
        if top < 1e-6:
            break
        x = np.clip(x + rate * min(0.5, 0.05 / top), -1.0, 1.0)
        x[free & (x == 0)] = 1e-9  # a tie passing through zero stays a tie
        now = np.sign(x)
        settled = settled + 1 if np.array_equal(now, signs) else 0
        signs = now
        moving = free & (np.abs(push) > 1e-9)
        if settled >= 20 and (not moving.any() or float(np.abs(x[moving]).min()) > 0.98):
            break
    return x


def project(g: nx.Graph, remove: Iterable[tuple[str, str]] = (), hostile: Iterable[tuple[str, str]] = (), *,
            weights: dict[tuple[str, str], float] | None = None) -> nx.Graph:
    """``g`` with the ties in ``remove`` taken out and those in ``hostile`` turned to conflict of the
    strength, and at least 5 (both held there), then evolved by the balance dynamics. Edge ``weight`` is the
    projected weight (on the PLOVER scale), ``start`` the weight it started from and ``flipped``
    whether its sign changed; other edge data is kept. ``weights`` replaces the starting weights
    of the ties it names (a bootstrap draw)."""
    start, held_pairs = apply_changes(g, remove, hostile, weights=weights)
    nodes = sorted(start.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    held = np.zeros((len(nodes), len(nodes)), dtype=bool)
    for u, v in held_pairs:
        held[index[u], index[v]] = held[index[v], index[u]] = True
    x = nx.to_numpy_array(start, nodelist=nodes, weight="weight") / BOUND
    out = evolve(x, held) * BOUND
    after = nx.Graph(start)
    for u, v, d in after.edges(data=True):
        d["start"] = d["weight"]
        d["weight"] = float(out[index[u], index[v]])
        d["flipped"] = bool(np.sign(d["start"]) != np.sign(d["weight"]))
    return after


def apply_changes(g: nx.Graph, remove: Iterable[tuple[str, str]] = (), hostile: Iterable[tuple[str, str]] = (), *,
                  weights: dict[tuple[str, str], float] | None = None) -> tuple[nx.Graph, list[tuple[str, str]]]:
    """A copy of ``g`` with the ties in ``remove`` taken out and those in ``hostile`` set to minus
    their strength, and at least half the bound (-5), and the pairs to hold fixed."""
    start = nx.Graph()
    start.add_nodes_from(g.nodes(data=True))
    for u, v, d in g.edges(data=True):
        w = d["weight"] if weights is None else weights.get((min(u, v), max(u, v)), d["weight"])
        start.add_edge(u, v, **{**d, "weight": float(w)})
    for u, v in remove:
        start.remove_edge(u, v)
    held = []
    for u, v in hostile:
        start[u][v]["weight"] = -max(abs(start[u][v]["weight"]), BOUND / 2)
        held.append((u, v))
    return start, held


def projected_blocs(g: nx.Graph, cache: dict[Any, list[set[str]]] | None = None) -> list[set[str]]:
    """Blocs of a projected (settled) network, largest first: the groups joined by friendly ties
    (exact for a balanced or clusterable network, Cartwright & Harary 1956, Davis 1967); when a
    hostile tie falls inside one (an unbalanced cycle longer than a triad, which the dynamics
    leave alone), the blocs of least frustration of :func:`~realpolitik.analytics.network.blocs`
    (at most one more than the friendly groups), remembered in ``cache`` by the signs of the ties,
    as many bootstrap draws settle alike."""
    friends = nx.Graph()
    friends.add_nodes_from(g.nodes)
    friends.add_edges_from((u, v) for u, v, d in g.edges(data=True) if d["weight"] > 0)
    groups = [set(c) for c in nx.connected_components(friends)]
    where = {n: k for k, c in enumerate(groups) for n in c}
    if any(d["weight"] < 0 and where[u] == where[v] for u, v, d in g.edges(data=True)):
        from .network import blocs

        key = tuple(sorted((u, v, d["weight"] > 0) for u, v, d in g.edges(data=True)))
        if cache is not None and key in cache:
            return cache[key]
        groups = blocs(g, max_blocs=min(8, len(groups) + 1))
        if cache is not None:
            cache[key] = groups
    return sorted(groups, key=lambda s: (-len(s), sorted(s)))


def align_labels(reference: dict[str, int], groups: list[set[str]]) -> dict[str, int]:
    """Label each group with a ``reference`` label so that as many actors as possible keep theirs
    (an assignment of most overlap, each label used once); a group left over gets a new label."""
    from scipy.optimize import linear_sum_assignment

    ordered = sorted(groups, key=lambda s: (-len(s), sorted(s)))
    labels = sorted(set(reference.values()))
    overlap = np.array([[sum(1 for n in group if reference.get(n) == lab) for lab in labels] for group in ordered])
    chosen: dict[int, int] = {}
    if overlap.size:
        for row, col in zip(*linear_sum_assignment(overlap, maximize=True), strict=True):
            if overlap[row, col] > 0:
                chosen[int(row)] = labels[int(col)]
    fresh = max(labels, default=-1) + 1
    out: dict[str, int] = {}
    for k, group in enumerate(ordered):
        if k not in chosen:
            chosen[k], fresh = fresh, fresh + 1
        out.update({n: chosen[k] for n in group})
    return out


def unbalanced_triads(g: nx.Graph, actor: str) -> list[tuple[str, str, str]]:
    """The closed triads of ``actor`` whose sign product is negative, the strongest first
    (by the product of the three ties' absolute weights)."""
    found = []
    for u, v in itertools.combinations(sorted(g.neighbors(actor)), 2):
        if g.has_edge(u, v):
            ws = (g[actor][u]["weight"], g[actor][v]["weight"], g[u][v]["weight"])
            if ws[0] * ws[1] * ws[2] < 0:
                found.append((abs(ws[0] * ws[1] * ws[2]), (actor, u, v)))
    return [t for _, t in sorted(found, key=lambda f: -f[0])]
