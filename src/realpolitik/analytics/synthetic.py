"""Generated data with planted signals, to validate the analytics (tests and
``scripts/validate_analytics.py`` use the same generators).

Example::

    >>> import numpy as np
    >>> from realpolitik.analytics.synthetic import planted_blocs, planted_shift
    >>> g, truth = planted_blocs(np.random.default_rng(0), wrong_signs=0.0)
    >>> len(truth) == g.number_of_nodes()
    True
    >>> series, at = planted_shift(np.random.default_rng(0), snr=3.0)
    >>> len(series), 10 <= at <= 50
    (60, True)
    >>> case = planted_withdrawal(np.random.default_rng(3))
    >>> case.kind in ("remove", "hostile") and case.ties.has_edge(*case.pair)
    True
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["planted_blocs", "planted_shift", "Withdrawal", "planted_withdrawal", "withdrawal_store",
           "withdrawal_trial"]

# real country codes, so that generated events pass the importers' country tables
_CODES = ("USA", "GBR", "FRA", "DEU", "ITA", "ESP", "CAN", "AUS", "JPN", "KOR", "RUS", "CHN", "IRN", "SYR", "IRQ",
          "TUR", "SAU", "EGY", "ISR", "JOR", "LBN", "QAT", "KWT", "IND", "PAK", "BRA", "MEX", "ZAF", "NGA", "KEN")
_POLECAT_HEADER = ["Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code",
                   "Actor Name", "Actor Country", "Recipient Name", "Recipient Country"]


def planted_blocs(rng: np.random.Generator, wrong_signs: float = 0.05) -> tuple[nx.Graph, list[int]]:
    """A signed graph of 2 to 4 blocs of 5 to 9 actors and the true bloc of each node (in node order).

    Within a bloc a tie exists with probability 0.7 and weight N(+4, 2); between blocs with
    probability 0.5 and weight N(-4, 2); a share ``wrong_signs`` of ties have their sign flipped.
    """
    k, size = int(rng.integers(2, 5)), int(rng.integers(5, 10))
    truth = [b for b in range(k) for _ in range(size)]
    nodes = [f"{b}-{i}" for b in range(k) for i in range(size)]
    g = nx.Graph()
    g.add_nodes_from(nodes)
    for i in range(len(nodes)):
        for j in range(i + 1, len(nodes)):
            same = truth[i] == truth[j]
            if rng.random() < (0.7 if same else 0.5):
                w = rng.normal(4 if same else -4, 2)
                g.add_edge(nodes[i], nodes[j], weight=-w if rng.random() < wrong_signs else w)
    return g, truth


def planted_shift(rng: np.random.Generator, snr: float, length: int = 60, margin: int = 10) -> tuple[np.ndarray, int]:
    """A series of unit-variance noise whose mean shifts by ``snr`` (either sign) at a random index."""
    at = int(rng.integers(margin, length - margin))
    y = rng.normal(0, 1, length)
    y[at:] += snr * rng.choice([-1, 1])
    return y, at


@dataclass(frozen=True)
class Withdrawal:
    """A generated world with a planted withdrawal. ``ties`` are the latent true ties (weights on
    the PLOVER scale), ``pair`` the (patron, client) tie that is withdrawn, ``kind`` "remove" or
    "hostile", ``clients`` the actors planted to hang on their patron's tie, and ``truth`` the
    actors that truly realign: what the balance dynamics does to the true ties after the change."""

    ties: nx.Graph
    pair: tuple[str, str]
    kind: str
    clients: tuple[str, ...]
    truth: tuple[str, ...]


def planted_withdrawal(rng: np.random.Generator, kind: str | None = None) -> Withdrawal:
    """Two or three blocs of 4 to 6 actors (ties within a bloc with probability 0.8 and weight
    N(+5, 1.5), between blocs 0.6 and N(-5, 1.5)), a client of a patron in the first bloc and
    sometimes (half the time) a client of that client. The client has a strong tie to its patron
    (+6 to +9) and weak ties the other way: hostile (-1 to -2.5) to one or two of the patron's
    friends, friendly (+1 to +2.5) to one or two of its enemies. The client's client has a strong
    tie to the client and a weak friendly one to a friend the client is weakly hostile to.

    Four cases in five withdraw the patron's tie with the client (removed or turned hostile,
    ``kind`` or at random); one in five a tie between two members of the first bloc, where
    little or nothing should move. ``truth`` is what the balance dynamics does to the true ties."""
    from .balance_dynamics import align_labels, project, projected_blocs

    k, size = int(rng.integers(2, 4)), int(rng.integers(4, 7))
    codes = [str(c) for c in rng.permutation(_CODES)[:k * size + 2]]
    g = nx.Graph()
    g.add_nodes_from(codes[:k * size])
    for i, a in enumerate(codes[:k * size]):
        for j in range(i + 1, k * size):
            same = i // size == j // size
            if rng.random() < (0.8 if same else 0.6):
                w = float(np.clip(rng.normal(5, 1.5), 1.0, 9.5))
                g.add_edge(a, codes[j], weight=w if same else -w)
    patron, client = codes[0], codes[k * size]
    friends = sorted(n for n in g[patron] if g[patron][n]["weight"] > 0)
    enemies = sorted(n for n in g[patron] if g[patron][n]["weight"] < 0)
    g.add_edge(patron, client, weight=float(rng.uniform(6, 9)))
    shunned = [str(a) for a in rng.choice(friends, min(len(friends), int(rng.integers(1, 3))), replace=False)]
    for a in shunned:
        g.add_edge(client, a, weight=-float(rng.uniform(1, 2.5)))
    for a in rng.choice(enemies, min(len(enemies), int(rng.integers(1, 3))), replace=False):
        g.add_edge(client, str(a), weight=float(rng.uniform(1, 2.5)))
    clients = [client]
    if rng.random() < 0.5 and shunned:
        second = codes[k * size + 1]
        g.add_edge(client, second, weight=float(rng.uniform(6, 9)))
        g.add_edge(second, shunned[0], weight=float(rng.uniform(1, 2.5)))
        clients.append(second)
    kind = kind or ("remove" if rng.random() < 0.5 else "hostile")
    pair = (patron, client)
    if rng.random() < 0.2 and friends:
        pair = (patron, friends[int(rng.integers(0, len(friends)))])
    removed, turned = ([pair], []) if kind == "remove" else ([], [pair])
    base = {n: b for b, group in enumerate(projected_blocs(project(g))) for n in group}
    after = align_labels(base, projected_blocs(project(g, removed, turned)))
    truth = tuple(sorted(n for n in g if after[n] != base[n]))
    return Withdrawal(g, pair, kind, tuple(clients), truth)


def withdrawal_store(case: Withdrawal, rng: np.random.Generator, *, mean_events: float = 5.0,
                     wrong_signs: float = 0.1, noise: float = 3.0, db: str | Path = ":memory:") -> Any:
    """An in-memory store of events generated from the true ties of ``case``, imported through the
    POLECAT importer: per tie 2 + Poisson(``mean_events`` × |weight| / 5) events in 2019 (a strong
    tie makes more news than a weak one), each of intensity N(weight, ``noise``) (a share
    ``wrong_signs`` of them with the sign turned), within ±10, to the nearest half. ``db`` is
    where the store goes (in memory by default)."""
    from ..store import Store

    lines = ["\t".join(_POLECAT_HEADER)]
    i = 0
    for u, v, d in sorted(case.ties.edges(data=True)):
        for _ in range(2 + int(rng.poisson(mean_events * abs(d["weight"]) / 5))):
            x = float(rng.normal(d["weight"], noise)) * (-1 if rng.random() < wrong_signs else 1)
            x = round(float(np.clip(x, -10, 10)) * 2) / 2
            day = dt.date(2019, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
            a, b = (u, v) if rng.random() < 0.5 else (v, u)
            etype, quad = ("CONSULT", 1) if x >= 0 else ("ACCUSE", 3)
            lines.append("\t".join([f"g{i}", day.isoformat(), etype, "", str(x), str(quad), a, a, b, b]))
            i += 1
    store = Store(db)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.txt"
        path.write_text("\n".join(lines) + "\n")
        store.import_file(path, "polecat")
    return store


def withdrawal_trial(rng: np.random.Generator, draws: int = 50, **noise: Any) -> tuple[Withdrawal, list[str]]:
    """One validation case of :func:`realpolitik.analytics.scenario.scenario`: a planted withdrawal,
    its events (``noise``: the options of :func:`withdrawal_store`), and the movers the scenario
    names from those events alone."""
    from .scenario import scenario

    case = planted_withdrawal(rng)
    store = withdrawal_store(case, rng, **noise)
    removed, turned = ([case.pair], []) if case.kind == "remove" else ([], [case.pair])
    sc = scenario(store, remove=removed, hostile=turned, draws=draws, seed=int(rng.integers(0, 2**31)))
    return case, sc.movers
