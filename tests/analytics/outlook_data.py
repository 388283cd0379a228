"""A generated four-year store for the forecast, backtest and alert tests: IRQ-RUS drift from
cooperation to conflict, TUR-SYR and IRN-IRQ stay as they are, and IRQ-USA, cooperative for
years, clash in the last month."""

from __future__ import annotations

import datetime as dt

import numpy as np

from realpolitik.store import Store

from .conftest import CODES, _row

MONTHS = 48


def build(path) -> Store:
    rng = np.random.default_rng(11)
    rows, i = [], 0
    for m in range(MONTHS):
        first = dt.date(2016 + m // 12, m % 12 + 1, 1)
        share = m / (MONTHS - 1)
        for a, b, conflict in (("IRQ", "RUS", share), ("TUR", "SYR", 0.8), ("IRN", "IRQ", 0.1),
                               ("IRQ", "USA", 1.0 if m == MONTHS - 1 else 0.05), ("DEU", "FRA", 0.1)):
            for _ in range(int(rng.poisson(12 if m == MONTHS - 1 and a == "IRQ" and b == "USA" else 6))):
                day = first + dt.timedelta(days=int(rng.integers(0, 28)))
                x, y = (a, b) if rng.random() < 0.5 else (b, a)
                kind = "conflict" if rng.random() < conflict else "coop"
                rows.append(_row(i, day, x, y, str(rng.choice(CODES[kind]))))
                i += 1
    f = path / "outlook.export.CSV"
    f.write_text("\n".join(rows) + "\n")
    store = Store(path / "outlook.duckdb")
    store.import_file(f)
    return store
