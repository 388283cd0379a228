"""Analytics on a large store: a dyad series and a one-year network snapshot over 5 million events.

    python bench/analytics.py [--rows 5200000] [--workdir DIR]

Builds a store from a generated GDELT-format file (the generator of ``bench/import.py``:
forty countries, ten years, common CAMEO codes; 5.2 million rows give just over 5 million
events once the CAMEO public statements, which PLOVER does not code, are left out), then times, five times each with the
median kept, opening the store included:

- ``dyad_series(store, "IRQ", "RUS", freq="month")`` (all years, bootstrap intervals and
  change points included);
- ``network(store, 2019-01-01, 2019-12-31)`` (the signed graph of one year, its blocs,
  balance and centrality).

The last line is the headline:

    dyad_s=<median seconds> network_s=<median seconds> events=<events in the store>
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from realpolitik.analytics.dyads import dyad_series
from realpolitik.analytics.network import network
from realpolitik.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from importlib import import_module  # noqa: E402

generate = import_module("import").generate


def timed(fn, runs: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5_200_000)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="realpolitik-analytics-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / f"analytics-{args.rows}.duckdb"
    if not db.exists():
        data = work / f"analytics-{args.rows}.export.CSV"
        generate(data, args.rows)
        Store(db).import_file(data, "gdelt")
        data.unlink()
    events = Store(db).count()
    dyad_s, frame = timed(lambda: dyad_series(Store(db, create=False), "IRQ", "RUS", freq="month"))
    net_s, g = timed(lambda: network(Store(db, create=False), dt.date(2019, 1, 1), dt.date(2019, 12, 31)))
    print(f"store: {events:,} events; dyad IRQ-RUS: {len(frame)} months, {int(frame.events.sum()):,} events; "
          f"network 2019: {g.number_of_nodes()} actors, {g.number_of_edges()} ties, "
          f"{len({d['bloc'] for _, d in g.nodes(data=True)})} blocs")
    print(f"dyad_s={dyad_s:.3f} network_s={net_s:.3f} events={events}")


if __name__ == "__main__":
    main()
