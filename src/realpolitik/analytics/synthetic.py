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
"""

from __future__ import annotations

import networkx as nx
import numpy as np

__all__ = ["planted_blocs", "planted_shift"]


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
